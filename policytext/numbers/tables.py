"""Rule tables for Chinese numerals, as data (read by :mod:`policytext.numbers.parse`)."""

from __future__ import annotations

# digits, ordinary and capital (大写) forms; 〇 and ０ are zero
DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
# capital numerals map 1:1 onto ordinary ones (same length: offsets stay valid)
CAPITALS: dict[str, str] = {
    "壹": "一", "贰": "二", "貳": "二", "叁": "三", "參": "三", "肆": "四", "伍": "五", "陆": "六", "陸": "六",
    "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百", "仟": "千", "萬": "万", "億": "亿", "兩": "两",
}
# units inside a section (below 万)
SMALL_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
# section magnitudes, highest first (万万 = 亿 is rewritten before parsing)
BIG_UNITS: tuple[tuple[str, float], ...] = (("兆", 1e12), ("亿", 1e8), ("万", 1e4))
MAGNITUDES: dict[str, float] = {**SMALL_UNITS, **dict(BIG_UNITS)}
# "one or two", "three to five": adjacent digits that make an estimate (八九亿 = 8亿–9亿)
ESTIMATE_PAIRS: frozenset[tuple[str, str]] = frozenset(
    [(a, b) for a, b in zip("一二三四五六七八", "二三四五六七八九")] + [("一", "两"), ("两", "三"), ("三", "五")]
)
# approximation marks inside a numeral: 三十多, 1000余, 十几, 几十, 数百, 上千
APPROX_AFTER = "多余几来"
APPROX_BEFORE = "几数上"
# fractions written with 分之: the denominators that make a percentage-like share
PER_DENOMINATORS: dict[str, float] = {"百": 100.0, "千": 1000.0, "万": 10000.0}
# money sub-units after 元/圆/块: 5元3角2分, 五元三毛
MONEY_SUBUNITS: dict[str, float] = {"角": 0.1, "毛": 0.1, "分": 0.01}
# currency written before the number: ￥300, $20, US$5, 人民币300
CURRENCY_BEFORE: dict[str, str] = {
    "￥": "元", "¥": "元", "RMB": "元", "人民币": "元", "CNY": "元", "US$": "美元", "USD": "美元", "$": "美元",
    "HK$": "港元", "HKD": "港元", "€": "欧元", "EUR": "欧元", "£": "英镑", "GBP": "英镑", "JPY": "日元",
}
# words in which a single numeral character is not a number (一切, 万一, 十分重要, 四川)
NUMERAL_WORDS: frozenset[str] = frozenset("""
一切 一些 一律 一样 一起 一直 一定 一般 一致 一体 一旦 一道 一同 一度 一再 一向 一味 一贯 一边 一面 一下 一点 一看 一时
一流 一线 一站式 一带 一路 一揽子 一把手 一系列 一批批 一家人 一手 一心 一举 一概 一共 一并 一经 一连 一旁 一番 一早 一口气
统一 唯一 同一 单一 万一 之一 十一 第一 一一 逐一 划一 专一 合一 其一 初一
一是 二是 三是 四是 五是 六是 七是 八是 九是 十是
二手 二维码 三农 三角 四川 四周 四处 四方 四海 五湖 五金 六合 七夕 八卦 九州 十足 十分 十全 十字 百姓 百般 百货 百花
千万 千方百计 万物 万众 万象 万分 亿万 三国 九江 五岳 两岸 两会 两手 两极 两用 两栖 两翼 两个维护 两个确立
""".split())
# capital numerals that are also ordinary characters of words (大陆, 队伍, 收拾, 放肆, 參加):
# alone, they are never read as a number
CAPITAL_WORD_CHARS = "陆陸伍拾肆參"
