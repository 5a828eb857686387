"""The pipeline API: listing, configuring, adding, removing and replacing stages; results;
streaming with worker processes; Doc extensions; the contract record against its JSON Schema."""

from __future__ import annotations

import re

import pytest
from spacy.language import Language

import policytext
from policytext import Edit, TextStage, register_text_stage
from policytext.pipeline import InputError, Pipeline, StageError
from policytext.errors import Errors, code_of
from policytext.schema import validate_record


@register_text_stage("test_strip_ads", default_config={"marker": "【广告】"})
class StripAds(TextStage):
    """The extension recipe from the README: drop lines that start with a marker."""

    def __call__(self, state):
        edits = [Edit(m.start(), m.end(), "", "ad_line", removal=True)
                 for m in re.finditer(rf"^{re.escape(self.config['marker'])}.*\n?", state.text, re.M)]
        state.apply(edits, stage=self.name)


@Language.component("test_count_han")
def count_han(doc):
    doc._.warnings.append(f"han={sum(1 for ch in doc.text if '一' <= ch <= '鿿')}")
    return doc


TEXT = "国家数据局发布会。\n【广告】点击领取\n数据产业规模达5.86万亿元。"


@pytest.fixture()
def html_only():
    return policytext.load(stages=["html"])


def test_default_pipeline_lists_named_stages_in_order():
    nlp = policytext.load()
    names = nlp.stage_names
    assert names[0] == "html"
    order = [n for n in ["html", "repair", "normalize", "dedup", "sentences", "entities", "claims", "themes"] if n in names]
    assert names == order + [n for n in names if n not in order]
    assert "html" in repr(nlp) and all(d["config"] is not None for d in nlp.describe())


def test_add_remove_replace_and_configure(html_only):
    nlp = html_only
    nlp.add_stage("test_strip_ads")
    assert nlp.stage_names == ["html", "test_strip_ads"]
    result = nlp(TEXT)
    assert "广告" not in result.text
    assert result.removed[0]["kind"] == "ad_line" and result.removed[0]["text"].startswith("【广告】")
    nlp.configure("test_strip_ads", marker="国家")
    assert "国家数据局" not in nlp(TEXT).text
    with pytest.raises(ValueError, match=r"^\[E104\] "):
        nlp.configure("test_strip_ads", colour="red")
    nlp.replace_stage("test_strip_ads", StripAds(marker="数据产业"))
    assert nlp(TEXT).text.startswith("国家数据局发布会。\n【广告】")
    nlp.add_stage("test_count_han")
    assert nlp(TEXT).warnings[-1].startswith("han=")
    removed = nlp.remove_stage("test_strip_ads")
    assert isinstance(removed, StripAds) and nlp.stage_names == ["html", "test_count_han"]
    nlp.add_stage("test_strip_ads", name="ads", before="html")
    assert nlp.stage_names == ["ads", "html", "test_count_han"]
    with pytest.raises(ValueError, match=r"^\[E115\] "):
        nlp.add_stage("test_strip_ads", name="late", after="test_count_han")
    with pytest.raises(KeyError, match=r"\[E105\] "):
        nlp.remove_stage("nope")
    with pytest.raises(ValueError, match=r"^\[E106\] "):
        nlp.add_stage("test_strip_ads", name="ads")


def test_load_rejects_unknown_stage_names():
    with pytest.raises(ValueError, match=r"^\[E101\] "):
        policytext.load(disable=["spellcheck"])


def test_result_exposes_doc_extensions_and_raw_offsets(html_only):
    raw = "<p>國家數據局</p><p>局長劉烈宏表示。</p>"
    result = html_only(raw, id="doc-1", date="2025/8/14", source="test")
    doc = result.doc
    assert doc.text == result.text and doc._.raw_text == raw
    assert result.id == "doc-1" and result.date == "2025-08-14" and result.source == "test"
    start = result.text.index("局長")
    rs, re_ = result.raw_span(start, start + 5)
    assert raw[rs:re_] == "局長劉烈宏"
    assert doc.char_span(start, start + 2)._.raw_span == (rs, rs + 2)
    assert all(e["stage"] == "html" for e in result.edits)


def test_records_validate_against_shipped_schema(shared_samples):
    nlp = policytext.load()
    for path in sorted(shared_samples.glob("*.txt")):
        result = nlp(path.read_bytes(), source=path.name)
        record = result.to_dict()
        validate_record(record)
        raw = result.raw
        for item in record["edits"] + record["removed"]:
            assert 0 <= item["raw_start"] <= item["raw_end"] <= len(raw)
        # the first stage that edited worked on the raw text itself: its raw spans show its 'before'
        first = [e for e in record["edits"] if e["stage"] == record["edits"][0]["stage"]] if record["edits"] else []
        for edit in first:
            assert raw[edit["raw_start"]:edit["raw_end"]] == edit["before"]


def test_bytes_in_legacy_encodings_give_identical_text(html_only):
    text = "國家數據局局長劉烈宏在會上表示,數據產業規模達5.86萬億元。"
    outs = {html_only(text.encode(enc)).text for enc in ("utf-8", "utf-8-sig", "big5", "utf-16")}
    assert outs == {text}


def test_errors_raise_in_call_and_are_recorded_in_pipe(html_only):
    with pytest.raises(InputError, match=r"^\[E01[12]\] "):
        html_only(bytes(range(256)) * 4)
    results = list(html_only.pipe([b"\x00\x01\x02" * 50, "正常文本。", {"html": "<p>网页</p>", "id": "h"}, {"x": 1}]))
    assert [bool(r.error) for r in results] == [True, False, False, True]
    assert results[2].text == "网页" and results[2].id == "h"
    validate_record(results[0].to_dict())


class Broken(TextStage):
    def __call__(self, state):
        if "坏" in state.text:
            raise RuntimeError("boom")


@Language.component("test_broken_doc_stage")
def broken_doc_stage(doc):
    if "坏" in doc.text:
        raise ValueError("bad doc")
    return doc


def test_failing_stage_is_skipped_and_named_by_default(html_only):
    html_only.add_stage(Broken(name="broken"))
    html_only.add_stage("test_broken_doc_stage")
    html_only.add_stage("test_strip_ads")
    results = list(html_only.pipe(["好文本", "坏文本\n【广告】买", "好文本二"]))
    assert [r.error for r in results] == [None, None, None]
    bad = results[1]
    assert bad.text == "坏文本\n"  # the later text stage still ran
    assert any(code_of(w) == "W020" and "'broken'" in w and "RuntimeError: boom" in w for w in bad.warnings)
    assert any(code_of(w) == "W020" and "'test_broken_doc_stage'" in w for w in bad.warnings)
    assert results[0].warnings == []


def test_strict_pipeline_fails_the_document(html_only):
    html_only.add_stage(Broken(name="broken"))
    html_only.strict = True
    results = list(html_only.pipe(["好文本", "坏文本", "好文本二"]))
    assert [r.error for r in results][::2] == [None, None]
    assert results[1].error == Errors.E020.format(name="broken", exc_type="RuntimeError", exc="boom")
    with pytest.raises(StageError):
        html_only("坏")


def test_pipe_with_worker_processes_matches_serial(html_only):
    docs = [f"第{i}段：<b>数据</b>要素。" for i in range(12)] + [b"\x00\x01" * 64]
    serial = [r.to_dict() for r in html_only.pipe(docs)]
    parallel = [r.to_dict() for r in html_only.pipe(docs, n_process=2, batch_size=2)]
    assert serial == parallel
    assert parallel[-1]["error"] and parallel[0]["text"] == "第0段：数据要素。"
    records = list(html_only.pipe_records(docs, n_process=2, batch_size=3))
    assert records == serial


def test_pipeline_round_trips_through_disk(tmp_path, html_only):
    html_only.add_stage("test_strip_ads", config={"marker": "【广告】"})
    html_only.to_disk(tmp_path / "p")
    again = Pipeline.from_disk(tmp_path / "p")
    assert again.stage_names == html_only.stage_names
    assert again(TEXT).text == html_only(TEXT).text


def test_too_large_input_is_refused_clearly():
    nlp = policytext.load(stages=["html"], max_chars=100)
    with pytest.raises(InputError, match=r"^\[E013\] "):
        nlp("数" * 101)


def test_document_date_from_dateline(html_only):
    assert html_only("标题\n2025-08-15 10:30\n来源：中国网\n正文。").date == "2025-08-15"
    assert html_only("截至2025年6月底，数据集超过3.5万个，这是一个很长的句子，不是日期行。").date is None
    bad = html_only("正文", date="not a date")
    assert bad.date is None and any(code_of(w) == "W003" for w in bad.warnings)


@pytest.mark.parametrize("raw, expected", [("", "W001"), (" \n\t\r\n", "W002"),
                                           (b"\xef\xbb\xbf", "W001"), (b"  \n", "W002")])
def test_empty_and_blank_input_is_named_in_warnings(html_only, raw, expected):
    result = html_only(raw)
    assert result.text.strip() == ""
    assert sum(code_of(w) in ("W001", "W002") for w in result.warnings) == 1
    assert any(code_of(w) == expected for w in result.warnings)


def test_text_removed_entirely_by_cleaning_is_named_in_warnings():
    nlp = policytext.load(stages=["html"])
    nlp.add_stage("test_strip_ads")
    result = nlp("【广告】点击领取\n【广告】扫码关注\n")
    assert result.text.strip() == ""
    assert any(code_of(w) == "W021" for w in result.warnings)
    assert len(result.to_dict()["removed"]) == 2


def test_surrogate_code_points_in_str_input_are_made_valid_and_named(html_only):
    result = html_only("发展\ud83d\ude00经济\udc00。")  # an emoji as two halves, and a lone half
    assert result.text == "发展😀经济\ufffd。"
    assert any(code_of(w) == "W004" and "1 lone" in w and "1 surrogate pair" in w for w in result.warnings)
    assert result.to_dict()["text"].encode("utf-8")


def test_doc_text_reads_the_pipelines_copy_and_falls_back_to_spacy():
    from policytext.components.extensions import TEXT_KEY, doc_text

    nlp = policytext.load(stages=["html", "sentences"])
    doc = nlp.nlp.make_doc("国家数据局发布会。数据产业规模达5.86万亿元。")
    assert doc_text(doc) == doc.text  # no copy: spaCy's own
    doc.user_data[TEXT_KEY] = "同样长度的别的文字同样长度的别的文字同样长度的别的文字"[: len(doc.text)]
    assert doc_text(doc) == doc.user_data[TEXT_KEY]  # the copy is trusted when its length fits
    doc.user_data[TEXT_KEY] = "短"
    assert doc_text(doc) == doc.text
    result = nlp("国家数据局发布会。数据产业规模达5.86万亿元。")
    assert TEXT_KEY not in result.doc.user_data  # removed once the stages have run
    assert [result.text[s["start"]:s["end"]] for s in result.to_dict()["sentences"]] == ["国家数据局发布会。", "数据产业规模达5.86万亿元。"]


def test_records_without_doc_stages_equal_records_made_through_the_doc():
    """With no doc stage, pipe_records builds the record straight from the text state (no Doc):
    the same record as the Doc path gives, field for field."""
    from policytext.inputs import InputDoc

    nlp = policytext.load(stages=["html", "repair", "normalize", "dedup"])
    docs = [
        InputDoc(data="<p>國家數據局&nbsp;發布會</p><p>2025年6月30日</p>", is_html=True, id="a", keep={"title": "t"}),
        InputDoc(data="数据产业规模达5.86万亿元。 Wi-Fi  覆盖率\n\n第二段", date="2025-08-14", source="s.txt"),
        InputDoc(data="   ", id="blank"),
        InputDoc(data="国家数据局发布会。\n国家数据局发布会。\n国家数据局发布会。\n" * 3, id="repeats"),
    ]
    direct = list(nlp.pipe_records(docs))
    through_doc = [nlp.process(d).to_dict() for d in docs]
    assert direct == through_doc
    assert direct[0]["meta"] == {"title": "t"} and direct[0]["edits"] and direct[2]["warnings"]
    for record in direct:
        validate_record(record)


def test_record_text_is_the_clean_text_the_doc_holds():
    result = policytext.load(stages=["normalize", "sentences"])("数据  产业 规模 Ｗｉ－Ｆｉ 5.86 万亿元。\n\n 第二段 ")
    assert result.to_dict()["text"] == result.doc.text


def test_records_free_the_vocab_strings_each_document_brought():
    """A record is made inside the spaCy pipeline's memory zone: the numbers and Latin words of a
    long stream of distinct documents do not pile up in the vocab (about 0.85 KB a document), and
    the records are the ones made without a zone, also when a token recurs after its zone."""
    nlp = policytext.load(stages=["normalize", "sentences"])
    texts = [f"第{n}号文件：关于推进Project{n}x试点的通知。共{n * 7}项，涉及ABC{n % 5}平台。" for n in range(300)]
    texts += texts[:20]  # tokens met in an earlier zone again
    strings = len(nlp.nlp.vocab.strings)
    records = list(nlp.pipe_records(texts))
    assert len(nlp.nlp.vocab.strings) == strings
    assert records == [r.to_dict() for r in nlp.pipe(texts)]  # outside a zone: the strings stay
    assert len(nlp.nlp.vocab.strings) > strings + 600
    assert records[5]["text"].startswith("第5号文件：关于推进Project5x试点的通知。")


def test_records_free_the_vocab_strings_also_one_document_at_a_time():
    """The zone holds on both paths: a list is tagged in batches (the doc stages over several
    documents at once), a stream one document at a time."""
    nlp = policytext.load(stages=["normalize", "sentences"])
    texts = [f"第{n}号文件：推进Alpha{n}y工作，共{n * 3}项。" for n in range(120)]
    strings = len(nlp.nlp.vocab.strings)
    streamed = list(nlp.pipe_records(iter(texts)))
    assert len(nlp.nlp.vocab.strings) == strings
    batched = list(nlp.pipe_records(texts, batch_docs=True))
    assert len(nlp.nlp.vocab.strings) == strings
    assert streamed == batched
