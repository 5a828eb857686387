"""Robustness fixes of the html and repair stages (adversarial sweep, docs/repair.md "Robustness sweep")."""

from __future__ import annotations

import importlib
import json
import random
from pathlib import Path

import pytest

from policytext.alignment import apply_edits
from policytext.state import TextState
from policytext.stages.html import HtmlStage, find_html_edits, looks_like_page
from policytext.stages.repair import RepairStage, find_injected_pinyin, find_page_furniture, find_whole_text_mojibake
from policytext.stages.repair.misaligned import find_misaligned_gbk

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"

LAW_TRAD = ("第四條 發生勞動爭議，勞動者可以與用人單位協商，也可以請工會或者第三方共同與用人單位協商，達成和解協議。\n"
            "第七十八條 公安機關、國家安全機關因履行反恐怖主義職責的緊急需要，根據國家有關規定，可以徵用單位和個人的財產。")
REPORT = ("保障人民群众安居乐业，是政府应尽的责任。要进一步落实社会治安综合治理各项措施，推进社会治安防控体系建设。"
          "严厉打击黑恶势力犯罪、严重暴力犯罪、多发性侵财犯罪、毒品犯罪等。加大对突出治安问题和治安混乱地区的整治力度。"
          "完善政法经费保障机制，为政法机关正常开展工作提供必要条件。")


def _apply(text, edits):
    return apply_edits(text, edits)[0]


def test_big5_read_with_gbk_codec_lost_lead_bytes_are_filled():
    # Python's gbk codec drops the lead byte of every pair it rejects: '，' (A1 41) shows as '\ufffdA'
    damaged = LAW_TRAD.encode("cp950").decode("gbk", errors="replace")
    assert damaged.count("\ufffd") > 10
    fixed = _apply(damaged, find_whole_text_mojibake(damaged))
    assert fixed.count("\ufffd") * 4 <= damaged.count("\ufffd")  # the rest: two holes in a row, too ambiguous
    assert "勞動者可以與用人單位協商，" in fixed and "根據國家有關規定，可以徵用單位和個人的財產。" in fixed


def test_lossy_question_marks_are_not_realigned():
    # characters lost when a page was saved in a codec that lacks them: nothing to realign
    for text in ("【?任??:王小明】\n2024-03-05 10:30 ?源：新?社\n", "國務院?于印?有?規劃的通知。中?政府网",
                 "不符合結算參與?條件的期?經營機?可以委託結算參與人代為其客戶進行結算。"):
        assert find_misaligned_gbk(text) == []


class _At:
    """A stand-in rng for ``damage_misaligned`` that damages exactly one position."""

    def __init__(self, n):
        self.n = n
        self.i = -1

    def random(self):
        self.i += 1
        return 0.0 if self.i == self.n else 1.0


def test_long_simplified_misaligned_run_with_folded_fullwidth_letters():
    from policytext.evaluation.repair import damage_misaligned

    damaged = damage_misaligned(REPORT, _At(REPORT.index("力犯罪")), every=2)
    assert damaged != REPORT and "?" in damaged
    st = TextState(raw=damaged)
    RepairStage()(st)
    assert "严厉打击黑恶势力犯罪、严重暴力犯罪、多发性侵财犯罪、毒品犯罪等" in st.text
    assert any(r.edit.kind == "mojibake_gbk_misaligned" for r in st.records)


def test_pinyin_seen_through_zero_width_characters():
    for text, gone in (("根據安全要求，設(sh\u200bè)置核設施", "(sh\u200bè)"), ("期貨經營機(jī\u200b)構", "(jī\u200b)"),
                       ("第\u00a0七(qī)條", "(qī)")):
        out = _apply(text, find_injected_pinyin(text))
        assert out == text.replace(gone, "")
    assert find_injected_pinyin("國內生產總值\u200b(GDP)增長5%") == []


def test_inline_widgets_and_scan_prompts_are_removed_not_the_line():
    text = ("2024-03-05 10:30 来源：新华社 【字体：大 中 小】 【打印本页】【关闭窗口】\n"
            "發佈時間：2024-03-05 來源：新華社 [字體：大 中 小]\n扫一扫在手机打开当前页\n"
            "用户可以调整字体大小，打印本页内容需经同意。\n")
    edits = find_page_furniture(text)
    assert all(e.removal for e in edits)
    out = _apply(text, edits)
    assert out == ("2024-03-05 10:30 来源：新华社\n發佈時間：2024-03-05 來源：新華社\n"
                   "用户可以调整字体大小，打印本页内容需经同意。\n")


PAGE = """<!DOCTYPE html><html><head><title>国务院关于进一步优化营商环境的意见</title>
<script>if (a < b) { x = "<p>"; }</script></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/z">政策</a></li><li><a href="/x">新闻</a></li><li><a href="/h">互动</a></li></ul>
<div id="top"><a href="/">首页</a><a href="/a">机构</a><a href="/b">新闻</a><a href="/c">政策</a><a href="/d">服务</a></div>
<h1>国务院关于进一步优化营商环境的意见</h1>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<table><tr><td>地区</td><td>项目数</td></tr><tr><td>北京</td><td>120</td></tr></table>
<ul><li>第一条 为了优化营商环境，制定本条例。</li><li>第二条 本条例所称营商环境。</li><li>第三条 国家持续深化简政放权。</li></ul>
</body></html>"""


def test_html_menus_cells_and_links_keep_their_word_boundaries():
    text = _apply(PAGE, find_html_edits(PAGE, document=True))
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    assert "首页 政策 新闻 互动" in " ".join(lines[0].split())
    assert "首页 机构 新闻 政策 服务" in [" ".join(x.split()) for x in lines]
    assert "地区 项目数" in [" ".join(x.split()) for x in lines]
    # a list of sentences is not a menu: its items stay on their own lines
    assert "第一条 为了优化营商环境，制定本条例。" in lines and "第二条 本条例所称营商环境。" in lines


def test_html_page_sent_as_plain_text_is_read_as_a_page_and_menus_removed():
    assert looks_like_page(PAGE) and not looks_like_page("<p>第一条</p> 正文 <br>")
    st = TextState(raw=PAGE)  # no is_html flag: a page saved as .txt
    HtmlStage()(st)
    RepairStage()(st)
    assert "if (a" not in st.text and "<" not in st.text
    assert "首页" not in st.text
    assert {r.edit.kind for r in st.removed} >= {"nav_menu"}
    assert "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：" in st.text
    for r in st.removed:
        assert PAGE[r.raw_start:r.raw_end]  # every removal maps to raw text


def test_no_edits_on_clean_official_text():
    path = SHARED / "cn_laws_regulations_lawrefbook" / "administrative_regulations.jsonl"
    if not path.exists():
        pytest.skip("../shared/data not available")
    rng = random.Random(1)
    n = 0
    html, repair = HtmlStage(), RepairStage()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line)["text_markdown"]
            if rng.random() < 0.5:
                text = text.translate(str.maketrans({"，": ",", "；": ";", "：": ":", "？": "?", "（": "(", "）": ")"}))
            st = TextState(raw=text)
            html(st)
            repair(st)
            kinds = {r.edit.kind for r in st.records} - {"html_comment"}
            assert not kinds, (kinds, [r.before for r in st.records][:5])
            n += len(text)
            if n > 400_000:
                break


# --------------------------------------------------------------------------- round 2


def test_gbk_and_big5_read_as_latin1_are_reversed_not_half_fixed_by_ftfy():
    import opencc

    simp = "国家数据局发布数据要素市场化配置改革的最新进展。\n推动“数据要素×”行动，加快建设全国一体化数据市场。"
    trad = opencc.OpenCC("s2t").convert(simp)
    for clean, damaged in ((simp, simp.encode("gbk").decode("latin-1")),
                           (simp, simp.encode("gbk").decode("cp1252", errors="replace")),
                           (trad, trad.encode("cp950").decode("latin-1"))):
        st = TextState(raw=damaged)
        RepairStage()(st)
        assert st.text == clean
        assert {r.edit.kind for r in st.records} == {"mojibake_whole_text"}
    # Western text and real UTF-8-as-cp1252 mojibake are unaffected
    for text in ("Société Générale et Crédit Agricole présentent leurs résultats.",):
        st = TextState(raw=text)
        RepairStage()(st)
        assert st.text == text
    importlib.import_module("ftfy.bad_codecs")  # registers sloppy-windows-1252

    st = TextState(raw=simp.encode("utf-8").decode("sloppy-windows-1252"))
    RepairStage()(st)
    assert st.text == simp and {r.edit.kind for r in st.records} == {"mojibake_latin"}


def test_half_damaged_line_keeps_its_clean_part():
    clean = "国务院关于进一步优化营商环境的意见，各地区各部门要认真贯彻落实，确保各项措施落地见效。"
    damaged = clean[:16] + clean[16:].encode("utf-8").decode("gb18030", errors="replace")
    edits = find_whole_text_mojibake(damaged + "\n" + damaged)
    out = _apply(damaged + "\n" + damaged, edits)
    for line in out.split("\n"):
        assert line.startswith(clean[:16])
        assert "认真贯彻落实，确保各项措施落地见效" in line


def test_utf8_read_as_gbk_keeps_line_final_full_stop():
    clean = "改革开放取得新进展。\n国务院召开常务会议。\n会议指出要加大工作力度。"
    damaged = "\n".join(x.encode("utf-8").decode("gb18030", errors="replace") for x in clean.split("\n"))
    out = _apply(damaged, find_whole_text_mojibake(damaged))
    assert out.count("。") >= 2 and "\u3000" not in out


def test_pinyin_written_together_or_capitalised():
    for text, gone in (("数据(shùjù)安全", "(shùjù)"), ("数据(Shù Jù)安全", "(Shù Jù)"), ("数据（ shù jù ）安全", "（ shù jù ）"),
                       ("公路的(Lù De)省级", "(Lù De)")):
        assert _apply(text, find_injected_pinyin(text)) == text.replace(gone, "")
    for text in ("华为(Huawei)公司", "习近平(Xi Jinping)", "人工智能(AI)", "信息通信技术(ICT)", "词元(Token)"):
        assert find_injected_pinyin(text) == []


def test_more_furniture_forms():
    text = ("【大】【中】【小】\n编辑：张三 审核：李四\n扫码关注\n点击数：88 【打印】 【关闭】\n【我要纠错】\n"
            "全年点击量：120万次，同比增长。\n编辑部：负责审稿。\n相关链接：\n中国政府网 国家发展改革委 国家数据局\n正文。\n"
            "来源：新华社 责任编辑：李四\n明确各级责任编辑：审核把关要求。\n")
    out = _apply(text, find_page_furniture(text))
    assert [x for x in out.split("\n") if x.strip()] == ["全年点击量：120万次，同比增长。", "编辑部：负责审稿。", "正文。",
                                                          "来源：新华社", "明确各级责任编辑：审核把关要求。"]


def test_html_form_controls_are_dropped():
    page = ("<html><body><form><input value=\"请输入关键字\"><button>搜索</button><select><option>政府网站</option>"
            "<option>地方政府网站</option></select></form><p>第一条 为了规范管理，制定本办法。</p></body></html>")
    text = _apply(page, find_html_edits(page, document=True))
    assert " ".join(text.split()) == "第一条 为了规范管理，制定本办法。"


def test_misaligned_gbk_with_replacement_character_orphans():
    # a Python scraper (errors="replace") shows the orphan byte as U+FFFD instead of '?'
    from policytext.evaluation.repair import damage_misaligned

    damaged = damage_misaligned(REPORT, _At(REPORT.index("力犯罪")), every=2).replace("?", "\ufffd")
    st = TextState(raw=damaged)
    RepairStage()(st)
    assert "严厉打击黑恶势力犯罪、严重暴力犯罪、多发性侵财犯罪、毒品犯罪等" in st.text
    # clean text with scattered U+FFFD (decode errors) gets no mojibake edit
    rng = random.Random(0)
    noisy = "".join(c + ("\ufffd" if rng.random() < 0.02 else "") for c in REPORT + LAW_TRAD)
    assert find_misaligned_gbk(noisy) == []


def test_furniture_seen_through_zero_width_characters():
    text = "\u3000\u3000掃一\u200b掃在手機打開當前頁\n\u3000\u3000【字體：大 \u200b中 小】\n各地區要認真貫徹落實。\n"
    out = _apply(text, find_page_furniture(text))
    assert [x.strip("\u3000") for x in out.split("\n") if x.strip()] == ["各地區要認真貫徹落實。"]
