"""The shared character-flag pass (``scan``) and OpenCC on trigger lines only: same results, less work."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policytext.stages.normalize import NormalizeStage, normalize_text, script, scan
from policytext.stages.normalize.chars import TRANSPARENT, is_hanish
from policytext.stages.normalize.punct import _FAMILY_OF, FULL_WIDTH
from policytext.state import TextState

ROOT = Path(__file__).resolve().parents[1]
TRIGGERS_FILE = ROOT / "policytext" / "data" / "opencc_triggers.json"


def _chars_with(bit: int) -> set[str]:
    lut = scan._table()
    return {chr(c) for c in np.flatnonzero(lut & bit).tolist()}


def test_flags_are_the_sub_steps_own_character_sets() -> None:
    assert _chars_with(scan.FLAG_STUTTER_MARK) == set(_FAMILY_OF)
    assert _chars_with(scan.FLAG_TRANSPARENT) == set(TRANSPARENT)
    hanish = _chars_with(scan.FLAG_HANISH)
    assert all(is_hanish(c) for c in hanish) and {"国", "《", "，", "…", "\U00020000"} <= hanish
    assert sum(is_hanish(chr(o)) for o in range(0x10000)) == sum(1 for c in hanish if ord(c) < 0x10000)
    assert _chars_with(scan.FLAG_ASCII_MARK) == set(FULL_WIDTH)
    assert _chars_with(scan.FLAG_FW_BRACKET) == set("（）")
    assert _chars_with(scan.FLAG_DIGIT) == set("0123456789０１２３４５６７８９")
    fw = _chars_with(scan.FLAG_FW_ALNUM)
    assert "２" in fw and "Ａ" in fw and "ｚ" in fw and "：" not in fw and len(fw) == 62
    odd = _chars_with(scan.FLAG_ODD_SPACE)
    assert {"\u3000", "\t", "\r", "\u00a0", "\u200b", "\ufeff", "\u2028"} <= odd
    assert " " not in odd and "\n" not in odd


def test_code_points_past_the_table_get_no_flag() -> None:
    text = "\U000e0041\U0010fffd国"
    assert scan.char_flags(text).tolist() == [0, 0, scan.FLAG_HANISH]


def test_flags_are_kept_for_the_same_text_object() -> None:
    text = "国家数据局，，今天发布"
    assert scan.char_flags(text) is scan.char_flags(text)
    other = "".join(list(text))  # equal, but another object
    assert scan.char_flags(other) is not scan.char_flags(text)


def test_carried_flags_equal_fresh_ones() -> None:
    old = "國家數據局,,今天發布：２０２５年\n\n第二行"
    scan.char_flags(old)
    # replace ",," with "，", insert "Ａ", delete "\n"
    starts, ends, reps = [5, 11, 19], [7, 11, 20], ["，", "Ａ", ""]
    new = old[:5] + "，" + old[7:11] + "Ａ" + old[11:19] + old[20:]
    scan.carry_flags(old, new, starts, ends, reps)
    carried, carried_codes = scan.char_flags(new), scan.char_codes(new)
    scan._cache = None
    assert carried.tolist() == scan.char_flags(new).tolist()
    assert carried_codes.tolist() == [ord(c) for c in new]


def test_carry_is_ignored_for_another_text() -> None:
    scan.char_flags("甲")
    scan.carry_flags("乙", "丙", [0], [1], ["丙"])
    assert scan._cache is not None and scan._cache[0] == "甲"


# --------------------------------------------------------------------------------------------
# OpenCC only on lines that hold a trigger character
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "沈阳市人民政府发布通知。",  # 沈 alone stays
        "他沈浸在工作中。",  # 沈浸 -> 沉浸 (phrase only)
        "不要捏坏了。\n设备损坏要赔偿。",  # 捏坏 -> 捏坯, 损坏 stays
        "瞭解情况\n了解情况\n覆信\n覆盖全国",
        "國家數據局\n国家数据局\n\n發揮著重要作用",
        "隨著數據要素市場化配置改革深入推進，數據產業規模快速增長。",
    ],
)
@pytest.mark.parametrize("config", ["t2s", "hk2s", "tw2s"])
def test_trigger_lines_convert_exactly_like_whole_text(text: str, config: str) -> None:
    expected = opencc.OpenCC(config).convert(text)
    edits, warnings = script.script_edits(text, config)
    out = text
    for e in sorted(edits, key=lambda e: e.start, reverse=True):
        out = out[: e.start] + e.replacement + out[e.end :]
    assert out == expected and not warnings


def test_simplified_line_is_not_sent_to_opencc(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = script._convert

    def spy(converter, text: str):
        seen.append(text)
        return real(converter, text)

    monkeypatch.setattr(script, "_convert", spy)
    text = "国家数据局发布数据要素政策。\n" * 10 + "國家數據局\n" + "设备损坏要赔偿。\n" * 10
    edits, _ = script.script_edits(text, "t2s")
    assert seen == ["國家數據局"]
    assert [e.replacement for e in edits] == ["国", "数据"]


def test_without_trigger_data_the_whole_text_is_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(script, "script_triggers", lambda: None)
    text = "國家數據局\n他沈浸在工作中。"
    assert normalize_text(text) == "国家数据局\n他沉浸在工作中。"


def test_nul_does_not_cut_the_text_in_hk2s_and_tw2s() -> None:
    # OpenCC hk2s/tw2s drop everything after a NUL; the stage converts around it (the NUL is the
    # ``invisible`` sub-step's, switched off here so that the script step meets it)
    text = "國家\x00數據局發布"
    for config in ("hk2s", "tw2s", "t2s"):
        assert normalize_text(text, script=config, invisible=False) == "国家\x00数据局发布"
        assert normalize_text(text, script=config) == "国家数据局发布"


def test_trigger_file_matches_the_installed_opencc() -> None:
    data = json.loads(TRIGGERS_FILE.read_text(encoding="utf-8"))
    if data["opencc_version"] != opencc.__version__:
        pytest.skip("OpenCC version differs: the stage converts every line (tested above)")
    for config, sets in data["configs"].items():
        conv = opencc.OpenCC(config)
        alone = sets["alone"]
        # every listed character changes alone, and a sample of others does not
        assert conv.convert("\n".join(alone)).split("\n") != list(alone)
        assert all(conv.convert(c) != c for c in alone)
        assert all(conv.convert(k) == v for k, v in sets["phrases"].items())
        assert all(not any(c in alone for c in k) for k in sets["phrases"])
    assert "國" in data["configs"]["t2s"]["alone"] and "国" not in data["configs"]["t2s"]["alone"]


def test_alone_set_is_complete_for_cjk() -> None:
    data = json.loads(TRIGGERS_FILE.read_text(encoding="utf-8"))
    if data["opencc_version"] != opencc.__version__:
        pytest.skip("OpenCC version differs")
    conv = opencc.OpenCC("t2s")
    cps = [c for c in range(0x4E00, 0xA000)]
    out = conv.convert("\n".join(map(chr, cps))).split("\n")
    changed = {chr(c) for c, o in zip(cps, out) if o != chr(c)}
    assert changed <= set(data["configs"]["t2s"]["alone"])


def test_stage_output_unchanged_by_the_trigger_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    samples = sorted((ROOT.parent / "shared" / "samples").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in samples] or ["國家數據局,,發布\n沈浸"]
    fast = []
    for t in texts:
        s = TextState(raw=t)
        NormalizeStage()(s)
        fast.append((s.text, [r.to_dict() for r in s.records]))
    monkeypatch.setattr(script, "script_triggers", lambda: None)
    for t, (text, records) in zip(texts, fast):
        s = TextState(raw=t)
        NormalizeStage()(s)
        assert s.text == text
        assert [r.to_dict() for r in s.records] == records


def test_build_script_reproduces_the_phrase_list(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_triggers", ROOT / "scripts" / "build_opencc_triggers.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    tool = mod._clib() / "bin" / "opencc_dict"
    data = json.loads(TRIGGERS_FILE.read_text(encoding="utf-8"))
    if not tool.exists() or data["opencc_version"] != opencc.__version__:
        pytest.skip("opencc_dict not shipped with this OpenCC, or another version")
    assert mod.phrase_triggers("t2s", tmp_path) == data["configs"]["t2s"]["phrases"]
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", data["opencc_version"])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="國家數據局發揮著的，,。、！!？?；;：:（）()0123４５ＡＢ．：％ \t\u3000\n\r", max_size=60))
def test_flags_kept_through_the_stage_equal_fresh_ones(text: str) -> None:
    import policytext.stages.normalize as normalize_pkg

    state = TextState(raw=text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(normalize_pkg, "forget_flags", lambda: None)  # keep the carried flags
        mp.setattr(normalize_pkg, "_CARRY_FLAGS_CHARS", 0)  # carry them after every sub-step
        NormalizeStage()(state)
    cached = scan._cache
    assert cached is None or cached[0] is state.text or not state.text
    kept = scan.char_flags(state.text).tolist()
    scan._cache = None
    assert kept == scan.char_flags(state.text).tolist()


def test_stage_keeps_no_reference_to_the_document() -> None:
    state = TextState(raw="國家數據局,,發布")
    NormalizeStage()(state)
    assert scan._cache is None


def test_has_flags_answers_for_the_text_asked_about() -> None:
    from policytext.stages.normalize.scan import FLAG_ASCII_MARK, FLAG_FW_ALNUM, forget, has_flags

    forget()
    assert has_flags("国家数据局,发布", FLAG_ASCII_MARK)
    assert not has_flags("国家数据局，发布", FLAG_ASCII_MARK)
    assert has_flags("ＡＩ应用", FLAG_FW_ALNUM) and not has_flags("AI应用", FLAG_FW_ALNUM)
    assert not has_flags("", FLAG_ASCII_MARK)
    forget()
