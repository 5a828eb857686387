"""The normalize stage on the three shared samples (skipped when ../shared/samples is absent)."""

from __future__ import annotations

import importlib

import pytest

from policytext.evaluation.normalize import measure
from policytext.paragraphs import paragraph_spans
from policytext.stages.base import create_text_stage, text_stage_factories
from policytext.stages.normalize import NormalizeStage
from policytext.state import TextState

NAMES = ["000_ae6d8b9b05a0dffa.txt", "001_ae4501125a880a0e.txt", "002_b21ce947c00f9f10.txt"]


def load(shared_samples, name: str) -> str:
    path = shared_samples / name
    if not path.exists():
        pytest.skip(f"{name} is not available")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def stage():
    return NormalizeStage()


@pytest.mark.parametrize("name", NAMES)
def test_sample_targets(shared_samples, stage, name):
    raw = load(shared_samples, name)
    st = TextState(raw=raw)
    stage(st)
    m = measure(st.text)
    assert m["traditional_left"] == 0
    assert m["stuttered_marks"] == 0
    assert m["ascii_comma_between_han"] == 0
    assert m["ascii_mark_next_to_han"] == 0
    assert m["zhe_errors"] == 0 and m["zhe_unlabelled"] == 0
    # every record points at what it changed
    for r in st.records:
        assert raw[r.raw_start : r.raw_end] == r.before
    # idempotent on real documents too
    again = TextState(raw=st.text)
    stage(again)
    assert again.text == st.text


def test_sample_000_counts(shared_samples, stage):
    raw = load(shared_samples, NAMES[0])
    st = TextState(raw=raw)
    stage(st)
    before = measure(raw)
    assert before["traditional_left"] > 1000 and before["ascii_comma_between_han"] > 100
    assert st.text.startswith("国家数据局这场发布会，信息量很大！\n国务院新闻办公室8月14日举行")
    assert "Token（词元）作为处理文本的最小数据单元" in st.text
    assert "发挥着关键作用" in st.text and "取得显著成就" in st.text
    assert len(paragraph_spans(st.text)) == st.text.count("\n") + 1  # one paragraph per line


def test_sample_001_is_simplified_already(shared_samples, stage):
    raw = load(shared_samples, NAMES[1])
    st = TextState(raw=raw)
    stage(st)
    kinds = {r.edit.kind for r in st.records}
    assert "t2s" not in kinds and "zhe_context" not in kinds
    assert "数据集成、数据建模、数据开发、数据服务" in st.text
    assert "随着数字技术在政府管理服务中的广泛应用，数据成为" in st.text
    # headings stay on their own lines
    assert "\n一、数据基础制度\n" in st.text
    assert "\n探索数据“三权”分置落地，让数据放心“供”出来\n" in st.text
    # ~230 lines separated by single breaks: paragraphs follow the lines
    assert len(paragraph_spans(st.text)) > 200


def test_sample_002_transcript_layout(shared_samples, stage):
    raw = load(shared_samples, NAMES[2])
    st = TextState(raw=raw)
    stage(st)
    text = st.text
    assert "\n\n2025-08-14 10:28:07\n\n国家数据局副局长 陈荣辉：\n\n" in text
    assert "\n\n国家发展改革委党组成员、国家数据局局长 刘烈宏：\n\n" in text
    assert "随着5G网络" in text and "着力推动" in text and "盯着问题来" in text
    assert "\n\n\n" not in text
    assert all(line == line.strip() for line in text.split("\n"))
    assert "line_join" not in {r.edit.kind for r in st.records}


def _previous_stages() -> list[str]:
    names = []
    for name in ("html", "repair"):
        try:
            importlib.import_module(f"policytext.stages.{name}")
        except Exception:
            continue
        if name in text_stage_factories():
            names.append(name)
    return names


@pytest.mark.parametrize("name", NAMES)
def test_after_previous_stages(shared_samples, stage, name):
    previous = _previous_stages()
    if not previous:
        pytest.skip("html/repair stages are not available")
    raw = load(shared_samples, name)
    st = TextState(raw=raw)
    for p in previous:
        create_text_stage(p)(st)
    stage(st)
    m = measure(st.text)
    assert m["traditional_left"] == 0 and m["stuttered_marks"] == 0
    assert m["ascii_comma_between_han"] == 0 and m["zhe_errors"] == 0


@pytest.mark.parametrize("name", ["000", "001", "002"])
def test_sample_line_join_fast_path_matches_general_scan(shared_samples, name):
    """On real pages, the fast line-join path (after ``whitespace``) finds the same joins as the general scan."""
    from policytext.stages.normalize import line_join_edits, whitespace_edits

    raw = next(p for p in shared_samples.glob(f"{name}_*.txt")).read_text(encoding="utf-8")
    # the samples' own lines plus page breaks in mid-sentence, as in the issue's examples
    raw += "\n\n预计数据产业规模年均增速将从2024年的9.3%攀升至2025年的\n\n10.5%以上。我们应\n\n该如何应对？\n"
    state = TextState(raw=raw)
    state.apply(whitespace_edits(raw), stage="normalize")
    fast = line_join_edits(state.text, plain=True)
    assert fast == line_join_edits(state.text, plain=False)
    assert fast
