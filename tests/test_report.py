"""The visual report: every edit, removal, entity and claim has its element with its offsets,
the views hold the texts exactly, hostile text stays text, long documents fold, and the CLI."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

import policytext
from policytext.cli import main
from policytext.inputs import iter_inputs
from policytext.report import Report, doc_section, write_report
from policytext.report.assets import SCRIPT, script_hash
from policytext.report.fmt import PAGE_SCRIPT_TYPE, row_cuts
from policytext.report.layers import render_rows

from report_parse import keys, parse_report

SAMPLES = Path(__file__).resolve().parent.parent / "corpora" / "samples"
HOSTILE = ('标题</title><script>document.documentElement.setAttribute("data-pwned","1")</script>\n'
           '数据"><img src=x onerror="document.documentElement.setAttribute(\'data-pwned\',\'2\')">局\n'
           "' onmouseover='alert(3)' x='</textarea></script><!-- --><style>body{display:none}</style>"
           "&lt;b&gt; &amp; \u202e\u200b\ue000 国家数据局局长刘烈宏表示，数据产业规模突破1000亿元。\n")


@pytest.fixture(scope="module")
def nlp():
    return policytext.load()


@pytest.fixture(scope="module")
def sample_results(nlp):
    return list(nlp.pipe(iter_inputs([str(SAMPLES)])))


def check_document(html: str, result, diff: bool) -> None:
    """Every edit, removal, entity and claim of ``result`` has its element(s) and offsets, and
    the views hold the clean (and raw) text exactly."""
    rec = result.to_dict()
    page = parse_report(html)
    assert "".join(page.cells["tx"]) == rec["text"]
    if diff:
        assert "".join(page.cells["raw"]) == result.raw
        assert "".join(page.cells["cln"]) == rec["text"]
    by_edit = defaultdict(list)
    by_entity = defaultdict(list)
    by_claim = defaultdict(list)
    for el in page.marked:
        for k in keys(el, "data-e"):
            by_edit[k].append(el)
        for k in keys(el, "data-n"):
            by_entity[k].append(el)
        for k in keys(el, "data-c"):
            by_claim[k].append(el)
    table = [json.loads(c) for t, c in page.scripts if t == "application/json"]
    for k, e in enumerate(rec["edits"]):
        els = by_edit[k]
        assert els, f"edit {k} has no element"
        if table:  # details in the document's JSON table: [stage, kind, raw_start, raw_end, start, end, ...]
            row = table[0]["e"][k]
            assert [table[0]["s"][row[0]], table[0]["k"][row[1]]] + row[2:8] == [
                e["stage"], e["kind"], e["raw_start"], e["raw_end"], e["start"], e["end"], e["before"], e["after"]]
        else:
            assert any(f"edit {k}: {e['stage']} · {e['kind']}" in el["attrs"]["title"]
                       and f"raw {e['raw_start']}–{e['raw_end']}" in el["attrs"]["title"] for el in els)
        text_of_edit = "".join("".join(el["text"]) for el in els if "pt" not in el["classes"])
        if e["start"] < e["end"]:
            assert rec["text"][e["start"]:e["end"]] in text_of_edit
        else:
            assert any("pt" in el["classes"] for el in els)
    for k, ent in enumerate(rec["entities"]):
        els = [el for el in by_entity[k] if el["tag"] == "mark"]
        assert els and {el["attrs"]["data-label"] for el in els} == {ent["label"]}
        assert "".join("".join(el["text"]) for el in els) == ent["text"]
    for k, c in enumerate(rec["claims"]):
        assert "".join("".join(el["text"]) for el in by_claim[k] if el["tag"] == "u") == c["text"]
    for k, r in enumerate(rec["removed"]):
        assert f'id="d0-r{k}" data-r="{k}" data-raw="{r["raw_start"]}-{r["raw_end"]}"' in html
        assert any(el["tag"] == "a" and keys(el, "data-r") == [k] for el in page.marked)


@pytest.mark.parametrize("view", ["text", "both"])
def test_every_mark_of_every_sample_is_shown(sample_results, view):
    assert len(sample_results) == 5
    for result in sample_results:
        html = result.show(view=view).to_page()
        check_document(html, result, diff=view == "both")
        rec = result.to_dict()  # a bar per document theme and per paragraph theme
        assert html.count('<div class="tb"><meter') == len(rec["themes"]) + sum(len(p["themes"]) for p in rec["paragraphs"])


def test_notebook_repr_is_a_scoped_fragment(sample_results):
    result = sample_results[1]
    html = result._repr_html_()
    assert html.startswith('<div class="ptx"><style>') and "<html" not in html
    check_document(html, result, diff=False)
    diff = result.show(view="diff").html
    page = parse_report(diff)
    assert "".join(page.cells["raw"]) == result.raw and "tx" not in page.cells


def test_side_by_side_rows_follow_the_alignment(sample_results):
    """Each row's raw cell is where its clean cell came from: the raw text from the row's first
    clean character's raw position holds the clean row's first character (or its source)."""
    result = next(r for r in sample_results if r.to_dict()["edits"] and "<html" in r.raw.lower())
    page = parse_report(result.show(view="diff").html)
    raw_pos = 0
    clean_pos = 0
    for raw_cell, clean_cell in zip(page.cells["raw"], page.cells["cln"]):
        if clean_cell:
            assert result.raw_span(clean_pos, clean_pos + 1)[0] >= raw_pos
            assert result.raw_span(clean_pos, clean_pos + 1)[0] < raw_pos + max(1, len(raw_cell))
        raw_pos += len(raw_cell)
        clean_pos += len(clean_cell)


def test_hostile_text_stays_text(nlp):
    docs = [
        {"text": HOSTILE, "id": 'x"><script>alert(1)</script>', "source": "<img src=x onerror=alert(1)>"},
        {"html": "<html><body><p>" + HOSTILE.replace("<", "&lt;") + "</p><script>alert(4)</script></body></html>",
         "id": "</script><script>alert(5)</script>"},
    ]
    results = list(nlp.pipe(docs))
    assert not any(r.to_dict()["error"] for r in results)
    import io

    out = io.StringIO()
    write_report(results, out, view="both", title='</title><script>alert(6)</script>')
    html = out.getvalue()
    for lazy in (False, True):
        html += "".join(doc_section(r, 7, "both", page_chars=100, lazy=lazy) for r in results)
    page = parse_report(html)
    executable = [c for t, c in page.scripts if t != PAGE_SCRIPT_TYPE]
    assert executable and all(c == SCRIPT for c in executable)
    assert "img" not in page.tags and "style" in page.tags and page.tags.count("style") == 1
    assert not [a for a in page.attributes if a[1].startswith("on")]
    assert not [a for a in page.attributes if a[1] == "href" and not a[2].startswith("#")]
    for r in results:
        check_document(Report(r, view="both").to_page(), r, diff=True)


def test_long_document_folds_into_lazy_pages():
    """A long, edit-heavy document: pages fold and wait unparsed, edit details move to one JSON
    table; nothing is lost. (Small page sizes stand in for a long document.)"""
    base = (SAMPLES / "press_release_traditional.txt").read_text(encoding="utf-8")
    text = "\n\n".join(f"第{i}段。" + base for i in range(40))  # ~17k characters, ~3.8k edits
    result = policytext.load(disable=["dedup", "entities", "themes"])(text)
    html = "".join([_page_head(), doc_section(result, 0, "both", page_chars=1500, lazy=True, inline_tips=False)])
    assert html.count(f'type="{PAGE_SCRIPT_TYPE}"') >= 20
    assert html.count('<details class="pg lazy" open>') == 2  # the first page of each view
    assert "title=\"edit " not in html and html.count('<script type="application/json" class="edits">') == 1
    check_document(html, result, diff=True)
    assert len(result.to_dict()["edits"]) > 3000
    notebook = Report(result, view="both", max_chars=5000).html
    assert PAGE_SCRIPT_TYPE not in notebook and notebook.count("more characters not shown here") == 2
    page = parse_report(notebook)
    shown = "".join(page.cells["tx"])
    assert 5000 <= len(shown) < 5000 + 3000 and result.text.startswith(shown)
    assert "".join(page.cells["cln"]) == shown and result.raw.startswith("".join(page.cells["raw"]))
    assert result.raw_span(len(shown) - 1, len(shown))[1] <= len("".join(page.cells["raw"]))
    table = json.loads(next(c for t, c in page.scripts if t == "application/json"))["e"]
    assert len(table) == len(result.edits) and table[0] and table[-1] is None
    assert len(notebook) < len(html) / 2


def _page_head() -> str:
    from policytext.report.page import _head

    return _head("test")


def test_layers_nest_and_cut_rows():
    openers = [lambda k: f"<u{k}>", lambda k: f"<m{k}>", lambda k: f"<s{k}>"]
    closers = [lambda k, p: "</u>", lambda k, p: "</m>", lambda k, p: "</s>"]
    rows = render_rows("abcdef<&", [0, 4, 8], [(1, 6, 1, 0), (0, 3, 2, 1), (2, 5, 2, 2), (3, 7, 0, 5)],
                       openers, closers, {0: "[0]", 4: "[4]", 8: "[8]"})
    assert rows == ["[0]<s(1,)>a</s><m(0,)><s(1,)>b</s><s(1, 2)>c</s></m><u(5,)><m(0,)><s(2,)>d</s></m></u>",
                    "[4]<u(5,)><m(0,)><s(2,)>e</s>f</m>&lt;</u>&amp;[8]"]
    assert render_rows("", [0, 0], [], openers, closers, {0: "[p]"}) == ["[p]"]
    assert row_cuts("a\n" * 10, [4], 5) == [0, 4, 8, 12, 16, 20]


def test_records_without_raw_text_show_the_text_view(sample_results):
    rec = json.loads(sample_results[0].to_json())
    html = Report(rec).html
    check_document(html, sample_results[0], diff=False)
    assert 'class="ctx"' not in html  # no raw text: removals show what the record holds, no context
    with pytest.raises(ValueError, match=r"^\[E611\] "):
        Report(rec, view="diff")


def test_cli_show_writes_one_page_for_a_batch(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02binary" * 50)
    out = tmp_path / "report.html"
    assert main(["show", str(SAMPLES), str(bad), "-o", str(out), "--view", "both"]) == 1
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert ("meta", "content", "default-src 'none'; style-src 'unsafe-inline'; script-src "
            f"{script_hash()}; img-src data:") in parse_report(html).attributes
    assert "http://" not in html and "https://" not in html
    assert html.count('<section class="doc"') == 6 and 'class="bad"' in html
    assert "6 document(s), 1 failed" in capsys.readouterr().err
    assert main(["show", str(tmp_path / "missing.txt")]) == 2
