"""An independent writer of Chinese numerals, for generating test cases from integers.

Written from the rules of the numeral system (not from policytext's parser): four-digit sections
joined by 万/亿, one 零 for a gap of zeros, 十 without 一 at the head of a numeral.
"""

from __future__ import annotations

import random

DIGIT = "零一二三四五六七八九"
CAPITAL = dict(zip("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟"))
PLACES = ("", "十", "百", "千")


def section(n: int, head: bool, two: bool = False) -> str:
    """0 < n < 10000 in Chinese; ``head``: first section of the numeral (十五, not 一十五)."""
    digits = [n // 1000 % 10, n // 100 % 10, n // 10 % 10, n % 10]
    out, gap, started = [], False, False
    for d, place in zip(digits, ("千", "百", "十", "")):
        if d == 0:
            gap = started
            continue
        if gap:
            out.append("零")
            gap = False
        if place == "十" and d == 1 and head and not started:
            out.append("十")
        else:
            ch = DIGIT[d]
            if two and d == 2 and place in ("千", "百"):
                ch = "两"
            out.append(ch + place)
        started = True
    return "".join(out)


def cn(n: int, two: bool = False) -> str:
    """0 <= n < 10**12 in standard Chinese numerals (一亿零五百万, 三千零五, 十五, 一百一十)."""
    if n == 0:
        return "零"
    groups = [(n // 10**8) % 10**4, (n // 10**4) % 10**4, n % 10**4]
    out: list[str] = []
    pending_zero = False
    for g, mag in zip(groups, ("亿", "万", "")):
        if g == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or g < 1000):
            out.append("零")
        pending_zero = False
        s = section(g, head=not out, two=two)
        if two and s == "二" and mag:
            s = "两"
        out.append(s + mag)
    return "".join(out)


def capitalise(s: str, rng: random.Random, p: float = 1.0) -> str:
    """Replace ordinary numeral characters by capital ones (大写), each with probability p."""
    return "".join(CAPITAL[c] if c in CAPITAL and rng.random() < p else c for c in s)
