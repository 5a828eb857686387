"""Pure-function numeric claim extraction (contract section 5).

``extract_claims(text, doc_date=None) -> list[dict]``: every number in ``text`` that asserts
something (a level, a change, a multiple, a share or a rank), with its value folded into base
units, unit, qualifier, kind, modality, subject, time and comparison reference.

The extractor is rule based and explains itself in code: :func:`find_numbers` finds candidate
numbers, :func:`reject_reason` says why a candidate is not a claim (a table of negatives),
and one helper per field fills it (``_qualifier``, ``_claim_kind``, ``_modality``, ``_claim_time``,
``_claim_reference``, ``_claim_subject``), reading the sentence context read once per sentence.
Works on normalised (simplified, Chinese punctuation) text and on raw text with ASCII
punctuation or full-width digits.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field, replace
from typing import Iterator

from policytext.numbers.tables import CAPITAL_WORD_CHARS, CURRENCY_BEFORE, MONEY_SUBUNITS

from policytext.components.sentences import split_sentences

from .numbers import CN_DIGITS, numeral_view, parse_number_ex, parse_range, to_halfwidth
from .times import after_document_date, find_times, resolve_time

__all__ = ["extract_claims", "find_numbers", "is_rank", "reject_reason", "resolve_time", "Candidate", "UNITS"]

# --------------------------------------------------------------------------- units
# Measure words after a number (longest first at match time). Magnitude words (万, 亿...) are
# folded into the value before a unit is read, so 万元 -> 元, 亿人次 -> 人次.
UNITS = sorted(
    """
个百分点 百分点 个基点 基点 % ‰ 倍
元人民币 美元 欧元 港元 日元 英镑 元 圆 两 港币 美金 卢布 韩元 澳元 加元 新台币 法郎 块钱 毛钱
人次 户次 家次 件次 辆次 架次 班次 车次 人年 人 名 位 户 家 项 件 个 张 所 座 台 套 条 次 种 类 篇 部 份 辆 架 艘
颗 枚 株 棵 头 只 批 期 例 起 宗 笔 单 册 门 处 块 间 栋 幢 支 支队 对 双 场 轮 首 集 款 本 片 根 口 盏 眼 粒 亩
个月 个工作日 工作日 天 小时 分钟 秒 岁 周岁
平方公里 平方千米 平方米 公顷 公里 千米 厘米 毫米 米 立方米 吨标准煤 吨 千克 公斤 克 斤 升 桶 标准箱 标箱
千瓦时 千瓦 兆瓦时 兆瓦 吉瓦 瓦 千伏 兆帕 兆赫 兆焦 度 方面
泽字节 艾字节 拍字节 太字节 吉字节 字节 PB EB ZB TB GB MB T EFLOPS PFLOPS TFLOPS FLOPS Tbps Gbps Mbps kWh GW MW kW TEU Tokens Token tokens token
""".split(),
    key=len,
    reverse=True,
)
_UNIT_NOT_BEFORE = {
    "家": "庭长属乡园", "人": "口民员才群们士工类均大事", "个": "体人性", "户": "籍口", "名": "单称义",
    "位": "于置", "台": "风湾阶", "条": "件例约款", "部": "门分署长委队", "项": "目", "件": "事", "所": "有在得以属",
    "次": "要序生", "种": "植子业类", "类": "似型别", "份": "额", "批": "准复发", "期": "间限待", "处": "理置罚于",
    "块": "链", "门": "槛户", "头": "部", "只": "有是要能", "场": "景所", "轮": "流", "首": "都次批先位", "单": "位一",
    "集": "团中聚成群体", "款": "项", "本": "地身届质领", "片": "区", "根": "本据", "口": "径岸", "宗": "教旨",
    "度": "过", "天": "然地下", "元": "素旦首结化论制体宵", "圆": "满形梦", "两": "个项年次位名种家人条倍千百万亿十天月岸国会院手地党",
}
_UNIT_RE = re.compile("|".join(
    re.escape(u) + (f"(?![{_UNIT_NOT_BEFORE[u]}])" if u in _UNIT_NOT_BEFORE else "") for u in UNITS))
# units a bare Chinese numeral (no 万/亿) may carry to count as a claim: counts, not 条/届/大
_CN_COUNT_UNITS = {
    "个", "户", "家", "项", "件", "人次", "人", "名", "位", "所", "座", "台", "套", "种", "类", "批", "倍",
    "个百分点", "百分点", "%", "元", "亿元", "万元", "美元", "艘", "颗", "架", "辆", "篇", "部", "张", "岁",
    "个月", "天", "小时", "吨", "公里", "平方公里", "亩", "公顷", "千瓦", "千瓦时", "PB", "EFLOPS", "条", "方面",
}
# a single Chinese digit (三个, 五项) is a count claim only with these measure words and a verb of
# building/issuing/having before it (建成三个示范区, 出台五项措施, 共有三家); elsewhere it is a word
_CN_SINGLE_COUNT_UNITS = {"个", "项", "条", "家", "所", "座", "批", "种", "类", "方面", "名", "位", "支", "套", "部", "件"}
_COUNT_VERB_BEFORE = re.compile(
    r"(?:有|共|建成|建设|推出|出台|设立|新增|达到|达|累计|形成|涵盖|包括|覆盖|培育|创建|认定|获批|入选|获得|发布|制定|修订|实施|"
    r"开展|布局|打造|新建|启动|完成|批准|举办|签署|签订|组建|成立|增加|减少|增至|增加到|扩大到|扩展到|拓展到)(?:了)?(?:共|累计|总计)?$")
_LATIN_UNITS = {u for u in UNITS if u.isascii() and u.isalpha()}

# --------------------------------------------------------------------------- cues
QUAL_BEFORE = {
    ">": ["超过", "超出", "超", "突破", "逾", "高于", "多于", "大于", "破"],
    ">=": ["至少", "不少于", "不低于", "不下于", "起码"],
    "<": ["不到", "不足", "低于", "少于", "小于", "不满", "未达到", "未达"],
    "<=": ["不超过", "不高于", "不大于", "最多", "至多", "以内"],
    "~": ["约为", "约", "大约", "近", "接近", "将近", "逼近", "近乎", "大概", "上下"],
    "=": ["达到", "达", "为", "是", "计", "共", "有", "控制在", "稳定在", "保持在"],
}
_QB = sorted(((w, q) for q, ws in QUAL_BEFORE.items() for w in ws), key=lambda x: -len(x[0]))
_QB_DICT = dict(_QB)
# the same cue words as one regex ending where the number starts (searched in a short window)
_QB_END = re.compile("(?:" + "|".join(("(?<![最附])近" if w == "近" else "(?<!突)破" if w == "破" else re.escape(w))
                                      for w, _ in _QB) + ")$")
_QB_LONGEST = max(len(w) for w, _ in _QB)
_FILLER_END = re.compile("(?:了|已经|已|平均|均|分别|累计|首次|历史性)$")
QUAL_AFTER = [("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="), ("以内", "<="),
              ("之内", "<="), ("左右", "~"), ("上下", "~"), ("前后", "~"), ("之多", "="), ("多", ">"), ("余", ">")]
_QUAL_AFTER_DICT = dict(QUAL_AFTER)
_QUAL_AFTER_RE = re.compile("|".join(re.escape(w) for w, _ in QUAL_AFTER))
_FILLER = ["了", "已经", "已", "均", "分别", "累计", "共计", "总计", "合计", "就", "也", "都", "仍", "再", "又",
           "首次", "历史性地", "历史性", "同比", "环比", "年均", "平均", "连续", "还", "将", "可", "能"]
CHANGE_VERBS = ["增长", "增加", "下降", "减少", "提高", "提升", "降低", "上升", "上涨", "回落", "下滑", "扩大",
                "缩小", "缩减", "压减", "削减", "减", "增", "降", "涨", "跌", "升", "多", "少", "高出", "低出", "高", "低",
                "增速", "增幅", "涨幅", "降幅", "跌幅", "增产", "减产", "增速为", "增幅为", "涨幅为", "降幅为", "增长率为", "增长率"]
_CHANGE_RE = re.compile(
    r"(?:" + "|".join(sorted(map(re.escape, CHANGE_VERBS), key=len, reverse=True)) + r")"
    r"(?:了)?(?:" + "|".join(sorted((re.escape(w) for w, _ in _QB if w not in ("为", "是", "有", "计", "共", "达", "达到")), key=len, reverse=True)) + r")?$"
)
_LEVEL_AFTER_VERB = re.compile(r"(?:增长|增加|下降|减少|提高|提升|降低|上升|上涨|回落|下滑|扩大|缩小|缩减|压减|削减|减|增|降|升)"
                               r"(?:了)?(?:到|至|为)")
TARGET_CUES = re.compile(r"预期目标|目标是|目标为|目标[:：]|力争|争取|确保|(?<![模比])拟|要达到|要求.{0,6}达到|计划(?:到|在|于)|规划到|(?:^|(?<=[，,。；;：:\s“]|争|计|划|标))(?:到|至)20\d\d年"
                         r"|(?<![需只还])要(?=增长|达到|提高|下降|降低|保持|实现|控制|压减|完成)")
FORECAST_CUES = re.compile(r"预计|预测|预估|有望|估计|将达到|将超过|将突破")
RANK_BEFORE = re.compile(r"(?:排名|排|位居|位于|居于|位列|列|跃居|稳居|升至|跃升至|上升至|上升到|提升至|提升到|居)(?:世界|全球|全国|亚洲|国际|榜单)?(?:首位)?$")

# --------------------------------------------------------------------------- regexes
# thousands separators: 1,234; 1 234; a full-width comma only before decimals or 元 (82，225.00元)
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:，\d{3})+(?=\.\d|元|万元|亿元)|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d.])|\d+)(?:[.·]\d+)?"
# A minus sign where a number follows a verb or a mark (增长-3.5%, 同比-0.3%), not between two
# numbers or after a unit (6%-6.5%, 3万-5万: ranges); 点 between Chinese digits is a decimal point.
_MINUS = r"(?:(?:(?<=[长为是达到至从率幅速值比约在于：:（(，,、\s])|^)-(?=\d))?"
_CN_POINT = r"(?<=[零〇一二两三四五六七八九十])点(?=[零〇一二三四五六七八九])"
_CN = "零〇○一二两三四五六七八九十百千万亿兆"
# 负 as a sign only after a cue or outside a word: 气温负三十二度, 增速为负三; never 税负5700亿, 负担
_NEG_WORD = r"(?:(?<=[长为是达到至从率幅速值比约在于温：:（(，,、\s])|^)负(?=[\d零〇一二两三四五六七八九十])"
_RUN_RE = re.compile(
    rf"(?:{_MINUS}|{_NEG_WORD})(?:{_NUM}|[{_CN}几])"
    rf"(?:{_NUM}|{_CN_POINT}|[{_CN}几多余]|(?<=[{_CN}])[ \u3000]{{1,3}}(?=[{_CN}]))*"
)
_SPECIAL_RE = re.compile(
    r"(?P<pct>百分之(?P<pnum>\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|[零〇一二两三四五六七八九十百点.\d]+))"
    r"|(?P<frac>(?P<den>[一二三四五六七八九十百千万\d]{1,6})分之(?P<numer>[零〇一二两三四五六七八九十百千点\d.]{1,12}))"
    r"|(?P<slash>(?<![\d/.])(?P<snum>[1-9])/(?P<sden>[2-9]|10)(?![\d/.])(?=以上|以下|左右|的|多|[，,。；;]))"
    r"|(?P<fan>翻(?:了)?(?P<fannum>一|两|三|四|1|2|3|4)番(?P<fanmore>多)?)"
    r"|(?P<cheng>(?<=[占超近约达逾过降升增到至为])(?P<cnum>[一二三四五六七八九])成(?![为立功果本员长])"
    r"|(?<![\d一二三四五六七八九十百千万])(?P<cnum2>[一二三四五六七八九])成(?=以上|左右|多))"
)
#: sentence ends for claims (``split_sentences``'s light rule, on half-width text): 【】 too
CLAIM_END_MARKS = "。！？!?\n【】"
_CLAUSE_BOUND = re.compile(r"[。！？!?\n，,；;：:【】()（）“”]")
_SUBJ_BOUND = re.compile(r"[。！？!?\n，,；;：:【】“”]")

_REF_PATTERNS = [
    re.compile(r"与(?P<ref>[^，,。；;：:]{1,20}?)相比"),
    re.compile(r"(?:相比|(?<![对相环同])比(?![例重率较])|较之|(?<!比)较(?![大快好多高低少慢小强弱为]))(?P<ref>[^，,。；;：:与]{1,16}?)(?=(?:分别|总体|整体|年均|累计)?(?:" + "|".join(
        ["增长", "增加", "下降", "减少", "提高", "提升", "降低", "上升", "上涨", "回落", "下滑", "扩大", "缩小", "缩短",
         "压减", "削减", "增", "降", "减", "涨", "多", "少", "高", "低", "翻"]) + r"))"),
    re.compile(r"(?P<ref>同比|环比)"),
    re.compile(r"(?:相当于|是|为)(?P<ref>[^，,。；;：:]{1,30}?)的(?=(?:近|约|超过)?[\d一二两三四五六七八九十几.]+(?:多|余)?倍)"),
]
_LEAD_STRIP = re.compile(
    r"^(?:其中|同时|此外|另外|目前|当前|现在|截至目前|截至|截止到|截止|到|在|我国|全国|全省|全市|全区|中国|全年|今年|去年|上年|本年|"
    r"一年来|过去一年|过去五年|五年来|十年来|这|特别是|尤其是|而且|而|并且|并|且|其|总体上|总体来看|整体上|和|及|以及|——|—|-|·|\s|"
    r"已经|已|累计|共|均|还|也|其中|同期|期间|以来|底|末|初|上半年|下半年|前三季度|一季度|二季度|三季度|四季度|的|"
    r"(?:\d+|[一两三四五六七八九十])(?:年半?|个多?月|天|周)(?:多)?(?:时间|来|以来|间|内)?|一次性|合计|惠及|安排|降到|降至|增加到|增至|可以将|可将|多年来|多年累计|多年|阶段性|将|新建改建|新建|改建|跃升到|跃升至|上升到|上升至|提高到|提高至|目前的|目前|综合|预计|预测|拟安排|拟|计划|力争|争取|确保|先|"
    r"(?:19|20)\d\d年(?:\d{1,2}月)?(?:底|末|初|份)?|\d{1,2}月(?:底|末|份)?|“十[一二三四五六七八九]五”(?:时期|期间|以来)?|"
    # list markers: 1. 2、 （一） (3) 一是 第二， ①
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.．、](?!\d)|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]|"
    r"[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，,、]|[①-⑳])+"
)
_TRAIL_STRIP = re.compile(
    r"(?:" + "|".join(sorted(map(re.escape, _FILLER + [w for w, _ in _QB] + CHANGE_VERBS + [
        "到", "至", "在", "从", "由", "第", "居", "位居", "位列", "跃居", "稳居", "世界", "全球", "的", "保持在", "稳定在",
        "保持", "实现", "完成", "达到了", "为了", "以", "按", "拟按", "拟", "拟安排", "安排", "各", "每", "先", "再", "跃上", "跃升至", "跃升到", "延长", "延长至", "延长到",
        "缩短", "缩短至", "缩短到", "新增", "净增", "带动", "惠及", "覆盖", "吸引", "接入", "更是", "更", "只需要",
        "仅需要", "需要", "只需", "仅需", "最快", "最多", "可以", "可", "能够", "连年", "连续", "多年", "净", "年内", "年底前", "当年", "压缩", "压缩至", "压缩到", "实际", "名义", "比重", "增至", "减至", "降至", "升至", "超过了", "突破了", "新增了"]), key=len, reverse=True))
    + r"|\s)+$"
)
# modal words between a subject and its number (公共数据开放数量力争达到, 贷款要增长, M2预期增长):
# the claim's modality, not its subject
_MODAL_END = re.compile(r"[都也还均则就仍]*(?:力争|争取|确保|预计|有望|可望|计划|预测|预估|估计|预期|(?<![主重需想只必])要)+$")

_SKIP_AFTER = re.compile(
    r"^(?:年|月|日|号|时|点(?!\d)|分(?!之)|秒钟|周年|年代|后(?![^\d]{0,2}[增降提])|大(?!于|约|幅|关)|届|中全会|次全国|次会议|"
    r"次代表大会|五”|条”|热线|个一|\"|”|·|路|线(?!上)|号线|版|期(?!间)|代|级|类”|星|环)"
)


# The rules call literal patterns ~40 times per number; ``re.search(pattern, s)`` pays a cache
# lookup in Python each time, ``_re(pattern)`` one in C: the claims stage runs ~1.5x faster.
_re = functools.lru_cache(maxsize=None)(re.compile)


@dataclass
class Candidate:
    start: int  # number start (incl. prefix such as 几/数/上)
    end: int  # end of number, unit and trailing qualifier
    num_text: str
    value: float
    unit: str | None
    approx: bool  # 多/余/几 inside
    num_end: int  # end of the numeral itself
    unit_end: int
    after_qual: str | None = None
    value_max: float | None = None
    special: str | None = None  # frac / pct / fan / cheng / rank
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- number finding
def _read_unit(t: str, i: int) -> tuple[str | None, int]:
    """Unit starting at i (after optional 多/余 and one space)."""
    j = i
    if j < len(t) and t[j] == " " and j + 1 < len(t) and t[j + 1].isascii() and t[j + 1].isalpha():
        j += 1
    m = _UNIT_RE.match(t, j)
    if not m:
        return None, i
    u = m.group()
    end = m.end()
    if u in _LATIN_UNITS:
        # a Latin unit must end the Latin word: 5GB ok, 5Gbit no
        if end < len(t) and t[end].isascii() and t[end].isalpha():
            return None, i
        if u in ("token", "tokens", "Token", "Tokens"):
            u = "Token"
    # composite rate units: 元/吨, 元/千瓦时
    if end < len(t) and t[end] == "/":
        m2 = _UNIT_RE.match(t, end + 1)
        if m2:
            u = u + "/" + m2.group()
            end = m2.end()
    return u, end


def _magnitude_backoff(t: str, s: int, e: int) -> int:
    """Give back a trailing 千/百/兆 that starts a unit (3万千瓦 -> 3万 + 千瓦, 1万亿千瓦时, 5兆瓦),
    trailing spaces, and a 两 after a digit that is the weight unit (二两)."""
    while e - 1 > s:
        ch = t[e - 1]
        if ch in "千百兆":
            u = _UNIT_RE.match(t, e - 1)
            if u and len(u.group()) > 1 and u.group()[0] == ch:
                e -= 1
                continue
        elif ch in " \u3000":
            e -= 1
            continue
        elif ch == "两" and t[e - 2] in _DIGIT_CHARS + "十百千万亿" and t[e - 2] != "一":
            # 二两, 四十两: the weight; 一两 stays a pair (一两个, 一两年, 一两点钟: one or two)
            e -= 1
            continue
        break
    return e


_DIGIT_CHARS = "零〇○一二三四五六七八九0123456789"
_UNIT_ALIASES = {"圆": "元", "元人民币": "元", "块钱": "元", "港币": "港元", "美金": "美元"}
_UNIT_WORD_AFTER_GE = re.compile("万一|万物|万事|亿万")
_JIAO = "".join(k for k, v in MONEY_SUBUNITS.items() if v == 0.1)  # 角 毛
_FEN = "".join(k for k, v in MONEY_SUBUNITS.items() if v == 0.01)  # 分
_MONEY_SUB_RE = re.compile(rf"(?:(?P<jiao>[0-9一二两三四五六七八九])[{_JIAO}](?:零?(?P<fen1>[0-9一二两三四五六七八九])[{_FEN}](?!钟|之))?"
                           rf"|零?(?P<fen>[0-9一二两三四五六七八九])[{_FEN}](?!钟|之))")
_CURRENCY_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, CURRENCY_BEFORE), key=len, reverse=True)) + r")[ ]?$")
_CHAIN_GAP, _CHAIN_MAX = 2, 8  # a number within 2 characters of the previous one extends a chain
_MAX_NUMERAL = 40  # a longer run is not a numeral (adversarial or a code): skipped whole


def _cn_digit(ch: str) -> int:
    return int(ch) if ch.isdigit() else CN_DIGITS[ch]


def find_numbers(text: str) -> list[Candidate]:
    """All candidate numbers (before rejection), with value and unit read."""
    t = numeral_view(text)  # capital numerals as ordinary ones; same length as ``text``
    out: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for m in _SPECIAL_RE.finditer(t):
        s, e = m.span()
        if m.group("frac"):
            den, _ = parse_number_ex(m.group("den"))
            num, _ = parse_number_ex(m.group("numer"))
            if not den or num is None:
                continue
            share = num / den * 100
            share = float(f"{share:.12g}") if den in (100, 1000, 10000) else round(share, 2)
            c = Candidate(s, e, m.group(), share, "%", False, e, e, special="frac")
        elif m.group("slash"):
            num, den = int(m.group("snum")), int(m.group("sden"))
            if num >= den:
                continue
            c = Candidate(s, e, m.group(), round(num / den * 100, 2), "%", False, e, e, special="frac")
        elif m.group("pct"):
            v, _ = parse_number_ex(m.group("pnum"))
            if v is None:
                continue
            c = Candidate(s, e, m.group(), v, "%", False, e, e, special="pct")
        elif m.group("fan"):
            n = {"一": 1, "两": 2, "三": 3, "四": 4}.get(m.group("fannum")) or int(m.group("fannum"))
            c = Candidate(s, e, m.group(), float(2 ** n), "倍", bool(m.group("fanmore")), e, e, special="fan")
        else:
            c = Candidate(s, e, m.group(), CN_DIGITS[m.group("cnum") or m.group("cnum2")] * 10.0, "%", False, e, e,
                          special="cheng")
        for w, q in QUAL_AFTER:
            if w not in ("多", "余") and t.startswith(w, e):
                c.after_qual, c.end = q, e + len(w)
                break
        out.append(c)
        taken.append((s, e))
    # ``taken`` is sorted and non-overlapping (finditer order): overlap test by bisection, not a scan.
    taken_starts = [a for a, _ in taken]
    consumed = 0  # end of the last money sub-unit read (5元3角: 3 is not a number of its own)
    chain, last_end = 0, -10
    for m in _RUN_RE.finditer(t):
        s, e = m.span()
        # runs packed one after another (1%1%1%…, 1至1至…) are noise, not prose: past a few, skipped
        # before parsing, so that the stage stays linear and cheap on them
        chain = chain + 1 if s - last_end <= _CHAIN_GAP else 0
        last_end = e
        if e - s > _MAX_NUMERAL or s < consumed or chain >= _CHAIN_MAX:
            continue
        i = bisect.bisect_left(taken_starts, e) - 1
        if i >= 0 and taken[i][1] > s:
            continue
        e = _magnitude_backoff(t, s, e)
        if e - s == 1 and text[s] in CAPITAL_WORD_CHARS:
            continue  # a capital numeral alone is a word: 大陆, 水陆两路, 队伍, 收拾
        raw = t[s:e]
        # a leading 几/数/上 marks approximation: 上千万, 数百万
        pre = s
        if s > 0 and t[s - 1] in "数上" and raw[0] in "十百千万亿":
            pre = s - 1
        num_text = t[pre:e]
        value, approx = parse_number_ex(num_text)
        value_max = None
        unit, ue = _read_unit(t, e)
        if value is None:
            # an estimate: 八九亿, 七八十个, 三五年, 一两个
            rng = parse_range(num_text, bare=unit is not None)
            if not rng:
                continue
            value, value_max, approx = rng[0], rng[1], True
        if unit is None and t.startswith("年", e) and not _re(r"年[月底初末前后来以间内度代份级中均]").match(t[e:e + 2]) and (
                "." in raw or (value <= 100 and _re(r"(?:从|提高到|提高至|延长到|延长至|增加到|达到|年限|寿命|期限为)$").search(t[max(0, pre - 6):pre]))):
            unit, ue = "年", e + 1  # durations: 受教育年限从13.5年提高到14年
        if unit == "个" and ue < len(t) and t[ue] in "亿万" and not _UNIT_WORD_AFTER_GE.match(t, ue):
            value *= 1e8 if t[ue] == "亿" else 1e4  # 两个亿, 三个亿美元: 个 before the magnitude
            e = ue + 1
            unit, ue = _read_unit(t, e)
        elif unit == "个" and t.startswith("半", ue):  # 一个半小时 = 1.5 小时, 两个半月 = 2.5 个月
            value += 0.5
            u2, ue2 = _read_unit(t, ue + 1)
            if u2 is None and t.startswith("月", ue + 1):
                u2, ue2 = "个月", ue + 2
            unit, ue = (u2, ue2) if u2 else ("个", ue + 1)
        elif unit == "块" and (t.startswith("钱", ue) or _MONEY_SUB_RE.match(t, ue)):
            unit, ue = "元", ue + (1 if t.startswith("钱", ue) else 0)  # 100块钱, 九十八块三毛
        elif unit == "毛钱":
            value, unit = round(value * 0.1, 2), "元"  # 5毛钱 = 0.5 元
        unit = _UNIT_ALIASES.get(unit, unit)
        if unit == "元":  # 123元1角1分, 五元三毛, 玖仟陆佰陆拾伍圆壹角捌分
            mm = _MONEY_SUB_RE.match(t, ue)
            if mm and value_max is None:
                jiao, fen = mm.group("jiao"), mm.group("fen1") or mm.group("fen")
                value = round(value + (_cn_digit(jiao) * 0.1 if jiao else 0) + (_cn_digit(fen) * 0.01 if fen else 0), 2)
                ue = consumed = mm.end()
        if pre > 0 and (unit is None or unit == "元") and t[pre - 1] in "￥¥$€£BYDRP币 ":
            cm = _CURRENCY_RE.search(t, max(0, pre - 5), pre)
            if cm and (unit is None or CURRENCY_BEFORE[cm.group().strip()] == "元"):
                unit = CURRENCY_BEFORE[cm.group().strip()]
                if not cm.group().startswith("人民币"):
                    pre = cm.start()
        # 1200多类 / 300多倍 are read inside the run; 5倍多 / 3个多月 after the unit
        end = ue
        after_qual = None
        mq = _QUAL_AFTER_RE.match(t, end)
        if mq and not (mq.group() in ("多", "余") and unit is None):
            after_qual = _QUAL_AFTER_DICT[mq.group()]
            end = mq.end()
            if mq.group() in ("多", "余"):
                u2, ue2 = _read_unit(t, end)
                if u2 and unit == "个":  # 3个多月
                    unit, end = "个" + u2 if u2 == "月" else u2, ue2
        c = Candidate(pre, end, t[pre:e], value, unit, approx, e, ue, after_qual, value_max=value_max)
        if value_max is not None:
            c.extra["estimate"] = True
        out.append(c)
    out.sort(key=lambda c: c.start)
    return _merge_ranges(t, out)


_RANGE_SEP = re.compile(r"\s*(?:--|——|[~\-—–]|至|到)\s*")
_BIG = "万亿兆"
_SMALL = "十百千"


def _low_end_magnitude(a_text: str, b_text: str, lo: float, hi: float) -> float:
    """The low end of a range takes the magnitude written once on the high end:
    3-5万 -> 3万, 一百二十到一百五十万 -> 120万, 七千到九千亿 -> 7000亿, 3-5千亿 -> 3千亿."""
    if any(ch in _BIG for ch in a_text):
        return lo
    tail = _re(r"[十百千万亿兆]+$").search(b_text.rstrip("多余"))
    if not tail:
        return lo
    run = tail.group()
    big = run.lstrip(_SMALL)
    options = [big] if any(ch in _SMALL for ch in a_text) else [run, big]
    for suffix in options:
        if not suffix:
            continue
        mv, _ = parse_number_ex("1" + suffix)
        if mv and lo * mv <= hi:
            return lo * mv
    return lo


def _merge_ranges(t: str, cands: list[Candidate]) -> list[Candidate]:
    """3~5个, 3至5个, 3%-5%, 3-5万元: one candidate with value (low) and value_max (high)."""
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        if i + 1 < len(cands) and a.special is None and a.value_max is None:
            b = cands[i + 1]
            gap = t[a.unit_end:b.start]
            if (b.special is None and b.value_max is None and len(gap) <= 5 and _RANGE_SEP.fullmatch(gap)
                    and a.after_qual is None and (a.unit is None or a.unit == b.unit)
                    and not _re(r"(?:19|20)\d\d").fullmatch(a.num_text)):
                lo, hi = a.value, b.value
                if a.unit is None:
                    lo = _low_end_magnitude(a.num_text, b.num_text, lo, hi)
                if lo <= hi:
                    out.append(Candidate(a.start, b.end, t[a.start:b.num_end], lo, b.unit, a.approx or b.approx,
                                         b.num_end, b.unit_end, b.after_qual, value_max=hi,
                                         extra={"range": True, "first_end": a.num_end}))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out


# --------------------------------------------------------------------------- negatives
def has_digit_fn(s: str) -> bool:
    return bool(_re(r"\d").search(s))


def is_rank(t: str, c: Candidate) -> bool:
    """An ordinal that is a rank claim: ``居全球第3位``, ``排名第5``, ``第 2 名``."""
    s = c.start
    if not (s > 0 and (t[s - 1] == "第" or (t[s - 1] == " " and t[max(0, s - 12):s].endswith("第 ")))):
        return False
    return bool(_re(r"\s*(?:位|名)").match(t[c.num_end:c.num_end + 80]) or RANK_BEFORE.search(t[max(0, s - 12):s - 1]))


def reject_reason(t: str, c: Candidate) -> str | None:
    """Why candidate ``c`` in (half-width) text ``t`` is not a claim, or None if it may be one.

    Reads ``c`` and never changes it (a rank, ``第3位``, is told by :func:`is_rank`)."""
    s, ne = c.start, c.num_end
    num = c.num_text
    before = t[max(0, s - 12):s]
    after = t[ne:ne + 8]
    prev = t[s - 1] if s > 0 else "\n"
    has_digit = bool(_re(r"\d").search(num))
    has_big = bool(_re(r"[万亿]").search(num))
    has_small = bool(_re(r"[十百千]").search(num))
    if c.special in ("frac", "pct", "fan", "cheng"):
        if c.special == "frac" and prev == "之":
            return "之一"
        if _re(r"(?:罚款|罚金|并处|处以|处)[^，。；]{0,30}$").search(t[max(0, s - 40):s]) and _re(r"罚").search(t[c.end:c.end + 30]):
            return "fine (norm, not a claim)"
        if _re(r"[^，。；]{0,20}(?:的)?(?:罚款|罚金)").match(t[c.end:c.end + 80]):
            return "fine (norm, not a claim)"
        return None
    if prev == "第" or (prev == " " and before.endswith("第 ")):
        return None if is_rank(t, c) else "ordinal (第…)"
    if prev == "之" and num == "一":
        return "之一"
    if _re(r"(?:以下|如下|下列|下面|上述|以上)(?:的)?$").search(before) and c.unit in ("个", "项", "条", "种", "类", "点", "方面"):
        return "enumeration (以下4个方面)"
    if _re(r"^[、.．)）]").match(t[ne:ne + 80]) and c.unit is None:
        line_start = s == 0 or t[s - 1] in "\n\r \u3000\t(（" or t[max(0, s - 1)] == "("
        if line_start or prev in "(（" or (t[ne] == "、" and not has_digit_fn(num) and len(num) <= 2 and prev in "、\n"):
            return "section numbering"
    if prev in "(（" and t[ne:ne + 1] in (")", "）") and c.unit is None:
        return "section numbering"
    if c.unit is None and c.extra.get("range") is None and _SKIP_AFTER.match(t[ne:ne + 80]):
        return "date/ordinal/name (" + t[ne:ne + 3] + ")"
    if c.unit in ("个",) and _re(r"个(?:一)").match(t[c.unit_end - 1:c.unit_end + 80]):
        return "name"
    if prev == "“" or t[ne:ne + 1] == "”" or (c.unit and t[c.unit_end:c.unit_end + 1] == "”" and not has_digit):
        if not has_digit:
            return "quoted name (十四五, 一带一路)"
    if _in_title(t, s, c.end, "《", "》") or (not has_digit and _in_title(t, s, c.end, "“", "”")):
        return "inside a title or quoted name (《…》, “数据二十条”)"
    # Latin context: 5G, C919, H100, GB/T 35273, PM2.5, 5G-A
    if prev.isascii() and (prev.isalpha() or prev in "/-_"):
        return "inside a Latin token"
    if prev == " " and s >= 2 and t[s - 2].isascii() and t[s - 2].isalpha():
        return "after a Latin token"
    if c.unit is None and ne < len(t) and t[ne].isascii() and t[ne].isalpha():
        return "technology/model name (5G, 3D)"
    # dates, times, versions: 2025-08-15, 10:30, 2025.08.15
    if _re(r"[:：]\d").match(t[ne:ne + 2]) or (prev in ":：" and s >= 2 and t[s - 2].isdigit()):
        return "time of day"
    if _re(r"[-/.]\d").match(t[ne:ne + 2]) or (prev in "-/." and s >= 2 and t[s - 2].isdigit() and c.extra.get("range") is None):
        return "date or code"
    if c.extra.get("range") and (_re(r"(?:19|20)\d\d").fullmatch(num[:4]) or _re(r"[月日号时]").match(t[ne:ne + 80])) \
            and _re(r"[年月日号时]").match(t[ne:ne + 80]):
        return "date range"
    if has_digit:
        digits = _re(r"\D").sub("", num.split(".")[0])
        if len(digits) >= 2 and digits.startswith("0") and "." not in num:
            return "code with leading zero"
        if len(digits) >= 8 and "," not in num and not has_big:
            return "phone/licence/code number"
        if _re(r"(?:电话|热线|传真|手机|编号|证号|备案号|备|号码|QQ|邮编|ICP|代码)[:：\s]*$").search(before):
            return "phone/licence/code number"
        if after.startswith("号") or _re(r"[〕\]］]").match(t[ne:ne + 1]) or prev in "〔[［":
            return "document number"
    # Chinese numerals without digits
    if not has_digit:
        if not has_big and not has_small:
            # single Chinese digits (一, 两, 三) are words far more often than claims
            count = (c.unit in _CN_SINGLE_COUNT_UNITS and c.value >= 2 and num not in ("二", "两")
                     and _COUNT_VERB_BEFORE.search(before) and not _re(r"[大是化型类]").match(t[c.unit_end:c.unit_end + 1]))
            if (c.unit not in ("倍",) or c.value > 10) and not count:
                return "bare Chinese digit"
        if _re(r"[百千万亿][十百千万亿]*").fullmatch(num.lstrip("数上几")) and not c.approx and prev not in "数上近超逾破约" \
                and not any(before.endswith(w) for w, _ in _QB if len(w) > 1 or w in "近逾约超"):
            return "bare magnitude word (万物, 千方百计)"
        if not has_big and (c.unit is None or c.unit not in _CN_COUNT_UNITS):
            return "Chinese numeral without a counted unit"
        if prev == "“" or t[ne:ne + 1] == "”":
            return "quoted name"
    # a plain number with neither unit nor magnitude needs a verb or qualifier before it
    if c.unit is None and not has_big and not c.extra.get("range"):
        b = _re(r"(?:了|已经|已|均|分别)$").sub("", before)
        if not (any(b.endswith(w) for w, _ in _QB) or _CHANGE_RE.search(b) or _re(r"(?:指数|数量|总数|总量|规模|得分|评分)$").search(b)):
            return "plain number without unit or cue"
    if c.unit in ("个月", "天", "小时", "分钟", "个工作日", "工作日", "秒") and not _re(r"(?:至|到|为|超过|不到|不超过|以内|缩短|压缩|延长|减少|增加|提高|达|达到|约|近|平均|长达|仅需|只需|需|在|最快|仅|只|需要|只需要|仅需要|从|原来的|由)(?:了)?$").search(before):
        return "duration without a cue"
    # durations used as time spans: 1年半时间, 3个月内, 30日内
    if c.unit in ("个月", "天", "小时", "分钟", "个工作日", "工作日", "秒") and _re(r"(?:时间|内|以内|之内|来|以来|后|前|的时间|起)").match(t[c.end:c.end + 80]):
        return "duration (time span)"
    # thresholds modifying a noun: 60岁以上老年人, 10万元以下的, 处五千元以上五万元以下罚款
    clause_before = _re(r"[，,。；;：:\n]").split(before)[-1]
    pct_claim = c.unit in ("%", "‰") and (clause_before.strip() == "" or _re(r"(?:用于|来自|集中|投向|实现|分布|位于|属于|可以|能够|是|为)").match(t[c.end:c.end + 2]))
    if c.after_qual in (">=", "<=") and c.end < len(t) and not pct_claim and not _re(r"(?:覆盖|惠及|占|达到|达|超过|带动|服务|吸引|用于|资助|培训|到|至)$").search(before):
        nxt = t[c.end]
        if nxt == "的" or ("\u4e00" <= nxt <= "\u9fff" and nxt not in "，。；、和或并且而") or _re(r"[\d一二三四五六七八九十]").match(nxt):
            return "threshold modifying a noun"
    # a condition in a legal clause: 违法所得不足十万元的，处……
    if _re(r"(?:以上|以下|以内)?的[，,；;]").match(t[c.end:c.end + 4]):
        return "condition (…的，)"
    if (_re(r"(?:并处|处以|(?<![数理置办处])处)[^，。；]{0,12}$").search(before) and _re(r"罚|没收|赔偿").search(t[c.end:c.end + 25])) \
            or _re(r"(?:罚款|罚金)[^，。；]{0,4}$").search(before) or _re(r"[^，。；]{0,14}(?:的)?(?:罚款|罚金)").match(t[c.end:c.end + 80]):
        return "fine (norm, not a claim)"
    if c.unit in ("倍",) and _re(r"以(?:上|下)?(?:的)?(?:罚款|赔偿|罚金)").match(t[c.end:c.end + 80]):
        return "fine multiple (norm)"
    # explanatory unit conversions: (1PB可存储约5亿张2MB大小的照片)
    cstart = max((m.end() for m in _CLAUSE_BOUND.finditer(t, max(0, s - 40), s)), default=max(0, s - 40))
    clause = t[cstart:cstart + 120]
    if _re(r"\s*1\s*[A-Za-z\u4e00-\u9fff]{1,6}?(?:可|相当于|等于|约合|约等于|=)").match(clause):
        return "unit conversion aside"
    # a quantity restated as the subject: 400PB的总量相当于……
    if c.unit and c.unit not in ("%", "‰") and t[c.end:c.end + 1] == "的" and t[cstart:s].strip(" “") == "":
        return "restated quantity (subject)"
    if c.unit and _re(r"(?:大小|规模|级|量级)的").match(t[c.end:c.end + 80]):
        return "size modifier"
    return None


def _in_title(t: str, s: int, e: int, opening: str, closing: str, span: int = 16) -> bool:
    """``t[s:e]`` lies inside a short ``opening…closing`` pair with no clause punctuation (a name)."""
    lo = max(0, s - span)
    k = t.rfind(opening, lo, s)
    if k < 0 or t.rfind(closing, k, s) >= 0:
        return False
    j = t.find(closing, e, e + span)
    return j >= 0 and not _re(r"[，,。；;！？!?]").search(t, k, j)


# --------------------------------------------------------------------------- fields
def _qualifier(t: str, c: Candidate, cue_start: int) -> tuple[str, int]:
    """Qualifier and the start of the cue word before the number."""
    q_before = None
    k = c.start
    # skip fillers right before the number: 已突破, 突破了, 增长了约
    for _ in range(3):
        m = _FILLER_END.search(t, max(cue_start, k - 3), k)
        if m:
            k = m.start()
        m = _QB_END.search(t, max(cue_start, k - _QB_LONGEST), k)
        if m is None:
            continue
        q = _QB_DICT[m.group()]
        if q_before is None or (q_before == "=" and q != "="):
            q_before = q
        k = m.start()
    if q_before is None:
        # a qualifier before the verb: 至少降低30%, 近翻一番 -> read through the verb
        m = _re(r"(至少|最少|不少于|不低于|最多|至多|不超过|超过|近|约|接近|将近)(?:降低|提高|增长|下降|减少|增加|提升|压减|压缩|缩短|扩大)(?:了)?$").search(t[max(cue_start, k - 8):k])
        if m:
            q_before = _QB_DICT[m.group(1)]
    if c.special == "rank":
        return "=", k
    if c.extra.get("estimate"):
        return "~", k  # 八九亿: an estimate
    if c.value_max is not None:
        return ">=", k
    if q_before and q_before != "=":
        return q_before, k
    if c.after_qual:
        return c.after_qual, k
    if c.approx:
        return ">", k
    return "=", k


def _kind(t: str, c: Candidate, clause_prefix: str, rest: str) -> str:
    if c.special == "rank":
        return "rank"
    if c.unit == "倍":
        return "multiple"
    p = _re(r"(?:了|已经|已|均|分别|约|近|超过|超|突破|逾|接近|将近|不到|不足|达|达到|为|年均|平均)+$").sub("", clause_prefix)
    change_before = _re(r"(?:下降|减少|降低|增长|增加|提高|提升|上升|压减|缩短|压缩)(?:了)?(?:超过|超|近|约|逾)?$").search(clause_prefix)
    share = c.unit in ("%", "‰") and (
        _re(r"占[^，,。；;]{0,20}$").search(clause_prefix) or _re(r"(?:比重|占比|份额|之)(?:为|达到|达|超过|约|近|从|由)?$").search(p)
        or (c.special == "frac" and not change_before) or (c.special == "cheng" and not _re(r"(?:下降|减少|降低|增长|增加|提高|提升|上升)(?:了)?(?:超过|超|近|约|逾)?$").search(clause_prefix)))
    if share:
        return "share"
    if _LEVEL_AFTER_VERB.search(clause_prefix[-6:]):
        return "level"
    if c.unit in ("个百分点", "百分点", "个基点", "基点"):
        return "change"
    if _re(r"(?:增长|增加|下降|减少|提高|提升|降低|上升|上涨|回落|下滑|扩大|缩小|缩减|压减|削减|减|增|降|涨|跌|升|高出|低出|多|少|高|低)$").search(p) and not _re(r"(?:新增|净增|年增|增值|降水|提高到|增长到)$").search(p):
        if _re(r"(?<![降减提增])(?:多|少|高|低)$").search(p) and not _re(r"(?:比|较)[^，,。；;]{1,16}(?:多|少|高|低)$").search(p):
            return "level"
        return "change"
    if _re(r"(?:增速|增幅|涨幅|降幅|跌幅|增长率|增长速度|上涨率)(?:为|达到|达|是)?$").search(p):
        return "change"
    if c.unit in ("%", "‰") and _re(r"(?:同比|环比)$").search(p):
        return "change"  # CPI同比-0.3%: a rate of change with no verb
    return "level"


def _reference_spans(sent: str) -> list[tuple[int, int, str]]:
    out = []
    for rx in _REF_PATTERNS:
        for m in rx.finditer(sent):
            ref = m.group("ref").strip()
            if ref.startswith(("上年", "去年")) and len(ref) <= 3:
                ref = ref[:2]
            ym = _re(r"((?:19|20)\d\d)年?").fullmatch(ref)
            if ym:
                ref = ym.group(1)
            out.append((m.start(), m.end(), ref))
    out.sort()
    return out


def _clean_subject(s: str, refs: list[tuple[int, int, str]] | None = None) -> str:
    s = _re(r"与[^，,。；;：:]{1,20}?相比").sub("", s)
    s = _re(r"(?:相比|比|较之|较)(?:上年|去年|上年同期|去年同期|同期|(?:19|20)\d\d年?(?:底|末)?|“十[一二三四五六七八九]五”(?:末|期间|时期)?)").sub("", s)
    s = _re(r"同比|环比").sub("", s)
    s = _re(r"占[^，,。；;]*$").sub("", s)
    s = _re(r"相当于[^，,。；;]*$").sub("", s)
    s = _re(r"(?:排名)?从$").sub("", s)
    k = s.rfind("从")
    if k >= 2:  # 电子政务排名从2012年的 -> 电子政务排名
        s = s[:k]
    s = _re(r"由(?:[^，,。；;]{0,12})$").sub("", s) if _re(r"由(?:\d|[一二三四五六七八九十])").search(s) else s
    for _ in range(4):
        s2 = _TRAIL_STRIP.sub("", s)
        s2 = _LEAD_STRIP.sub("", s2)
        s2 = s2.strip(" \u3000\t—-·《》、")
        if s2 == s:
            break
        s = s2
    s = _MODAL_END.sub("", s)  # once, after the loop: 经济增长预期 -> 经济增长, not 经济
    s2 = _re(r"^(?:建设|建成|培育|打造|认定|发布|推出|出台|制定|实施|开展|形成|拥有|惠及|带动|吸引|新建|建立|组建|部署|上线|开通|累计建成|覆盖|发行|安排|增发|下达|投入|综合提升|提升|提高|降低|减少|增加|布局了|布局|推出了|集聚)").sub("", s)
    if len(s2) >= 2:
        s = s2
    if len(_re(r"[\W\d_]").sub("", s)) < 2:
        return ""
    return s


_COUNT_UNITS = {"个", "户", "家", "项", "件", "名", "位", "所", "座", "台", "套", "条", "种", "类", "篇", "部", "份", "辆", "架",
                "艘", "颗", "批", "款", "个新型", "人", "人次"}
_MEASURE_NOUN_END = r"(?:量|数|额|规模|率|值|人数|里程|面积|容量|用户|主体|企业|数据集|总数|总量|投资|产品|就业|收入|支出|债券|国债|小区|住房|危房|农田|公路|项目|资金|人口|居民)$"
_VERB_SUBJECTS = {"上架", "增发", "发行", "新增", "惠及", "安排", "带动", "吸引", "帮助", "培训", "支持", "建成", "建设", "完成",
                  "实现", "达到", "突破", "超过"}


_CONTEXT = 120  # characters of clause before a number read for its kind and subject
_SUBJ_BOUND_NOQUOTE = re.compile(r"[。！？!?\n，,；;：:【】]")


def _inside(refs: list[tuple[int, int, str]], pos: int) -> bool:
    return any(ra <= pos < rb for ra, rb, _ in refs)


def _without_refs(t: str, start: int, end: int, ss: int, refs: list[tuple[int, int, str]],
                  ref_starts: list[int]) -> str:
    """``t[start:end]`` without the comparison bases (与上年相比) in it; ``refs`` are sentence-relative."""
    out, pos = [], start
    k = max(0, bisect.bisect_right(ref_starts, start - ss) - 1)
    # refs may nest (one pattern inside another's span): walk them in order and skip what they cover
    while k < len(refs) and refs[k][0] + ss < end:
        ra, rb = refs[k][0] + ss, refs[k][1] + ss
        if rb > pos:
            if ra > pos:
                out.append(t[pos:ra])
            pos = max(pos, rb)
        k += 1
    if pos < end:
        out.append(t[pos:end])
    return "".join(out)


def extract_claims(text: str, doc_date: str | None = None, *, spans: bool = False,
                   rejected: dict[str, int] | None = None) -> list[dict]:
    """Numeric claims in ``text`` as contract section-5 dicts, in text order.

    ``doc_date`` (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) resolves relative times (今年, 截至6月底).
    Ranges (3~5个) get ``value`` = the low end, ``qualifier`` ``>=`` and an extra ``value_max``.
    With ``spans=True`` each claim also carries ``num_start``/``num_end``: the numeral and its unit.
    ``rejected``, a dict, counts the candidate numbers turned down, by :func:`reject_reason`.
    """
    if not text:
        return []
    t = to_halfwidth(text)
    sentences = [(u["start"], u["end"]) for u in split_sentences(t, end_marks=CLAIM_END_MARKS)]
    if not sentences:
        return []
    bounds = _Boundaries.of(t)
    read: dict[int, _Sentence] = {}
    last_claim: dict[int, dict] = {}  # the previous claim of each sentence
    claims: list[dict] = []
    si = 0
    for c in _prose_numbers(find_numbers(text)):
        while si < len(sentences) - 1 and sentences[si][1] <= c.start:
            si += 1
        ss, se = sentences[si]
        if not (ss <= c.start < se):
            continue
        reason = reject_reason(t, c)
        if reason:
            if rejected is not None:  # counted by reason (policytext.stats); the part in brackets is an example
                key = reason.split(" (")[0]
                rejected[key] = rejected.get(key, 0) + 1
            continue
        if c.special is None and is_rank(t, c):
            c = replace(c, special="rank")
        if si not in read:
            read[si] = _read_sentence(t, ss, se, doc_date)
        claim = _claim(t, text, c, read[si], se, last_claim.get(si), bounds, doc_date)
        if spans:
            claim["num_start"], claim["num_end"] = c.start, c.end
        claims.append(claim)
        last_claim[si] = claim
    _share_list_units(claims)
    for claim in claims:
        del claim["_num_end"], claim["_listed"]
    return claims


def _prose_numbers(cands: list[Candidate]) -> Iterator[Candidate]:
    """The candidates, without those packed one after another (1%1%1%…, 1至1至…, 1、2、3、…: a
    table or noise, not prose): past a few, they are skipped before any rule runs (keeps the
    stage linear on such runs)."""
    chain, last_end = 0, -10
    for c in cands:
        chain = chain + 1 if c.start - last_end <= _CHAIN_GAP else 0
        last_end = c.end
        if chain < _CHAIN_MAX:
            yield c


@dataclass
class _Boundaries:
    """Clause ends and parentheses of the whole text, looked up by bisection, so that each
    number costs the same on any input."""

    clause_ends: list[int]
    opens: list[int]
    closes: list[int]

    @classmethod
    def of(cls, t: str) -> "_Boundaries":
        return cls([m.end() for m in _SUBJ_BOUND_NOQUOTE.finditer(t)],
                   [m.start() for m in _re(r"[(（]").finditer(t)],
                   [m.start() for m in _re(r"[)）]").finditer(t)])


@dataclass
class _Sentence:
    """What the rules read once per sentence; offsets relative to ``start``."""

    start: int
    refs: list[tuple[int, int, str]]  # comparison bases (与上年相比, 同比)
    ref_starts: list[int]
    free_times: list[tuple[int, int, str]]  # time expressions outside comparison bases
    free_time_ends: list[int]
    targets: list[tuple[int, int]]  # (end, start) of target cues (力争, 目标是)
    forecasts: list[tuple[int, int]]  # (end, start) of forecast cues (预计, 有望)


def _read_sentence(t: str, start: int, end: int, doc_date: str | None) -> _Sentence:
    sent = t[start:end]
    refs = _reference_spans(sent)
    free_times = [(a, b, v) for a, b, v in find_times(sent, doc_date) if not _inside(refs, a)]
    return _Sentence(start, refs, [a for a, _, _ in refs], free_times, [b for _, b, _ in free_times],
                     [(m.end(), m.start()) for m in TARGET_CUES.finditer(sent)],
                     [(m.end(), m.start()) for m in FORECAST_CUES.finditer(sent)])


def _claim(t: str, text: str, c: Candidate, sentence: _Sentence, sentence_end: int, prev: dict | None,
           bounds: _Boundaries, doc_date: str | None) -> dict:
    """The claim of candidate ``c`` (not rejected) in half-width text ``t``; ``prev`` is the
    previous claim of the same sentence. Keys ``_num_end`` and ``_listed`` are for the caller."""
    clause_start, after_prev = _clause_start(c, sentence.start, prev, bounds)
    clause_prefix = t[max(clause_start, c.start - _CONTEXT):c.start]
    listed = _is_listed(t, c, prev)
    kind = _claim_kind(t, c, clause_start, clause_prefix, prev if after_prev else None, prev if listed else None)
    at = c.start - sentence.start
    time = _claim_time(sentence, at)
    modality = _modality(sentence, at)
    if modality == "actual" and after_document_date(time, doc_date):
        modality = "target"
    subject, subject_start = _claim_subject(t, c, clause_start, sentence, sentence_end, prev, after_prev)
    start = subject_start if subject_start is not None else _skip_lead(t, clause_start, c.start)
    claim = {
        "start": start,
        "end": c.end,
        "text": text[start:c.end],
        "subject": subject,
        "value": c.value,
        "unit": None if kind == "rank" else c.unit,
        "qualifier": _qualifier(t, c, clause_start)[0],
        "kind": kind,
        "modality": modality,
        "time": time,
        "reference": _claim_reference(c, kind, sentence, at, prev, listed),
    }
    if c.value_max is not None:
        claim["value_max"] = c.value_max
    claim["_num_end"], claim["_listed"] = c.end, listed
    return claim


def _clause_start(c: Candidate, sentence_start: int, prev: dict | None, bounds: _Boundaries) -> tuple[int, bool]:
    """Where the number's clause starts, and whether that is the end of the previous claim.

    The last clause boundary before the number (a quote counts only with a comma after it,
    which is itself a boundary), or the end of the previous claim; an unclosed parenthesis before
    the number opens the clause (``…(1PB可存储约…``)."""
    k = bisect.bisect_right(bounds.clause_ends, c.start) - 1
    start = max(sentence_start, bounds.clause_ends[k]) if k >= 0 else sentence_start
    after_prev = prev is not None and prev["_num_end"] > start
    if after_prev:
        start = prev["_num_end"]
    k = bisect.bisect_left(bounds.opens, c.start) - 1
    if k >= 0 and bounds.opens[k] >= start:
        paren = bounds.opens[k]
        k = bisect.bisect_left(bounds.closes, paren)
        if k >= len(bounds.closes) or bounds.closes[k] >= c.start:
            start = paren + 1
    return start, after_prev


def _is_listed(t: str, c: Candidate, prev: dict | None) -> bool:
    """The number follows the previous claim in a list: ``3%、5%和7%``."""
    return prev is not None and c.start - prev["_num_end"] <= 4 and \
        _re(r"\s*(?:、|和|与|及|或)\s*").fullmatch(t[prev["_num_end"]:c.start] or "x") is not None


def _claim_kind(t: str, c: Candidate, clause_start: int, clause_prefix: str, continued: dict | None,
                listed_after: dict | None) -> str:
    """:func:`_kind` of the number, then what its neighbours say: ``continued`` is the previous
    claim when this clause starts at its end, ``listed_after`` the previous claim when this number
    follows it in a list (a list of changes or shares is one kind)."""
    kind = _kind(t, c, clause_prefix, "")
    if (continued is not None and continued["kind"] == "share" and c.unit == continued["unit"]
            and _re(r"(?:到|至)(?:了)?(?:目前|现在|当前|去年|今年|上年|(?:19|20)\d\d年)?(?:的)?(?:近|约|超过|超)?$").search(clause_prefix)):
        kind = "share"  # 占比从12%提高到15%
    if kind == "level" and c.unit in ("%", "‰"):
        if _re(r"的[\u4e00-\u9fff]").match(t[c.end:c.end + 2]) and not _re(r"的(?:较低|较高|增长|速度|水平|区间|目标|高位|低位|幅度|涨幅|增幅|税率|利率|费率|比例|标准)").match(t[c.end:c.end + 5]):
            kind = "share"  # 30%的企业
        elif _re(r"(?:综合|平均|进一步|大幅|有效)?(?:提升|提高|降低|减少|增加|压减|缩短)(?![到至为])").match(t[clause_start:min(c.start, clause_start + 40)].lstrip(" ，,")) \
                and not _re(r"(?:到|至|为)(?:了)?(?:目前的)?(?:平均)?$").search(clause_prefix):
            kind = "change"  # 降低……30%
    if listed_after is not None and kind == "level" and listed_after["kind"] in ("change", "share", "multiple"):
        kind = listed_after["kind"]
    return kind


def _modality(sentence: _Sentence, at: int) -> str:
    """``target``/``forecast`` from the cues in the sentence before the number (the last target
    cue, the first forecast cue), else ``actual``."""
    k = bisect.bisect_right(sentence.targets, (at, 1 << 60)) - 1
    target = sentence.targets[k][1] if k >= 0 else -1
    forecast = sentence.forecasts[0][1] if sentence.forecasts and sentence.forecasts[0][0] <= at else -1
    if target < 0 and forecast < 0:
        return "actual"
    return "forecast" if forecast > target else "target"


def _claim_time(sentence: _Sentence, at: int) -> str | None:
    """The nearest time expression before the number that is not a comparison base."""
    k = bisect.bisect_right(sentence.free_time_ends, at) - 1
    return sentence.free_times[k][2] if k >= 0 else None


def _claim_reference(c: Candidate, kind: str, sentence: _Sentence, at: int, prev: dict | None,
                     listed: bool) -> str | None:
    """The comparison base of a change or multiple in this claim's stretch of the sentence
    (与上年相比, 比2020年); a following 同比/环比; or the base of the list the claim continues."""
    if listed and prev["kind"] == kind:
        return prev["reference"]
    if kind not in ("change", "multiple"):
        return None
    refs, ref_starts = sentence.refs, sentence.ref_starts
    lowest = (prev["_num_end"] - sentence.start) if prev is not None else 0
    k = bisect.bisect_left(ref_starts, at) - 1
    if k >= 0 and refs[k][0] >= lowest:
        return refs[k][2]
    k = bisect.bisect_left(ref_starts, at)
    while k < len(refs) and refs[k][0] - (c.end - sentence.start) <= 2:
        if refs[k][2] in ("同比", "环比"):
            return refs[k][2]
        k += 1
    return None


def _claim_subject(t: str, c: Candidate, clause_start: int, sentence: _Sentence, sentence_end: int,
                   prev: dict | None, after_prev: bool) -> tuple[str | None, int | None]:
    """The claim's subject and where it starts in ``t`` (None when it is not found there).

    The clause before the number without comparison bases, cues and fillers; or the measured
    noun after the number (增发1万亿元国债, 建成了万余家智能工厂); or the previous claim's subject."""
    subject = _subject_before(t, c, clause_start, sentence, after_prev)
    start = None
    if subject:
        k = t.find(subject, clause_start, c.start)
        start = k if k >= 0 else None
    noun = _noun_after(t, c, sentence_end)
    if noun and (not subject or subject in _VERB_SUBJECTS or (_counts(t, c) and not re.search(_MEASURE_NOUN_END, subject))):
        subject, start = noun, None
    if not subject and prev is not None and prev.get("subject"):
        subject = prev["subject"]
    return subject or None, start


def _subject_before(t: str, c: Candidate, clause_start: int, sentence: _Sentence, after_prev: bool) -> str:
    text = _without_refs(t, max(clause_start, c.start - _CONTEXT), c.start, sentence.start, sentence.refs,
                         sentence.ref_starts)
    text = _re(r"[(（][^()（）]*[)）]").sub("", text)
    if after_prev and "、" in text:
        text = text[text.rfind("、") + 1:]
    return _clean_subject(text)


def _noun_after(t: str, c: Candidate, sentence_end: int) -> str | None:
    """The noun right after the number and its unit (1200多类产品), if any."""
    m = _re(r"(?:以上|以下|左右)?的?([\u4e00-\u9fffA-Za-z“”]{2,12}?)(?=受益|参与|支持|用于|投入|装上|实现|发放|享受|获得|参加|接受|使用|出棚|全部|在|的|[，,。；;：:、（(]|$)").match(t[c.end:min(sentence_end, c.end + 40)])
    if m is None or _re(r"(?:以上|以下|左右|增长|下降|提高|同比|比上年|受益|在|是|为|以|被|将|已|于|到|和|与|及|等|多|余|次|年|月)").match(m.group(1)):
        return None
    return m.group(1)


def _counts(t: str, c: Candidate) -> bool:
    """The number counts things (个, 家, 人; 10000 and more without a unit; 30%的企业)."""
    return c.unit in _COUNT_UNITS or (c.unit is None and c.value >= 10000) or (
        c.unit in ("%", "‰") and t[c.end:c.end + 4].lstrip("以上下左右").startswith("的"))


def _skip_lead(t: str, start: int, end: int) -> int:
    """``start`` moved past spaces, quotes and dashes (the claim's text starts at a word)."""
    while start < end and (t[start].isspace() or t[start] in "“”\"'—-·、"):
        start += 1
    return start


def _share_list_units(claims: list[dict]) -> None:
    """10.6万、3.8万、3.3万平方公里: the unit written once at the end of a list applies to all."""
    for i in range(len(claims) - 2, -1, -1):
        a, b = claims[i], claims[i + 1]
        if a["unit"] is None and b["unit"] and a["kind"] != "rank" and b["_listed"]:
            a["unit"] = b["unit"]
