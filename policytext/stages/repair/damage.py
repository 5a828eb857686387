"""Damage left after every repair: found so that it can be flagged where it stands.

What the repair steps could not undo stays in the text, but never silently: the stage reports
each damaged line in a warning that names its raw offsets (``at raw [a, b)``). Kinds:

- ``question_marks``: runs of ``?`` (``????數字經濟``), a ``?`` opening a line before a Chinese
  character or punctuation (``?。ㄒ唬``), a line of nothing but ``?``: characters the page's codec
  lacked, replaced by ``?``;
- ``replacement_char`` (U+FFFD), ``private_use`` (U+E000-U+F8FF), ``control`` (C1 controls);
- ``rare_run``: three or more characters in a row that official Chinese text never uses (not in
  the character table after t2s), e.g. ``睂τ陉``: mojibake no reversal explained;
- ``latin_mojibake``: a UTF-8-as-cp1252 signature (``Ã©``, ``â€``) ftfy left;
- ``odd_quotes``: ``„`` / ``‟`` inside Chinese text (``国办发„2009‟3号``: a lost 〔 〕);
- ``orphan_annotation``: a ``?`` and a toned pinyin syllable closed by ``)`` with no opening bracket
  (``交替?zhèn)髯g``): GBK one byte off inside pinyin-injected text that step 4 could not realign.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["find_residual_damage"]

_SIMPLE = re.compile(
    "(?P<replacement_char>\ufffd+)"
    "|(?P<private_use>[\ue000-\uf8ff]+)"
    "|(?P<control>[\u0080-\u009f]+)"
    "|(?P<question_marks>[?？]{2,}|(?m:^[ \t\u3000\u00a0]*[?？](?=[^\\sA-Za-z0-9?？]|$)))"
    "|(?P<latin_mojibake>[\u00c2\u00c3\u00e2\u00e5-\u00e9][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021"
    "\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178])"
    "|(?P<odd_quotes>(?<=[\u4e00-\u9fff0-9])[\u201e\u201f]|[\u201e\u201f](?=[\u4e00-\u9fff0-9]))"
    "|(?P<orphan_annotation>[?？\ufffd][a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,6}[)）](?=[^\x00-\x7f]))"
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\s\u3000]{3,}")
_OK_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "HANGUL", "HIRAGANA", "KATAKANA", "ARABIC", "HEBREW", "THAI")


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    from ...plausibility import char_logprob_table

    table, _ = char_logprob_table()
    return frozenset(table)


@lru_cache(maxsize=65536)
def _rare(ch: str) -> bool:
    """Neither in the character table (after t2s) nor a letter of another script or a symbol."""
    if ch in _known():
        return False
    from .scoring import to_scoring_form

    s = to_scoring_form(ch)
    if s and s[0] in _known():
        return False
    cat = unicodedata.category(ch)
    if cat[0] not in "L":
        # Latin-1 and math symbols inside CJK mojibake (``∫庖妵``); emoji and dingbats are not damage
        return cat == "Sm" or (cat[0] in "SP" and "\u00a0" <= ch <= "\u00ff")
    name = unicodedata.name(ch, "")
    if name.startswith(_OK_SCRIPTS) and not name.startswith("LATIN CAPITAL LETTER") and not name.startswith("LATIN SMALL LETTER"):
        return False
    return True


def _rare_runs(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    # a character in the table is neither rare nor a lone letter: runs made only of such
    # characters (nearly all of a clean text) are skipped with set operations, not a Python loop
    unknown = set(text).difference(_known())
    if not unknown:
        return out
    for m in _NON_ASCII_RUN.finditer(text):
        start = None
        chunk = m.group()
        if unknown.isdisjoint(chunk):
            continue
        padded = chunk + "\x00"
        for i, ch in enumerate(padded):
            if ch != "\x00" and (_rare(ch) or _lone_letter(padded, i)):
                if start is None:
                    start = i
            elif start is not None:
                if i - start >= 3 and not _all_latin_letters(chunk[start:i]):
                    out.append((m.start() + start, m.start() + i))
                start = None
    return out


def _lone_letter(s: str, i: int) -> bool:
    """A Greek, Cyrillic or Latin-1 letter alone between Han characters (``睂τ陉``: mojibake)."""
    ch = s[i]
    if not ("\u00c0" <= ch <= "\u024f" or "\u0370" <= ch <= "\u04ff") or ch in _known():
        return False
    before = s[i - 1] if i else ""
    after = s[i + 1] if i + 1 < len(s) else ""
    return not (before.isalpha() and before < "\u2e80") and not (after.isalpha() and after < "\u2e80")


def _all_latin_letters(s: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") for c in s)


def find_residual_damage(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every damaged span of ``text``, in order."""
    spans = [(m.start(), m.end(), m.lastgroup or "damage") for m in _SIMPLE.finditer(text)]
    spans += [(a, b, "rare_run") for a, b in _rare_runs(text)]
    spans.sort()
    return spans


def damage_by_line(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, list[str]]]:
    """Spans merged per line: ``(start, end, kinds)`` from the first to the last damage of each line."""
    out: list[tuple[int, int, list[str]]] = []
    last_line = -2
    for a, b, kind in spans:
        line_start = text.rfind("\n", 0, a)
        if out and line_start == last_line:
            s, e, kinds = out[-1]
            out[-1] = (s, max(e, b), kinds if kind in kinds else kinds + [kind])
        else:
            out.append((a, b, [kind]))
            last_line = line_start
    return out
