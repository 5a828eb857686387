"""Numeric claims: number parsing, extraction, negatives, fields (pure functions, no spaCy)."""

from __future__ import annotations

import pytest

from policytext.components.claims import extract_claims, parse_number, parse_number_ex
from policytext.dates import find_document_date

DATE = "2025-08-14"


def one(text: str, date: str | None = DATE) -> dict:
    claims = extract_claims(text, date)
    assert len(claims) == 1, claims
    return claims[0]


def values(text: str, date: str | None = DATE) -> list[tuple]:
    return [(c["value"], c["unit"]) for c in extract_claims(text, date)]


# ------------------------------------------------------------------ number parsing
@pytest.mark.parametrize("text,value", [
    ("三十万亿", 3e13), ("两万亿", 2e12), ("一千亿", 1e11), ("3.5万", 35000.0), ("1千亿", 1e11),
    ("5.86万亿", 5.86e12), ("30万亿", 3e13), ("1,234.5", 1234.5), ("１２３", 123.0), ("３．５万", 35000.0),
    ("十五", 15.0), ("一百零五", 105.0), ("二十", 20.0), ("三千二百万", 3.2e7), ("一亿二千万", 1.2e8),
    ("1.39万亿", 1.39e12), ("4.06万亿", 4.06e12), ("126万亿", 1.26e14), ("0.28", 0.28), ("万", 1e4),
    ("千万", 1e7), ("二〇二五", 2025.0), ("一千零一", 1001.0), ("14486亿", 1.4486e12),
])
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text,value", [
    ("1200多", 1200.0), ("三十多万", 3e5), ("万余", 1e4), ("几十", 10.0), ("十几", 10.0), ("数百万", 1e6),
    ("上千万", 1e7), ("300多", 300.0),
])
def test_parse_number_approximate(text, value):
    v, approx = parse_number_ex(text)
    assert v == pytest.approx(value) and approx


@pytest.mark.parametrize("text,value", [
    ("五点二", 5.2), ("零点三五", 0.35), ("一点五万亿", 1.5e12), ("十二点五", 12.5), ("-3.5", -3.5), ("－0.3", -0.3),
    ("\u22122.8", -2.8), ("负三", -3.0),
])
def test_parse_number_decimals_and_signs(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["十四五", "", "abc", "多", "万万万多", "十一点三十", "点五", "五点"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


# ------------------------------------------------------------------ the examples
def test_token_consumption():
    c = one("截至6月底，日均Token消耗量已突破30万亿")
    assert (c["value"], c["unit"], c["qualifier"], c["kind"]) == (3e13, None, ">", "level")
    assert c["subject"] == "日均Token消耗量" and c["time"] == "2025-06" and c["modality"] == "actual"
    assert c["text"] == "日均Token消耗量已突破30万亿"


def test_claim_offsets_index_the_text():
    text = "刘烈宏介绍，截至今年6月底，日均Token消耗量已经突破30万亿。"
    for c in extract_claims(text, DATE):
        assert text[c["start"]:c["end"]] == c["text"]


def test_base_stations_multiple_and_level():
    a, b = extract_claims("5G基站总数与2020年相比增长了5倍达到455万个", DATE)
    assert (a["value"], a["unit"], a["kind"], a["reference"], a["subject"]) == (5.0, "倍", "multiple", "2020", "5G基站总数")
    assert (b["value"], b["unit"], b["kind"], b["reference"], b["subject"]) == (4.55e6, "个", "level", None, "5G基站总数")


def test_data_industry_level_and_change():
    a, b = extract_claims("数据产业规模达5.86万亿元，较“十三五”末增长117%", DATE)
    assert (a["value"], a["unit"], a["qualifier"], a["kind"]) == (5.86e12, "元", "=", "level")
    assert (b["value"], b["unit"], b["kind"], b["reference"]) == (117.0, "%", "change", "“十三五”末")
    assert b["subject"] == "数据产业规模"


def test_share_of_global_total():
    c = one("人工智能专利数量占全球总量的60%")
    assert (c["value"], c["unit"], c["kind"], c["subject"]) == (60.0, "%", "share", "人工智能专利数量")


def test_rank_from_to():
    a, b = extract_claims("我国全球创新指数排名从第78位上升到第43位", DATE)
    assert (a["value"], a["kind"], a["unit"]) == (78.0, "rank", None)
    assert (b["value"], b["kind"], b["unit"]) == (43.0, "rank", None)


@pytest.mark.parametrize("text,value", [("排名第三", 3.0), ("算力总规模位于全球第二", 2.0), ("数量居世界第一", 1.0)])
def test_rank_words(text, value):
    c = one(text)
    assert (c["value"], c["kind"], c["unit"]) == (value, "rank", None)


# ------------------------------------------------------------------ numbers in context
@pytest.mark.parametrize("text,expected", [
    ("为手机、汽车、家电等1200多类产品装上了“智能中枢”", [(1200.0, "类")]),
    ("建成了万余家智能工厂", [(1e4, "家")]),
    ("每组3~5个", [(3.0, "个")]),
    ("每组3至5个", [(3.0, "个")]),
    ("新建３．５万户", [(35000.0, "户")]),
    ("总体量超过了400PB", [(400.0, "PB")]),
    ("装机达到3.7亿千瓦", [(3.7e8, "千瓦")]),
    ("发电量1.2万亿千瓦时", [(1.2e12, "千瓦时")]),
    ("外汇储备超过3.2万亿美元", [(3.2e12, "美元")]),
    ("惠及学生3400多万人次", [(3.4e7, "人次")]),
    ("提高1.5个百分点", [(1.5, "个百分点")]),
    ("增长1.5%", [(1.5, "%")]),
    ("税率为百分之二十", [(20.0, "%")]),
    ("约有三分之二的企业", [(pytest.approx(66.67), "%")]),
    ("全国财政收入十年接近翻一番", [(2.0, "倍")]),
    ("重污染天数下降超过五成", [(50.0, "%")]),
    ("两万亿元", [(2e12, "元")]),
    ("三十万亿元", [(3e13, "元")]),
    ("粮食产量1.39万亿斤", [(1.39e12, "斤")]),
    ("2024年我国数据生产量达到41.06泽字节", [(41.06, "泽字节")]),
    ("水土流失、荒漠化、沙化土地面积分别净减少10.6万、3.8万、3.3万平方公里",
     [(1.06e5, "平方公里"), (3.8e4, "平方公里"), (3.3e4, "平方公里")]),
])
def test_values_and_units(text, expected):
    assert values(text) == expected


def test_range_has_value_max():
    c = one("每组3~5个")
    assert c["value_max"] == 5.0 and c["qualifier"] == ">="


def test_range_magnitude_applies_to_both_ends():
    c = one("投资3-5万元")
    assert (c["value"], c["value_max"], c["unit"]) == (3e4, 5e4, "元")


def test_percent_and_points_are_distinct():
    a, b = extract_claims("赤字率拟按4%左右安排、比上年提高1个百分点", DATE)
    assert a["unit"] == "%" and b["unit"] == "个百分点"
    assert a["kind"] == "level" and b["kind"] == "change"


def test_unit_not_taken_from_following_word():
    # 家庭 is not 家, 人口 is not 人, 个体 is not 个
    assert values("惠及2900多万家庭") == [(2.9e7, None)]
    assert values("14亿多人口大国") == [(1.4e9, None)]


# ------------------------------------------------------------------ negatives (not claims)
NEGATIVES = [
    ("“十四五”时期数字中国建设发展成就", "five-year plan name"),
    ("第八届数字中国建设峰会", "ordinal"),
    ("党的二十大胜利召开", "congress name"),
    ("党的二十届三中全会", "plenum name"),
    ("扩大5G规模化应用", "technology name"),
    ("推进5G-A和6G研发", "technology names"),
    ("国产大飞机C919投入商业运营", "model number"),
    ("2025年8月14日", "date"),
    ("2025-08-14 10:00:28", "timestamp"),
    ("国务院新闻办公室8月14日举行", "date"),
    ("今年是中华人民共和国成立75周年", "anniversary"),
    ("咨询电话010-12345678", "phone"),
    ("京ICP备12345678号", "licence number"),
    ("国发〔2024〕12号", "document number"),
    ("一、数据基础制度", "section numbering"),
    ("（三）加强数据安全", "section numbering"),
    ("数据是三大核心要素之一", "之一"),
    ("“一带一路”倡议", "quoted name"),
    ("“数据二十条”", "policy name"),
    ("进一步统一大市场", "words with 一"),
    ("千方百计惠企裕民", "idiom"),
    ("第十四届全国人民代表大会第二次会议", "ordinals"),
    ("推进中国－东盟自贸区3.0版谈判", "version"),
    ("第二轮土地承包到期后再延长30年", "policy term"),
    ("PM2.5平均浓度", "pollutant name"),
    ("GB/T 35273标准", "standard number"),
    ("处五千元以上五万元以下罚款", "fine (norm)"),
    ("处违法所得一倍以上五倍以下的罚款", "fine multiple"),
    ("对60岁以上老年人", "threshold modifier"),
    ("自2018年7月1日起施行", "date"),
    ("应当在三十日内作出决定", "deadline"),
    ("“科技创新2030—重大项目”", "programme name"),
    ("(1PB可存储约5亿张2MB大小的高清照片)", "unit conversion aside"),
]


@pytest.mark.parametrize("text,why", NEGATIVES)
def test_negatives(text, why):
    assert extract_claims(text, DATE) == [], why


def test_negatives_do_not_hide_real_claims():
    text = "“十四五”时期，5G基站总数达到455万个，第八届峰会发布。"
    assert values(text) == [(4.55e6, "个")]


# ------------------------------------------------------------------ qualifiers
@pytest.mark.parametrize("text,q", [
    ("达到455万个", "="), ("为1千亿", "="), ("超过3.5万个", ">"), ("突破30万亿", ">"), ("逾500家", ">"),
    ("超100个", ">"), ("1200多类", ">"), ("万余家", ">"), ("30%以上", ">="), ("不少于10个", ">="),
    ("不到100万元", "<"), ("低于3%", "<"), ("5.5%以内", "<="), ("不超过120个工作日", "<="), ("20人以下", "<="),
    ("约6700万人", "~"), ("近40亿元", "~"), ("5%左右", "~"), ("大约20个", "~"), ("接近40%", "~"),
])
def test_qualifiers(text, q):
    claims = extract_claims("总量" + text + "。", DATE)
    assert claims and claims[0]["qualifier"] == q, claims


# ------------------------------------------------------------------ kinds
@pytest.mark.parametrize("text,kind", [
    ("国内生产总值增长5.2%", "change"), ("居民消费价格上涨0.2%", "change"), ("能耗降低2.5%左右", "change"),
    ("比上年增加1800亿元", "change"), ("城镇化率提高到66.2%", "level"), ("城镇调查失业率5.5%左右", "level"),
    ("增长了300多倍", "multiple"), ("提升了15倍", "multiple"), ("相当于国家图书馆的140倍", "multiple"),
    ("占全球比重超过60%", "share"), ("占国内生产总值比重达到10%左右", "share"), ("比重从15.8%提高到27.2%", "share"),
    ("排名第三", "rank"), ("国内生产总值超过126万亿元", "level"),
])
def test_kinds(text, kind):
    claims = extract_claims(text, DATE)
    assert claims and claims[-1]["kind"] == kind, claims


def test_listed_values_share_kind():
    a, b = extract_claims("高技术制造业、装备制造业增加值分别增长8.9%、7.7%", DATE)
    assert a["kind"] == b["kind"] == "change"


# ------------------------------------------------------------------ modality
@pytest.mark.parametrize("text,modality", [
    ("今年发展主要预期目标是：国内生产总值增长5%左右", "target"),
    ("力争到2027年数据产业规模达到7万亿元", "target"),
    ("赤字率拟按3%安排", "target"),
    ("预计今年高校毕业生超过1170万人", "forecast"),
    ("国内生产总值超过126万亿元", "actual"),
    ("截至2025年6月底，5G基站总数达到455万个", "actual"),
])
def test_modality(text, modality):
    assert extract_claims(text, DATE)[0]["modality"] == modality


# ------------------------------------------------------------------ time
@pytest.mark.parametrize("text,date,time", [
    ("截至6月底，日均Token消耗量已突破30万亿", "2025-08-14", "2025-06"),
    ("截至12月底，用户超过1亿户", "2025-02-10", "2024-12"),
    ("2024年初，我国日均Token的消耗量为1千亿", "2025-08-14", "2024"),
    ("今年上半年，新上架数据产品达到3328个", "2025-08-14", "2025-H1"),
    ("仅今年二季度，新增供需主体达到2600多家", "2025-08-14", "2025-Q2"),
    ("去年推出了21项政策", "2025-08-14", "2024"),
    ("截至2024年底，软件收入规模较2020年增长80%", None, "2024"),
    ("2024年1—7月，出口增长5%", None, "2024-01/2024-07"),
    ("今年前三季度，投资增长3%", "2025-10-20", "2025-01/2025-09"),
    ("“十四五”时期，累计新增就业超过5000万人", None, "2021/2025"),
    ("截至6月底，用户达到1亿户", None, None),
])
def test_time(text, date, time):
    assert extract_claims(text, date)[0]["time"] == time


def test_reference_year_is_not_time():
    c = extract_claims("5G基站总数与2020年相比增长了5倍", DATE)[0]
    assert c["time"] is None and c["reference"] == "2020"


@pytest.mark.parametrize("text,ref", [
    ("与2020年相比增长了5倍", "2020"), ("较“十三五”末增长117%", "“十三五”末"), ("同比增长70%", "同比"),
    ("比上年增加1.6万亿元", "上年"), ("贷款平均利率较五年前下降1.5个百分点", "五年前"), ("环比下降0.3%", "环比"),
])
def test_reference(text, ref):
    assert extract_claims(text, DATE)[-1]["reference"] == ref


def test_level_has_no_reference():
    assert extract_claims("与2020年相比，总数达到455万个", DATE)[0]["reference"] is None


# ------------------------------------------------------------------ subject
@pytest.mark.parametrize("text,subject", [
    ("截至今年6月底，我国已经建设高质量数据集超过3.5万个", "高质量数据集"),
    ("鸿蒙生态设备总量突破11.9亿台", "鸿蒙生态设备总量"),
    ("城镇调查失业率平均为5.2%", "城镇调查失业率"),
    ("过境免签境内停留时间延长至240小时", "过境免签境内停留时间"),
    ("已布局了成都、沈阳、合肥等7个数据标注基地", "数据标注基地"),
    ("增发1万亿元国债", "国债"),
    ("地级及以上城市细颗粒物（PM2.5）平均浓度下降2.7%", "地级及以上城市细颗粒物平均浓度"),
])
def test_subject(text, subject):
    assert extract_claims(text, DATE)[0]["subject"] == subject


def test_subject_carried_to_later_claims_of_the_sentence():
    claims = extract_claims("国内生产总值超过126万亿元，增长5.2%", DATE)
    assert [c["subject"] for c in claims] == ["国内生产总值", "国内生产总值"]


# ------------------------------------------------------------------ robustness
def test_raw_text_with_ascii_punctuation_and_fullwidth_digits():
    text = "2001年国内生产总值达到９５９３３亿元,比上年增长７．３％。"
    assert values(text, None) == [(9.5933e12, "元"), (7.3, "%")]


def test_traditional_script_degrades_gracefully():
    claims = extract_claims("截至6月底,日均Token消耗量已突破30萬億", DATE)
    assert claims and claims[0]["value"] == 3e13


def test_empty_and_numberless_text():
    assert extract_claims("", DATE) == []
    assert extract_claims("没有数字的句子。", DATE) == []


def test_find_document_date():
    # the claims stage's datelines, now read by the one rule in policytext.dates
    assert find_document_date("——2024年3月5日在第十四届全国人民代表大会第二次会议上") == "2024-03-05"
    assert find_document_date("首页> 直播>\n2025-08-15 10:30\n来源") == "2025-08-15"
    assert find_document_date("国务院新闻办公室8月14日举行发布会") is None


# ------------------------------------------------------------------ found on unseen reports (2010-2018)
def test_qualifier_before_the_verb():
    c = one("移动网络流量资费年内至少降低30%")
    assert (c["qualifier"], c["kind"], c["subject"]) == (">=", "change", "移动网络流量资费")


def test_slash_fraction():
    c = one("专项转移支付项目比上年减少1/3以上")
    assert (c["value"], c["unit"], c["qualifier"], c["kind"]) == (33.33, "%", ">=", "change")


def test_shi_wan_is_a_number():
    assert values("我国有十万名志愿者") == [(1e5, "名")]


def test_bare_wan_yi_after_a_cue():
    c = one("粮食总产量连续6年稳定在万亿斤以上并逐年增加")
    assert (c["value"], c["unit"], c["qualifier"]) == (1e12, "斤", ">=")


def test_legal_condition_is_not_a_claim():
    assert extract_claims("没有违法所得或者违法所得不足十万元的，处十万元以上五十万元以下的罚款。", DATE) == []


def test_adverb_jiao_is_not_a_reference():
    claims = extract_claims("各地普遍较大幅度调高最低工资标准，全年人均增加1680元，5700多万人受益", DATE)
    assert [c["reference"] for c in claims] == [None, None]
    assert claims[1]["kind"] == "level"


def test_share_continues_through_a_time_word():
    a, b = extract_claims("财政赤字占国内生产总值的比重从2009年的2.8%降到去年的1.5%左右", "2010-03-05")
    assert a["kind"] == b["kind"] == "share" and b["subject"] == "财政赤字"
    assert (a["time"], b["time"]) == ("2009", "2009")  # 2009年 and 去年 of a 2010 report


def test_percent_threshold_after_dao_is_a_claim():
    c = one("家庭签约服务扩大到85%以上地市")
    assert (c["value"], c["qualifier"]) == (85.0, ">=")


# ------------------------------------------------------------------ found on sample 001 (a long scraped page)
def test_rank_over_years_is_actual_with_clean_subject():
    a, b = extract_claims("电子政务排名从2012年的第78位上升到2022年的第43位", "2023-03-05")
    assert (a["value"], a["time"], b["value"], b["time"]) == (78.0, "2012", 43.0, "2022")
    assert a["modality"] == b["modality"] == "actual"
    assert a["subject"] == b["subject"] == "电子政务排名"


def test_duration_from_to():
    assert values("可将成品出厂时间从原来的15天缩减到5天") == [(15.0, "天"), (5.0, "天")]
    assert extract_claims("可将成品出厂时间从原来的15天缩减到5天", DATE)[0]["subject"] == "成品出厂时间"


def test_target_year_at_clause_start():
    c = one("到2027年，数据产业规模达到7万亿元", "2025-01-01")
    assert (c["modality"], c["time"]) == ("target", "2027")


def test_enumeration_is_not_a_claim():
    assert extract_claims("还需要在以下4个方面深化研究", DATE) == []


# ------------------------------------------------------------------ unseen forms (robustness sweep)
def test_chinese_decimal_percent():
    c = one("国内生产总值增长百分之五点二。")
    assert (c["value"], c["unit"], c["kind"], c["subject"]) == (5.2, "%", "change", "国内生产总值")


@pytest.mark.parametrize("text,value,subject", [
    ("2025年第三季度，出口同比增长-3.5%。", -3.5, "出口"),
    ("居民消费价格同比-0.3%。", -0.3, "居民消费价格"),
    ("工业生产者出厂价格同比－2.8%。", -2.8, "工业生产者出厂价格"),
])
def test_negative_rates_of_change(text, value, subject):
    c = one(text)
    assert (c["value"], c["unit"], c["kind"], c["reference"], c["subject"]) == (value, "%", "change", "同比", subject)


@pytest.mark.parametrize("text", ["预期目标为6%-6.5%。", "投资3万-5万元。"])
def test_a_dash_between_numbers_is_a_range_not_a_minus(text):
    c = one(text)
    assert c["value"] > 0 and c["value_max"] > c["value"]


@pytest.mark.parametrize("text,subject,claim_text", [
    ("1.经济增长5%左右；", "经济", "经济增长5%左右"),
    ("2.城镇调查失业率5.5%左右。", "城镇调查失业率", "城镇调查失业率5.5%左右"),
    ("一是粮食产量1.3万亿斤以上。", "粮食产量", "粮食产量1.3万亿斤以上"),
    ("（3）居民人均可支配收入增长5%。", "居民人均可支配收入", "居民人均可支配收入增长5%"),
    ("第二，研发投入增长10%。", "研发投入", "研发投入增长10%"),
])
def test_list_markers_are_not_part_of_the_subject(text, subject, claim_text):
    c = one(text)
    assert (c["subject"], c["text"]) == (subject, claim_text)


# ------------------------------------------------------------------ issue #22: reject_reason is a pure test
def test_reject_reason_reads_its_candidate_only():
    import copy

    from policytext.components.claims.extract import find_numbers, is_rank, reject_reason

    text = "我国算力总规模居全球第2位，在第3次会议上发布。"
    ranked, ordinal = find_numbers(text)[:2]
    kept = copy.deepcopy([ranked, ordinal])
    assert reject_reason(text, ranked) is None and is_rank(text, ranked)
    assert reject_reason(text, ordinal) == "ordinal (第…)" and not is_rank(text, ordinal)
    assert [ranked, ordinal] == kept  # it used to set candidate.special = "rank"
    (claim,) = extract_claims(text)
    assert (claim["kind"], claim["value"], claim["unit"]) == ("rank", 2.0, None)


@pytest.mark.parametrize("text, subject", [
    ("到2025年，全国公共数据开放数量力争达到3万个。", "公共数据开放数量"),
    ("国有大型商业银行小微企业贷款要增长30%以上。", "国有大型商业银行小微企业贷款"),
    ("化学需氧量、氨氮排放都要减少2%左右。", "化学需氧量、氨氮排放"),
    ("广义货币M2预期增长13%左右。", "广义货币M2"),
    ("经济增长预期7%左右。", "经济增长"),
])
def test_modal_words_are_not_part_of_the_subject(text, subject):
    # the modal word is the claim's modality (target), never the end of its subject (issue #22)
    assert extract_claims(text, "2025-03-05")[0]["subject"] == subject
