"""Fuzzing the Python API and the command line's readers (issue #18).

Inputs: arbitrary text (lone surrogates, U+FFFD, controls, private use included), bytes in mixed
encodings, markup soup, malformed JSON Lines. Invariants: no exception escapes; no stage is
skipped (a stage failing on a document is a bug even though the pipeline survives it); every input
yields exactly one record; every record's text maps back through its alignment (each clean
character to a raw span, in order; every edit, removal and annotation span inside its text).

CI runs a small derandomized budget (``FUZZ_EXAMPLES_CI`` per test, tests/conftest.py); a larger
random search: ``python -m pytest tests/test_fuzz.py --fuzz-examples 20000``.
"""

from __future__ import annotations

import json
import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policytext
from policytext.inputs import iter_inputs, split_json_lines
from policytext.errors import code_of

FUZZ = settings.get_profile("policytext-fuzz")

CHINESE = "国家数据局发展改革委员会市省县区第一条增长亿元万人同比百分之年月日关于加快建设的通知意见。，、；：？！“”《》（）…—"
MARKUP = ["<", ">", "</", "/>", "<!--", "-->", "&amp;", "&#x4e2d;", "&#12345678;", "&nbsp;", "&", ";", "<p>", "</p>",
          "<br>", "<a href=\"", "\"", "'", "<script>", "</script>", "<style>", "<li>", "<ul>", "</ul>", "<td>",
          "<!DOCTYPE html>", "<html>", "</body>", "<?xml ?>", "<div class='x'>", "</div>", "\n", " "]
SPECIAL = ["\ufffd", "\ud800", "\udfff", "\ud83d\ude00", "\u2028", "\u2029", "\x85", "\x00", "\u200b", "\ufeff",
           "\ue000", "\u0301", "\r\n", "\t", "\u3000", "1%", "a.", "12.5%", "1至", "Ã©", "¹ú¼Ò", "ni hao"]

chinese_text = st.text(alphabet=st.sampled_from(CHINESE + "0123456789.%abc \n"), max_size=120)
atom = st.one_of(st.sampled_from(MARKUP), st.sampled_from(SPECIAL), chinese_text,
                 st.text(max_size=20), st.characters())
soup = st.lists(atom, max_size=25).map("".join)
any_text = st.one_of(st.text(max_size=200), chinese_text, soup)
ENCODINGS = ["utf-8", "gb18030", "gbk", "big5", "utf-16-le", "utf-16", "latin-1", "utf-8-sig"]


@st.composite
def mixed_bytes(draw) -> bytes:
    """Pieces of text each in its own encoding, with raw bytes between them."""
    parts = []
    for _ in range(draw(st.integers(0, 5))):
        if draw(st.booleans()):
            parts.append(draw(st.binary(max_size=30)))
        else:
            text = draw(st.one_of(chinese_text, soup))
            parts.append(text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace"))
    data = b"".join(parts)
    if data and draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # cut short, maybe inside a character
    return data


@pytest.fixture(scope="module")
def nlp():
    return policytext.load()


_COUNT_LOG = os.environ.get("POLICYTEXT_FUZZ_LOG")  # long runs: a line per 1,000 examples checked
_counted = [0]


def _count() -> None:
    _counted[0] += 1
    if _COUNT_LOG and _counted[0] % 1000 == 0:
        with open(_COUNT_LOG, "a", encoding="utf-8") as fh:
            fh.write(f"{time.strftime('%H:%M:%S')} {os.environ.get('PYTEST_CURRENT_TEST', '?').split(' ')[0]} "
                     f"{_counted[0]} examples\n")


def _check(result, raw_input=None) -> None:
    """The invariants of one result (see the module docstring)."""
    _count()
    rec = result.to_dict()
    skipped = [w for w in rec["warnings"] if code_of(w) == "W020"]
    assert not skipped, skipped
    if rec["error"]:
        return
    doc = result.doc
    raw, text, al = doc._.raw_text, rec["text"], doc._.alignment
    assert len(al) == len(text)
    prev = 0
    for k in range(len(text)):
        a, b = al.to_raw(k, k + 1)
        assert 0 <= a <= b <= len(raw) and a >= prev, (k, a, b)
        prev = a
    for e in rec["edits"] + rec["removed"]:
        assert 0 <= e["raw_start"] <= e["raw_end"] <= len(raw)
        if "start" in e:
            assert 0 <= e["start"] <= e["end"] <= len(text)
    for key in ("sentences", "entities", "claims", "paragraphs"):
        for span in rec[key]:
            assert 0 <= span["start"] <= span["end"] <= len(text), (key, span)
            a, b = al.to_raw(span["start"], span["end"])
            assert 0 <= a <= b <= len(raw)
    for ent in rec["entities"]:
        assert text[ent["start"]:ent["end"]] == ent["text"]
    json.dumps(rec, ensure_ascii=False)  # every record can be written


@FUZZ
@given(text=any_text)
def test_any_text(nlp, text):
    _check(nlp(text))


@FUZZ
@given(markup=soup, as_html=st.booleans())
def test_markup_soup(nlp, markup, as_html):
    _check(nlp({"html": markup} if as_html else {"text": markup}))


@FUZZ
@given(data=mixed_bytes())
def test_bytes_in_mixed_encodings(nlp, data):
    try:
        result = nlp(data)
    except policytext.InputError:  # binary input is refused with a clear error, nothing else
        _count()
        return
    _check(result)


@FUZZ
@given(items=st.lists(st.one_of(any_text, mixed_bytes(), st.none(), st.integers(), st.dictionaries(
    st.sampled_from(["text", "html", "id", "date"]), st.one_of(any_text, st.integers(), st.none()), max_size=3)),
    max_size=6))
def test_batch_gives_exactly_one_record_per_input(nlp, items):
    results = list(nlp.pipe(items))
    assert len(results) == len(items)
    for item, result in zip(items, results):
        if item is None or isinstance(item, int):
            assert result.error
        _check(result)


@st.composite
def json_lines_file(draw) -> tuple[bytes, int]:
    """A JSON Lines file of valid records and malformed lines; returns (bytes, non-blank lines)."""
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["record", "record", "html", "broken", "bytes", "bigint", "deep", "list", "blank"]))
        if kind == "record":
            line = json.dumps({"text": draw(any_text), "id": draw(st.one_of(st.none(), st.text(max_size=5)))},
                              ensure_ascii=draw(st.booleans()))
        elif kind == "html":
            line = json.dumps({"html": draw(soup)}, ensure_ascii=False)
        elif kind == "broken":
            good = json.dumps({"text": draw(chinese_text)}, ensure_ascii=False)
            line = good[: draw(st.integers(0, len(good)))]
        elif kind == "bytes":
            line = draw(st.binary(max_size=40)).replace(b"\n", b" ").decode("latin-1")
        elif kind == "bigint":
            line = '{"text": "一", "n": ' + "7" * draw(st.integers(4000, 6000)) + "}"
        elif kind == "deep":
            line = "[" * draw(st.integers(900, 5000)) + "]"
        elif kind == "list":
            line = json.dumps([draw(chinese_text)], ensure_ascii=False)
        else:
            line = draw(st.sampled_from(["", " ", "\t", "\r"]))
        lines.append(line)
    text = "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))
    data = text.encode("utf-8", errors="surrogatepass" if draw(st.booleans()) else "replace")
    expected = sum(1 for line in split_json_lines(data.decode("utf-8", errors="replace")) if line.strip()) or 1
    return data, expected


@FUZZ
@given(file=json_lines_file())
def test_json_lines_reader_one_record_per_line(nlp, tmp_path_factory, file):
    data, expected = file
    _count()
    path = tmp_path_factory.mktemp("jl") / "in.jsonl"
    path.write_bytes(data)
    docs = list(iter_inputs([str(path)]))
    assert len(docs) == expected or (len(docs) == 1 and docs[0].error)  # undecodable file: one error
    records = list(nlp.pipe_records(docs))
    assert len(records) == len(docs)
    for rec in records:
        assert not [w for w in rec["warnings"] if code_of(w) == "W020"]


@FUZZ
@given(data=st.one_of(mixed_bytes(), st.binary(max_size=200)), suffix=st.sampled_from([".txt", ".html", ".json", ".jsonl", ""]))
def test_file_reader_never_raises(tmp_path_factory, data, suffix):
    _count()
    path = tmp_path_factory.mktemp("f") / f"in{suffix}"
    path.write_bytes(data)
    docs = list(iter_inputs([str(path)]))
    assert docs
    reading_errors = {f"E{n:03d}" for n in range(1, 20)}  # E001-E019: a document that cannot be read
    assert all(d.error is None or code_of(d.error) in reading_errors for d in docs)
