"""Pattern rules: 《…》 → LAW, “…”+工程/行动/计划/战略/规划 → PROGRAM, dates → DATE, meetings → EVENT.

Pure functions ``text -> list[(start, end, label)]``; spans follow the contract's boundaries:
the book-title marks belong to the LAW span, the quotation marks to the PROGRAM span.
"""

from __future__ import annotations

import re

from ...codepoints import translate_chars

__all__ = ["find_laws", "find_programs", "find_dates", "find_events", "find_generic_departments", "find_actions",
           "find_patterns"]

HAN = "\u3400-\u9fff"
CN_DIGIT = "〇零一二三四五六七八九十两"
NUM = rf"(?:\d+|[{CN_DIGIT}]+)"

LAW_RE = re.compile(r"《[^《》\n]{1,120}》")

PROGRAM_SUFFIX = r"(?:行动计划|专项行动|工程|行动|计划|战略|规划|倡议|专项)"
PROGRAM_RE = re.compile(
    rf"“[^“”\n《》]{{1,24}}”(?:[{HAN}\d]{{0,4}}?){PROGRAM_SUFFIX}(?!布局)|“[^“”\n《》]{{1,24}}”(?:系列)?活动"
    rf"|“[^“”\n《》、，。,]{{1,20}}(?:行动计划|专项行动|工程|行动|计划|战略|倡议)”"
)
# generic references to a State Council or national department are ORG with their full wording
# (contract guideline: 国务院商务主管部门): 国务院公安部门, 国务院电信主管部门, 国家网信部门
GENERIC_DEPT_RE = re.compile(rf"(?:国务院|国家)(?!有关|相关|其他)(?:(?![的和及与或各等、])[{HAN}]){{1,8}}?"
                             rf"(?:主管部门|行政部门|管理部门|部门)")
# named multi-year actions without quotes: 国企改革三年行动, 农村人居环境整治提升五年行动
ACTION_RE = re.compile(rf"(?:实施|开展|完成|推进|启动|落实|部署|制定|出台|推动|深化)([{HAN}]{{2,14}}?[一二三四五六七八九十]年(?:行动计划|攻坚行动|专项行动|行动))")
# “…” alone, counted as PROGRAM only if the inner text is a known programme (see combine.py)
QUOTED_RE = re.compile(r"“([^“”\n]{1,24})”")

_Y = r"(?:\d{4}|[〇零一二三四五六七八九]{4})"
_M = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_D = r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_RANGE = r"[—–\-－~～至到]"
_SUFFIX = r"(?:上半年|下半年|前三季度|第?[一二三四1-4]季度|年初|年中|年底|年末|中旬|上旬|下旬|底|初|末)"
_REL_YEAR = r"(?:今年|去年|明年|前年|上年|本年|当年|同年|次年|后年)"
_FIVE = rf"十[一二三四五六七八九]?五"

DATE_PATTERNS = [
    re.compile(p)
    for p in [
            # 2024—2026年, 2021至2025年
            rf"{_Y}年?{_RANGE}{_Y}年",
            # 2025年6月底, 2025年1—6月, 一九九七年十二月三十一日, 2025年上半年, 2020年度,
            # 2020年7月份, 2022年4、5月份
            rf"{_Y}年(?:度|{_M}{_RANGE}{_M}月份?|(?:{_M}、)*{_M}月份?(?:{_D}[日号])?)?{_SUFFIX}?",
            # ISO dates
            r"\d{4}-\d{2}-\d{2}",
            # 今年上半年, 去年6月, 今年1—7月
            rf"{_REL_YEAR}(?:{_M}{_RANGE}{_M}月|{_M}月(?:{_D}[日号])?{_SUFFIX}?|{_SUFFIX})?",
            # 6月底, 8月14日, 1—6月
            rf"{_M}{_RANGE}{_M}月|{_M}月{_D}[日号]|(?<![\d{CN_DIGIT}]){_M}月{_SUFFIX}",
            # “十四五”时期, “十三五”末, 十四五期间
            rf"“?{_FIVE}”?(?:时期|期间|末期|末|初期|初|中期|以来)",
            # 过去五年, 未来五年, 近年来, 近几年
            rf"(?:过去|未来|今后|近|前|后)(?:[{CN_DIGIT}几]|\d+)+年(?:来|间)?",
            r"近年来|近年|近些年|(?:十|二十|三十|几十)?多年来",
            rf"(?:\d{{2}}|二十一?|十[一-九]?)世纪(?:\d0|[{CN_DIGIT}]+十)年代(?:初|中期|末)?|(?:二十一?|十[一-九]?|\d{{2}})世纪(?:初|中叶|末|[上下]半叶)?|(?:上世纪)?(?:\d0|[五六七八九]十)年代(?:初|中期|末)?",
    ]
]

_ORD = rf"(?:\d+|[{CN_DIGIT}百]+)"
EVENT_PATTERNS = [
    re.compile(p)
    for p in [
            # 第八届数字中国建设峰会, 第二届全球数字贸易博览会
            rf"第{_ORD}届[{HAN}A-Za-z\d·（）()]{{1,20}}?(?:峰会|博览会|大会|论坛|运动会|交易会|洽谈会|展览会|年会|会议|研讨会|发布会|文化节|艺术节)",
            # 党的二十大, 中共十九大, 十九大
            rf"(?:党的|中共)(?:十[一二三四五六七八九]?|二十[一二三四五六七八九]?|[一二三四五六七八九])大|(?<![十一二三四五六七八九])(?:十[二三四五六七八九]|二十[一二三]?)大(?!类|行业|领域|产业|任务|工程|方面|关系|板块|项目|重点|措施|举措|战略|体系|专项|国|[一二三四五六七八九十])",
            # 党的十八届三中全会, 二十届三中全会, 十七届三中、四中、五中全会
            rf"(?:党的)?(?:十[一二三四五六七八九]?|二十[一二]?)届(?:中央)?[一二三四五六七八九]中(?:、[一二三四五六七八九]中)*全会",
            # 第十一届全国人民代表大会第五次会议
            rf"第?(?:十[一二三四五六七八九]?|二十|[一二三四五六七八九])届全国人民代表大会(?:常务委员会)?第[一二三四五六七八九十]+次(?:全体)?会议",
            # 十四届全国人大三次会议, 全国政协十四届三次会议
            rf"(?:第?(?:十[一二三四五六七八九]?|二十|[一二三四五六七八九])届全国人大(?:常委会)?第?[一二三四五六七八九十]+次(?:全体)?会议|全国政协第?(?:十[一二三四五六七八九]?|[一二三四五六七八九])届(?:全国委员会)?第?[一二三四五六七八九十]+次(?:全体)?会议)",
            # local congress sessions: 市十五届人大五次会议, 省十三届人大常委会第二十次会议
            rf"[省市县区]?第?(?:十[一二三四五六七八九]?|二十|[一二三四五六七八九])届(?:人大|人民代表大会|政协)(?:常委会|常务委员会)?第?[一二三四五六七八九十]+次(?:全体)?会议",
            # 中国共产党第二十次全国代表大会
            rf"(?:中国共产党)?第[{CN_DIGIT}]+次全国代表大会",
            # 第五次中国—东盟领导人会议
            rf"第{_ORD}次[{HAN}—－]{{2,16}}?(?:领导人会议|峰会|会晤|部长级会议|全体会议)",
            # 国务院第N次常务会议
            rf"国务院第?{_ORD}次常务会议",
            # 中央全面深化改革委员会第N次会议
            rf"中央(?:全面深化改革|财经|网络安全和信息化|外事工作|金融|科技)委员会第{_ORD}次(?:全体)?会议",
    ]
]


# Necessary literals: every match of the pattern holds one of these strings, so a text holding none
# of them is not searched (a plain substring test instead of a regex step per character). Keyed by
# the pattern's text: a pattern that is edited loses its gate and is always searched.
GATES: dict[str, tuple[str, ...]] = {}


def gate(pattern: re.Pattern, *literals: str) -> None:
    GATES[pattern.pattern] = literals


def may_match(pattern: re.Pattern, text: str) -> bool:
    """False only when ``text`` holds none of the pattern's necessary literals (see :data:`GATES`)."""
    literals = GATES.get(pattern.pattern)
    return literals is None or any(w in text for w in literals)


for _pat, _lits in zip(DATE_PATTERNS, (("年",), ("年",), ("-",), ("年",), ("月",), ("五",), ("年",),
                                       ("近年", "近些年", "多年来"), ("世纪", "年代"))):
    gate(_pat, *_lits)
for _pat, _lits in zip(EVENT_PATTERNS, (("届",), ("大",), ("全会",), ("全国人民代表大会",), ("全国人大", "全国政协"),
                                        ("届",), ("全国代表大会",), ("次",), ("国务院",), ("委员会",))):
    gate(_pat, *_lits)


# same-length folding so the patterns see ASCII digits (１９９８年 → 1998年, 一九八○年 → 一九八〇年)
_FOLD = str.maketrans("０１２３４５６７８９○", "0123456789〇")


# Newspapers and magazines in book-title marks are media (ORG, the name without the marks), not
# documents: 《求是》杂志, 《人民日报》.
PERIODICALS = frozenset(
    "求是 人民日报 光明日报 经济日报 解放军报 科技日报 中国日报 学习时报 参考消息 环球时报 新华每日电讯 人民论坛 瞭望 "
    "半月谈 红旗文稿 中国青年报 工人日报 农民日报 法治日报 法制日报 中国纪检监察报 人民政协报 经济参考报 中国证券报 "
    "上海证券报 证券时报 金融时报 中国青年 旗帜 党建 紫光阁 人民画报 北京日报 解放日报 文汇报 南方日报 大众日报".split()
)
_PERIODICAL_RE = re.compile(rf"[{HAN}]{{1,10}}(?:日报|晚报|早报|晨报|时报|商报|周刊|周报|导报|青年报|画报|月刊|半月刊"
                            rf"|(?<![通简公年快情汇])报|新闻网|网|杂志)")


def find_laws(text: str) -> list[tuple[int, int, str]]:
    """《…》 spans: LAW with the marks, or ORG without them for a newspaper or magazine."""
    out = []
    for m in LAW_RE.finditer(text):
        inner = m.group()[1:-1]
        if inner in PERIODICALS or _PERIODICAL_RE.fullmatch(inner):
            out.append((m.start() + 1, m.end() - 1, "ORG"))
        else:
            out.append((m.start(), m.end(), "LAW"))
    return out


def find_programs(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "PROGRAM") for m in PROGRAM_RE.finditer(text)]


def find_dates(text: str) -> list[tuple[int, int, str]]:
    out = set()
    for pat in DATE_PATTERNS:
        if not may_match(pat, text):
            continue
        for m in pat.finditer(text):
            s, e = m.start(), m.end()
            # a bare year number glued to more digits is not a date (e.g. 12025年)
            if s > 0 and text[s - 1].isdigit():
                continue
            out.add((s, e, "DATE"))
    return sorted(out)


def find_events(text: str) -> list[tuple[int, int, str]]:
    return sorted({(m.start(), m.end(), "EVENT") for pat in EVENT_PATTERNS if may_match(pat, text)
                   for m in pat.finditer(text)})


def find_generic_departments(text: str) -> list[tuple[int, int, str]]:
    """国务院公安部门, 国务院电信主管部门, 国家网信部门 (not 国务院有关部门) → ORG."""
    return [(m.start(), m.end(), "ORG") for m in GENERIC_DEPT_RE.finditer(text)]


def find_actions(text: str) -> list[tuple[int, int, str]]:
    """An N-year action named after 实施/开展/完成… (深入实施国企改革三年行动) → PROGRAM."""
    return [(m.start(1), m.end(1), "PROGRAM") for m in ACTION_RE.finditer(text)]


def find_patterns(text: str) -> list[tuple[int, int, str]]:
    """All pattern matches (may overlap across labels; the combiner resolves them)."""
    from .extra_patterns import find_extra_patterns  # v3 classes (periods, ranges, profiles)

    text = translate_chars(text, _FOLD)
    from .extra_patterns import extend_dates
    from .web_patterns import extend_events

    found = (find_laws(text) + find_programs(text) + find_events(text) + find_dates(text)
             + find_generic_departments(text) + find_actions(text) + find_extra_patterns(text))
    return found + extend_dates(text, found) + extend_events(text, found)
