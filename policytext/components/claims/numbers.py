"""Number parsing for Chinese policy text: Arabic, Chinese numerals and mixes of both.

``parse_number("三十万亿") -> 3e13``, ``parse_number("5.86万亿") -> 5.86e12``,
``parse_number("1,234.5") -> 1234.5``, ``parse_number("１２３") -> 123``,
``parse_number("百分之五点二"[3:]) -> 5.2``, ``parse_number("-3.5") -> -3.5``.

Approximation markers (多, 余, 几, 数, 上) are accepted and dropped from the value;
:func:`parse_number_ex` also says whether one was present.
"""

from __future__ import annotations

import re

__all__ = ["parse_number", "parse_number_ex", "to_halfwidth", "CN_DIGITS", "MAGNITUDES"]

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

# Same-length translation of full-width digits, Latin letters and a few marks to ASCII:
# offsets found in the translated text are offsets in the original.
_HALF = {0xFF10 + i: 0x30 + i for i in range(10)}
_HALF.update({0xFF21 + i: 0x41 + i for i in range(26)})
_HALF.update({0xFF41 + i: 0x61 + i for i in range(26)})
_HALF.update({ord("％"): ord("%"), ord("．"): ord("."), ord("～"): ord("~"), ord("〜"): ord("~"),
              ord("－"): ord("-"), ord("\u2212"): ord("-"), ord("／"): ord("/"), ord("﹪"): ord("%"), ord("‰"): ord("‰")})
# traditional forms of numeral and measure characters, so unconverted text degrades gracefully
_HALF.update({ord(a): ord(b) for a, b in zip("萬億兩餘幾個項佔較與為達", "万亿两余几个项占较与为达")})


def to_halfwidth(text: str) -> str:
    """Map full-width digits/letters/%/./~ to ASCII; the result has the same length."""
    return text.translate(_HALF)


_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+")
_APPROX = "多余几数上"


def _section(s: str) -> float | None:
    """Value of a part below 万 ('三千二百', '3千', '十五', '12', '3.5', '五点二')."""
    if not s:
        return 0.0
    if "点" in s:  # a Chinese decimal: 五点二 = 5.2, 零点三五 = 0.35 (digits after 点 read one by one)
        whole, _, frac = s.partition("点")
        if not whole or not frac or not all(c in CN_DIGITS or c.isdigit() for c in frac):
            return None
        w = _section(whole)
        if w is None:
            return None
        return w + float("0." + "".join(str(CN_DIGITS[c]) if c in CN_DIGITS else c for c in frac))
    if _ARABIC.fullmatch(s):
        return float(s.replace(",", ""))
    # a plain run of Chinese digits (二〇二五) reads digit by digit
    if len(s) > 1 and all(c in CN_DIGITS for c in s):
        return float("".join(str(CN_DIGITS[c]) for c in s))
    total = 0.0
    number: float | None = None
    i = 0
    while i < len(s):
        m = _ARABIC.match(s, i)
        if m:
            if number is not None:
                return None
            number = float(m.group().replace(",", ""))
            i = m.end()
            continue
        c = s[i]
        if c in CN_DIGITS:
            if number is not None and number != 0:
                return None
            number = float(CN_DIGITS[c])
        elif c in SMALL_UNITS:
            if number is None:
                if total != 0 and c != "十":
                    return None
                number = 1.0
            total += number * SMALL_UNITS[c]
            number = None
        else:
            return None
        i += 1
    if number is not None:
        total += number
    return total


def _parse(s: str) -> float | None:
    if not s:
        return None
    # split on the last 亿, then on the last 万 (so 万亿 = 1e12, 三十万亿 = 3e13)
    for mark, factor in (("亿", 1e8), ("万", 1e4)):
        k = s.rfind(mark)
        if k >= 0:
            left, right = s[:k], s[k + 1:]
            if mark in left or (mark == "万" and "亿" in left):
                return None  # 万万, 亿亿: not a numeral
            lv = _parse(left) if left else 1.0
            if lv is None:
                return None
            rv = _parse(right) if right else 0.0
            if rv is None:
                return None
            if right and rv >= factor:
                return None
            return lv * factor + rv
    return _section(s)


def parse_number_ex(text: str) -> tuple[float | None, bool]:
    """Parse a number; return ``(value, approximate)`` where approximate means 多/余/几/数/上 was present.

    Returns ``(None, False)`` when the text is not a number.
    """
    s = to_halfwidth(text.strip())
    if not s:
        return None, False
    approx = any(c in _APPROX for c in s)
    if approx:
        s2 = s
        # 几/数/上 before a magnitude stand for "one" of it: 几十 -> 10, 数百万 -> 1e6, 十几 -> 10
        s2 = re.sub(r"^[几数上](?=[十百千万亿])", "", s2)
        s2 = re.sub(r"(?<=[十百千万亿\d])[多余几]", "", s2)
        if any(c in _APPROX for c in s2):
            return None, False
        s = s2
    neg = s.startswith(("负", "-"))
    v = _parse(s[1:] if neg else s)
    if v is None:
        return None, False
    v = float(f"{v:.12g}")  # 1.39万亿 -> 1.39e12, not 1389999999999.9998
    return (-v if neg else v), approx


def parse_number(text: str) -> float | None:
    """Parse Arabic, Chinese or mixed numerals with magnitude words into a float.

    >>> parse_number("三十万亿")
    30000000000000.0
    >>> parse_number("1千亿")
    100000000000.0
    >>> parse_number("两万亿")
    2000000000000.0
    """
    return parse_number_ex(text)[0]
