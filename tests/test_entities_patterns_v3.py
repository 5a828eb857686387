"""Pattern classes of entities v3 (policytext/components/entities/extra_patterns.py), on real phrasing."""

from __future__ import annotations

import pytest

from policytext.components.entities import recognizer


@pytest.fixture(scope="module")
def rules():
    return recognizer(backend="none")


def dates(rec, text):
    return [e["text"] for e in rec(text) if e["label"] == "DATE"]


@pytest.mark.parametrize("text, expected", [
    ("三季度GDP同比增长4.6%，上半年增速回落。", ["三季度", "上半年"]),
    ("前三季度，全省规上工业增加值增长5.8%。", ["前三季度"]),
    ("国务院常务会议12日召开，研究部署稳就业工作。", ["12日"]),
    ("据统计，8月份全国快递业务量同比增长。", ["8月份"]),
    ("2至7月份累计完成投资1200亿元。", ["2至7月份"]),
    ("1—11月份，全国规模以上工业企业利润下降。", ["1—11月份"]),
    ("社会消费品零售总额比去年同期增长3.2%。", ["去年同期"]),
    ("去年中秋假期，全国国内出游人次增长。", ["去年中秋假期"]),
    ("元旦期间，各地开展安全检查。", ["元旦期间"]),
    ("2023年7月至2024年12月开展专项整治。", ["2023年7月至2024年12月"]),
    ("展会于9月20日至23日在厦门举行。", ["9月20日至23日"]),
])
def test_period_classes_are_one_date(rules, text, expected):
    assert dates(rules, text) == expected


@pytest.mark.parametrize("text", [
    "申请人应在3日内补正材料。",   # a duration, not a date
    "项目建设周期为6个月。",
    "一日三餐都要讲营养。",
])
def test_durations_are_not_dates(rules, text):
    assert dates(rules, text) == []


def test_profile_opening_name_is_a_person(rules):
    got = [(e["text"], e["label"]) for e in rules("王晓东，男，汉族，1960年1月生，湖北广水人。")]
    assert ("王晓东", "PERSON") in got
    got = [(e["text"], e["label"]) for e in rules("简历\n赵明华（女，1969年7月出生）")]
    assert ("赵明华", "PERSON") in got
    assert not [e for e in rules("患者，男，67岁，因发热入院。") if e["label"] == "PERSON"]


def test_quoted_article_nickname_is_a_law(rules):
    got = [(e["text"], e["label"]) for e in rules("国务院出台“稳外贸十二条”，各地抓好落实。")]
    assert ("“稳外贸十二条”", "LAW") in got


@pytest.mark.parametrize("text, name, label", [
    ("推动山西中部城市群高质量发展。", "山西中部城市群", "LOC"),
    ("哈尔滨工业大学发布新成果。", "哈尔滨工业大学", "ORG"),
    ("四川省人民医院开通远程会诊。", "四川省人民医院", "ORG"),
    ("财政部预算司有关负责人介绍。", "财政部预算司", "ORG"),
])
def test_names_continued_into_zones_institutions_and_departments(rules, text, name, label):
    assert (name, label) in [(e["text"], e["label"]) for e in rules(text)]


def test_a_company_or_a_student_is_not_an_institution(rules):
    got = [(e["text"], e["label"]) for e in rules("北京大学生创业，上海公司增多。")]
    assert ("北京", "GPE") in got and not any(t.startswith("北京大学") for t, _ in got)
    assert not any(t.endswith("公司") for t, _ in got)
