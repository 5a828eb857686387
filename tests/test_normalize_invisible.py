"""The ``invisible`` sub-step: control codes and invisible format characters are removed."""

from __future__ import annotations

import pytest

from policytext.stages.normalize import NormalizeStage, invisible_edits, normalize_text
from policytext.state import TextState

REPORT = "保障人民群众安居乐业，是政府应尽的责任。要进一步落实社会治安综合治理各项措施。"


@pytest.mark.parametrize(
    "damaged",
    [
        "保障人民群众安居\u200d乐业，是政府应尽的责任。要进一步落实社会治安综合治理各项措施。",  # ZWJ (seen in wikisource text)
        "保障人民群众\u200c安居乐业，是政府应尽的\u200e责任。要进一步落实社会治安\u202a综合治理\u202c各项措施。",
        "保障人民群众安居乐业，是政府应尽的责任。要进一步落\u00ad实社会治安综合治理各项措施。",  # soft hyphen
        "保障人民群众安居乐业\x00，是政府应尽的责任。\x07要进一步落实社会治安综合治理各项措施。\x7f",
        "\u2066保障人民群众安居乐业，是政府应尽的责任。\u2069要进一步落实社会治安综合治理各项措施。",
        "保障人民群众\x1b[31m安居乐业\x1b[0m，是政府应尽的责任。要进一步落实社会治安综合治理各项措施。",
    ],
)
def test_invisible_characters_in_chinese_text_are_removed(damaged: str) -> None:
    assert normalize_text(damaged) == REPORT


def test_each_run_is_one_edit_with_a_note_naming_the_characters() -> None:
    state = TextState(raw="发展\u200e\u200f经济，推进\x00改革。")
    NormalizeStage()(state)
    edits = [r.to_dict() for r in state.edits]
    assert [(e["kind"], e["before"], e["after"], e["raw_start"], e["raw_end"]) for e in edits] == [
        ("invisible", "\u200e\u200f", "", 2, 4),
        ("invisible", "\x00", "", 9, 10),
    ]
    assert "U+200E LEFT-TO-RIGHT MARK" in edits[0]["note"] and "U+200F" in edits[0]["note"]
    assert "U+0000" in edits[1]["note"]
    assert state.text == "发展经济，推进改革。"


def test_terminal_colour_codes_go_whole() -> None:
    edits = invisible_edits("状态\x1b[1;31m正常\x1b[0m。")
    assert [(e.start, e.end) for e in edits] == [(2, 9), (11, 15)]
    assert "terminal control sequence" in edits[0].note


@pytest.mark.parametrize(
    "text",
    [
        "家庭成员👨\u200d👩\u200d👧合影。",  # emoji sequence
        "印地语写作क्\u200dष。",  # Devanagari half form
        "波斯语می\u200cخواهم。",  # Persian non-joiner
    ],
)
def test_joiners_that_build_emoji_or_shape_a_script_stay(text: str) -> None:
    assert invisible_edits(text) == []
    assert normalize_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        REPORT,
        "第一条\t为了规范\n\n第二条 本法所称……",  # tab and line breaks are whitespace's
        "私用区字符\ue000保留。",  # private use: the repair stage's business
        "数字︀经济",  # a variation selector after a Han character
    ],
)
def test_visible_and_whitespace_characters_are_not_touched(text: str) -> None:
    assert invisible_edits(text) == []


def test_switched_off_keeps_them() -> None:
    assert normalize_text("推进\u200d改革", invisible=False) == "推进\u200d改革"


@pytest.mark.parametrize("text", ["‘\u200d０", "Ａ\u200d：", "“\u200d”"])
def test_joiner_next_to_marks_or_full_width_forms_goes_in_one_pass(text: str) -> None:
    # found by the idempotence property: ０ becomes ASCII 0 later in the same pass
    once = normalize_text(text)
    assert "\u200d" not in once and normalize_text(once) == once
