"""Entity error classes seen on scraped policy web pages (issue 20), one test a class.

Fragments are written in the pages' style (half-width punctuation, bylines, transcripts, notices);
they are not copied from the evaluation pages. Rules only (``backend="none"``) unless a test says so.
"""

import pytest

from policytext.components.entities import recognizer
from policytext.components.entities.person_repair import repair_persons
from policytext.components.entities.web_patterns import find_orgs, find_persons, find_titles


@pytest.fixture(scope="module")
def rules():
    return recognizer(backend="none")


def ents(rec, text):
    return [(text[s:e], lab) for s, e, lab, _src in rec.spans(text)]


def has(rec, text, *pairs):
    got = ents(rec, text)
    for p in pairs:
        assert p in got, (p, got)
    return got


# --- half-width punctuation of scraped pages ------------------------------------------------------

def test_bare_level_bodies_after_ascii_commas(rules):
    has(rules, "市长出席会议并讲话,市委副书记、市长王某某主持会议。", ("市委", "ORG"), ("副书记", "TITLE"))
    has(rules, "县人大常委会主任李某,县政协主席张某,县政府副县长赵某出席。",
        ("县政协", "ORG"), ("主席", "TITLE"), ("县政府", "ORG"), ("副县长", "TITLE"))


# --- DATE ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, date", [
    ("今年3月份,全国进出口总值同比增长。", "今年3月份"),
    ("去年11月份以来,物价温和上涨。", "去年11月份"),
    ("前11个月,规模以上工业增加值增长。", "前11个月"),
    ("前三个月累计完成投资。", "前三个月"),
    ("在过去的一年里,全县经济稳中有进。", "过去的一年"),
    ("增速比2021年同期加快。", "2021年同期"),
    ("发布时间:2021/09/08 10:12", "2021/09/08"),
    ("为“十五五”开好局起好步。", "“十五五”"),
    ("“十六五”阶段是关键时期。", "“十六五”阶段"),
])
def test_date_classes(rules, text, date):
    has(rules, text, (date, "DATE"))


def test_not_dates(rules):
    got = ents(rules, "开通运营近一个月的大桥,已有5年同期均值。")
    assert ("近一个月", "DATE") not in got
    # 以来 stays outside the date, as in the policy gold: [[今年|DATE]]以来
    has(rules, "今年以来,各地区各部门积极作为。", ("今年", "DATE"))


# --- Five-Year Plans without quotes ----------------------------------------------------------------

def test_unquoted_five_year_plans(rules):
    has(rules, "在十四五规划纲要的编制中,委员们提出建议。", ("十四五规划纲要", "LAW"))
    has(rules, "十二五规划实施以来,成效明显。", ("十二五规划", "PROGRAM"))
    assert ("十五规划", "PROGRAM") not in ents(rules, "二十五规划")


# --- EVENT -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, event", [
    ("欢迎参加生态环境部9月例行新闻发布会。", "生态环境部9月例行新闻发布会"),
    ("人力资源社会保障部2021年三季度新闻发布会在京举行。", "人力资源社会保障部2021年三季度新闻发布会"),
    ("在5月8日举行的外交部例会上,发言人表示。", "外交部例会"),
    ("市长主持召开市十七届人民政府第31次常务会议,研究部署。", "市十七届人民政府第31次常务会议"),
    ("县长主持召开县政府党组(扩大)会议和县十八届第12次政府常务会议。", "县十八届第12次政府常务会议"),
    ("县长主持召开县政府党组(扩大)会议。", "县政府党组(扩大)会议"),
    ("按照市委十三届五次、六次全会部署,推进改革。", "市委十三届五次、六次全会"),
    ("传达学习市委十四届八次全体会议精神。", "市委十四届八次全体会议"),
    ("国新办举行“奋进新征程”系列主题新闻发布会。", "“奋进新征程”系列主题新闻发布会"),
    ("会上传达全省农村工作视频推进会精神。", "全省农村工作视频推进会"),
    ("与深入学习贯彻全市经济工作会议结合起来。", "全市经济工作会议"),
    ("我市召开安全生产工作暨第三季度防汛抗旱调度会。", "安全生产工作暨第三季度防汛抗旱调度会"),
    ("10月8日,全市招商引资推进会议暨重点项目建设观摩会召开。", "全市招商引资推进会议暨重点项目建设观摩会"),
    ("中国政协十三届二次会议新闻发布会在京举行。", "中国政协十三届二次会议新闻发布会"),
    ("十四届全国人大一次会议新闻发布会上,发言人回答提问。", "十四届全国人大一次会议新闻发布会"),
])
def test_event_classes(rules, text, event):
    has(rules, text, (event, "EVENT"))


def test_meeting_names_hold_no_attending_verbs(rules):
    got = ents(rules, "全国政协主席某某今天在会见出席中国光彩事业促进会二届一次理事会议的代表时说。")
    assert not any(lab == "EVENT" and t.startswith("全国政协主席") for t, lab in got), got


# --- ORG -------------------------------------------------------------------------------------------

def test_departments_before_their_heads_title(rules):
    has(rules, "生态环境部新闻发言人、宣传教育司司长刘某主持。", ("宣传教育司", "ORG"), ("司长", "TITLE"))
    has(rules, "出席发布会的有水旱灾害防御司副司长王某先生。", ("水旱灾害防御司", "ORG"))
    assert find_orgs("要在局长的带领下") == []  # no department name before the title


def test_ministry_departments_and_offices_continue_the_ministry(rules):
    has(rules, "请国家统计局人口和就业统计司司长介绍。", ("国家统计局人口和就业统计司", "ORG"))
    has(rules, "国家发展改革委政策研究室副主任表示。", ("国家发展改革委政策研究室", "ORG"))
    has(rules, "中国气象局应急减灾与公共服务司副司长出席。", ("中国气象局应急减灾与公共服务司", "ORG"))


def test_media_names(rules):
    has(rules, "(荆州日报 通讯员刘某某,记者陈某)", ("荆州日报", "ORG"), ("通讯员", "TITLE"))
    has(rules, "据《中国新闻周刊》报道", ("中国新闻周刊", "ORG"))
    has(rules, "据《香港商报》综合报道", ("香港商报", "ORG"))
    # a listed name inside is the gazetteer's, not a longer made-up name
    assert ("做好人民日报", "ORG") not in ents(rules, "要做好人民日报的发行工作")


def test_central_coordination_bodies_and_military_commission_departments(rules):
    has(rules, "国务院联防联控机制举行新闻发布会。", ("国务院联防联控机制", "ORG"))
    has(rules, "交通运输部联合中央军委后勤保障部印发文件。", ("中央军委后勤保障部", "ORG"))
    has(rules, "国家减灾委办公室、应急管理部会商研判。", ("国家减灾委办公室", "ORG"))


# --- PERSON ----------------------------------------------------------------------------------------

def test_names_after_credit_words(rules):
    assert [("宋某某", "PERSON")] == [(t, lab) for t, lab in ents(rules, "(责任编辑:宋某某)") if lab == "PERSON"]
    assert ("李明", "PERSON") in [(t, lab) for t, lab in ents(rules, "(本报记者李明摄)")]
    assert find_persons("(作者单位:某某大学)") == []
    assert find_persons("本报记者连日来走访了") == []


def test_transcript_speakers(rules):
    text = ("主持人 王小明:\n各位记者朋友,大家好!\n▲记者:请问?\n张建国:谢谢你的提问。\n▲记者:还有吗?\n"
            "张建国:有。\n简介:会议介绍\n商务部:恢复消费\n古人云:学而时习之。")
    got = ents(rules, text)
    assert ("王小明", "PERSON") in got and got.count(("张建国", "PERSON")) == 2
    assert ("简介", "PERSON") not in got and ("商务部", "PERSON") not in got and ("商务部", "ORG") in got
    # a speaker label is a name only when the text names that person again (a transcript)
    assert ("古人云", "PERSON") not in got


def test_a_question_after_a_reporter_label_is_no_name(rules):
    assert not any(lab == "PERSON" for _t, lab in ents(rules, "记者:谈北大,不能不提蔡元培。"[:12]))
    assert find_persons("感触与文章的作者相同,但是") == []


def test_three_character_names_cut_to_two_take_a_rare_third_character():
    text = "国家统计局局长康义喆表示,康义喆还指出。"
    spans = [(0, 5, "ORG", "gazetteer"), (5, 7, "TITLE", "gazetteer"), (7, 9, "PERSON", "model"),
             (13, 15, "PERSON", "model")]
    got = [(text[s:e], lab) for s, e, lab, _src in repair_persons(text, spans)]
    assert got.count(("康义喆", "PERSON")) == 2


def test_two_character_names_are_not_extended_by_common_characters():
    text = "李强表示,鲁迅文学奖揭晓。"
    spans = [(0, 2, "PERSON", "model"), (5, 7, "PERSON", "model")]
    assert repair_persons(text, spans) == spans


def test_consistency_extends_a_name_written_whole_elsewhere():
    text = "王建国主持会议。王建国强调。"  # the second mention is cut by the model: 王建|国
    spans = [(0, 3, "PERSON", "model"), (8, 10, "PERSON", "model")]
    got = [text[s:e] for s, e, _l, _src in repair_persons(text, spans)]
    assert got == ["王建国", "王建国"]
    # without the whole name elsewhere, a common third character is not taken (王建|强调)
    text2 = "王建强调。"
    assert repair_persons(text2, [(0, 2, "PERSON", "model")]) == [(0, 2, "PERSON", "model")]


def test_names_in_a_list_of_names():
    text = "县领导寇长荣、兰永新等参加会议。"
    spans = [(7, 10, "PERSON", "model")]
    got = [text[s:e] for s, e, _l, _src in repair_persons(text, spans)]
    assert got == ["寇长荣", "兰永新"]


# --- LAW -------------------------------------------------------------------------------------------

def test_document_titles_on_their_own_line(rules):
    text = ("各县(市、区)人民政府:\n现印发给你们。\n某某市人民政府办公室\n2024年5月6日\n"
            "某某市数字经济高质量发展三年行动方案\n为深入贯彻落实……\n二、主要措施\n")
    got = has(rules, text, ("某某市数字经济高质量发展三年行动方案", "LAW"))
    assert ("主要措施", "LAW") not in got and not any(t.startswith("二、") for t, _l in got)


def test_title_broken_over_two_lines_is_one_span():
    text = "2024年5月6日\n关于加快推进\n城乡融合发展的实施意见\n为了……"
    got = [(text[s:e], lab) for s, e, lab in find_titles(text)]
    assert ("关于加快推进\n城乡融合发展的实施意见", "LAW") in got
    text2 = "关于促进民营经济发展壮大若干措施\n(2024年修订版)\n为……"
    assert ("关于促进民营经济发展壮大若干措施\n(2024年修订版)", "LAW") in \
        [(text2[s:e], lab) for s, e, lab in find_titles(text2)]


def test_documents_named_after_issuing_verbs(rules):
    has(rules, "区人民政府印发关于支持先进制造业发展若干政策(2024年版)的通知。",
        ("关于支持先进制造业发展若干政策(2024年版)", "LAW"))
    has(rules, "同时,尽快出台全县农村供水保障行动方案,建立长效机制。", ("全县农村供水保障行动方案", "LAW"))
    assert not any(lab == "LAW" for _t, lab in ents(rules, "省里将出台相关实施意见。"))


# --- LOC -------------------------------------------------------------------------------------------

def test_facilities(rules):
    has(rules, "开通运营的沪昆高铁和京港澳高速", ("沪昆高铁", "LOC"), ("京港澳高速", "LOC"))
    has(rules, "新建的成都天府国际机场投入运营。", ("成都", "GPE"))  # 天府 between: not one facility name
    # a river + 流域 stays apart (MSRA, People's Daily: 汉水|流域); listed basins are whole
    has(rules, "黄河流域生态保护。", ("黄河流域", "LOC"))


# --- not names --------------------------------------------------------------------------------------

def test_document_numbers_and_weekdays_are_not_names(rules):
    got = ents(rules, "浙政办发〔2023〕41号\n8月27日(周三)上午,会议召开。")
    assert not any(lab in ("GPE", "LOC", "PERSON", "ORG") for _t, lab in got), got
    assert ("8月27日", "DATE") in got


def test_slogans_with_strategy_words_are_not_programmes(rules):
    assert not any(lab == "PROGRAM" for _t, lab in ents(rules, "协调推进“四个全面”战略布局。"))
    has(rules, "开展“消费促进月”系列活动。", ("“消费促进月”系列活动", "PROGRAM"))


def test_speakers_after_a_title_and_a_space(rules):
    has(rules, "国家统计局新闻发言人 方晓丹:数据显示。", ("方晓丹", "PERSON"), ("新闻发言人", "TITLE"))
    has(rules, "【农业农村部新闻发言人 王小虎】各位记者", ("王小虎", "PERSON"))


def test_a_function_word_after_a_two_character_name_is_cut_off():
    text = "发言人王超就议程回答提问。"
    assert repair_persons(text, [(3, 6, "PERSON", "model")]) == [(3, 5, "PERSON", "model")]


def test_a_three_character_name_found_once_is_found_again():
    text = "县长钟立新主持会议。\n钟立新要求,抓好落实。"
    got = [text[s:e] for s, e, _l, _src in repair_persons(text, [(2, 5, "PERSON", "model")])]
    assert got == ["钟立新", "钟立新"]


def test_a_party_group_member_is_the_body_and_the_title(rules):
    got = ents(rules, "县政府副县长、县政府党组成员出席会议。")
    assert got.count(("县政府", "ORG")) == 2 and ("党组成员", "TITLE") in got


def test_a_traditional_character_is_not_taken_as_a_third_name_character():
    text = "我钟爱刘米兩個都愛"
    assert repair_persons(text, [(3, 5, "PERSON", "model")]) == [(3, 5, "PERSON", "model")]


def test_line_speaker_pattern_is_linear_on_a_long_blank_line():
    """Two blank runs with only an optional bullet between them tried every split of a long blank
    line (quadratic: 20k spaces took 7 s)."""
    import time

    from policytext.components.entities.web_patterns import find_persons

    def cost(n: int) -> float:
        text = " " * n + "\n王国庆：好。"
        t0 = time.perf_counter()
        find_persons(text)
        return time.perf_counter() - t0

    assert cost(40_000) < 0.5


def test_a_long_run_of_adjacent_places_is_walked_once():
    """Each place in a run of adjacent places walked the rest of the run to find where it ends
    (16k one-character places, '中' repeated, took 80 s); the run end is now computed once."""
    import time

    from policytext.components.entities.events import events_after_names

    def cost(n: int) -> float:
        text = "中" * n + "地震"
        spans = [(i, i + 1, "GPE") for i in range(n)]
        t0 = time.perf_counter()
        found = events_after_names(text, spans)
        assert (0, n + 2, "EVENT") in found  # the whole run + 地震 is still one event
        return time.perf_counter() - t0

    assert cost(40_000) < 2.0


def test_places_then_an_earthquake_is_one_event():
    from policytext.components.entities.events import events_after_names

    text = "甘肃岷县漳县地震造成损失"
    got = events_after_names(text, [(0, 2, "GPE"), (2, 4, "GPE"), (4, 6, "GPE")])
    assert (0, 8, "EVENT") in got and (2, 8, "EVENT") in got
