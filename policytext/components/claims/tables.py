"""Rule tables of the claims extractor, as data: measure words, qualifier and change cues,
target/forecast/rank cues, the number and special-form regexes, comparison-base patterns and
the lead/trail strips of subjects. :mod:`.candidates`, :mod:`.negatives` and :mod:`.extract`
read them; nothing here runs at import beyond compiling them."""

from __future__ import annotations

import functools
import re

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
