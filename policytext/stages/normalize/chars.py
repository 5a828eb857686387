"""Character classes shared by the normalize sub-steps.

All checks are plain comparisons on code points so that they stay fast and need no data files.
"""

from __future__ import annotations

__all__ = [
    "is_han",
    "is_cjk_punct",
    "is_hanish",
    "is_digit",
    "is_content",
    "HAN_CLASS",
    "HWS_CLASS",
    "NL_CLASS",
    "TRANSPARENT",
    "FULL_WIDTH",
    "MARK_FAMILIES",
    "INVISIBLE",
]

# Regex character classes (for use inside [...]).
HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
# Horizontal whitespace, including ideographic space, no-break spaces and zero-width ones.
HWS_CLASS = " \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u2060\u3000\ufeff"
# Line separators other than "\r\n" (handled as a unit).
NL_CLASS = "\n\r\x0b\x0c\x85\u2028\u2029"

# Marks that the punctuation sub-steps may change, in both widths, plus curly quotes: when a
# sub-step looks for the text a mark belongs to, it looks through these (and spaces), so that
# converting one mark never changes the decision for its neighbour (idempotence).
# ASCII marks that punct_width turns full width in Chinese text.
FULL_WIDTH = {",": "，", "!": "！", "?": "？", ";": "；", ":": "：", "(": "（", ")": "）"}
# Marks that collapse when repeated (punct_stutter): the characters of a family -> its full-width mark.
MARK_FAMILIES = [(",，", "，"), ("!！", "！"), ("?？", "？"), (";；", "；"), (":：", "："), ("、", "、"), ("。", "。")]

# Control codes and invisible format characters that the ``invisible`` sub-step removes (see
# invisible.py); the line and tab characters are whitespace's.
_INVISIBLE_RANGES = [
    (0x00, 0x08), (0x0E, 0x1F), (0x7F, 0x84), (0x86, 0x9F),
    (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x180E, 0x180E),
    (0x200C, 0x200F), (0x202A, 0x202E), (0x2061, 0x2064), (0x2066, 0x206F), (0xFFF9, 0xFFFB),
]
INVISIBLE: frozenset[str] = frozenset(chr(o) for a, b in _INVISIBLE_RANGES for o in range(a, b + 1))

TRANSPARENT = frozenset(",，!！?？;；:：(（)）、。“”‘’ \t\u3000")


def is_han(c: str) -> bool:
    o = ord(c)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FA1F
        or o == 0x3007
    )


def is_cjk_punct(c: str) -> bool:
    """CJK punctuation and symbols (《》【】「」……——，。 etc.), ideographic space excluded."""
    o = ord(c)
    return (
        0x3001 <= o <= 0x303F
        or 0xFF01 <= o <= 0xFF0F
        or 0xFF1A <= o <= 0xFF20
        or 0xFF3B <= o <= 0xFF40
        or 0xFF5B <= o <= 0xFF65
        or o in (0x2026, 0x2014, 0x00B7, 0x2027)
    )


def is_hanish(c: str) -> bool:
    """A character that only occurs in Chinese text: Han or CJK punctuation."""
    return is_han(c) or is_cjk_punct(c)


def is_digit(c: str) -> bool:
    return "0" <= c <= "9" or "\uff10" <= c <= "\uff19"


def is_content(c: str) -> bool:
    """Han characters, letters and digits of any width: what counts as a line's length."""
    return is_han(c) or c.isalnum()
