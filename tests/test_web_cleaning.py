"""Cleaning that holds on scraped web pages (issue 17): one test per failure class.

The fragments are written for these tests in the style of the pages (the scraped pages
themselves are not in the repository); ``python -m policytext.evaluation.web`` measures the
classes on the held-out labelled pages.
"""

from __future__ import annotations

import re

import pytest

import policytext
from policytext.stages.base import create_text_stage
from policytext.errors import code_of
from policytext.stages.repair import classify_line
from policytext.stages.repair.furniture import find_inline_spam, find_page_furniture
from policytext.stages.repair.line_model import CLASSES, FEATURES, line_features, load_line_model
from policytext.stages.repair.western import is_latin_script
from policytext.state import TextState

from cleaning_helpers import clean, repair


# --------------------------------------------------------------------------- pinyin variants


@pytest.mark.parametrize(
    "damaged, expected",
    [
        ("國(guo)家(jia)發(fa)展(zhan)改(gai)革(ge)委(wei)", "國家發展改革委"),  # toneless on every character
        ("煤(mei)電(dian)(dian)(dian)容(rong)量電(dian)(dian)價(jia)", "煤電容量電價"),  # repeated annotations
        ("數(shù)(shu)據(jù)(ju)資源", "數據資源"),  # doubled, two styles
        ("數(shù)🔥據(jù)資源", "數🔥據資源"),  # an emoji between annotated characters
        ("發★(fā)展(zhǎn)", "發★展"),  # a symbol between a character and its annotation
        ("中【zhōng】央宣传部今日", "中央宣传部今日"),  # other brackets
        ("國(guó)家?(shù)據(jù)局", "國家?據局"),  # an annotation sitting on a garbled character
    ],
)
def test_pinyin_variants_removed(damaged, expected):
    assert repair(damaged).text == expected


def test_line_of_bare_pinyin_removed_with_reason():
    st = repair("会议指出，要加快发展。\nzhōng huá rén mín gòng hé guó guó wù yuàn\n会议强调，要抓好落实。\n")
    assert "zhōng" not in st.text and "会议强调" in st.text
    (rec,) = st.removed
    assert rec.edit.kind == "pinyin_junk" and rec.edit.confidence > 0


@pytest.mark.parametrize(
    "text",
    [
        "新一轮千亿斤粮食产能提升行动方案(2024-2030年)",
        "《残疾人就业保障金征收使用管理办法（试行）》",
        "按照《标准化工作导则》(GB/T 1.1—2020)执行",
        "新增耕地面积120公顷(ha)，道路里程35公里(km)",
        "华为(Huawei)与新华社(Xinhua)",
        "(a) 第一项；(b) 第二项",
    ],
)
def test_real_parentheses_survive(text):
    assert repair(text).text == text


# --------------------------------------------------------------------------- furniture and spam


@pytest.mark.parametrize(
    "line, kind",
    [
        ("点击查看原文", "share_widget"),
        ("阅读全文", "share_widget"),
        ("视频简介", "share_widget"),
        ("下载APP", "share_widget"),
        ("扫码下载客户端", "share_widget"),
        ("登录", "share_widget"),
        ("1288人看过", "share_widget"),
        ("评论 0人参与,0条评论", "share_widget"),
        ("设计：王小明", "template_byline"),
        ("新华社国内部出品", "template_byline"),
        ("有效性：有效", "copyright_footer"),
        ("客服热线：400-000-0000", "copyright_footer"),
        ("违法和不良信息举报电话：12377", "copyright_footer"),
        ("图片来源于网络，如有侵权请联系删除。", "copyright_footer"),
        ("本站部分文字内容、图片由网友投稿，如侵权请联系删除，联系邮箱：abc@example.com", "copyright_footer"),
        ("某某日报社主管 某某杂志社主办", "copyright_footer"),
        ("猜你喜欢", "nav_menu"),
        ("EN", "nav_menu"),
        ("https://www.gov.cn/", "nav_menu"),
        ("• 索引号:", "page_metadata"),
        ("2024年11月22日 星期五", "share_widget"),
        ("字號:默認 超大 | 打印 |", "share_widget"),
        ("日韩精品视频_无码高清_午夜福利影院_成人免费在线观看", "spam_line"),
        ("国产精品丨久久久丨免费观看丨一区二区不卡", "spam_line"),
        ("亚洲av在线,久久精品,午夜影院,福利视频在线", "spam_line"),
        ("某某娱乐首页", "spam_line"),
        ("本站小编为你精心准备了政府工作报告参考范文，愿这些范文能点燃您思维的火花。", "spam_line"),
    ],
)
def test_furniture_and_spam_classes(line, kind):
    assert classify_line(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "关键词：数字经济；数据要素；公共数据",  # keyword lines are content
        "关键词 数字经济 数据要素 公共数据 开发利用",
        "数据要素 公共数据 开发利用 授权运营",  # a space-separated word list is not a menu row
        "对于这个国家，国务院常务会议意味着什么？",
        "第三十七条 县级以上人民政府统计机构应当设立举报电话和信箱，接受社会各界的监督。",
        "（十三）旅游服务监督、投诉电话；",
        "来源：新华社",
        "壽小麗:",
    ],
)
def test_content_is_never_furniture(line):
    assert classify_line(line) is None
    assert not find_page_furniture("会议指出，要加快发展，推动高质量发展。\n" + line + "\n会议强调，要抓好落实。\n")


def test_recommended_block_after_the_article_removed():
    text = ("会议强调，要做好工作。\n\n会议要求，各地各部门要抓好落实，确保取得实效。\n\n会议还研究了其他事项。\n\n"
            "推荐视频\n\n01:06\n某地通报一起事件\n一眼看天下2026/03/16\n01:15\n某地外贸喜迎开门红\n")
    st = repair(text)
    assert st.text.rstrip().endswith("会议还研究了其他事项。")
    assert all(r.edit.kind == "nav_menu" for r in st.removed)


def test_spam_replacing_a_subject_inside_a_sentence_removed_and_recorded():
    text = "6月20日晚6时，开云手机官网入口·(中国)官方网站召开第七次常务会议。拨打12345平台热线。"
    (e,) = find_inline_spam(text)
    assert text[e.start:e.end] == "开云手机官网入口·(中国)官方网站" and e.removal and e.kind == "spam_inline"


def test_menu_glued_to_spam_is_spam():
    assert classify_line("首页 | 新闻 | 日韩无码视频_午夜福利影院_成人免费在线观看_一区二区不卡") == "spam_line"


# --------------------------------------------------------------------------- never emptied


@pytest.mark.parametrize("text", ["[x]\u00a0©", "首页 > 新闻 > 正文", "Ã¦Â°Â» Ã¦Â»Â» ÂÂ©", "»» ›› ©"])
def test_a_whole_input_is_never_emptied_silently(text):
    st = repair(text)
    assert st.text.strip() or any(code_of(w) == "W106" for w in st.warnings)
    if re.search(r"[^\W_]", text):
        assert re.search(r"[^\W_]", st.text)


def test_html_stage_warns_when_nothing_is_left():
    st = TextState(raw="<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>")
    create_text_stage("html")(st)
    assert not st.text.strip() and any(code_of(w) == "W401" for w in st.warnings)


# --------------------------------------------------------------------------- markup remnants


def test_markdown_image_and_table_debris_removed():
    st = clean("## 政策要点\n\n![图片](https://example.com/a.png)\n\n| ![]() |\n\n会议指出，要加快发展。\n")
    assert "![" not in st.text and "|" not in st.text and "会议指出" in st.text


def test_entities_escaped_twice_and_small_forms():
    st = repair("R&amp;amp;D 投入﹐增长﹔效益提升﹒")
    assert st.text == "R&D 投入，增长；效益提升。"


# --------------------------------------------------------------------------- mojibake


def test_gbk_page_read_as_latin1_reversed():
    clean_text = "数据资源已成为数字中国建设的关键生产要素。\n我国各行业都在积极研究向数字化转型。"
    damaged = clean_text.encode("gbk").decode("latin-1")
    assert repair(damaged).text == clean_text


def test_question_mark_damage_flagged_where_it_stands():
    raw = "????數字經濟發展規劃\n會議指出，要加快發展。\n?三個代表?重要思想"
    st = repair(raw)
    spans = [tuple(map(int, m.groups())) for w in st.warnings if code_of(w) in ("W107", "W108") for m in re.finditer(r"at raw \[(\d+), (\d+)\)", w)]
    assert any(a <= 0 < b for a, b in spans)  # ???? at the line start
    assert any(a <= raw.index("?三") < b for a, b in spans)  # a ? opening a line


def test_rare_run_left_by_mojibake_flagged():
    st = repair("用充分发挥！∫庖妵@深化数据要素改革。")
    assert any(code_of(w) == "W107" and "rare run" in w for w in st.warnings)


# --------------------------------------------------------------------------- Latin-script text


@pytest.mark.parametrize("line", ["Ôôô VIDA MINHA", "ESSE CARA AI QUEM É¿", "C O N C L U S Ã O", "NESTLÉ® requiere personal"])
def test_latin_text_is_never_read_as_chinese_bytes(line):
    assert is_latin_script(line)
    assert repair(line).text == line
    text = f"国务院常务会议召开。\n{line}\n会议指出，要深化改革。"
    assert repair(text).text == text


def test_latin_mojibake_fixed_like_ftfy():
    import ftfy

    from policytext.evaluation.web import western_cases

    for text, _ in western_cases():
        assert repair(text).text == ftfy.fix_encoding(text), text


# --------------------------------------------------------------------------- line joins and sentences


def test_word_broken_over_a_blank_line_joined():
    st = clean("现在，我代表国务院，向大会报告政府工作，请予审议，这是一份重要的报\n\n告。会议指出，要加快发展。")
    assert "重要的报告。" in st.text


def test_paragraphs_without_final_punctuation_not_joined():
    st = clean("会议指出，要深化改革，扩大开放，推动经济持续向好\n\n会议强调，要抓好各项工作落实。")
    assert "向好\n" in st.text


def test_keyword_line_not_glued_to_next_line():
    st = clean("关键词：数字经济；数字强国；发展战略\n\n一、数字经济的内涵与特征\n")
    assert "发展战略\n" in st.text


def test_sentence_not_split_after_a_title_with_an_exclamation():
    nlp = policytext.load(stages=["sentences"])
    text = "他在《决不让一个人掉队！》一文中指出，要加强保障。会议强调（这是重点！）要做好工作。"
    units = [text[s["start"]:s["end"]] for s in nlp(text).to_dict()["sentences"]]
    assert units == ["他在《决不让一个人掉队！》一文中指出，要加强保障。", "会议强调（这是重点！）要做好工作。"]


# --------------------------------------------------------------------------- the line classifier


def test_line_model_loads_and_scores():
    model = load_line_model()
    assert model is not None and model.classes == CLASSES
    lines = ["国务院常务会议召开", "会议指出，要加快构建新发展格局，推动高质量发展，扎实推进共同富裕。", "点赞", "收藏"]
    P = model.proba(line_features(lines, [None] * len(lines), model.corpus_repeats))
    assert P.shape == (4, len(CLASSES)) and abs(P.sum(axis=1) - 1).max() < 1e-9
    assert P[1, 0] > 0.9  # body text is content


def test_model_removals_keep_reason_and_confidence():
    text = "会议指出，要加快发展，推动高质量发展。\n\n分享到微信朋友圈 ×\n\n会议强调，要抓好落实，确保取得实效。\n"
    for e in find_page_furniture(text):
        assert e.removal and e.kind and 0 < e.confidence <= 1 and e.note


def test_labels_are_references_not_texts():
    from policytext.evaluation.web import LABELS_PATH, load_labels

    labels = load_labels(LABELS_PATH)
    assert len(labels) >= 1800 and {x.label for x in labels} <= {"content", "furniture", "spam", "pinyin_junk", "unsure"}
    assert all(re.fullmatch(r"w\d{3}", x.page) and re.fullmatch(r"[0-9a-f]{8}", x.sha) for x in labels)
    train = {x.page for x in labels if x.split == "train"}
    dev = {x.page for x in labels if x.split == "dev"}
    test = {x.page for x in labels if x.split == "test"}
    assert train and dev and test and not train & test and not dev & test and not train & dev  # by page
    assert len(FEATURES) == len(load_line_model().mean)


# --------------------------------------------------------------------------- the evaluator's own detectors


def test_evaluator_detectors():
    from policytext.evaluation.web import garbage_spans, pinyin_left, real_parentheses

    assert len(pinyin_left("國(guó)家發展 中【zhōng】央\nzhōng huá rén mín gòng hé guó\n")) == 3
    assert pinyin_left("华为(Huawei) 国内生产总值(GDP) 方案(2024年) (a) 项")== []
    line = "數(shù)據(shu)(shu) 办法（试行） (GB/T 1.1) 考慮(lv)"
    assert [line[a:b] for a, b in real_parentheses(line)] == ["（试行）", "(GB/T 1.1)"]
    text = "????數字 ?。ㄒ唬 正常文本 Ã© 睂τ陉 \ufffd"
    got = [text[a:b] for a, b in garbage_spans(text)]
    assert "????" in got and "Ã©" in got and "\ufffd" in got and any("睂" in g for g in got)
    assert garbage_spans("会议指出，要加快发展。赵辰昕说：“好！”") == []


# --------------------------------------------------------------------------- link lists and site names


def _removed(text: str) -> list[str]:
    return [text[e.start:e.end].strip() for e in find_page_furniture(text, use_model=False) if e.removal]


def test_list_of_headlines_above_the_article_removed_title_kept():
    links = ["多地出台措施支持民营企业扩大投资", "新一代人工智能产业创新中心揭牌运行", "全国铁路暑运发送旅客创历史新高",
             "首届数字经济博览会在杭州开幕", "城市更新试点项目名单正式公布"]
    title = "国务院常务会议部署推进数据要素市场化配置改革"
    text = "\n\n".join(links + [title, "发布时间：2024-07-05 来源：新华社",
                                "会议指出，要加快推进数据要素市场化配置改革，释放数据要素价值。"]) + "\n"
    assert _removed(text) == links
    assert title in repair(text).text


def test_title_with_subtitles_is_not_a_link_list():
    deck = ["国务院常务会议召开", "部署进一步扩大有效投资的措施", "确定促进消费持续恢复的政策举措", "通过有关行政法规草案"]
    text = "\n".join(deck) + "\n会议指出，要抓好政策落实，推动经济持续回升向好。\n"
    assert _removed(text) == []


def test_site_name_next_to_furniture_removed():
    body = "\n\n政府工作报告解读\n\n会议指出，要加快发展新质生产力，扎实推进高质量发展。\n"
    text = "光明网\n\n首页 | 要闻 | 时政 | 财经 | 评论\n" + body
    assert _removed(text) == ["光明网", "首页 | 要闻 | 时政 | 财经 | 评论"]
    assert _removed("光明网" + body) == []  # no furniture on the page: a line of text, kept
    kept = "工业互联网\n\n首页 | 要闻 | 时政 | 财经 | 评论\n推动工业互联网创新发展，加快建设工业互联网平台体系。\n"
    assert _removed(kept) == ["首页 | 要闻 | 时政 | 财经 | 评论"]


def test_menu_laid_out_one_word_a_line_removed():
    words = ["网站首页", "机构概况", "政务公开", "办事服务", "互动交流"]
    text = "\n".join(words) + "\n会议指出，要加快发展新质生产力，扎实推进高质量发展。\n"
    assert _removed(text) == words
    terms = "数据要素市场化配置改革的主要任务有：\n" + "\n".join(words) + "\n"
    assert _removed(terms) == []  # after a line of text: a list of terms, kept


def test_label_agreement_kappa_counts_pairs_of_passes():
    """``evaluation.web.agreement``: Cohen's kappa of two labelling passes, and the stored second pass."""
    from policytext.evaluation.web import LineLabel, agreement, load_labels, LABELS_PATH

    a = [LineLabel("w1", "test", i, "x", lab) for i, lab in enumerate(["content", "furniture", "content", "spam"])]
    b = [LineLabel("w1", "test", i, "x", lab) for i, lab in enumerate(["content", "furniture", "furniture", "spam"])]
    n, observed, kappa = agreement(a, b)["labels"]
    assert n == 4 and observed == 0.75 and 0.5 < kappa < 0.75
    assert agreement(a, a)["labels"][2] == 1.0
    second = load_labels(LABELS_PATH.with_name("labels_second.tsv"))
    assert len(second) == 364 and agreement(load_labels(), second)["garbage"][2] > 0.9


# --------------------------------------------------------------------------- classes added after the re-split (dev pages)


@pytest.mark.parametrize(
    "line, kind",
    [
        ("Ask about this article", "share_widget"),
        ("Read the full story", "share_widget"),
        ("Answers to your question about this report will be displayed here ...", "copyright_footer"),
        ("原文链接：https://www.example.com/news/2024/0305/123.html", "share_widget"),
        ("• 单位", "page_metadata"),  # a field label after a bullet, its colon left out
        ("分享", "share_widget"),
        ("分享到微信朋友圈 ×", "share_widget"),
        ("国务院政策例行吹风会，让世界更了解中国的相关文章", "nav_menu"),
        ("提示：本文部分内容由AI生成，仅供参考，请以官方发布为准。", "copyright_footer"),
        ("每日早间新闻精选，点击「听新闻」，一键收听。", "copyright_footer"),
    ],
)
def test_widget_notice_and_label_classes(line, kind):
    assert classify_line(line) == kind


@pytest.mark.parametrize("line", ["来源：https://www.gov.cn/zhengce/content/2024.htm", "国发〔2024〕7号",
                                  "本文由国务院新闻办公室提供。"])
def test_source_lines_and_field_values_stay(line):
    assert classify_line(line) is None


def test_recommended_block_items_with_marks_times_and_durations_removed():
    body = "会议强调，要做好工作。\n\n会议要求，各地各部门要抓好落实，确保取得实效。\n\n会议还研究了其他事项。\n\n"
    block = ["推荐视频", "01:06", "某地外贸喜迎开门红!增速创新高", "快评2天前", "02:42", "这项改革为何牵动人心?", "时讯3天前"]
    st = repair(body + "\n".join(block) + "\n")
    assert st.text.rstrip().endswith("会议还研究了其他事项。")


def test_icon_glyph_next_to_widgets_removed_ellipsis_kept():
    text = "登录\n\n⁺\n\n收藏\n\n会议指出，要加快发展。\n\n……\n\n会议强调，要抓好落实。\n"
    assert _removed(text) == ["登录", "⁺", "收藏"]


def test_site_banner_with_channel_words_at_the_top_removed():
    body = "\n\n县政府工作报告\n\n各位代表：现在，我代表县人民政府，向大会作政府工作报告，请予审议。\n"
    assert _removed("某某范文网 资料文库 工作报告" + body) == ["某某范文网 资料文库 工作报告"]
    assert _removed("新华网 北京 3月5日电" + body) == []  # a dateline
    assert _removed("人民日报 记者 张三" + body) == []  # a byline
    assert _removed("县政府工作报告" + body) == []


def test_model_never_removes_document_or_standard_numbers():
    from policytext.stages.repair.line_model import model_removable

    assert not model_removable("镇政发〔2024〕7号") and not model_removable("GB/T 26341-2010 残疾人残疾分类和分级")
    assert not model_removable("张三 | 政策执行中的“一刀切”现象：一个制度主义的分析")  # a byline and a title
    assert model_removable("分享")


@pytest.mark.parametrize(
    "line, kind",
    [
        ("编辑：张三 | 审核：李四", "template_byline"),
        ("阅读 1.2万", "share_widget"),
        ("10w+阅读", "share_widget"),
        ("声明：本文仅代表作者观点，不代表本平台立场。", "copyright_footer"),
        ("长按识别二维码关注我们", "copyright_footer"),
        ("往期回顾", "nav_menu"),
        ("返回列表", "share_widget"),
        ("【纠错】", "share_widget"),
        ("技术支持：某某科技有限公司", "copyright_footer"),
        ("官方微博", "share_widget"),
    ],
)
def test_more_widget_credit_and_media_matrix_classes(line, kind):
    assert classify_line(line) == kind


@pytest.mark.parametrize("line", ["全市接待游客1.2万人次", "微信公众号“某某发布”正式上线运行。", "2024年阅读推广活动",
                                  "本办法自2024年1月1日起施行。"])
def test_counters_and_account_names_inside_text_stay(line):
    assert classify_line(line) is None


# --------------------------------------------------------------------------- GBK one byte off inside pinyin-injected text


def _split_by_annotation(before: str, word: str, syllable: str) -> str:
    """``before`` + ``word`` as a page shows it when an annotation ``(syllable)`` was injected
    between the two GBK bytes of ``word``'s first character and the decoder swallowed the ``(``
    with the lead byte (``?``): the bytes after the annotation are read one byte off."""
    rest = word.encode("gbk")[1:]
    return before + "?" + syllable + ")" + rest.decode("gbk", errors="replace")


def test_misaligned_gbk_after_an_annotation_realigned():
    raw = _split_by_annotation("化解(jiě)當(dāng)", "地居民的沖突", "shù") + "。"  # 沖 = 9B 5F: back in step at "_"
    assert "?shù)" in raw and "地居民" not in raw
    st = repair(raw)
    assert st.text == "化解當地居民的沖突。"
    assert any(r.edit.kind == "mojibake_gbk_misaligned" for r in st.records)


def test_orphan_annotation_that_cannot_be_realigned_is_flagged_where_it_stands():
    raw = "記者會的交替?zhèn)髯g比平日難度更大。"  # one realigned character only: too little evidence
    st = repair(raw)
    (w,) = [w for w in st.warnings if "orphan annotation" in w]
    assert f"at raw [{raw.index('?')}, {raw.index('?') + 6})" in w
    assert not [w for w in repair("問題?ok)好的。").warnings if "orphan" in w]
