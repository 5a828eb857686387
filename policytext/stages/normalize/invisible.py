"""Invisible format and control characters, removed (``invisible`` sub-step).

Scraped and exported text carries characters that print as nothing but split words for every
later stage: ``推进\\u200d改革`` is not ``推进改革`` to a segmenter, a gazetteer or a claim pattern.
Removed here (one edit per run, replaced by nothing):

* C0 and C1 control codes other than the line and tab characters the ``whitespace`` sub-step
  handles (``\\x00``–``\\x08``, ``\\x0e``–``\\x1f``, ``\\x7f``, ``\\x80``–``\\x9f`` except
  ``\\x85``);
  A terminal colour code (``\x1b[31m``) goes whole;
* the soft hyphen (U+00AD), the combining grapheme joiner (U+034F), the Arabic letter mark
  (U+061C), the Mongolian vowel separator (U+180E);
* the zero-width non-joiner and joiner (U+200C, U+200D), left-to-right and right-to-left marks
  (U+200E, U+200F), bidirectional embeddings and isolates (U+202A–U+202E, U+2066–U+2069), the
  invisible operators and deprecated format characters (U+2061–U+2064, U+206A–U+206F), the
  interlinear annotation marks (U+FFF9–U+FFFB).

A zero-width joiner or non-joiner between two characters that are neither ASCII, Han, CJK
punctuation nor whitespace is kept: there it builds an emoji sequence (👨‍👩‍👧) or shapes an
Indic or Arabic word. Zero-width spaces, the word joiner and the byte-order mark are whitespace
(the ``whitespace`` sub-step). Private-use characters are left alone (the ``repair`` stage reads
some of them as GBK mojibake).
"""

from __future__ import annotations

import re
import unicodedata

from ...alignment import Edit
from .chars import HWS_CLASS, INVISIBLE, NL_CLASS, is_hanish
from .scan import FLAG_INVISIBLE, flagged, has_flags

__all__ = ["INVISIBLE", "invisible_edits"]

_JOINERS = frozenset("\u200c\u200d")
_SPACE_RE = re.compile(f"[{HWS_CLASS}{NL_CLASS}]")


# A terminal colour or cursor code (ESC [ ... letter): removed whole, not just its ESC.
_ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _name(c: str) -> str:
    return f"U+{ord(c):04X} {unicodedata.name(c, 'control code')}"


def _joinable(c: str) -> bool:
    """A letter, mark or symbol of a script or emoji set that uses joiners: not ASCII, Han, CJK
    punctuation, full-width forms (which later sub-steps turn into ASCII) or punctuation."""
    return (
        bool(c) and not c.isascii() and not is_hanish(c) and not 0xFF00 <= ord(c) <= 0xFFEF
        and not _SPACE_RE.match(c) and unicodedata.category(c)[0] in "LMS"
    )


def _joins_script(left: str, right: str) -> bool:
    """Whether a joiner between ``left`` and ``right`` does a job (emoji, Indic, Arabic)."""
    return _joinable(left) and _joinable(right)


def invisible_edits(text: str) -> list[Edit]:
    """Edits removing each run of invisible characters (see module docstring)."""
    if not has_flags(text, FLAG_INVISIBLE):
        return []
    edits: list[Edit] = []
    positions = flagged(text, FLAG_INVISIBLE).tolist()
    n = len(text)
    k = 0
    while k < len(positions):
        s = positions[k]
        e = s + 1
        k += 1
        while k < len(positions) and positions[k] == e:
            e += 1
            k += 1
        ansi = _ANSI_RE.match(text, e - 1) if text[e - 1] == "\x1b" else None
        if ansi is not None:
            e = ansi.end()
            while k < len(positions) and positions[k] < e:
                k += 1
        run = text[s:e]
        if e - s == 1 and run in _JOINERS and _joins_script(text[s - 1] if s else "", text[e] if e < n else ""):
            continue
        if ansi is not None:
            note = f"removed a terminal control sequence {ansi.group()!r}"
        else:
            names = sorted(set(run), key=run.index)
            note = f"removed {e - s} invisible character(s): " + ", ".join(_name(c) for c in names[:3])
            note += ", ..." if len(names) > 3 else ""
        edits.append(Edit(s, e, "", "invisible", note=note))
    return edits
