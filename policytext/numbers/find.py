"""Every number in a text, with span, value, unit, qualifier and range (:func:`find_numbers`).

Built on the claims stage's number finder (its measure words, ranges, estimates, money and
percentages), without the claim rules: dates, ordinals-as-ranks and quantities in laws are
numbers here too. Single numeral characters that are part of words (一切, 万一, 四川, 十分重要),
ordinals (第一) and parts of Latin tokens (5G, C919) are not returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from .parse import to_halfwidth
from .tables import NUMERAL_WORDS

__all__ = ["NumberMention", "find_numbers"]

_WORD_SPAN = max(map(len, NUMERAL_WORDS))
_CN_SINGLE = set("零〇一二两三四五六七八九十百千万亿兆几")


@dataclass(frozen=True)
class NumberMention:
    """One number in a text: ``text[start:end]`` is the numeral with its unit and trailing qualifier.

    ``value`` is folded into base units (三十万亿 = 3e13; 5% is 5 with unit ``%``); a range
    (3~5个, 一百二十到一百五十万元) or an estimate (八九亿) has ``value`` = the low end and
    ``value_max`` = the high end. ``qualifier`` is one of ``= > >= < <= ~``.
    """

    start: int
    end: int
    text: str
    value: float
    unit: str | None
    qualifier: str = "="
    value_max: float | None = None

    @property
    def is_range(self) -> bool:
        return self.value_max is not None


def _is_word(t: str, s: int, e: int) -> bool:
    """A single numeral character inside a word of :data:`NUMERAL_WORDS`."""
    lo = max(0, s - _WORD_SPAN + 1)
    for a in range(lo, s + 1):
        for b in range(e, min(len(t), a + _WORD_SPAN) + 1):
            if t[a:b] in NUMERAL_WORDS:
                return True
    return False


def find_numbers(text: str, ordinals: bool = False) -> list[NumberMention]:
    """Every number in ``text`` in order; ``ordinals=True`` also returns 第N (value N, unit None).

    >>> [(n.text, n.value, n.unit) for n in find_numbers("一切为了人民，投资达3.5万亿元")]
    [('3.5万亿元', 3500000000000.0, '元')]
    """
    from policytext.components.claims.extract import _qualifier, find_numbers as _candidates

    t = to_halfwidth(text)
    out: list[NumberMention] = []
    for c in _candidates(text):
        s, ne = c.start, c.num_end
        prev = t[s - 1] if s > 0 else ""
        nxt = t[ne] if ne < len(t) else ""
        if prev == "第" and not ordinals:
            continue
        if (prev.isascii() and prev.isalpha()) or (c.unit is None and nxt.isascii() and nxt.isalpha()):
            continue  # 5G, C919, H100
        num = c.num_text
        if c.special is None and not any(ch.isdigit() for ch in num) and not c.approx and c.value_max is None:
            if len(num) == 1 and num in _CN_SINGLE and prev != "第" and (
                    c.unit is None or (num in "百千万亿" and (not prev or prev not in "近约超逾破达")) or _is_word(t, s, ne)):
                continue  # 一切, 四川, 十分, 万一, 千头万绪 (a numeral with a measure word stays: 三个, 五元)
            if num.startswith("负") and len(num) == 2 and c.unit is None:
                continue
        cue = max(0, s - 8)
        for k in range(s - 1, cue - 1, -1):
            if t[k] in "，,。；;：:！？!?\n":
                cue = k + 1
                break
        qualifier, _ = _qualifier(t, c, cue)
        out.append(NumberMention(s, c.end, text[s:c.end], c.value, c.unit, qualifier, c.value_max))
    return out
