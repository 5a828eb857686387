"""Parse one number expression: Arabic, Chinese (ordinary or capital) numerals and mixes of both.

``parse_number("三十万亿") -> 3e13``, ``parse_number("一百五") -> 150``, ``parse_number("一千零十") -> 1010``,
``parse_number("玖仟陆佰陆拾伍") -> 9665``, ``parse_number("百分之五") -> 0.05``,
``parse_number("八九亿") -> None`` (an estimate: ``parse_range`` gives ``(8e8, 9e8)``).

Rules (the tables are in :mod:`policytext.numbers.tables`):

- a numeral is split on its highest magnitude (兆 > 亿 > 万; 万万 = 亿); each part below 万 is a
  *section* of digits and 十/百/千, where 零 marks a gap (一千零五 = 1005, 一千零十 = 1010);
- a single digit after a unit with no 零 before it is the next place down (一百五 = 150,
  两千六 = 2600, 一万三 = 13000, 一百二十万三 = 1203000);
- a run of plain digits with no unit reads digit by digit (二〇二五 = 2025);
- Arabic digits take Chinese units (3千, 5.86万亿), thousands separators (1,234 and 1，234) and
  spaces inside a numeral are ignored; ``点`` is a decimal point (百分之五点二, 一点五万亿);
- 多/余/几/来/数/上 mark an approximate number and are dropped from the value;
- two adjacent digits with a unit (八九亿, 七八十, 十五六) are an estimate, not one number.
"""

from __future__ import annotations

import re

from ..codepoints import translate_chars
from .tables import APPROX_AFTER, APPROX_BEFORE, BIG_UNITS, CAPITALS, DIGITS, ESTIMATE_PAIRS, SMALL_UNITS

__all__ = ["parse_number", "parse_number_ex", "parse_range", "to_halfwidth", "numeral_view"]

# Same-length translation of full-width digits, Latin letters and a few marks to ASCII:
# offsets found in the translated text are offsets in the original.
_HALF = {0xFF10 + i: 0x30 + i for i in range(10)}
_HALF.update({0xFF21 + i: 0x41 + i for i in range(26)})
_HALF.update({0xFF41 + i: 0x61 + i for i in range(26)})
_HALF.update({ord("％"): ord("%"), ord("．"): ord("."), ord("～"): ord("~"), ord("〜"): ord("~"),
              ord("－"): ord("-"), ord("\u2212"): ord("-"), ord("／"): ord("/"), ord("﹪"): ord("%"),
              ord("＄"): ord("$"), ord("＋"): ord("+")})
# traditional forms of numeral and measure characters, so unconverted text degrades gracefully
_HALF.update({ord(a): ord(b) for a, b in zip("萬億兩餘幾個項佔較與為達", "万亿两余几个项占较与为达")})
# the numeral view also maps capital numerals (壹贰叁…) onto ordinary ones
_NUMERAL = dict(_HALF)
_NUMERAL.update({ord(a): ord(b) for a, b in CAPITALS.items()})


def to_halfwidth(text: str) -> str:
    """Map full-width digits/letters/%/./~ to ASCII; the result has the same length."""
    return translate_chars(text, _HALF)


def numeral_view(text: str) -> str:
    """:func:`to_halfwidth` plus capital numerals as ordinary ones (壹→一, 拾→十); same length."""
    return translate_chars(text, _NUMERAL)


_ARABIC = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_UNIT_RE = re.compile("[十百千万亿兆]")
_DIGIT_RE = re.compile("[0-9一二两三四五六七八九]")
_DIGIT_CLASS = "[" + "".join(DIGITS) + "]"
_PAIR_RE = re.compile(f"(?<!{_DIGIT_CLASS})(?:" + "|".join(a + b for a, b in sorted(ESTIMATE_PAIRS)) + f")(?!{_DIGIT_CLASS})")
_WANWAN = re.compile(r"(?<=[\d一二两三四五六七八九十百千])万万(?!万)")
_PLAN = re.compile(r"十[一二三四五]五")  # 十四五, 十三五: five-year plans, not 14–15
_APPROX_RE = re.compile(f"[{APPROX_AFTER}{APPROX_BEFORE}]")
_UNIT_CHARS = "十百千万亿兆"
_SPACE_IN = re.compile(r"(?<=[\d零〇○一二两三四五六七八九十百千万亿兆点.])[ \u3000\u00a0\u2009\u202f]+(?=[\d零〇○一二两三四五六七八九十百千万亿兆点.])")
_THOUSANDS = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")
_PER = re.compile(r"^(?P<den>[\d零〇一二两三四五六七八九十百千万]+)分之(?P<num>.+)$")


def _section(s: str) -> float | None:
    """Value of a part below 万: '三千二百', '3千', '十五', '一百五', '一千零十', '3.5', '五点二'."""
    if not s:
        return 0.0
    if "点" in s:  # a Chinese decimal: 五点二 = 5.2, 零点三五 = 0.35 (digits after 点 read one by one)
        whole, _, frac = s.partition("点")
        if not whole or not frac or not all(c in DIGITS or c.isdigit() for c in frac):
            return None
        w = _section(whole)
        if w is None:
            return None
        return w + float("0." + "".join(str(DIGITS[c]) if c in DIGITS else c for c in frac))
    if _ARABIC.fullmatch(s):
        return float(s)
    if len(s) > 1 and all(c in DIGITS for c in s):  # 二〇二五: digit by digit
        if "两" in s or s[0] in "零〇○" or len(s) == 2:
            return None  # 两 is never read digit by digit; 一一, 五一 (劳动节), 八九 (an estimate?) are words
        return float("".join(str(DIGITS[c]) for c in s))
    total = 0.0
    number: float | None = None
    last_unit = 0
    after_zero = False
    i = 0
    while i < len(s):
        c = s[i]
        if c in "0123456789.":
            m = _ARABIC.match(s, i)
            if not m or (number is not None and number != 0):
                return None
            number = float(m.group())
            i = m.end()
            continue
        if c in DIGITS:
            if c == "两" and i == len(s) - 1 and last_unit:
                return None  # 四十两, 三百两: 两 the weight after a numeral, never 42 or 302
            if number is not None and number != 0:
                return None  # two digits in a row inside a numeral with units
            if DIGITS[c] == 0:
                if last_unit == 0 and total == 0 and number is None and i + 1 < len(s):
                    return None  # a leading 零 before more digits: not a numeral
                after_zero = True
            number = float(DIGITS[c])
        elif c in SMALL_UNITS:
            u = SMALL_UNITS[c]
            if last_unit and u >= last_unit:
                return None  # units must fall: 一千二百, never 一百二千
            if number is None or (number == 0 and after_zero):
                if total != 0 and c != "十":
                    return None
                number = 1.0
            total += number * u
            last_unit, number, after_zero = u, None, False
        else:
            return None
        i += 1
    if number is not None:
        if last_unit >= 100 and not after_zero and number != 0:
            number *= last_unit / 10  # 一百五 = 150, 两千六 = 2600
        total += number
    return total


def _parse(s: str) -> float | None:
    if not s:
        return None
    for mark, factor in BIG_UNITS:
        k = s.rfind(mark)
        if k < 0:
            continue
        left, right = s[:k], s[k + 1:]
        if mark in left or any(b in left for b, f in BIG_UNITS if f > factor):
            return None  # 万…万, 亿 left of a 万 split: not a numeral
        if right and right[0] in _UNIT_CHARS[3:]:
            return None  # 亿万: an idiom, not 100010000
        if mark == "兆" and ((not _DIGIT_RE.search(left) and left != "十") or left[-1:] in "千万"):
            return None  # 万兆, 1万兆, 15千兆 (网络, 存储): 兆 is mega there; a numeral 兆 follows a digit (一兆, 3兆)
        lv = _parse(left) if left else 1.0
        if lv is None:
            return None
        if not right:
            return lv * factor
        if right == "两":
            return None  # 一万两: 两 the weight (silver), not 12000
        if len(right) == 1 and (right in DIGITS or right.isdigit()) and right not in "零〇0":
            if not left:
                return None  # 万一, 亿一: words, not numerals
            rv = (DIGITS[right] if right in DIGITS else int(right)) * factor / 10  # 一万三 = 13000
        else:
            if not left and not _DIGIT_RE.search(right):
                return None  # 万千 (气象), 亿万: words, not 11000
            rv = _parse(right.lstrip("零〇")) if right.lstrip("零〇") else 0.0
            if rv is None:
                return None
        if rv >= factor:
            return None
        return lv * factor + rv
    return _section(s)


def _clean(text: str) -> str:
    s = numeral_view(text.strip())
    s = _SPACE_IN.sub("", s)
    s = _THOUSANDS.sub("", s)
    if "·" in s:  # 2·1万: a decimal point in older texts
        s = re.sub(r"(?<=\d)·(?=\d)", ".", s)
    return _WANWAN.sub("亿", s) if "万万" in s else s  # 四万万 = 4亿; 万万 alone is a word (万万不可)


def _estimate_at(s: str, bare: bool = False) -> int:
    """Index of the first digit of an estimate pair (八九亿, 七八十, 十五六), or -1.

    Without a unit (八九, 三五) the pair is an estimate only when ``bare`` (a measure word follows).
    Digits after a decimal point (一百九十九点八九) are never an estimate."""
    if not bare and not _UNIT_RE.search(s):
        return -1
    m = _PAIR_RE.search(s)
    if m is None or "点" in s[:m.start()] or "." in s[:m.start()] or (not bare and _PLAN.fullmatch(s)):
        return -1
    return m.start()


def _strip_approx(s: str) -> tuple[str, bool]:
    if not _APPROX_RE.search(s):
        return s, False
    # 几/数/上 before a magnitude stand for "one" of it: 几十 -> 10, 数百万 -> 1e6; 十几 -> 10
    s2 = re.sub(r"^[几数上](?=[十百千万亿])", "", s)
    s2 = re.sub(r"(?<=[十百千万亿兆\d])[多余几来]", "", s2)
    if _APPROX_RE.search(s2):
        return "", False
    return s2, True


def _value(s: str) -> float | None:
    neg = s[:1] in ("负", "-")
    if s[:1] in ("负", "-", "+", "正"):
        s = s[1:]
    v = _parse(s)
    if v is None:
        return None
    v = float(f"{v:.15g}")  # 1.39万亿 -> 1.39e12, not 1389999999999.9998 (15 digits kept)
    return -v if neg else v


def parse_number_ex(text: str) -> tuple[float | None, bool]:
    """Parse a number; return ``(value, approximate)`` (approximate: 多/余/几/来/数/上 present).

    Returns ``(None, False)`` when the text is not one number (an estimate such as 八九亿 included).
    """
    if _PLAIN.fullmatch(text):  # the common case, 2025 or 12.5: no cleaning needed
        return float(text), False
    s = _clean(text)
    if not s:
        return None, False
    m = _PER.match(s)
    if m:  # 百分之五 = 0.05, 千分之一 = 0.001, 三分之二 = 0.667
        den, num = _value(m.group("den")), _value(m.group("num"))
        if not den or num is None or m.group("num")[:1] in "负-":
            return None, False
        return float(f"{num / den:.15g}"), False
    s, approx = _strip_approx(s)
    if not s or _estimate_at(s) >= 0:
        return None, False
    return _value(s), approx


def parse_number(text: str) -> float | None:
    """Parse one number expression (Arabic, Chinese or capital numerals, mixed) into a float.

    >>> parse_number("三十万亿")
    30000000000000.0
    >>> parse_number("一百二十万三")
    1203000.0
    >>> parse_number("拾万零五十六")
    100056.0
    >>> parse_number("一切") is None
    True
    """
    return parse_number_ex(text)[0]


def parse_range(text: str, bare: bool = False) -> tuple[float, float] | None:
    """An estimate of two adjacent digits as ``(low, high)``: 八九亿 → (8e8, 9e8), 十五六 → (15, 16).

    Returns None when ``text`` is not such an estimate. ``bare=True`` also reads a pair with no
    unit (三五, 一两: used when a measure word follows, 三五年, 一两个).
    """
    s, _ = _strip_approx(_clean(text))
    i = _estimate_at(s, bare) if s else -1
    if i >= 0 and not any(c in _UNIT_CHARS for c in s) and (len(s) != 2 or s == "一二"):
        return None  # a bare pair is two digits alone: 三五 (年), 一两 (个); 一二类 is class I and II
    if i < 0:
        return None
    lo, hi = _value(s[:i + 1] + s[i + 2:]), _value(s[:i] + s[i + 1:])
    if lo is None or hi is None or lo >= hi:
        return None
    return lo, hi
