"""Edits as columns (``EditBatch``): applied and recorded like lists of edits, and the vectorised
punctuation sub-steps agree with their one-mark-at-a-time definitions."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import policytext.stages.normalize.punct as punct
from policytext.alignment import Edit, EditBatch, OverlappingEditsError
from policytext.stages.normalize import NormalizeStage, punct_width_edits, script_edits, stutter_edits
from policytext.stages.normalize.chars import MARK_FAMILIES, is_digit
from policytext.state import TextState

# --------------------------------------------------------------------------------------------
# EditBatch and TextState.apply
# --------------------------------------------------------------------------------------------


def test_batch_reads_as_a_sequence_of_edits() -> None:
    batch = EditBatch([4, 0], [6, 1], ["数据", "国"], "t2s", notes=["a", None])
    assert len(batch) == 2 and bool(batch)
    assert batch[0] == Edit(4, 6, "数据", "t2s", note="a")
    assert list(batch) == [Edit(4, 6, "数据", "t2s", note="a"), Edit(0, 1, "国", "t2s")]
    assert [e.start for e in batch[1:]] == [0]
    assert not EditBatch.empty("t2s")


def test_batch_rejects_bad_columns() -> None:
    with pytest.raises(ValueError, match=r"^\[E504\] "):
        EditBatch([0, 1], [1], ["a"], "x")
    with pytest.raises(ValueError, match=r"^\[E505\] "):
        EditBatch([0], [1], ["a"], "x", notes=["a", "b"])
    with pytest.raises(OverlappingEditsError, match=r"^\[E501\] "):
        EditBatch([3], [2], ["a"], "x")


def _state_after(text: str, edits_per_step: list[list[Edit]], as_batch: bool) -> TextState:
    state = TextState(raw=text)
    for edits in edits_per_step:
        if as_batch:
            kind = edits[0].kind
            state.apply(EditBatch([e.start for e in edits], [e.end for e in edits], [e.replacement for e in edits], kind,
                                  notes=[e.note for e in edits]), stage="normalize")
        else:
            state.apply(edits, stage="normalize")
    return state


STEPS_TEXT = "國家數據局,,,今天發布:新政策、、、第二款  (試行)。"
STEPS = [
    # one character for one (t2s), unsorted and with a no-op
    [Edit(3, 4, "据", "t2s"), Edit(0, 1, "国", "t2s"), Edit(2, 3, "数", "t2s"), Edit(8, 9, "今", "t2s")],
    # longer spans to one character (stutter)
    [Edit(5, 8, "，", "punct_stutter", note="3 marks -> 1"), Edit(16, 19, "、", "punct_stutter")],
    # one mark, and spaces + bracket to one character
    [Edit(10, 11, "：", "punct_width"), Edit(18, 21, "（", "punct_width")],
    # same length, two characters (t2s runs)
    [Edit(8, 10, "发布", "t2s"), Edit(19, 21, "试行", "t2s")],
]


@pytest.mark.parametrize("dense", [True, False], ids=["as-code-points", "as-slices"])
def test_a_batch_is_applied_and_recorded_like_a_list_of_edits(monkeypatch, dense: bool) -> None:
    import policytext.state

    monkeypatch.setattr(policytext.state, "_DENSE_EDITS", 10**9 if dense else 0)
    listed = _state_after(STEPS_TEXT, STEPS, as_batch=False)
    batched = _state_after(STEPS_TEXT, STEPS, as_batch=True)
    assert batched.text == listed.text
    assert batched.alignment.raw_start.tolist() == listed.alignment.raw_start.tolist()
    assert batched.alignment.raw_end.tolist() == listed.alignment.raw_end.tolist()
    assert [r.to_dict() for r in batched.records] == [r.to_dict() for r in listed.records]
    assert [r.edit for r in batched.records] == [r.edit for r in listed.records]  # offsets in each stage's input
    edits, removed = batched.record_dicts()
    assert edits == [r.to_dict() for r in listed.edits] and removed == []
    assert len(edits) == 9  # the no-op 今 -> 今 is dropped


def test_record_dicts_before_and_after_the_records_are_read() -> None:
    state = _state_after(STEPS_TEXT, STEPS, as_batch=True)
    first = state.record_dicts()
    state.records
    assert state.record_dicts() == first


def test_batch_overlaps_and_spans_past_the_text_raise() -> None:
    state = TextState(raw="國家數據")
    with pytest.raises(OverlappingEditsError, match=r"^\[E503\] "):
        state.apply(EditBatch([0, 1], [2, 3], ["国家", "家数"], "t2s"), stage="normalize")
    with pytest.raises(OverlappingEditsError, match=r"^\[E502\] "):
        state.apply(EditBatch([3], [5], ["据x"], "t2s"), stage="normalize")
    assert state.text == "國家數據" and state.records == []


def test_every_record_traces_back_to_the_raw_text_after_batches() -> None:
    text = "隨著數據要素市場化,,,,配置改革深入推進、、、、數據產業規模快速增長!!\n第二行(試行)"
    state = TextState(raw=text)
    NormalizeStage()(state)
    assert state.text == "随着数据要素市场化，配置改革深入推进、数据产业规模快速增长！\n第二行（试行）"
    for rec in state.edits:
        assert text[rec.raw_start : rec.raw_end] == rec.before
        assert state.text[rec.start : rec.end] == rec.edit.replacement or rec.edit.kind == "t2s"


# --------------------------------------------------------------------------------------------
# Vectorised sub-steps against their definitions
# --------------------------------------------------------------------------------------------

_FAMILY = {c: fw for chars, fw in MARK_FAMILIES for c in chars}
_MARKS = "".join(_FAMILY)
_CANDIDATE_RE = re.compile(f"[{re.escape(_MARKS)}](?:[ \t\u3000]*[{re.escape(_MARKS)}])+")


def _reference_stutter(text: str) -> list[tuple[int, int, str]]:
    """The definition: maximal runs of one family (spaces between allowed), mark by mark."""
    out = []
    for m in _CANDIDATE_RE.finditer(text):
        runs, start, count, last = [], m.start(), 1, m.start()
        fam = _FAMILY[text[start]]
        for k in range(m.start() + 1, m.end()):
            f = _FAMILY.get(text[k])
            if f is None:
                continue
            if f == fam:
                count += 1
            else:
                if count > 1:
                    runs.append((start, last + 1))
                start, fam, count = k, f, 1
            last = k
        if count > 1:
            runs.append((start, last + 1))
        for s, e in runs:
            fw = _FAMILY[text[s]]
            if fw not in text[s:e] and not punct._chinese_context(text, s, e):
                continue
            if fw == "：" and 0 < s and e < len(text) and is_digit(text[s - 1]) and is_digit(text[e]):
                fw = ":"
            out.append((s, e, fw))
    return out


ALPHABET = "，,。、！!？?；;：:  \t\u3000“”()（）国a1２"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_stutter_edits_equal_the_definition(text: str) -> None:
    got = [(e.start, e.end, e.replacement) for e in stutter_edits(text)]
    assert got == _reference_stutter(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80), st.integers(min_value=1, max_value=3))
def test_punct_width_vectorised_equals_mark_by_mark(text: str, near: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(punct, "_FEW_MARKS", 10**9)
        one_by_one = list(punct_width_edits(text))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(punct, "_FEW_MARKS", 0)
        mp.setattr(punct, "_NEAR", near)  # a short reach also exercises the far look-up
        vectorised = list(punct_width_edits(text))
    assert vectorised == one_by_one


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=50), st.integers(min_value=1, max_value=3))
def test_chinese_context_many_equals_one_by_one(text: str, near: int) -> None:
    from policytext.stages.normalize.scan import char_flags

    starts = np.arange(len(text), dtype=np.int64)
    ends = np.minimum(starts + 2, len(text))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(punct, "_FEW_MARKS", 0)
        mp.setattr(punct, "_NEAR", near)
        got = punct._chinese_context_many(text, char_flags(text), starts, ends).tolist()
    assert got == [punct._chinese_context(text, s, e) for s, e in zip(starts.tolist(), ends.tolist())]


def test_script_edits_come_as_one_batch_with_runs() -> None:
    batch, warnings = script_edits("國家數據局發布\n国家\n隨著", "t2s")
    assert isinstance(batch, EditBatch) and not warnings
    assert [(e.start, e.end, e.replacement) for e in batch] == [(0, 1, "国"), (2, 4, "数据"), (5, 6, "发"), (11, 12, "随")]


def test_a_long_list_of_plain_edits_is_recorded_as_columns() -> None:
    """More than a few plain edits of one kind and confidence go the batch way; mixed ones do not."""
    from policytext.state import _RecordColumns

    text = "國" * 40
    plain = [Edit(k, k + 1, "国", "t2s") for k in range(0, 40, 2)]
    state = TextState(raw=text)
    state.apply(plain, stage="normalize")
    assert isinstance(state._chunks[0], _RecordColumns)
    assert state.text == "国國" * 20
    assert [r.edit for r in state.records] == plain
    mixed = [Edit(k, k + 1, "国", "t2s", confidence=0.5 if k % 4 == 1 else 1.0) for k in range(1, 40, 2)]
    state.apply(mixed, stage="normalize")
    assert isinstance(state._chunks[1], list) and state.text == "国" * 40
    assert [r.edit for r in state.records] == plain + mixed


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="着著显名称作用为随发挥书者力之的，。 a", max_size=40))
def test_zhe_edits_skip_only_what_the_rules_keep(text: str) -> None:
    """zhe_edits skips most 着 without asking the rules: the same edits as asking them everywhere."""
    from policytext.stages.normalize.script import _zhe_decision, zhe_edits

    expected = []
    for i, c in enumerate(text):
        if c in "着著":
            d = _zhe_decision(text, i)
            if d is not None and d[0] != c:
                expected.append(Edit(i, i + 1, d[0], "zhe_context", confidence=d[1], note=d[2]))
    assert zhe_edits(text) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\n\r\x0b\x0c\x85\u2028\u2029\u3000\u200b\u2060\ufeff\u00a0", min_size=1, max_size=8), st.booleans())
def test_whitespace_run_replacement_counts_line_separators(block: str, at_edge: bool) -> None:
    """A run becomes nothing at the text's ends; else one break for one separator ("\\r\\n" is one),
    a blank line for more, one space without separators, nothing for zero-width spaces alone."""
    from policytext.stages.normalize.lines import _ws_replacement

    separators = len(re.findall("\r\n|[\n\r\x0b\x0c\x85\u2028\u2029]", block))
    if at_edge:
        expected = ""
    elif separators:
        expected = "\n" if separators == 1 else "\n\n"
    else:
        expected = "" if all(c in "\u200b\u2060\ufeff" for c in block) else " "
    assert _ws_replacement(block, at_edge) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
@example("国,  ,国 : (国) ; 国")
def test_punct_width_edits_take_the_spaces_around_their_mark(text: str) -> None:
    """Each edit is one ASCII mark turned full-width, widened over the spaces on both sides but
    never back over the previous edit."""
    from policytext.stages.normalize.chars import FULL_WIDTH

    prev_end = 0
    for e in punct_width_edits(text):
        inner = text[e.start : e.end]
        mark_at = e.start + len(inner) - len(inner.lstrip(" "))
        assert inner.strip(" ") == text[mark_at] and e.replacement == FULL_WIDTH[text[mark_at]]
        s, end = mark_at, mark_at + 1
        while s > prev_end and text[s - 1] == " ":
            s -= 1
        while end < len(text) and text[end] == " ":
            end += 1
        assert (e.start, e.end) == (s, end)
        prev_end = e.end
