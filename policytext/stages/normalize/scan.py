"""One look-up pass that tells each normalize sub-step whether, and where, it has work to do.

Most text needs few or no changes, and on such text the cost of the stage is the scanning:
every sub-step used to run its own regular expression over the whole text. :func:`char_flags`
maps every character to a bit set with one table look-up (numpy, a fraction of OpenCC's own
time), and keeps the result for the text it was last asked about, so that the sub-steps that
follow each other without changing the text share one pass. Each sub-step then visits only the
positions its bits mark.

The bits (``FLAG_*``) are defined by the same character sets the sub-steps use, so a flagged
position is exactly a position the sub-step's own pattern would match.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from ...codepoints import code_points
from .chars import FULL_WIDTH, HWS_CLASS, INVISIBLE, MARK_FAMILIES, NL_CLASS, TRANSPARENT, is_hanish

__all__ = [
    "char_flags",
    "char_codes",
    "script_triggers",
    "FLAG_STUTTER_MARK",
    "FLAG_ASCII_MARK",
    "FLAG_FW_BRACKET",
    "FLAG_FW_ALNUM",
    "FLAG_FW_NUMPUNCT",
    "FLAG_ODD_SPACE",
    "FLAG_MARK_SPACE",
    "FLAG_DIGIT",
    "FLAG_TRANSPARENT",
    "FLAG_HANISH",
    "FLAG_INVISIBLE",
    "carry_flags",
    "forget",
    "SCRIPT_FLAGS",
    "PHRASE_FLAGS",
    "ScriptTriggers",
]

FLAG_STUTTER_MARK = 1 << 0  # marks that collapse when repeated: ,，!！?？;；:：、。
FLAG_ASCII_MARK = 1 << 1  # ASCII , ! ? ; : ( ) (punct_width)
FLAG_FW_BRACKET = 1 << 2  # （ ）
FLAG_FW_ALNUM = 1 << 3  # full-width digits and Latin letters
FLAG_FW_NUMPUNCT = 1 << 4  # ． ： ％ (width, inside numbers)
FLAG_ODD_SPACE = 1 << 5  # whitespace other than " " and "\n" (whitespace sub-step)
FLAG_MARK_SPACE = 1 << 6  # spaces allowed between stuttered marks: " ", "\t", "\u3000"
FLAG_DIGIT = 1 << 7  # 0-9 and ０-９
FLAG_TRANSPARENT = 1 << 14  # what the punctuation context looks through (chars.TRANSPARENT)
FLAG_HANISH = 1 << 15  # Han characters and CJK punctuation (chars.is_hanish)
FLAG_INVISIBLE = 1 << 16  # control and invisible format characters (invisible.INVISIBLE)
# Characters an OpenCC configuration changes on their own (see :func:`script_triggers`)...
SCRIPT_FLAGS = {"t2s": 1 << 8, "hk2s": 1 << 9, "tw2s": 1 << 10}
# ...and characters it changes only inside some phrases (沈 of 沈浸, 坏 of 捏坏).
PHRASE_FLAGS = {"t2s": 1 << 11, "hk2s": 1 << 12, "tw2s": 1 << 13}

# Code points at or above this limit get no flag (nothing the sub-steps or OpenCC change).
_LIMIT = 0x40000

STUTTER_MARKS = "".join(chars for chars, _ in MARK_FAMILIES)
ASCII_MARKS = "".join(FULL_WIDTH)
_ODD_SPACE_RE = re.compile(f"[{HWS_CLASS.replace(' ', '')}{NL_CLASS.replace(chr(10), '')}]")


class ScriptTriggers(NamedTuple):
    """What one OpenCC configuration may change: characters alone, and a few phrases."""

    alone: str  # characters it changes wherever they are
    phrase_chars: str  # characters it changes only inside one of ``phrases``
    phrases: re.Pattern[str]  # those phrases
    longest: int  # length of the longest of them


@lru_cache(maxsize=1)
def script_triggers() -> dict[str, ScriptTriggers] | None:
    """Per OpenCC configuration, what it may change (None: not known for the installed OpenCC).

    Read from ``policytext/data/opencc_triggers.json`` (``scripts/build_opencc_triggers.py``),
    and used only when the installed OpenCC has the version the file was built with.
    """
    import opencc

    data = json.loads(resources.files("policytext.data").joinpath("opencc_triggers.json").read_text(encoding="utf-8"))
    if data.get("opencc_version") != getattr(opencc, "__version__", None):
        return None
    out: dict[str, ScriptTriggers] = {}
    for name, sets in data["configs"].items():
        phrases: dict[str, str] = sets["phrases"]
        changed = {c for k, v in phrases.items() for c, o in zip(k, v) if c != o}
        changed |= {c for k, v in phrases.items() if len(k) != len(v) for c in k}
        alternatives = "|".join(re.escape(k) for k in sorted(phrases, key=len, reverse=True))
        out[name] = ScriptTriggers(
            alone=sets["alone"],
            phrase_chars="".join(sorted(changed)),
            phrases=re.compile(alternatives or "(?!)"),
            longest=max(map(len, phrases), default=0),
        )
    return out


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """The look-up table: code point -> bit set (uint32)."""
    lut = np.zeros(_LIMIT, dtype=np.uint32)

    def mark(chars: str, bit: int) -> None:
        lut[np.fromiter((ord(c) for c in chars if ord(c) < _LIMIT), dtype=np.int64)] |= bit

    mark(STUTTER_MARKS, FLAG_STUTTER_MARK)
    mark(ASCII_MARKS, FLAG_ASCII_MARK)
    mark("（）", FLAG_FW_BRACKET)
    lut[0xFF10:0xFF1A] |= FLAG_FW_ALNUM
    lut[0xFF21:0xFF3B] |= FLAG_FW_ALNUM
    lut[0xFF41:0xFF5B] |= FLAG_FW_ALNUM
    mark("\uff0e\uff1a\uff05", FLAG_FW_NUMPUNCT)
    mark(" \t\u3000", FLAG_MARK_SPACE)
    mark("".join(_ODD_SPACE_RE.findall("".join(map(chr, range(0x10000))))), FLAG_ODD_SPACE)
    mark("".join(TRANSPARENT), FLAG_TRANSPARENT)
    mark("".join(c for c in map(chr, range(0x10000)) if is_hanish(c)), FLAG_HANISH)
    lut[0x20000:0x2FA20] |= FLAG_HANISH  # CJK extension B and beyond (chars.is_han)
    mark("".join(INVISIBLE), FLAG_INVISIBLE)
    mark("0123456789\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19", FLAG_DIGIT)
    triggers = script_triggers()
    if triggers is not None:
        for name, t in triggers.items():
            if name in SCRIPT_FLAGS:
                mark(t.alone, SCRIPT_FLAGS[name])
                mark(t.phrase_chars, PHRASE_FLAGS[name])
    lut[_LIMIT - 1] = 0  # U+3FFFF, a non-character: what every code point past the table reads
    return lut


# The last text asked about, its flags and its code points.
_cache: tuple[str, np.ndarray, np.ndarray] | None = None


def char_flags(text: str) -> np.ndarray:
    """The bit set (``FLAG_*``, ``SCRIPT_FLAGS``) of every character of ``text``, as a uint32 array.

    The result for the last text asked about is kept (by identity), so sub-steps that run one
    after another on an unchanged text pay for one pass. Do not modify the returned array.
    """
    cached = _cache
    if cached is not None and cached[0] is text:
        return cached[1]
    return _scan(text)[1]


def char_codes(text: str) -> np.ndarray:
    """The code points of ``text`` (uint32), kept with its flags (see :func:`char_flags`)."""
    cached = _cache
    if cached is not None and cached[0] is text:
        return cached[2]
    return _scan(text)[2]


def _scan(text: str) -> tuple[str, np.ndarray, np.ndarray]:
    global _cache
    codes = code_points(text)
    flags = _table().take(codes, mode="clip")  # code points past the table read its last entry (0)
    _cache = (text, flags, codes)
    return _cache


def carry_flags(old_text: str, new_text: str, starts: list[int], ends: list[int], replacements: list[str]) -> None:
    """Keep the flags of ``old_text`` for ``new_text``, made from it by ordered, non-overlapping edits.

    Only the replacements are looked up; the rest is copied. Does nothing when the flags of
    ``old_text`` are not the ones kept.
    """
    global _cache
    cached = _cache
    if cached is None or cached[0] is not old_text:
        return
    old_flags, old_codes = cached[1], cached[2]
    table = _table()
    flag_pieces: list[np.ndarray] = []
    code_pieces: list[np.ndarray] = []
    prev = 0
    for s, e, rep in zip(starts, ends, replacements):
        flag_pieces.append(old_flags[prev:s])
        code_pieces.append(old_codes[prev:s])
        if rep:
            codes = code_points(rep)
            flag_pieces.append(table.take(codes, mode="clip"))
            code_pieces.append(codes)
        prev = e
    flag_pieces.append(old_flags[prev:])
    code_pieces.append(old_codes[prev:])
    flags = np.concatenate(flag_pieces)
    if len(flags) == len(new_text):
        _cache = (new_text, flags, np.concatenate(code_pieces))


def forget() -> None:
    """Drop the kept flags (and the reference to their text): the stage calls it when it is done."""
    global _cache, _present
    _cache = _present = None


# The bits present anywhere in the last text (``_cache``'s text), found when first asked.
_present: tuple[str, int] | None = None


def has_flags(text: str, bits: int) -> bool:
    """Whether any character of ``text`` carries any of ``bits`` (one pass per text, then kept):
    sub-steps call it to return at once on text they have nothing to do with."""
    global _present
    present = _present
    if present is None or present[0] is not text:
        present = _present = (text, int(np.bitwise_or.reduce(char_flags(text), initial=0)))
    return bool(present[1] & bits)


def flagged(text: str, bits: int) -> np.ndarray:
    """Positions in ``text`` of the characters that carry any of ``bits``."""
    return np.flatnonzero(char_flags(text) & bits)
