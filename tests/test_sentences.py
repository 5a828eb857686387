"""Sentence splitting rules (pure functions): each rule with positive and negative cases."""

from __future__ import annotations

import re

import pytest

from policytext.components.sentences import find_turns, parse_timestamp, split_sentences


def units(text: str, **kw) -> list[str]:
    return [text[u["start"]:u["end"]] for u in split_sentences(text, **kw)]


def typed(text: str, **kw) -> list[tuple[str, str]]:
    return [(text[u["start"]:u["end"]], u["type"]) for u in split_sentences(text, **kw)]


# --- ends ---------------------------------------------------------------------------------------


def test_terminal_marks_full_width_and_ascii():
    assert units("数据是基础。要加快！能做到吗？能!真的?是的。") == [
        "数据是基础。", "要加快！", "能做到吗？", "能!", "真的?", "是的。"]


def test_ellipsis_ends_a_sentence():
    assert units("发展还面临不少困难……下一步，我们将重点做好三件事。") == [
        "发展还面临不少困难……", "下一步，我们将重点做好三件事。"]


def test_ellipsis_inside_a_sentence_does_not_end_it():
    assert units("芯片、操作系统……等关键领域取得突破。") == ["芯片、操作系统……等关键领域取得突破。"]
    assert units("这很重要……，我们要做好。") == ["这很重要……，我们要做好。"]


def test_semicolon_and_colon_are_not_ends_by_default():
    text = "一是完善制度；二是培育市场。他指出：要加快建设。"
    assert units(text) == ["一是完善制度；二是培育市场。", "他指出：要加快建设。"]


def test_semicolon_and_colon_ends_configurable():
    text = "一是完善制度；二是培育市场。他指出：要加快建设。"
    assert units(text, semicolon_ends=True) == ["一是完善制度；", "二是培育市场。", "他指出：要加快建设。"]
    assert units(text, colon_ends=True) == ["一是完善制度；二是培育市场。", "他指出：", "要加快建设。"]
    # a time never splits, even with colon_ends
    assert units("会议于10：30开始。", colon_ends=True) == ["会议于10：30开始。"]


def test_stuttered_punctuation_leaves_no_fragment():
    text = "谢谢大家！！这个问题很好。。怎么办？？？我们先研究。谢谢！ ！好的?!"
    out = units(text)
    assert out == ["谢谢大家！！", "这个问题很好。。", "怎么办？？？", "我们先研究。", "谢谢！ ！", "好的?!"]
    assert all(re.search(r"[^\W_]", u) for u in out)


def test_punctuation_only_lines_are_not_units():
    assert units("第一句。\n\n。。。\n\n——\n***\n第二句。") == ["第一句。", "第二句。"]
    # right after a line, closing punctuation continues it (stutter split by a line break)
    assert units("第一句。\n。。\n第二句。") == ["第一句。\n。。", "第二句。"]


# --- quotes and brackets --------------------------------------------------------------------------


def test_closing_quote_stays_with_its_sentence():
    assert units("他说：“要加快发展。”下一步要加快。") == ["他说：“要加快发展。”", "下一步要加快。"]
    assert units("（注：此为初步统计。）全年增长5%。") == ["（注：此为初步统计。）", "全年增长5%。"]


def test_multi_sentence_quote_with_attribution_is_one_unit():
    text = "“数据是新型生产要素。我们要加快构建数据基础制度。”刘烈宏说。下一步，我们将继续推进。"
    assert units(text) == ["“数据是新型生产要素。我们要加快构建数据基础制度。”刘烈宏说。", "下一步，我们将继续推进。"]
    text = "“我们将持续加大投入。”国家数据局副局长沈竹林在发布会上表示。"
    assert units(text) == [text]
    text = "“这是一个新起点。”他强调，“我们还要继续努力。”"
    assert units(text) == [text]


def test_quote_followed_by_a_new_sentence_splits_after_the_quote():
    text = "“数据产业是新兴产业。要加快培育。”这是我们一贯的思路。"
    assert units(text) == ["“数据产业是新兴产业。要加快培育。”", "这是我们一贯的思路。"]
    # "他说：" introduces a new quotation: not an attribution of the previous one
    text = "他说：“‘数据二十条’已经发布。”他说：“还要加快。”"
    assert units(text) == ["他说：“‘数据二十条’已经发布。”", "他说：“还要加快。”"]


def test_quote_marks_balanced_in_every_unit():
    text = ("他表示：“下一步，我们将持续推进公共数据开发利用。要让数据‘供得出、流得动、用得好’。”"
            "“数据从哪里来？”“数据怎么用？”这是企业最关心的问题。“十四五”以来，“东数西算”工程全面启动。")
    for u in units(text):
        assert u.count("“") == u.count("”") and u.count("‘") == u.count("’"), u


def test_quoted_question_inside_a_sentence():
    assert units("有没有解决“谁来干？”的问题？这很重要。") == ["有没有解决“谁来干？”的问题？", "这很重要。"]


def test_unbalanced_quote_does_not_block_splitting():
    assert units("他说：“数据是基础。我们要加快。") == ["他说：“数据是基础。", "我们要加快。"]


def test_never_inside_book_title_marks():
    assert units("《你好！中国》专题片今晚播出。会上发布了《数字中国发展报告（2024年）》。") == [
        "《你好！中国》专题片今晚播出。", "会上发布了《数字中国发展报告（2024年）》。"]


# --- numbers, URLs, abbreviations -----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "2024年数据产业规模达到5.86万亿元，同比增长117.06%。",
    "发布会于2025.08.14上午10:00开始，持续约1.5小时。",
    "详情请访问https://www.nda.gov.cn/sjj/index.html?id=12&lang=zh。",
    "也可以发送邮件至zhang.san@example.com.cn咨询。",
    "平台已升级至V3.2.1版本，兼容HTTP/2.0协议。",
    "据U.S. Department of Commerce统计，美国数字经济增速放缓。",
    "会上，Mr. Wang介绍了No. 3号方案，并引用了Smith et al.的研究。",
    "美国苹果公司（Apple Inc.）近日发布了相关产品。",
    "该标准编号为GB/T 35273-2020。",
    "详见www.gov.cn。",
])
def test_no_split_inside_numbers_urls_emails_versions_abbreviations(text):
    assert units(text) == [text]


def test_url_question_mark_and_trailing_full_stop():
    text = "访问https://data.gov.cn/open?page=2&from=home!top查看。"
    assert units(text) == [text]
    # punctuation that ends the URL is the sentence's
    assert units("请访问https://data.gov.cn/open?page=2!然后登录。") == [
        "请访问https://data.gov.cn/open?page=2!", "然后登录。"]
    assert units("网址是www.gov.cn。下一句。") == ["网址是www.gov.cn。", "下一句。"]


def test_english_sentences_split_on_full_stop():
    assert units('The theme is "Data for Good". It was released in Beijing.') == [
        'The theme is "Data for Good".', "It was released in Beijing."]
    assert units("它叫Apple Inc.。下一句。") == ["它叫Apple Inc.。", "下一句。"]


def test_decimal_is_not_split_even_at_line_start():
    assert units("3.5万个基站已建成。") == ["3.5万个基站已建成。"]


# --- lines, headings ------------------------------------------------------------------------------


def test_lines_without_terminal_punctuation_are_units_typed_heading_or_line():
    text = ("国家数据局发布2025年工作要点\n2025-08-15 10:30\n来源：中国网\n一、数据基础制度\n"
            "（一）数据产权制度\n第一章 总则\n1. 公共数据授权运营\n（记者 张三）\n●数据要素市场\n正文第一句。")
    assert typed(text) == [
        ("国家数据局发布2025年工作要点", "heading"),
        ("2025-08-15 10:30", "line"),
        ("来源：中国网", "line"),
        ("一、数据基础制度", "heading"),
        ("（一）数据产权制度", "heading"),
        ("第一章 总则", "heading"),
        ("1. 公共数据授权运营", "heading"),
        ("（记者 张三）", "line"),
        ("●数据要素市场", "line"),
        ("正文第一句。", "sentence"),
    ]


def test_law_items_ending_in_semicolon_are_sentences():
    text = "第九条 投诉应当提供下列材料：\n（一）投诉人的姓名、电话号码；\n（二）具体的投诉请求。"
    assert typed(text) == [
        ("第九条 投诉应当提供下列材料：", "sentence"),
        ("（一）投诉人的姓名、电话号码；", "sentence"),
        ("（二）具体的投诉请求。", "sentence"),
    ]


def test_dateline_inside_a_line_stays_with_its_sentence():
    text = "新华社北京3月5日电 国务院总理李强5日在政府工作报告中提出，要深入推进数字经济创新发展。"
    assert units(text) == [text]


def test_line_break_ends_a_unit_but_blank_lines_and_headings_never_join():
    assert units("第一段第一句。\n\n第二段") == ["第一段第一句。", "第二段"]


def test_wrapped_lines_are_joined():
    # a line ending in ，、 or an opening bracket, or a line starting with closing punctuation
    assert units("我们要加快建设，\n推动发展。") == ["我们要加快建设，\n推动发展。"]
    assert units("所作的报告\n。下一句。") == ["所作的报告\n。", "下一句。"]
    # a prose line (it has sentence punctuation) stopping on a word character: wiki fragments
    text = "面对香港局势动荡变化，我们依照\n宪法\n和\n基本法\n有效实施全面管治权。"
    assert units(text) == [text]
    assert units("稳健的货币政策要松紧适度。广义货币M\n2\n增速要与名义增速相匹配。") == [
        "稳健的货币政策要松紧适度。", "广义货币M\n2\n增速要与名义增速相匹配。"]


def test_prose_line_does_not_swallow_a_heading_or_list_item():
    assert units("主要任务包括，一是加快建设\n（一）数据产权制度") == ["主要任务包括，一是加快建设", "（一）数据产权制度"]


# --- enumerations and bullets ---------------------------------------------------------------------


def test_enumerations():
    assert units("一是加快构建数据基础制度；二是推动数据要素市场化配置；三是推进数字技术创新。") == [
        "一是加快构建数据基础制度；二是推动数据要素市场化配置；三是推进数字技术创新。"]
    assert units("第一，夯实数字基础设施。第二，激活数据要素潜能。") == ["第一，夯实数字基础设施。", "第二，激活数据要素潜能。"]
    assert units("一是完善制度；二是培育市场。", semicolon_ends=True) == ["一是完善制度；", "二是培育市场。"]


def test_bullets_start_units():
    assert typed("重点任务包括：● 建设数据基础设施；● 培育数据产业。") == [
        ("重点任务包括：", "sentence"), ("● 建设数据基础设施；", "sentence"), ("● 培育数据产业。", "sentence")]
    # a middle dot inside a foreign name is no bullet
    assert units("皮尔斯•摩根发表评论。") == ["皮尔斯•摩根发表评论。"]


# --- offsets --------------------------------------------------------------------------------------


def test_offsets_stripped_and_ordered():
    text = "\u3000\u3000第一句。  第二句！\n\n  标题  \n"
    out = split_sentences(text)
    assert [text[u["start"]:u["end"]] for u in out] == ["第一句。", "第二句！", "标题"]
    for a, b in zip(out, out[1:]):
        assert a["end"] <= b["start"]
    for u in out:
        assert not text[u["start"]].isspace() and not text[u["end"] - 1].isspace()
        assert set(u) == {"start", "end", "type"}


def test_empty_and_whitespace_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\u3000\n") == []


# --- transcripts ----------------------------------------------------------------------------------

TRANSCRIPT = """国新办举行新闻发布会

国务院新闻办新闻局局长、新闻发言人 寿小丽：

女士们、先生们，大家上午好！下面，首先请刘烈宏先生作介绍。

2025-08-14 10:00:28

国家数据局局长 刘烈宏：

各位媒体朋友，大家上午好！这里我重点介绍五方面情况。

2025-08-14 10:18:36

中国财经报记者:

能否进一步介绍数据产业的发展情况？谢谢。

2025-08-14 10:19:38

刘烈宏:

谢谢你的提问。谢谢。

【责任编辑：孔令瑶】
"""


def test_transcript_turns():
    sents = split_sentences(TRANSCRIPT)
    turns = find_turns(TRANSCRIPT, sents)
    assert [(t["speaker"], t["time"]) for t in turns] == [
        ("国务院新闻办新闻局局长、新闻发言人 寿小丽", None),
        ("国家数据局局长 刘烈宏", "2025-08-14T10:00:28"),
        ("中国财经报记者", "2025-08-14T10:18:36"),
        ("国家数据局局长 刘烈宏", "2025-08-14T10:19:38"),  # short label resolved to the full one
    ]
    spans = [TRANSCRIPT[t["start"]:t["end"]] for t in turns]
    assert spans[0].startswith("国务院新闻办") and spans[0].endswith("作介绍。")
    assert spans[1].startswith("2025-08-14 10:00:28") and spans[1].endswith("五方面情况。")
    assert spans[3].startswith("2025-08-14 10:19:38") and spans[3].endswith("谢谢。")  # furniture left out
    # label and timestamp lines are their own units typed line
    types = {TRANSCRIPT[u["start"]:u["end"]]: u["type"] for u in sents}
    assert types["2025-08-14 10:00:28"] == "line"
    assert types["国家数据局局长 刘烈宏："] == "line"
    assert types["刘烈宏:"] == "line"


def test_short_labels_kept_when_resolution_is_off():
    turns = find_turns(TRANSCRIPT, split_sentences(TRANSCRIPT), resolve_speakers=False)
    assert turns[-1]["speaker"] == "刘烈宏"


def test_inline_labels_in_qa_and_forum_records():
    text = "主持人：各位来宾，上午好！\n王明：谢谢主持人。我先介绍情况。\n记者：请问重点工作有哪些？\n王明：主要有三项。"
    turns = find_turns(text, split_sentences(text))
    assert [t["speaker"] for t in turns] == ["主持人", "王明", "记者", "王明"]
    assert text[turns[1]["start"]:turns[1]["end"]] == "王明：谢谢主持人。我先介绍情况。"


def test_not_a_transcript():
    # field labels and colon-ended prose are no speakers; a policy text has no turns
    text = "分享到：\n字体：\n来源：中国网\n具体进展情况可以从三个维度简要概述：\n一是完善制度。\n目标：到2027年基本建成。"
    assert find_turns(text, split_sentences(text)) == []
    text = "国家数据局局长 刘烈宏：\n各位好。"  # one label without a timestamp
    assert find_turns(text, split_sentences(text)) == []


@pytest.mark.parametrize("raw,iso", [
    ("2025-08-14 10:28:07", "2025-08-14T10:28:07"),
    ("2025/8/4 9:05", "2025-08-04T09:05"),
    ("2025年8月14日 10:28", "2025-08-14T10:28"),
    ("2025-08-14", "2025-08-14"),
    ("2025-13-14 10:28:07", None),
    ("第2025号", None),
])
def test_parse_timestamp(raw, iso):
    assert parse_timestamp(raw) == iso


def test_speech_verb_after_a_quote_introducing_new_speech_is_no_attribution():
    text = '大家齐声回答："准备好了！"主办方表示，会议还将发布有关成果。'
    assert units(text) == ['大家齐声回答："准备好了！"', "主办方表示，会议还将发布有关成果。"]


def test_stage_direction_is_its_own_unit():
    assert typed("企业最关心的是“值多少钱”。（笑）这个问题我们研究了很久。") == [
        ("企业最关心的是“值多少钱”。", "sentence"), ("（笑）", "line"), ("这个问题我们研究了很久。", "sentence")]
    # numbered markers are no stage directions
    assert units("（一）数据产权制度。") == ["（一）数据产权制度。"]


def test_headline_with_colon_and_field_lines():
    assert typed("专家解读：数据要素市场化配置改革\n时间：2025年9月3日 上午9:30\n地点：北京国家会议中心") == [
        ("专家解读：数据要素市场化配置改革", "heading"),
        ("时间：2025年9月3日 上午9:30", "line"),
        ("地点：北京国家会议中心", "line"),
    ]


def test_question_answer_labels_on_their_own_lines_and_turn_ends_at_heading():
    text = "问：\n企业最关心什么？\n答：\n企业最关心估值。\n\n会议议程\n8:30—9:00 签到"
    sents = split_sentences(text)
    turns = find_turns(text, sents)
    assert [(t["speaker"], text[t["start"]:t["end"]]) for t in turns] == [
        ("问", "问：\n企业最关心什么？"), ("答", "答：\n企业最关心估值。")]


def test_ascii_double_quotes():
    assert units('他说。"我们要加快。"然后散会。') == ['他说。', '"我们要加快。"', '然后散会。']
    assert units('大家齐声回答："准备好了！"下一步开会。') == ['大家齐声回答："准备好了！"', '下一步开会。']
