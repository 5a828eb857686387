"""The repair stage's other fixes: whole-text CJK mojibake, ftfy Chinese-safe, pinyin, HTML, furniture."""

from __future__ import annotations

import pytest

from policytext.alignment import apply_edits
from policytext.stages.repair import (
    RepairStage,
    classify_line,
    find_html_remnants,
    find_injected_pinyin,
    find_latin_mojibake,
    find_page_furniture,
    find_whole_text_mojibake,
)
from policytext.state import TextState
from policytext.errors import code_of

CLEAN = "国家数据局发布数据要素市场化配置改革的最新进展。\n推动“数据要素×”行动，加快建设全国一体化数据市场。"
CLEAN_TRAD = "國家數據局發布數據要素市場化配置改革的最新進展。\n推動數據要素行動，加快建設全國一體化數據市場。"


def repair(text: str, **config) -> TextState:
    st = TextState(raw=text)
    RepairStage(**config)(st)
    return st


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def applied(text, edits):
    return apply_edits(text, edits)[0]


# --------------------------------------------------------------------------- whole-text CJK mojibake


@pytest.mark.parametrize(
    "clean,true,seen",
    [(CLEAN, "gbk", "big5"), (CLEAN_TRAD, "big5", "gb18030"), (CLEAN, "utf-8", "gb18030")],
)
def test_whole_text_confusions_reversed(clean, true, seen):
    damaged = clean.encode(true).decode(seen, errors="replace")
    assert damaged != clean
    st = repair(damaged)
    assert levenshtein(st.text, clean) <= 3  # a Big5/GBK byte pair with no twin is lost for good
    assert "mojibake_whole_text" in {r.edit.kind for r in st.records}
    assert any(code_of(w) == "W101" for w in st.warnings)


def test_utf8_read_by_a_lossy_gbk_decoder_is_mostly_recovered():
    # Python's own gbk codec drops bytes it cannot pair: those characters are lost, and said so
    damaged = CLEAN.encode("utf-8").decode("gbk", errors="replace")
    st = repair(damaged)
    assert levenshtein(st.text, CLEAN) <= len(CLEAN) // 4 < levenshtein(damaged, CLEAN)
    assert any(code_of(w) == "W101" and "could not be recovered" in w for w in st.warnings)


def test_bytes_a_gbk_codec_dropped_from_utf8_are_put_back_by_context():
    # Python's gbk codec drops any lead byte it cannot pair, not only 0x80 (as GB18030 does):
    # 个 (E4 B8 AA) loses AA, which 0x80 would turn into 一. 36 holes in this 2024 report text.
    report = ("第十四届全国人民代表大会第二次会议听取和审议了国务院总理李强所作的政府工作报告。会议充分肯定国务院过去一年的工作，"
              "同意报告提出的2024年经济社会发展总体要求、政策取向、主要目标和重点任务，决定批准这个报告。\n"
              "会议号召，全国各族人民要更加紧密地团结在以习近平同志为核心的党中央周围，全面贯彻落实党的二十大和二十届二中全会精神，"
              "深刻领悟“两个确立”的决定性意义，增强“四个意识”、坚定“四个自信”、做到“两个维护”。")
    damaged = report.encode("utf-8").decode("gbk", errors="replace")
    assert damaged.count("\ufffd") == 36
    st = repair(damaged)
    assert levenshtein(st.text, report) <= 6  # 21 with 0x80 put back everywhere
    assert "决定批准这个报告。" in st.text and "增强“四个意识”、坚定“四个自信”" in st.text


def test_utf8_as_gbk_classic_example():
    damaged = "数据".encode("utf-8").decode("gb18030")
    assert damaged == "鏁版嵁"
    st = repair(f"{damaged}{damaged}要素市场{damaged}".encode("utf-8").decode("utf-8"))  # noqa: UP012
    assert "数据" in applied(damaged * 4, find_whole_text_mojibake(damaged * 4))


def test_whole_text_leaves_clean_text():
    assert find_whole_text_mojibake(CLEAN) == []
    assert find_whole_text_mojibake(CLEAN_TRAD) == []


# --------------------------------------------------------------------------- western mojibake


def test_latin_mojibake_fixed():
    damaged = "數據要素市場".encode("utf-8").decode("latin-1")
    assert applied(damaged, find_latin_mojibake(damaged)) == "數據要素市場"
    st = repair("標題：" + "æ•¸æ“š".encode("cp1252", errors="replace").decode("cp1252") + "要素")
    assert st.text.startswith("標題：")


def test_ftfy_config_is_chinese_safe():
    text = "他说：“我们要发展‘新质生产力’。”\u3000全角ＡＢＣ，（一）"
    assert find_latin_mojibake(text) == []
    mixed = text + "數據".encode("utf-8").decode("latin-1")
    fixed = applied(mixed, find_latin_mojibake(mixed))
    assert fixed == text + "數據"


# --------------------------------------------------------------------------- pinyin


@pytest.mark.parametrize(
    "damaged,clean",
    [
        ("數(shù)據(jù)要素", "數據要素"),
        ("数（shù）据（jù）", "数据"),
        ("数据(shu4 ju4)安全", "数据安全"),
        ("數(shu)據(ju)", "數據"),
        ("行(háng)业", "行业"),
        ("重(chóng)庆", "重庆"),
    ],
)
def test_pinyin_removed(damaged, clean):
    st = repair(damaged)
    assert st.text == clean
    assert {r.edit.kind for r in st.records} == {"pinyin_injected"}


@pytest.mark.parametrize(
    "text",
    ["国内生产总值(GDP)", "信息通信技术(ICT)", "令牌(詞元)", "行动计划（2024—2026年）", "条款(a)项", "数(jù)据",
     "中国(China)", "第(一)项"],
)
def test_real_parentheses_kept(text):
    assert find_injected_pinyin(text) == []


# --------------------------------------------------------------------------- HTML remnants


def test_html_tags_and_entities():
    text = '<li id="44aaa"><tt id="44aaa"></tt></li>\n数据&nbsp;要素&amp;市场<br/>第二行&#8220;引号&#8221;'
    out = applied(text, find_html_remnants(text))
    assert out == "\n数据 要素&市场\n第二行“引号”"  # &nbsp; is an ordinary space, as in the html stage


@pytest.mark.parametrize("text", ["增长<5%，下降>3%", "R&D投入", "a<b且c>d", "《数据安全法》"])
def test_html_lookalikes_kept(text):
    assert find_html_remnants(text) == []


# --------------------------------------------------------------------------- page furniture


@pytest.mark.parametrize(
    "line,kind",
    [
        ("午夜无码福利18禁网站", "spam_line"),
        ("澳门葡京娱乐城 开户送88元", "spam_line"),
        ("分享到:", "share_widget"),
        ("【打印】【关闭窗口】", "share_widget"),
        ("首頁> 中國發展門戶網> 網上直播>", "breadcrumb"),
        ("【責任編輯:孔令瑤】", "template_byline"),
        ("版权所有 © 中国政府网 京ICP备05070218号", "copyright_footer"),
        ("新聞直播 要聞 國際 軍事 政協 政務 圖片 視頻", "nav_menu"),
        ("  •  ", "markup_residue"),
        ("- 上一个:数据中台与数据治理解决方案", "prev_next_link"),
        ("下一篇：数据治理六大关键领域重难点和应对策略!!", "prev_next_link"),
        # found in the robustness sweep of unseen page furniture
        ("澳门威尼斯人娱乐场 www.vns888.com 注册送彩金", "spam_line"),
        ("加微信abc123领取内部资料", "spam_line"),
        ("添加QQ：12345678 免费下载", "spam_line"),
        ("高清电影 www.example.top", "spam_line"),
        ("手机版 | English | 繁体", "share_widget"),
        ("无障碍浏览", "share_widget"),
        ("点击排行", "nav_menu"),
        ("免责声明", "nav_menu"),
    ],
)
def test_furniture_lines(line, kind):
    assert classify_line(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "【高質量完成“十四五”規劃系列主題新聞發布會】介紹“十四五”時期數字中國建設發展成就",
        "2025-08-15 10:30",
        "來源:中國網·中國發展門戶網",
        "國家發展改革委黨組成員、國家數據局局长 劉烈宏:",
        "## 第一章 总 则",
        "(一)主办单位和网站负责人的基本情况；",
        "第三章 打击色情和赌博活动",
        "壽小麗:",
        "# 娱乐场所管理条例",  # 娱乐场所 is not a casino
        "开设赌场罪",
        "请关注微信公众号“国家数据局”",
        "网站访问量：www.gov.cn",
    ],
)
def test_content_lines_kept(line):
    assert classify_line(line) is None


def test_menu_section_titles_go_with_the_menu():
    text = "LANGUAGES\n\n新聞\n\n新聞直播 要聞 國際 軍事 政協\n\n財經\n\n財經 金融 證券 汽車 科技\n\n標題在這裡\n\n正文。"
    edits = find_page_furniture(text)
    out = applied(text, edits)
    assert "新聞" not in out and "財經" not in out
    assert "標題在這裡" in out and "正文。" in out
    assert all(e.removal for e in edits)


def test_config_switches():
    st = repair("分享到:\n數(shù)據", furniture=False, pinyin=False)
    assert st.text == "分享到:\n數(shù)據"


# --------------------------------------------------------------------------- robustness

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as hst  # noqa: E402

_ALPHABET = hst.sampled_from(list("数據要素市场?!;,()（）<>&#;\n \u3000abcxyz0123shùjùé•\ue1a2\ue848鏁版嵁笆奈濉睍r€\ufffd"))


@settings(max_examples=150, deadline=None)
@given(hst.lists(_ALPHABET, max_size=60).map("".join))
def test_never_raises_and_keeps_provenance(text):
    st = repair(text)
    assert len(st.alignment) == len(st.text)
    for r in st.records:
        assert 0 <= r.raw_start <= r.raw_end <= len(text)


def test_menu_with_bar_separators_is_furniture():
    from policytext.stages.repair.furniture import classify_line

    assert classify_line("首页 | 要闻 | 政务 | 财经") is not None
    assert classify_line("首页｜要闻｜政务｜财经｜科技") is not None
    assert classify_line("数据 | 算力") is None  # too short to be a menu
    assert classify_line("甲方 | 乙方 | 丙方 | 合同金额100万元。") is None  # a sentence
