"""policytext.numbers: a table of generated and hand-written cases per class of Chinese numeral.

Cases are generated from integers with the independent writer in ``cn_numerals.py`` (rules of the
numeral system, not another project's tests) plus hand-written ones. Each class must have at least
300 cases and 0 wrong values; negatives must stay unparsed.
"""

from __future__ import annotations

import math
import random

import pytest

from cn_numerals import capitalise, cn, section
from policytext.components.claims import extract_claims
from policytext.numbers import find_numbers, parse_number, parse_range
from policytext.numbers.tables import CAPITAL_WORD_CHARS

R = random.Random(21)
DIGITS = "一二三四五六七八九"
PAIRS = [(a, b, DIGITS.index(a) + 1, DIGITS.index(b) + 1) for a, b in zip("一二三四五六七八", "二三四五六七八九")]
PAIRS += [("一", "两", 1, 2), ("两", "三", 2, 3), ("三", "五", 3, 5)]
MAGS = [("万", 1e4), ("亿", 1e8), ("万亿", 1e12), ("", 1.0)]
UNITS = ["元", "人", "个", "吨", "亩", "户", "家", "项"]
SEPS = ["到", "至", "~", "-", "—", "--", "——", "～", "－"]


def close(a, b) -> bool:
    return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def one(text: str):
    """The single number find_numbers reads in ``text`` (fails on none or several)."""
    found = find_numbers(text)
    assert len(found) == 1, (text, found)
    return found[0]


# --------------------------------------------------------------------------- generators
def gen_ranges():
    """一百二十到一百五十万元: the low end takes the magnitude written on the high end."""
    cases = []
    while len(cases) < 320:
        mag, mv = R.choice(MAGS[:3])
        unit, sep = R.choice(UNITS), R.choice(SEPS)
        if R.random() < 0.6:  # both ends with their own 十/百/千: 十八至三十万
            a = R.randint(11, 9998)
            b = R.randint(a + 1, 9999)
            if a % 10 == 0 and a < 100 and b % 10 == 0 and b < 100:
                continue
            lo, hi = cn(a), cn(b, two=R.random() < 0.3)
            if not any(c in lo for c in "十百千"):
                continue
            cases.append((f"{lo}{sep}{hi}{mag}{unit}", a * mv, b * mv))
        else:  # 三到五千万: one digit and the place written once
            a, b = sorted(R.sample(range(1, 10), 2))
            place, pv = R.choice([("千", 1000), ("百", 100)])
            cases.append((f"{DIGITS[a - 1]}{sep}{DIGITS[b - 1]}{place}{mag}{unit}", a * pv * mv, b * pv * mv))
    return cases


def gen_zero_ten():
    """一千零十 = 1010, 三万零十二 = 30012, 五亿零一十万: 零 then 十 with no digit before it."""
    cases = []
    while len(cases) < 320:
        head = R.randint(1, 9999)
        scale = R.choice([1000, 10000, 10**8, 10**5])
        tail = R.randint(10, 19)
        n = head * scale + tail if scale >= 1000 else head
        if scale == 10**5:  # 一百万零十五
            n = head * 10**5 + tail
        text = cn(n)
        if "零一十" not in text:
            continue
        cases.append((text.replace("零一十", "零十"), n))
        cases.append((text, n))
    return cases


def gen_colloquial():
    """一百五 = 150, 两千六 = 2600, 一万三 = 13000, 一百二十万三 = 1203000."""
    cases = []
    for a in range(1, 10):
        for b in range(1, 10):
            for place, pv in (("百", 100), ("千", 1000), ("万", 10**4), ("亿", 10**8)):
                lead = "两" if a == 2 and place != "百" and R.random() < 0.5 else DIGITS[a - 1]
                cases.append((f"{lead}{place}{DIGITS[b - 1]}", a * pv + b * pv // 10))
    while len(cases) < 420:  # 一百二十万三, 三千二百亿五
        head = R.randint(1, 9999)
        mag, mv = R.choice([("万", 10**4), ("亿", 10**8)])
        d = R.randint(1, 9)
        cases.append((f"{cn(head)}{mag}{DIGITS[d - 1]}", head * mv + d * mv // 10))
    return cases


def gen_estimates():
    """八九亿 = 8亿–9亿, 七八十, 三四百万, 十五六, 二十七八万: a range, qualifier ~."""
    cases = []
    for a, b, x, y in PAIRS:
        for place, pv in (("十", 10), ("百", 100), ("千", 1000), ("", 1)):
            for mag, mv in (("万", 1e4), ("亿", 1e8), ("", 1.0)):
                if not place and not mag:
                    continue
                for unit in ("个", "人", "元"):
                    cases.append((f"{a}{b}{place}{mag}{unit}", x * pv * mv, y * pv * mv))
    for tens in range(1, 10):  # 十五六 / 二十七八
        for a, b, x, y in PAIRS[:8]:
            head = "十" if tens == 1 else DIGITS[tens - 1] + "十"
            for mag, mv in (("万", 1e4), ("", 1.0)):
                cases.append((f"{head}{a}{b}{mag}人", (tens * 10 + x) * mv, (tens * 10 + y) * mv))
    return cases


def gen_capitals():
    """Capital numerals, alone or mixed with ordinary ones: 拾万零五十六, 七十八万五佰零六."""
    cases = []
    while len(cases) < 360:
        n = R.randint(1, 10**10)
        if R.random() < 0.5:
            n = R.randint(1, 99999)
        text = capitalise(cn(n), R, p=R.choice([1.0, 0.5, 0.3]))
        cases.append((text, n))
    return cases


def gen_separators():
    """百分之1,111; 82，225.00元; 1 234 567元: thousands separators inside one number."""
    cases = []
    while len(cases) < 330:
        n = R.randint(1000, 10**9)
        kind = len(cases) % 3
        if kind == 0:
            cases.append((f"百分之{n:,}", n, "%"))
        elif kind == 1:
            cents = R.randint(0, 99)
            cases.append((f"{n:,}.{cents:02d}元".replace(",", "，"), n + cents / 100, "元"))
        else:
            cases.append((f"{n:,}元".replace(",", " "), n, "元"))
    return cases


def gen_weight_liang():
    """二两 is two 两 (a weight), never 22; 两千 and 两个 are still 2000 and 2."""
    cases = []
    contexts = ["买了{}茶叶", "每人{}大米", "{}白酒", "称了{}", "约{}重", "加{}糖"]
    for d in range(1, 10):
        for ctx in contexts:
            for form in (DIGITS[d - 1], str(d), capitalise(DIGITS[d - 1], R)):
                if form in CAPITAL_WORD_CHARS or form in ("一", "壹"):  # 陆/伍/肆 alone are words; 一两 is "one or two"
                    form = DIGITS[d - 1] + "十"
                    d_val = d * 10
                else:
                    d_val = d
                cases.append((ctx.format(form + "两"), d_val, "两"))
    for n in range(1, 160):  # 两 as a digit keeps working
        cases.append(("共" + cn(n * 1000 + 2000 if n % 2 else n, two=True) + "个", n * 1000 + 2000 if n % 2 else n, "个"))
    return cases


def gen_per_mille():
    """千分之一 = 0.1%, 万分之五 = 0.05%; parse_number gives the fraction."""
    cases = []
    for den, dv in (("千", 1000), ("万", 10000), ("百", 100)):
        for n in range(1, 121):
            cases.append((f"{den}分之{cn(n)}", n, dv))
    return cases


def gen_negative():
    """负三十二 in running text: a negative number."""
    cases = []
    contexts = ["气温降到负{}度", "增速为负{}", "余额为负{}万元", "同比负{}%"]
    while len(cases) < 320:
        n = R.randint(1, 9999)
        ctx = R.choice(contexts)
        mult = 1e4 if "万元" in ctx else 1
        cases.append((ctx.format(cn(n)), -n * mult))
    return cases


def gen_spaces():
    """Spaces inside numerals: 一百 二十万, 1 000 000."""
    cases = []
    while len(cases) < 320:
        n = R.randint(11, 10**9)
        text = cn(n)
        k = R.randint(1, len(text) - 1)
        cases.append((text[:k] + R.choice([" ", "\u3000", "  "]) + text[k:] + "元", n))
    return cases


def gen_zhao_wanwan():
    """兆 = 10^12 (一兆二千亿), 万万 = 亿 (四万万)."""
    cases = []
    for n in range(1, 161):
        cases.append((cn(n) + "兆元", n * 1e12))
        cases.append((cn(n) + "万万人", n * 1e8))
    for n in range(1, 41):
        cases.append((f"一兆{cn(n * 100)}亿元", 1e12 + n * 1e10))
    return cases


def gen_money():
    """123元1角1分, 五元三毛, 玖仟陆佰陆拾伍圆壹角捌分."""
    cases = []
    while len(cases) < 330:
        yuan, jiao, fen = R.randint(1, 99999), R.randint(1, 9), R.randint(1, 9)
        kind = len(cases) % 3
        if kind == 0:
            cases.append((f"{yuan}元{jiao}角{fen}分", yuan + jiao / 10 + fen / 100))
        elif kind == 1:
            cases.append((f"{cn(yuan)}元{DIGITS[jiao - 1]}毛", yuan + jiao / 10))
        else:
            cases.append((capitalise(f"{cn(yuan)}圆{DIGITS[jiao - 1]}角{DIGITS[fen - 1]}分", R), yuan + jiao / 10 + fen / 100))
    return cases


def gen_currency_before():
    """￥300, $20, US$5, €7, 人民币300: the currency before the number is its unit."""
    cases = []
    for sym, unit in (("￥", "元"), ("¥", "元"), ("$", "美元"), ("US$", "美元"), ("€", "欧元"), ("£", "英镑"),
                      ("人民币", "元"), ("HK$", "港元")):
        for _ in range(40):
            n = R.randint(1, 10**6)
            form = f"{n:,}" if R.random() < 0.3 else str(n)
            cases.append((f"价格为{sym}{form}", n, unit))
    return cases


def gen_claim_counts():
    """Counts and shares in Chinese numerals inside policy sentences are claims (value, unit)."""
    cases = []
    verbs = ["出台了", "推出", "建成", "新增", "累计培育", "共有", "认定了", "发布"]
    units = [("条", "支持措施"), ("项", "改革举措"), ("个", "示范区"), ("家", "专精特新企业"), ("所", "学校"), ("批", "试点")]
    while len(cases) < 330:
        n = R.randint(10, 9999)
        verb, (unit, noun) = R.choice(verbs), R.choice(units)
        cases.append((f"今年{verb}{cn(n, two=R.random() < 0.3)}{unit}{noun}。", n, unit, "level"))
    for d in range(1, 10):
        for tmpl in ("全省{}成以上的村庄实现通网。", "超过{}成的企业完成改造。", "{}成以上的资金用于民生。"):
            cases.append((tmpl.format(DIGITS[d - 1]), d * 10, "%", "share"))
    return cases


def gen_ranks():
    """位居第三, 跃居全国第十二位: ranks written in Chinese numerals are claims of kind rank."""
    cases = []
    for n in range(1, 111):
        for tmpl in ("我省数字经济规模位居全国第{}。", "GDP总量跃居世界第{}位。", "创新指数排名升至第{}位。"):
            cases.append((tmpl.format(cn(n)), n))
    return cases


def gen_quoted_names():
    """A number inside a quoted document name is not a claim (“数据二十条”, 《十四五规划》)."""
    cases = []
    for n in range(2, 112):
        for tmpl in ("国家发布“数据{}条”。", "出台《支持民营经济发展{}条措施》，", "落实“稳外贸{}条”要求。"):
            cases.append(tmpl.format(cn(n)))
    return cases


NEGATIVE_WORDS = ["一切", "万一", "一看", "四川", "一律", "十分重要", "一些", "一样", "一起", "一直", "统一", "唯一",
                  "一定", "一般", "一致", "一体化", "十分", "千方百计", "万物", "百姓", "一旦", "一同", "一向",
                  "一贯", "三农", "两岸", "一带一路", "逐一", "之一", "第一", "亿万", "一下", "一番",
                  # found reading CCTV news (2024-2025) with find_numbers
                  "万千气象", "千头万绪", "千家万户", "万兆光网", "县县通千兆", "一一握手", "五一假期", "“十四五”规划",
                  "万万不可", "城乡二元结构", "一元化", "一两点钟", "一二类麦苗", "传输可达1万兆", "容量为15千兆"]


def gen_negatives():
    """Words with numeral characters stay unparsed, alone and in sentences."""
    cases = []
    frames = ["{}", "我们要{}推进。", "这{}都说明问题。", "{}，", "他{}就懂了。", "在{}方面", "要{}落实", "（{}）",
              "坚持{}，", "{}与发展"]
    for w in NEGATIVE_WORDS:
        for f in frames:
            cases.append(f.format(w))
    return cases


def _build_table():
    return {
        "ranges": gen_ranges(), "zero_ten": gen_zero_ten(), "colloquial": gen_colloquial(),
        "estimates": gen_estimates(), "capitals": gen_capitals(), "separators": gen_separators(),
        "weight_liang": gen_weight_liang(), "per_mille": gen_per_mille(), "negative": gen_negative(),
        "spaces": gen_spaces(), "zhao_wanwan": gen_zhao_wanwan(), "money": gen_money(),
        "currency_before": gen_currency_before(), "claim_counts": gen_claim_counts(), "ranks": gen_ranks(),
        "quoted_names": gen_quoted_names(), "negatives": gen_negatives(),
    }


TABLE = _build_table()


def check(cls: str, case) -> str | None:
    """None when ``case`` of class ``cls`` is read right, else a description of the error."""
    if cls == "ranges":
        text, lo, hi = case
        n = one(text)
        if not (close(n.value, lo) and close(n.value_max, hi)):
            return f"{text}: {n.value}–{n.value_max}, want {lo}–{hi}"
    elif cls == "estimates":
        text, lo, hi = case
        n = one(text)
        if not (close(n.value, lo) and close(n.value_max, hi) and n.qualifier == "~"):
            return f"{text}: {n.value}–{n.value_max} {n.qualifier}, want {lo}–{hi} ~"
        numeral = text.rstrip("个人元")
        want = None if numeral in ("十一五", "十二五", "十三五", "十四五", "十五五") else (lo, hi)  # plan names alone
        if parse_number(numeral) is not None or not parse_range(numeral) == want:
            return f"{numeral}: parse_number {parse_number(numeral)}, parse_range {parse_range(numeral)}"
    elif cls in ("zero_ten", "colloquial", "capitals"):
        text, want = case
        if not close(parse_number(text), want):
            return f"{text}: {parse_number(text)}, want {want}"
        n = one("共" + text + "元")
        if not close(n.value, want):
            return f"{text} (in text): {n.value}, want {want}"
    elif cls in ("separators", "currency_before", "weight_liang"):
        text, want, unit = case
        n = one(text)
        if not (close(n.value, want) and n.unit == unit):
            return f"{text}: {n.value} {n.unit}, want {want} {unit}"
    elif cls == "per_mille":
        text, num, den = case
        n = one(text)
        if not (close(n.value, num / den * 100) and n.unit == "%"):
            return f"{text}: {n.value} {n.unit}, want {num / den * 100} %"
        if not close(parse_number(text), num / den):
            return f"{text}: parse_number {parse_number(text)}, want {num / den}"
    elif cls in ("negative", "spaces", "zhao_wanwan", "money"):
        text, want = case
        n = one(text)
        if not close(n.value, want):
            return f"{text}: {n.value}, want {want}"
    elif cls == "claim_counts":
        text, want, unit, kind = case
        cl = extract_claims(text)
        if len(cl) != 1 or not close(cl[0]["value"], want) or cl[0]["unit"] != unit or cl[0]["kind"] != kind:
            return f"{text}: {[(c['value'], c['unit'], c['kind']) for c in cl]}, want {want} {unit} {kind}"
    elif cls == "ranks":
        text, want = case
        cl = extract_claims(text)
        if len(cl) != 1 or not close(cl[0]["value"], want) or cl[0]["kind"] != "rank":
            return f"{text}: {[(c['value'], c['kind']) for c in cl]}, want rank {want}"
    elif cls == "quoted_names":
        cl = extract_claims(case)
        if cl:
            return f"{case}: claims {[c['text'] for c in cl]}, want none"
    elif cls == "negatives":
        found = find_numbers(case)
        if found or extract_claims(case):
            return f"{case}: {[(n.text, n.value) for n in found]}, want nothing"
    return None


@pytest.mark.parametrize("cls", sorted(TABLE))
def test_class_table(cls):
    cases = TABLE[cls]
    assert len(cases) >= 300, (cls, len(cases))
    errors = [e for e in (check(cls, c) for c in cases) if e]
    assert not errors, f"{len(errors)}/{len(cases)} wrong in {cls}: " + "; ".join(errors[:10])


def test_writer_sanity():
    assert cn(1010) == "一千零一十" and cn(100056) == "十万零五十六" and cn(120000000, two=True) == "一亿两千万"
    assert section(15, head=True) == "十五" and section(15, head=False) == "一十五"


# --------------------------------------------------------------------------- hand-written cases
@pytest.mark.parametrize("text,value", [
    ("一千零十", 1010), ("一千零十二", 1012), ("一百五", 150), ("一万三", 13000), ("两千六", 2600),
    ("一百二十万三", 1203000), ("拾万零五十六", 100056), ("十万柒仟捌佰伍拾肆", 107854), ("七十八万五佰零六", 780506),
    ("玖仟陆佰陆拾伍", 9665), ("负三十二", -32), ("四万万", 4e8), ("一兆", 1e12), ("一兆二千亿", 1.2e12),
    ("三十万亿", 3e13), ("5.86万亿", 5.86e12), ("1千亿", 1e11), ("3.5万", 35000), ("１２３", 123), ("1,234.5", 1234.5),
    ("82，225.00", 82225), ("一 百 二 十", 120), ("1 000", 1000), ("二〇二五", 2025), ("零点五", 0.5),
    ("一点五万亿", 1.5e12), ("百分之五", 0.05), ("千分之一", 0.001), ("万分之五", 0.0005), ("百分之1,111", 11.11),
    ("三分之二", 2 / 3), ("一百零五", 105), ("十五", 15), ("一百一十", 110), ("一百十", 110), ("两万亿", 2e12),
    ("三十多", 30), ("1000余", 1000), ("数百万", 1e6), ("一万零五", 10005), ("一亿零五百万", 1.05e8),
    ("十万三", 103000), ("三亿五", 3.5e8), ("35050984821620", 35050984821620),
    ("三十五万零五百零九亿八千四百八十二万一千六百二十", 35050984821620), ("一百九十九点八九", 199.89),
])
def test_parse_number_hand_written(text, value):
    assert parse_number(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", [
    "一切", "万一", "一看", "四川", "一律", "十分重要", "一些", "亿万", "万万", "三千百", "一百二千", "八九亿", "七八十",
    "一两", "八九", "百分之", "负", "两两", "二两", "四十两", "三百两", "一万两", "12a", "", "   ", "五点", "点五",
    "零零五", "十十",
])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text,lo,hi", [
    ("八九亿", 8e8, 9e8), ("七八十", 70, 80), ("十五六", 15, 16), ("二十七八万", 2.7e5, 2.8e5), ("三五百", 300, 500),
    ("一两百", 100, 200), ("两三千", 2000, 3000), ("四五千万", 4e7, 5e7),
])
def test_parse_range_estimates(text, lo, hi):
    assert parse_range(text) == (lo, hi)


@pytest.mark.parametrize("text,start,end,value,value_max,unit,qualifier", [
    ("投资一百二十到一百五十万元", 2, 13, 1.2e6, 1.5e6, "元", ">="),
    ("规模十八至三十万元", 2, 9, 1.8e5, 3e5, "元", ">="),
    ("七千到九千亿元", 0, 7, 7e11, 9e11, "元", ">="),
    ("销售额达八九亿元", 4, 8, 8e8, 9e8, "元", "~"),
    ("共发放玖仟陆佰陆拾伍圆壹角捌分", 3, 15, 9665.18, None, "元", "="),
    ("售价123元1角1分", 2, 10, 123.11, None, "元", "="),
    ("只要五元三毛", 2, 6, 5.3, None, "元", "="),
    ("价格为￥300", 3, 7, 300, None, "元", "="),
    ("约$20", 1, 4, 20, None, "美元", "~"),
    ("人民币300", 3, 6, 300, None, "元", "="),
    ("1--3个", 0, 5, 1, 3, "个", ">="),
    ("1——3个", 0, 5, 1, 3, "个", ">="),
    ("气温负三十二度", 2, 7, -32, None, "度", "="),
    ("二两酒", 0, 2, 2, None, "两", "="),
    ("超过八成", 2, 4, 80, None, "%", ">"),
    ("五成以上", 0, 4, 50, None, "%", ">="),
    ("百分之五十以上", 0, 7, 50, None, "%", ">="),
    ("5兆瓦", 0, 3, 5, None, "兆瓦", "="),
    ("一兆元", 0, 3, 1e12, None, "元", "="),
])
def test_find_numbers_hand_written(text, start, end, value, value_max, unit, qualifier):
    n = one(text)
    assert (n.start, n.end, n.text) == (start, end, text[start:end])
    assert n.value == pytest.approx(value) and n.unit == unit and n.qualifier == qualifier
    assert (n.value_max is None) == (value_max is None)
    if value_max is not None:
        assert n.value_max == pytest.approx(value_max)


def test_minus_only_as_a_sign():
    assert [(n.text, n.value) for n in find_numbers("降低企业税负5700多亿元")] == [("5700多亿元", 5.7e11)]
    assert [n.value for n in find_numbers("增速为负三十，气温降到负十五度")] == [-30, -15]


def test_find_numbers_spans_in_running_text():
    text = "2024年，全省新增就业一千二百万人，一切为了人民，同比增长-3.5%，位居第一。"
    got = [(n.text, n.value, n.unit) for n in find_numbers(text)]
    assert got == [("2024", 2024.0, None), ("一千二百万人", 1.2e7, "人"), ("-3.5%", -3.5, "%")]
    assert [n.text for n in find_numbers(text, ordinals=True)][-1] == "一"


def test_cn2an_writer_round_trip():
    """cn2an's own numeral writer (an independent implementation) read back by parse_number."""
    cn2an = pytest.importorskip("cn2an")
    rng = random.Random(7)
    for _ in range(600):
        n = rng.randint(0, 10 ** rng.randint(1, 15))
        for mode in ("low", "up"):
            s = cn2an.an2cn(n, mode)
            assert parse_number(s) == n, (n, s)
    for _ in range(200):
        x = round(rng.uniform(-1000, 1000), rng.randint(1, 4))
        s = cn2an.an2cn(str(x), "low")
        assert parse_number(s) == pytest.approx(x, abs=1e-9), (x, s)


def test_capital_numeral_alone_is_a_word():
    for text in ("赴港澳可从水陆两路", "大陆", "人才队伍建设", "收拾好", "陆续出台"):
        assert find_numbers(text) == [], text
    assert [n.value for n in find_numbers("伍佰元")] == [500]


@pytest.mark.parametrize("text,value,unit", [
    ("两个亿", 2e8, None), ("三个亿美元", 3e8, "美元"), ("投资两个亿元", 2e8, "元"), ("100块钱", 100, "元"),
    ("九十八块三毛", 98.3, "元"), ("5毛钱", 0.5, "元"), ("120万元人民币", 1.2e6, "元"), ("1.5亿港币", 1.5e8, "港元"),
    ("300美金", 300, "美元"), ("２·１万块", 21000, "块"), ("一个半小时", 1.5, "小时"), ("两个半月", 2.5, "个月"), ("壹仟伍佰圆整", 1500, "元"),
    ("1万2千美元", 12000, "美元"), ("两万五", 25000, None), ("十几亿元", 1e9, "元"), ("三块石头", 3, "块"),
])
def test_find_numbers_colloquial_money_and_magnitudes(text, value, unit):
    n = find_numbers(text)[0]
    assert n.value == pytest.approx(value) and n.unit == unit, (text, n)
