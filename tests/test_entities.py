"""Entity stage: gazetteers, patterns, titles, user dictionaries, the spaCy component."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from policytext.components.entities import EntityRecognizer, recognizer
from policytext.components.entities.backends import default_model_path, register_backend
from policytext.components.entities.gazetteer import Gazetteer, load_tsv
from policytext.errors import code_of
from policytext.components.entities.rules import find_dates, find_events, find_laws, find_programs
from policytext.tokenizer import CharTokenizer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"


@pytest.fixture(scope="module")
def rules():
    return recognizer(backend="none")


def ents(rec, text):
    return [(e["text"], e["label"]) for e in rec(text)]


# --- gazetteers -------------------------------------------------------------------------------

def test_gazetteer_leftmost_longest():
    g = Gazetteer([("国家数据", "ORG"), ("国家数据局", "ORG"), ("数据局", "ORG")])
    assert g.find("国家数据局发布") == [(0, 5, "ORG")]


def test_central_bodies_and_short_forms(rules):
    got = ents(rules, "国家发展改革委、工信部、国资委和国务院新闻办公室联合印发")
    assert ("国家发展改革委", "ORG") in got
    assert ("工信部", "ORG") in got
    assert ("国资委", "ORG") in got
    assert ("国务院新闻办公室", "ORG") in got


def test_divisions_with_and_without_suffix(rules):
    got = ents(rules, "安徽省合肥市、安徽、合肥和肥西县")
    assert ("安徽省", "GPE") in got and ("合肥市", "GPE") in got
    assert ("安徽", "GPE") in got and ("合肥", "GPE") in got
    assert ("肥西县", "GPE") in got


def test_regions_are_loc(rules):
    got = ents(rules, "长三角、粤港澳大湾区和西部地区")
    assert got == [("长三角", "LOC"), ("粤港澳大湾区", "LOC"), ("西部地区", "LOC")]


def test_blockers_stop_straddling_place_names(rules):
    assert ("重庆", "GPE") not in ents(rules, "我们隆重庆祝中华人民共和国成立75周年")
    assert ents(rules, "保持在合理均衡水平上") == []
    assert ("重庆", "GPE") in ents(rules, "在重庆召开")


def test_local_government_bodies(rules):
    got = ents(rules, "上海市黄浦区人民政府、中共上海市委宣传部、凉山州人民政府办公室和安徽省数据资源管理局")
    assert ("上海市黄浦区人民政府", "ORG") in got
    assert ("中共上海市委宣传部", "ORG") in got
    assert ("凉山州人民政府办公室", "ORG") in got
    assert ("安徽省数据资源管理局", "ORG") in got


def test_country_government_is_not_composed(rules):
    assert ents(rules, "中国政府一贯主张") == [("中国", "GPE")]


# --- patterns ---------------------------------------------------------------------------------

def test_law_keeps_book_title_marks():
    text = "印发《“数据要素×”三年行动计划（2024—2026年）》的通知"
    (s, e, lab), = find_laws(text)
    assert text[s:e] == "《“数据要素×”三年行动计划（2024—2026年）》" and lab == "LAW"


@pytest.mark.parametrize("text,name", [("2026年1月1日出版的第1期《求是》杂志发表文章", "求是"),
                                       ("据《人民日报》报道", "人民日报"), ("《浙江日报》记者采访", "浙江日报")])
def test_periodicals_in_book_title_marks_are_media(text, name):
    (s, e, lab), = find_laws(text)
    assert (text[s:e], lab) == (name, "ORG")


def test_common_word_that_is_a_county_short_name_is_not_a_place(rules):
    assert ents(rules, "江山就是人民，人民就是江山。") == []  # 江山 = the country, not 江山市
    assert ("江山市", "GPE") in ents(rules, "浙江省江山市举行发布会")


def test_program_keeps_quotes():
    text = "“东数西算”工程深入实施，“人工智能+”行动加快推进，“十四五”规划收官"
    got = [text[s:e] for s, e, _ in find_programs(text)]
    assert got == ["“东数西算”工程", "“人工智能+”行动", "“十四五”规划"]


def test_law_wins_over_inner_program(rules):
    got = ents(rules, "国务院印发《“十四五”数字经济发展规划》")
    assert ("《“十四五”数字经济发展规划》", "LAW") in got
    assert not any(lab == "PROGRAM" for _, lab in got)


@pytest.mark.parametrize(
    "text",
    ["2025年6月底", "今年上半年", "“十四五”时期", "8月14日", "2024—2026年", "一九九七年十二月三十一日",
     "１９９８年", "去年一季度", "过去五年", "十九世纪下半叶"],
)
def test_dates(text):
    assert [(s, e) for s, e, _ in find_dates(text)][-1] == (0, len(text)) or any(
        (s, e) == (0, len(text)) for s, e, _ in find_dates(text)
    )


def test_not_dates():
    assert find_dates("增长了300多倍，排名第43位") == []
    assert find_dates("12025年") == []


def test_events():
    text = "第八届数字中国建设峰会、党的二十大、二十届三中全会和十四届全国人大三次会议"
    got = {text[s:e] for s, e, _ in find_events(text)}
    assert {"第八届数字中国建设峰会", "党的二十大", "二十届三中全会", "十四届全国人大三次会议"} <= got
    assert find_events("分为十二大类") == []


# --- titles -----------------------------------------------------------------------------------

def test_titles_next_to_bodies_and_names(rules):
    got = ents(rules, "国家发展改革委党组成员、国家数据局局长在会上表示")
    assert ("党组成员", "TITLE") in got and ("局长", "TITLE") in got
    got = ents(rules, "国务院总理李强作报告")
    assert ("总理", "TITLE") in got and ("国务院", "ORG") in got


def test_titles_alone_are_not_entities(rules):
    assert ents(rules, "主任务是完成主任交办的工作") == []


# --- user dictionary --------------------------------------------------------------------------

def test_user_dictionary_takes_effect(tmp_path):
    d = tmp_path / "user.tsv"
    d.write_text("# my names\n北京数交所\tORG\n数据高地\tLOC\n合肥\tO\n首席数据官\tTITLE\n", encoding="utf-8")
    rec = recognizer(backend="none", user_dicts=[str(d)])
    got = ents(rec, "以北京数交所为例，合肥打造数据高地，国家数据局首席数据官表示")
    assert ("北京数交所", "ORG") in got
    assert ("数据高地", "LOC") in got
    assert ("首席数据官", "TITLE") in got
    assert not any(t == "合肥" for t, _ in got)


def test_user_dictionary_rejects_unknown_label(tmp_path):
    d = tmp_path / "bad.tsv"
    d.write_text("某某\tCOMPANY\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_tsv(d)


# --- backends and the spaCy component ---------------------------------------------------------

class FakeBackend:
    def predict(self, words, spaces):
        text = "".join(w + (" " if s else "") for w, s in zip(words, spaces))
        out = []
        for name, lab in (("刘烈宏", "PERSON"), ("长沙", "LOC"), ("洞庭", "LOC")):
            i = text.find(name)
            if i >= 0:
                out.append((i, i + len(name), lab))
        return out


def test_backend_spans_are_combined_and_places_relabelled():
    rec = EntityRecognizer(backend=FakeBackend())
    got = ents(rec, "国家数据局局长刘烈宏在长沙考察洞庭")
    assert ("刘烈宏", "PERSON") in got and ("局长", "TITLE") in got
    assert ("长沙", "GPE") in got  # a known division: LOC -> GPE
    assert ("洞庭", "LOC") in got


def test_registered_backend_is_used_by_component():
    register_backend("fake_for_tests")(lambda **kw: FakeBackend())
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("policytext_entities", config={"backend": "fake_for_tests"})
    doc = nlp("国家数据局局长刘烈宏介绍")
    assert [(e.text, e.label_) for e in doc.ents] == [("国家数据局", "ORG"), ("局长", "TITLE"), ("刘烈宏", "PERSON")]


def test_component_without_model_warns_and_uses_rules(tmp_path):
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("policytext_entities", config={"model_path": str(tmp_path / "missing")})
    doc = nlp("国务院新闻办公室8月14日举行发布会")
    doc._.warnings = []
    doc = nlp.get_pipe("policytext_entities")(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("国务院新闻办公室", "ORG"), ("8月14日", "DATE")]
    assert any(code_of(w) == "W501" for w in doc._.warnings)


def test_offsets_with_latin_tokens(rules):
    text = "2024年初，我国日均Token消耗量为1千亿，国家数据局表示"
    for e in rules(text):
        assert text[e["start"] : e["end"]] == e["text"]
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("policytext_entities", config={"backend": "none"})
    doc = nlp(text)
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [
        (e["start"], e["end"], e["label"]) for e in rules(text)
    ]


# --- the shipped model ------------------------------------------------------------------------

needs_model = pytest.mark.skipif(not (default_model_path() / "config.cfg").exists(), reason="models/ner not built")


@needs_model
def test_shipped_model_finds_people_and_orgs():
    rec = recognizer()
    assert rec.backend is not None
    got = ents(rec, "新华社记者张建华报道，王小明在北京会见了李光辉。")
    persons = {t for t, lab in got if lab == "PERSON"}
    assert persons & {"张建华", "王小明", "李光辉"}


@needs_model
@pytest.mark.skipif(not hasattr(spacy.language.Language, "memory_zone"), reason="spaCy < 3.8: no memory zones")
def test_model_vocabulary_stays_bounded_over_distinct_documents():
    # every new bigram/trigram feature and word used to be interned in the model's vocabulary for
    # good: memory grew with the number of distinct documents (issue #19)
    from policytext.components.entities.backends import make_spacy_backend
    from policytext.tokenizer import words_and_spaces

    backend = make_spacy_backend()
    texts = [f"新华社记者张建华第{n}次报道，王小明在北京会见了Model{n}公司的李光辉，签约{n * 7}.5亿元。"
             for n in range(60)]
    first = backend.predict(*words_and_spaces(texts[0]))
    strings, by_orth = len(backend.nlp.vocab.strings), sum(1 for _ in backend.nlp.vocab)
    for text in texts[1:]:
        backend.predict(*words_and_spaces(text))
    assert len(backend.nlp.vocab.strings) == strings
    assert sum(1 for _ in backend.nlp.vocab) == by_orth
    # the same input gives the same spans after the zone freed its strings
    assert backend.predict(*words_and_spaces(texts[0])) == first
    assert any(label == "PERSON" for _, _, label in first)


@needs_model
def test_sample_000(rules):
    path = SAMPLES / "000_ae6d8b9b05a0dffa.txt"
    if not path.exists():
        pytest.skip("shared samples not available")
    import opencc

    text = opencc.OpenCC("t2s").convert(path.read_text(encoding="utf-8"))
    got = set(ents(recognizer(), text))
    assert {("国家数据局", "ORG"), ("国务院新闻办公室", "ORG"), ("“东数西算”工程", "PROGRAM"),
            ("“十四五”时期", "DATE"), ("刘烈宏", "PERSON"), ("局长", "TITLE")} <= got


class ListBackend:
    """Backend returning fixed (substring, label) predictions."""

    def __init__(self, *pairs):
        self.pairs = pairs

    def predict(self, words, spaces):
        text = "".join(w + (" " if s else "") for w, s in zip(words, spaces))
        out = []
        for name, lab in self.pairs:
            i = text.find(name)
            while i >= 0:
                out.append((i, i + len(name), lab))
                i = text.find(name, i + len(name))
        return out


def test_model_boundary_errors_lose_to_gazetteer():
    rec = EntityRecognizer(backend=ListBackend(("国家发展改革委党", "ORG"), ("中国队", "ORG"), ("中华", "LOC")))
    got = ents(rec, "国家发展改革委党组成员观看中国队比赛，弘扬中华民族精神")
    assert ("国家发展改革委", "ORG") in got and ("党组成员", "TITLE") in got
    assert ("中国队", "ORG") in got  # longer model span of another label wins
    assert not any(t == "中华" for t, _ in got)  # inside not_names.tsv


def test_single_char_places_only_in_pairs():
    rec = EntityRecognizer(backend=ListBackend(("中", "LOC"), ("苏", "LOC")))
    got = ents(rec, "中苏两国")
    assert got == [("中", "GPE"), ("苏", "GPE")]
    rec = EntityRecognizer(backend=ListBackend(("中", "LOC")))
    assert ents(rec, "中方投资者") == []
    rec = EntityRecognizer(backend=ListBackend(("华", "LOC")))
    assert ents(rec, "外籍人员来华工作") == [("华", "GPE")]


def test_events_built_on_names(rules):
    got = ents(rules, "出席上海合作组织峰会、二十国集团领导人杭州峰会，欢迎出席国务院新闻办新闻发布会")
    assert ("上海合作组织峰会", "EVENT") in got
    assert ("二十国集团领导人杭州峰会", "EVENT") in got
    assert ("国务院新闻办新闻发布会", "EVENT") in got
    assert not any(lab == "EVENT" for _, lab in ents(rules, "在北京举行新闻发布会，北京地震局通报"))


@pytest.mark.parametrize("text", ["", " ", "\n\n", "Hello world 2025", "😀国家数据局😀", "国" * 1000, "a\r\n国务院\r\n"])
def test_component_robust_on_odd_input(text):
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("policytext_entities")
    doc = nlp(text)
    assert doc.text == text
    for e in doc.ents:
        assert e.label_ in ("PERSON", "ORG", "GPE", "LOC", "LAW", "PROGRAM", "EVENT", "TITLE", "DATE")


# --- combination with model spans (injected, no model needed) -------------------------------

def _combined(rules, text, model_spans):
    return [(text[s:e], lab) for s, e, lab, _src in rules.spans(text, model_spans=model_spans)]


def test_blocker_vetoes_only_the_straddled_place_name(rules):
    # 隆重庆祝: the model's 重庆 is the name the blocker 隆重庆 exists for
    assert _combined(rules, "隆重庆祝大会", [(1, 3, "LOC")]) == []
    # 巴黎城边: the blocker 巴黎城 stops the gazetteer's 黎城, not the model's 巴黎
    assert _combined(rules, "其时我住在巴黎城边", [(5, 7, "LOC")]) == [("巴黎", "LOC")]


def test_model_division_with_suffix_beats_gazetteer_short_form(rules):
    # gazetteer 松江 + 县: the model's full name wins; 国家发展改革委 + 党 stays a boundary error
    assert _combined(rules, "松江县创建农村治安防范", [(0, 3, "LOC")]) == [("松江县", "GPE")]
    assert _combined(rules, "以色列国总理", [(0, 4, "LOC")])[0] == ("以色列国", "GPE")
    assert ("国家发展改革委", "ORG") in _combined(rules, "国家发展改革委党组成员", [(0, 8, "ORG")])


# --- local bodies, branches, generic departments (issue 8 dev-set fixes) -----------------------

@pytest.mark.parametrize("text, name", [
    ("市工业和信息化局关于印发通知", "市工业和信息化局"),       # bare 市 + department (was ORG 市工业)
    ("会同市财政局、市医保局制定", "市财政局"),
    ("区卫生健康委员会", "区卫生健康委员会"),
    ("省委宣传部部长", "省委宣传部"),
    ("县人民政府办公室转发", "县人民政府办公室"),
    ("省人民政府办公厅转发省发展改革委", "省发展改革委"),
    ("北京市经济和信息化局发布", "北京市经济和信息化局"),
    ("深圳市发展和改革委员会印发", "深圳市发展和改革委员会"),
])
def test_local_bureaus_with_bare_or_named_prefix(rules, text, name):
    assert (name, "ORG") in ents(rules, text)


def test_local_department_names_are_composed(rules):
    got = ents(rules, "上海市房屋管理局、上海市规划和自然资源局关于")
    assert got == [("上海市房屋管理局", "ORG"), ("上海市规划和自然资源局", "ORG")]
    got = ents(rules, "上海市民防办公室、上海市档案局关于印发")
    assert got == [("上海市民防办公室", "ORG"), ("上海市档案局", "ORG")]
    assert ents(rules, "石家庄市人民政府国有资产监督管理委员会对政") == [
        ("石家庄市人民政府国有资产监督管理委员会", "ORG")]
    assert ("上海市卫生健康委员会", "ORG") in ents(rules, "上海市卫生健康委员会、上海市财政局")
    assert ents(rules, "河北省住房和城乡建设厅办公室关于疫情防控期") == [("河北省住房和城乡建设厅办公室", "ORG")]


def test_department_ending_that_starts_a_word_is_not_taken(rules):
    assert ents(rules, "北京市建设局面临") == [("北京市", "GPE")]
    assert ents(rules, "在城市财政局") == []  # 城|市 is no bare level prefix


def test_branch_of_a_central_body_is_one_org(rules):
    assert ents(rules, "国家税务总局上海市税务局关于延长") == [("国家税务总局上海市税务局", "ORG")]
    assert ents(rules, "国家能源局华北监管局关于印发") == [("国家能源局华北监管局", "ORG")]
    assert ("中共国家税务总局上海市税务局委员会", "ORG") in ents(rules, "中共国家税务总局上海市税务局委员会关于2021年")
    assert ents(rules, "中国证券登记结算有限责任公司上海分公司关于") == [
        ("中国证券登记结算有限责任公司上海分公司", "ORG")]


def test_companies_exchanges_and_leading_groups(rules):
    assert ents(rules, "上海黄金交易所关于修订") == [("上海黄金交易所", "ORG")]
    assert ents(rules, "上海票据交易所股份有限公司关于商业汇票信息") == [("上海票据交易所股份有限公司", "ORG")]
    assert ents(rules, "河北省民营经济领导小组印发") == [("河北省民营经济领导小组", "ORG")]
    assert ("河北省第三次全国国土调查领导小组办公室", "ORG") in ents(rules, "河北省第三次全国国土调查领导小组办公室关于")
    assert ents(rules, "在上海设立证券交易所") == [("上海", "GPE")]  # a verb stands between


def test_generic_state_council_departments(rules):
    got = ents(rules, "在国家网信部门统筹协调下，国务院公安部门负责指导监督。国务院电信主管部门和其他有关部门")
    assert ("国家网信部门", "ORG") in got and ("国务院公安部门", "ORG") in got
    assert ("国务院电信主管部门", "ORG") in got
    assert ("公安部", "ORG") not in got
    assert ents(rules, "国务院有关部门") == [("国务院", "ORG")]


def test_names_inside_an_unclosed_title_are_dropped(rules):
    assert ents(rules, "四川省财政厅关于印发《四川省农业保险保费补") == [("四川省财政厅", "ORG")]
    got = ents(rules, "四川省财政厅关于印发《四川省农业保险保费补贴管理办法》的通知")
    assert got == [("四川省财政厅", "ORG"), ("《四川省农业保险保费补贴管理办法》", "LAW")]


def test_gazetteer_match_at_does_not_read_past_the_end():
    g = Gazetteer([("发展改革委", "ORG"), ("发展和改革委员会", "ORG")])
    assert g.match_at("转发省发展改革委", 3) == (8, "ORG")


# --- dates, events, programmes, titles (issue 8 dev-set fixes) ---------------------------------

def test_dates_of_account_years_and_month_lists():
    text = "关于做好2020年度企业、2020年7月份、延长2022年4、5月份"
    got = [text[s:e] for s, e, _ in find_dates(text)]
    assert {"2020年度", "2020年7月份", "2022年4、5月份"} <= set(got)


def test_local_congress_session_is_an_event(rules):
    assert ("市十五届人大五次会议", "EVENT") in ents(rules, "上海市应急管理局对市十五届人大五次会议第0")


def test_n_year_action_is_a_program(rules):
    assert ("国企改革三年行动", "PROGRAM") in ents(rules, "深入实施国企改革三年行动。支持民营企业健康发展。")
    assert ("农村人居环境整治提升五年行动", "PROGRAM") in ents(rules, "实施农村人居环境整治提升五年行动。")


def test_meetings_after_dash_joined_and_one_char_places():
    rec = EntityRecognizer()
    text = "成功举办澜沧江－湄公河合作首次领导人会议。"
    spans = rec.spans(text, model_spans=[(4, 7, "LOC"), (8, 11, "LOC")])
    assert [(text[s:e], lab) for s, e, lab, _ in spans] == [("澜沧江－湄公河合作首次领导人会议", "EVENT")]
    text = "中非合作论坛部长级会议开幕式、亚欧首脑会议等"
    spans = rec.spans(text, model_spans=[(0, 1, "LOC"), (1, 2, "LOC"), (15, 16, "LOC"), (16, 17, "LOC")])
    got = [(text[s:e], lab) for s, e, lab, _ in spans]
    assert got == [("中非合作论坛部长级会议", "EVENT"), ("亚欧首脑会议", "EVENT")]


def test_place_plus_games_is_an_event():
    rec = EntityRecognizer()
    text = "我国体育健儿在东京奥运会、残奥会上勇创佳绩"
    spans = rec.spans(text, model_spans=[(7, 9, "LOC")])
    got = [(text[s:e], lab) for s, e, lab, _ in spans]
    assert got == [("东京奥运会", "EVENT"), ("残奥会", "EVENT")]


def test_general_secretary_after_comrade_is_a_title(rules):
    got = ents(rules, "让我们更加紧密地团结在以习近平同志为总书记的党中央周围")
    assert ("总书记", "TITLE") in got and ("习近平", "PERSON") in got


def test_zhonghua_ernv_is_not_a_place():
    rec = EntityRecognizer()
    text = "不断增强海内外中华儿女的向心力"
    assert rec.spans(text, model_spans=[(7, 9, "LOC")]) == []
