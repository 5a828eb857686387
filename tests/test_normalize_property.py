"""Property tests: normalising twice equals normalising once; edits always map to the raw text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policytext.stages.normalize import NormalizeStage
from policytext.state import TextState

# Characters the rules look at, in both scripts and widths.
ALPHABET = (
    "國家數據局發揮著顯著隨着着著作名力的和與应該我们数据发展"
    "，,。、！!？?；;：:（）()“”‘’…—《》【】·%％．."
    "0123456789０１２３４５ABCabcＡＢｃ"
    " \t\u3000\n\r\u200b"
    "\u200d\u200e\u00ad\x00\x1b👨"
)

FRAGMENTS = [
    "国家数据局局长 刘烈宏:",
    "2025-08-14 10:28:07",
    "https://www.gov.cn/a,b",
    "一、",
    "（一）",
    "【标题】",
    "随著",
    "发挥著作用",
    "显著",
    "著名",
    "10.5%",
    "1,000",
    "、、、、",
    ",,,,",
    "。。。",
    "!!!!",
    "……",
    "——",
    "\n\n",
    "\n",
    "    ",
    "攀升至2025年的",
    "Hello, world!",
    "新华社记者 骆学峰/摄",
    "转自：",
    "政府工作报",
    "告",
    "过",
    "的代表人物",
    "的确",
    "一是着力稳增长，创新方式。发行地方",
    "一、总",
]

texts = st.one_of(
    st.text(alphabet=ALPHABET, max_size=80),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=ALPHABET, max_size=12)), max_size=14).map("".join),
)

STAGES = {cfg: NormalizeStage(script=cfg) for cfg in ("t2s", "none", "tw2s")}


def normalize(text: str, script: str = "t2s") -> TextState:
    state = TextState(raw=text)
    STAGES[script](state)
    return state


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_idempotent(text):
    once = normalize(text).text
    assert normalize(once).text == once


@settings(max_examples=150, deadline=None)
@given(texts, st.sampled_from(["none", "tw2s"]))
def test_idempotent_other_scripts(text, script):
    once = normalize(text, script).text
    assert normalize(once, script).text == once


@settings(max_examples=200, deadline=None)
@given(texts)
def test_records_point_into_raw_and_final_text(text):
    state = normalize(text)
    for r in state.records:
        assert 0 <= r.raw_start <= r.raw_end <= len(text)
        assert 0 <= r.start <= r.end <= len(state.text)
    # no trailing spaces, at most one blank line, no leading/trailing blank lines
    out = state.text
    assert "\n\n\n" not in out
    assert not out.startswith(("\n", " ")) and not out.endswith(("\n", " "))
    assert all(line == line.strip(" \t\u3000") for line in out.split("\n"))


def test_idempotent_on_colon_only_line_regression():
    """Found by hypothesis: a line of bare colons was a 'speaker label' before the stutter collapse
    and a continuation after it, so a second pass joined it."""
    from policytext.stages.normalize import NormalizeStage
    from policytext.state import TextState

    once = TextState(raw="https://www.gov.cn/a,b\n\n:：")
    NormalizeStage()(once)
    twice = TextState(raw=once.text)
    NormalizeStage()(twice)
    assert twice.text == once.text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_plain_line_join_equals_general_scan(text: str) -> None:
    """The fast line-join path (breaks already plain after ``whitespace``) decides like the general one."""
    from policytext.stages.normalize import line_join_edits, whitespace_edits

    state = TextState(raw=text)
    state.apply(whitespace_edits(text), stage="normalize")
    plain = state.text
    assert line_join_edits(plain, plain=True) == line_join_edits(plain, plain=False)
    assert line_join_edits(plain) == line_join_edits(plain, plain=False)  # detection picks the fast path


def test_idempotent_on_full_width_decimal_regression():
    """Found by hypothesis: ``0．0`` was a list marker (``1．``) before the width step and a
    number after it, so a second pass joined the line before it."""
    from policytext.stages.normalize import NormalizeStage
    from policytext.state import TextState

    once = TextState(raw=",\r0．0")
    NormalizeStage()(once)
    twice = TextState(raw=once.text)
    NormalizeStage()(twice)
    assert twice.text == once.text
