"""The repair stage through the stage API: TextState -> RepairStage -> text, records, warnings."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from policytext.stages.base import create_text_stage, text_stage_factories
from policytext.errors import code_of
from policytext.stages.repair import RepairStage
from policytext.state import TextState

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"
MOJIBAKE_KINDS = {"mojibake_whole_text", "mojibake_gbk_misaligned", "mojibake_lost_byte", "mojibake_unrepaired",
                  "pinyin_injected"}
PUA = re.compile(r"[\ue000-\uf8ff]")


def repair(text: str, **config) -> TextState:
    st = TextState(raw=text)
    RepairStage(**config)(st)
    return st


def kinds(st: TextState) -> list[str]:
    return [r.edit.kind for r in st.records]


def sample(prefix: str) -> str:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples not available")
    files = sorted(SAMPLES.glob(f"{prefix}_*.txt"))
    if not files:
        pytest.skip(f"sample {prefix} not available")
    return files[0].read_text(encoding="utf-8")


# --------------------------------------------------------------------------- registry


def test_registered_with_defaults():
    assert "repair" in text_stage_factories()
    st = create_text_stage("repair")
    assert isinstance(st, RepairStage) and st.name == "repair"
    with pytest.raises(ValueError):
        RepairStage(no_such_setting=1)


def test_clean_text_untouched():
    text = "国务院新闻办公室今天举行新闻发布会。他说：“我们要发展‘新质生产力’。”\u3000全角ＡＢＣ，数据（GDP）增长5%。"
    st = repair(text)
    assert st.text == text and st.records == []


# --------------------------------------------------------------------------- sample 002


@pytest.fixture(scope="module")
def s002():
    raw = sample("002")
    st = TextState(raw=raw)
    RepairStage()(st)
    return raw, st


def test_002_no_private_use_left_and_each_one_explained(s002):
    raw, st = s002
    assert PUA.search(raw)  # the sample does have them
    assert not PUA.search(st.text)
    mojibake = [r for r in st.records if r.edit.kind.startswith("mojibake")]
    for m in PUA.finditer(raw):
        assert any(r.raw_start <= m.start() < r.raw_end for r in mojibake), f"U+{ord(m.group()):04X} at {m.start()}"


def test_002_spans_repaired(s002):
    _, st = s002
    for phrase in (
        "感謝各位對數據工作的關心和支持。“十四五”時期",
        "我們認為規模化流通是關鍵",
        "規模化流通的一個重要前提",
        "《政務數據共享條例》出臺實施",
        "有力保障了醫保基金的安全。",
        "取得了顯著成效。總體可以概括",
        "布局了16個省（區、市)",
        "為數據規模化跨域流通奠定設施基礎",
        "“十四五”期間,我們制定下發了",
    ):
        assert phrase in st.text, phrase
    # no orphan '?' left glued between Han characters except real question marks before 謝謝 etc.
    assert "?!" not in st.text and "?;" not in st.text and "??" not in st.text
    assert any(code_of(w) == "W104" for w in st.warnings)


def test_002_unrecoverable_character_is_flagged_not_silent(s002):
    _, st = s002
    # 電子社保卡: the trail byte of 卡 is lost; the stage fills 保 and leaves a flagged placeholder
    holes = [r for r in st.records if r.edit.replacement == "\ufffd"]
    assert holes and all(r.edit.confidence <= 0.2 for r in holes)
    assert "電子社保\ufffd" in st.text
    assert any(code_of(w) == "W104" and "U+FFFD" in w for w in st.warnings)


def test_002_speech_body_survives(s002):
    raw, st = s002
    for phrase in (
        "國家發展改革委黨組成員、國家數據局局長 劉烈宏:",
        "2025-08-14 10:00:28",
        "5G基站總數與2020年相比增長了5倍達到455萬個",
        "【高質量完成“十四五”規劃系列主題新聞發布會】介紹“十四五”時期數字中國建設發展成就",
        "來源:中國網·中國發展門戶網",
        "謝謝各位記者朋友的參與,今天的新聞發布會就到這里。大家再見!",
    ):
        assert phrase in st.text, phrase
    # nearly all the Han text is still there
    han = lambda s: len(re.findall(r"[\u4e00-\u9fff]", s))  # noqa: E731
    assert han(st.text) > 0.95 * han(raw)


def test_002_furniture_and_spam_removed(s002):
    _, st = s002
    for junk in ("午夜无码福利18禁网站", "新聞直播 要聞", "財經 金融 證券", "分享到", "鏈接已復制", "返回頂部",
                 "責任編輯", "首頁>", "LANGUAGES", "<li", "</tt>"):
        assert junk not in st.text, junk
    removed = {r.edit.kind for r in st.removed}
    assert {"spam_line", "nav_menu", "share_widget", "breadcrumb", "template_byline"} <= removed
    spam = [r for r in st.removed if r.edit.kind == "spam_line"]
    assert spam and "无码" in spam[0].before
    assert all(r.edit.removal for r in st.removed)


def test_002_edit_records_point_at_raw(s002):
    raw, st = s002
    for r in st.records:
        if r.edit.kind in ("mojibake_gbk_misaligned", "mojibake_lost_byte"):
            assert raw[r.raw_start : r.raw_end] == r.before
            d = r.to_dict()
            assert d["stage"] == "repair" and 0 < d["confidence"] <= 1 and "after" in d


def test_001_previous_next_links_removed_body_kept():
    raw = sample("001")
    st = repair(raw)
    assert "上一个:" not in st.text and "下一个:" not in st.text
    assert {r.edit.kind for r in st.removed} == {"prev_next_link"}
    assert len(st.text) > 0.98 * len(raw)


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_other_samples_get_no_mojibake_or_pinyin_edits(prefix):
    st = repair(sample(prefix))
    assert not set(kinds(st)) & MOJIBAKE_KINDS


# --------------------------------------------------------------------------- misaligned GBK


def test_issue_example_misaligned_span():
    st = repair("我國數據產業規??焖僭鲩L期,前景廣闊。")
    assert "規模快速增長期" in st.text
    assert {"mojibake_gbk_misaligned", "mojibake_lost_byte"} <= set(kinds(st))


class _HitOnce:
    """A stand-in for random.Random: damage exactly the n-th eligible character."""

    def __init__(self, n: int):
        self.n = n

    def random(self) -> float:
        self.n -= 1
        return 0.0 if self.n == 0 else 1.0


@pytest.mark.parametrize(
    "clean,n",
    [
        ("感謝各位對數據工作的關心和支持。“十四五”時期,我國牢牢把握數字化發展機遇。", 15),
        ("我們認為規模化流通是關鍵。實現規模化流通的一個重要前提就是建立共識。", 6),
        ("醫保部門有力保障了醫保基金的安全。從地方看,一些城市開展政企數據合作。", 11),
    ],
)
def test_misaligned_damage_built_from_clean_text_is_reversed(clean, n):
    from policytext.evaluation.repair import damage_misaligned

    damaged = damage_misaligned(clean, _HitOnce(n))
    assert damaged != clean and "?" in damaged
    st = repair(damaged)
    assert not PUA.search(st.text)
    if st.text != clean:
        # at most the one character whose byte was lost may be filled with another reading
        # (地方看 -> 地方可: 方可 is common in official text); it is then a lost-byte edit
        assert len(st.text) == len(clean)
        diff = [i for i, (a, b) in enumerate(zip(st.text, clean)) if a != b]
        assert len(diff) == 1, (damaged, st.text)
        assert any(r.edit.kind == "mojibake_lost_byte" and r.start <= diff[0] < r.end for r in st.records)


@pytest.mark.parametrize(
    "text",
    [
        "能否進一步介紹數據產業的發展情況?謝謝。",
        "這是為什么?AI將改變很多行業。",
        "情况怎么样?\n\n好的。",
        "真的吗??我们不知道。",
        "网址https://www.gov.cn/a?id=3 已发布。",
    ],
)
def test_real_question_marks_untouched(text):
    st = repair(text)
    assert st.text == text, st.records


def test_no_false_positives_with_random_question_marks():
    rng = random.Random(7)
    base = ("各地区各部门要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，"
            "着力推动高质量发展，更好统筹发展和安全，推动经济实现质的有效提升和量的合理增长。") * 20
    out = []
    for ch in base:
        out.append(ch)
        if rng.random() < 0.05:
            out.append("?")
    text = "".join(out)
    st = repair(text)
    assert not set(kinds(st)) & MOJIBAKE_KINDS


def test_unrepairable_private_use_is_flagged():
    st = repair("這是一段\ue1a2\ue2ae無法修復的文字。")
    assert "\ue1a2" not in st.text and "\ufffd\ufffd" in st.text
    rec = [r for r in st.records if r.edit.kind == "mojibake_unrepaired"]
    assert rec and rec[0].edit.confidence < 0.2
    assert any(code_of(w) == "W105" for w in st.warnings)
