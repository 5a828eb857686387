"""Pattern classes added in entities v3 (issue 20): periods, date ranges, profiles, quoted articles.

Kept apart from :mod:`.rules` so each class is easy to read and test. All regular expressions are
linear (no nested quantifiers); they run on the text folded by :func:`.rules.find_patterns`
(full-width digits → ASCII).

DATE
  * quarters and half-years on their own: 第四季度, 一季度, 下半年, 前三季度;
  * a day on its own: 5日, 二十日 (not 5日内, not a bare 一日);
  * a month on its own, ``份`` included: 10月份, 3月 (not 3个月);
  * relative periods: 上年同期, 去年同期, 本月, 上月底, 上季度;
  * holidays and holiday periods: 春节, 今年国庆期间, 五一假期, 2024年春节前后;
  * ranges as one span: 2021年1月—2022年6月, 3月1日至5日, 1至10月份.
PERSON
  * a name opening a profile: 何立峰，男， / 张三（女，…), 2–3 characters after a line start or
    a sentence end.
LAW
  * a quoted “N条” policy nickname: “数据二十条”, “国十条”.

Built on names found by the gazetteers or the model (:func:`names_after_places`):
  * LOC: a place + up to 6 characters + 经济带/经济圈/城市群/都市圈/经济走廊/经济区/湾区
    (长江中游城市群, 成渝地区双城经济圈 from the model's 成渝);
  * ORG: a place + up to 8 characters + 大学/学院/研究院/研究所/科学院/医院/中学/小学 (上海交通大学,
    浙江省人民医院; not 北京大学生); a listed central body + up to 6 characters + 司 (a ministry
    department: 国家发展改革委价格司, 商务部外资司; not …公司).
"""

from __future__ import annotations

import re

from .rules import _D, _FIVE, _M, _RANGE, _REL_YEAR, _SUFFIX, _Y, CN_DIGIT, HAN, gate, may_match

__all__ = ["find_extra_dates", "find_profile_persons", "find_quoted_articles", "find_extra_patterns",
           "names_after_places"]

_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?)"
_NOT_NUM_BEFORE = rf"(?<![\d{CN_DIGIT}.])"
_HOLIDAY = r"(?:春节|元旦|国庆节|中秋节|清明节|端午节|劳动节|元宵节|重阳节|七夕节)"
_HOLIDAY_SHORT = r"(?:国庆|中秋|清明|端午|五一|十一|春运|元宵)"
_HOLIDAY_TAIL = r"(?:小长假|黄金周|假期|长假|期间|前后|前夕|节前|节后)"

EXTRA_DATE_PATTERNS = [
    re.compile(p)
    for p in [
        # 2021年1月—2022年6月, 2025年1月至6月份, 2024年3月1日至2025年2月28日
        rf"{_Y}年{_M}月(?:{_D}[日号])?{_RANGE}(?:{_Y}年)?{_M}月(?:{_D}[日号]|份)?",
        # 3月1日至5日, 3月1日—4月30日
        rf"{_NOT_NUM_BEFORE}{_M}月{_D}[日号]?{_RANGE}(?:{_M}月)?{_D}[日号]",
        # 1至10月份, 1—6月份 (+ 底/末)
        rf"{_NOT_NUM_BEFORE}{_M}{_RANGE}{_M}月份?{_SUFFIX}?",
        # a month on its own: 10月份, 3月 (the day and year patterns are longer and win)
        rf"{_NOT_NUM_BEFORE}{_M}月份?(?![\d{CN_DIGIT}日号])",
        # a day on its own: 5日, 二十日; not a duration (5日内) and not 一日
        rf"{_NOT_NUM_BEFORE}(?<!月){_DAY}日(?![内以之])",
        # quarters and half-years: 第四季度, 一季度, 下半年, 前三季度
        r"前[一二三]季度|第?[一二三四1-4]季度|[上下]半年",
        # relative periods: 上年同期, 去年同期, 本月, 上月底, 上季度
        rf"{_REL_YEAR}同期|(?:本|上|下|当|次)月(?:底|初|末|中旬|上旬|下旬)?(?![份球])|(?:本|上|下)季度",
        # holidays: 春节, 今年国庆期间, 2024年春节前后, 五一假期
        rf"(?:{_REL_YEAR}|{_Y}年)?{_HOLIDAY}{_HOLIDAY_TAIL}?|{_NOT_NUM_BEFORE}(?:{_REL_YEAR}|{_Y}年)?{_HOLIDAY_SHORT}{_HOLIDAY_TAIL}",
        # a relative year + a month with 份: 今年2月份, 去年10月份
        rf"{_REL_YEAR}{_M}月份",
        # a Five-Year-Plan period on its own or as a stage: “十四五”(良好开局), “十五五”阶段
        rf"“{_FIVE}”(?![规计纲])(?:阶段)?|{_FIVE}阶段",
        # the first/last N months, the past year: 前10个月, 前两个月, 过去三个月, 过去的一年
        rf"(?:前|过去|最近)(?:\d+|[{CN_DIGIT}几])个?月(?![份日号])(?<!个月个)|过去的(?:\d+|[{CN_DIGIT}几])年",
        # dates written with slashes on web pages: 2020/04/21
        r"(?<!\d)\d{4}/\d{1,2}/\d{1,2}(?![\d/])",
    ]
]
# necessary literals of each pattern (see rules.GATES)
for _pat, _lits in zip(EXTRA_DATE_PATTERNS, (
        ("月",), ("月",), ("月",), ("月",), ("日",), ("季度", "半年"), ("同期", "月", "季度"),
        ("春节", "元旦", "国庆", "中秋", "清明", "端午", "劳动节", "元宵", "重阳节", "七夕节", "五一", "十一", "春运"),
        ("月份",), ("五",), ("月", "过去的"), ("/",))):
    gate(_pat, *_lits)

# a date followed by 同期 is one period: 2019年同期 (以来 stays outside, as in the policy gold:
# [[今年|DATE]]以来)
_DATE_TAIL_RE = re.compile(r"同期")
_YEAR_DATE_RE = re.compile(rf"{_Y}年|{_REL_YEAR}")
_FIVE_TITLE = rf"(?<![二三四五六七八九\d]){_FIVE}"
# an unquoted or quoted Five-Year Plan: 十三五规划 (PROGRAM), 十三五规划纲要 (LAW, a document)
FIVE_YEAR_PLAN_RE = re.compile(rf"(“?){_FIVE_TITLE}(”?)规划(纲要)?")

# 何立峰，男，汉族 / 何立峰（男，…）: a profile opens with the name; 2–3 Han characters after a line
# start or sentence end, then ，男， / （女 …
PROFILE_RE = re.compile(rf"(?:^|(?<=[\n。；！？;!?]))[ \t\u3000]*([{HAN}]{{1,2}}[^\W\d_者人员师])(?:[，,]\s*|[（(])[男女][，,、）)]",
                        re.M)
# “数据二十条”, “国十条”, “新国九条”
QUOTED_ARTICLES_RE = re.compile(rf"“[{HAN}]{{1,6}}[{CN_DIGIT}]{{1,3}}条”")


def find_extra_dates(text: str) -> list[tuple[int, int, str]]:
    out = set()
    for pat in EXTRA_DATE_PATTERNS:
        if not may_match(pat, text):
            continue
        for m in pat.finditer(text):
            out.add((m.start(), m.end(), "DATE"))
    return sorted(out)


def extend_dates(text: str, dates: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A date + 同期 is one period (2019年同期, 上年同期)."""
    out = []
    for s, e, lab in dates:
        m = _DATE_TAIL_RE.match(text, e)
        if lab == "DATE" and m and _YEAR_DATE_RE.fullmatch(text, s, e):
            out.append((s, m.end(), "DATE"))
    return out


def find_five_year_plans(text: str) -> list[tuple[int, int, str]]:
    """十三五规划 / “十四五”规划 → PROGRAM; + 纲要 → LAW (the plan's document)."""
    out = []
    for m in FIVE_YEAR_PLAN_RE.finditer(text):
        if bool(m.group(1)) != bool(m.group(2)):
            continue
        out.append((m.start(), m.end(), "LAW" if m.group(3) else "PROGRAM"))
    return out


def find_profile_persons(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(1), m.end(1), "PERSON") for m in PROFILE_RE.finditer(text)]


def find_quoted_articles(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "LAW") for m in QUOTED_ARTICLES_RE.finditer(text)]


def find_extra_patterns(text: str) -> list[tuple[int, int, str]]:
    """All classes of this module on folded text."""
    from .web_patterns import find_web_patterns  # classes found on scraped web pages (issue 20)

    return (find_extra_dates(text) + find_profile_persons(text) + find_quoted_articles(text)
            + find_five_year_plans(text) + find_web_patterns(text))


# characters that end a name's stem: function words, verbs that link clauses, and 的
_STOP = frozenset("的了在是和与及等为对把将被从向到也都而或并于以由就还又再所其之该各个这那")
# a department's name may hold 和/与/及 and words such as 就业, 以 (人口和就业统计司, 应急减灾与公共服务司)
_DEPT_STOP = _STOP - frozenset("和与及就以个")
_ZONE_RE = re.compile(rf"([{HAN}]{{0,6}}?)(?:经济带|经济圈|城市群|都市圈|经济走廊|经济区|大湾区|湾区)")
_SCHOOL_RE = re.compile(rf"([{HAN}]{{0,8}}?)(?:科学院|研究院|研究所|学院|医院|大学(?!生)|中学(?!生)|小学(?!生))")
_DEPT_RE = re.compile(rf"([{HAN}]{{1,10}}?)(?:司(?![法机令长仪])|政策研究室|研究室|研究中心(?![心]))")


# a facility after a place: 广州新机场, 大渡河丹巴水电站 (≤ 1 character between, ≤ 4 after a river or lake)
_FACILITY_RE = re.compile(rf"([{HAN}]{{0,4}}?)(?:国际机场|新机场|机场|跨海大桥|大桥|水库|水电站|电站|水利枢纽|枢纽|隧道|港区|高速公路)")


def names_after_places(text: str, named: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Zones (LOC) and institutions/ministry departments (ORG) that continue a name in ``named``;
    a facility after a place (广州新机场: LOC). (A country + 政府, a region + 地区 and a river + 流域
    stay apart: MSRA and People's Daily tag the place alone, 中国|政府, 东亚|地区, 汉水|流域.)"""
    out = []
    for s, e, lab in named:
        if lab in ("GPE", "LOC"):
            m = _FACILITY_RE.match(text, e)
            if m and len(m.group(1)) <= (4 if text[e - 1] in "河江湖" else 1) and not any(c in _STOP for c in m.group(1)):
                out.append((s, m.end(), "LOC"))
                continue
            for pat, new in ((_ZONE_RE, "LOC"), (_SCHOOL_RE, "ORG")):
                m = pat.match(text, e)
                if m and not any(c in _STOP for c in m.group(1)):
                    out.append((s, m.end(), new))
                    break
        elif lab == "ORG" and e - s >= 2:
            m = _DEPT_RE.match(text, e)
            if m and not m.group(1).endswith("公") and not any(c in _DEPT_STOP for c in m.group(1)):
                out.append((s, m.end(), "ORG"))
    return out
