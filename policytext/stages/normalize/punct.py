"""Chinese-safe punctuation and character width.

* ``width_edits``: full-width digits and Latin letters become ASCII (``２０２５`` → ``2025``),
  and so do ``．``/``：`` between digits and ``％`` after a digit.
* ``stutter_edits``: repeated marks collapse (``、、、、`` → ``、``, ``,,,,`` → ``，``,
  ``。。。`` → ``。``, ``!!!!`` → ``！``). ``……`` and ``——`` are not touched.
* ``punct_width_edits``: ASCII ``, ! ? ; : ( )`` in Chinese context become ``，！？；：（）``.

"Chinese context" means the nearest real character on either side of the mark, looking through
spaces, curly quotes and the marks themselves, is a Han character or CJK punctuation. ASCII
marks between digits (``1,000``, ``10:28:07``), inside English, and inside URLs and e-mail
addresses stay as they are. Curly quotes are never changed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import chain
from typing import Iterator

import numpy as np

from ...alignment import Edit
from .chars import FULL_WIDTH, HAN_CLASS, MARK_FAMILIES, TRANSPARENT, is_digit, is_hanish
from .scan import (
    FLAG_ASCII_MARK,
    FLAG_DIGIT,
    FLAG_FW_ALNUM,
    FLAG_FW_BRACKET,
    FLAG_FW_NUMPUNCT,
    FLAG_MARK_SPACE,
    FLAG_STUTTER_MARK,
    char_flags,
    flagged,
)

__all__ = ["protected_spans", "width_edits", "stutter_edits", "punct_width_edits", "FULL_WIDTH"]


_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_PROTECT_RE = re.compile(
    rf"(?:https?|ftp)://{_URL_CHARS}+"
    rf"|www\.{_URL_CHARS}+"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",
    re.IGNORECASE,
)
_HAN_RE = re.compile(f"[{HAN_CLASS}]")


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans of URLs and e-mail addresses, where no punctuation is changed."""
    spans: list[tuple[int, int]] = []
    if "@" not in text and "://" not in text and "www." not in text and "WWW." not in text:
        return spans
    for m in _PROTECT_RE.finditer(text):
        s, e = m.span()
        url = m.group()
        # Trailing sentence punctuation belongs to the sentence, not the URL.
        while e > s and url[-1] in ",.;:!?)":
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


class _Protected:
    def __init__(self, spans: list[tuple[int, int]]):
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.ends[k]


def _left(text: str, i: int) -> str:
    j = i - 1
    while j >= 0 and text[j] in TRANSPARENT:
        j -= 1
    return text[j] if j >= 0 else ""


def _right(text: str, i: int) -> str:
    n = len(text)
    j = i + 1
    while j < n and text[j] in TRANSPARENT:
        j += 1
    return text[j] if j < n else ""


def _chinese_context(text: str, start: int, end: int) -> bool:
    """Whether the span [start, end) sits in Chinese text (see module docstring)."""
    left = _left(text, start)
    if left and is_hanish(left):
        return True
    right = _right(text, end - 1)
    return bool(right) and is_hanish(right)


# --------------------------------------------------------------------------------------------
# width
# --------------------------------------------------------------------------------------------

_FW_DIGIT = "\uff10-\uff19"
_FW_ALNUM = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
# A run of full-width letters/digits, with ．/： between full-width digits and ％ after them.
_FW_RUN_RE = re.compile(f"[{_FW_ALNUM}]+(?:[\uff0e\uff1a][{_FW_DIGIT}]+)*(?:(?<=[{_FW_DIGIT}])\uff05)?")
_FW_NUMPUNCT = {"\uff0e": ".", "\uff1a": ":", "\uff05": "%"}


def _ascii(s: str) -> str:
    return "".join(_FW_NUMPUNCT.get(c) or chr(ord(c) - 0xFEE0) for c in s)


def width_edits(text: str) -> list[Edit]:
    """Full-width digits and Latin letters (and ．：％ in numbers) become ASCII."""
    flags = char_flags(text)
    after_digit = flagged(text, FLAG_FW_NUMPUNCT)  # ．：％ right after a digit
    after_digit = after_digit[after_digit > 0]
    after_digit = after_digit[(flags[after_digit - 1] & FLAG_DIGIT) != 0]
    any_alnum = bool((flags & FLAG_FW_ALNUM).any())
    if not any_alnum and not len(after_digit):
        return []
    edits = [Edit(m.start(), m.end(), _ascii(m.group()), "width") for m in _FW_RUN_RE.finditer(text)] if any_alnum else []
    covered = _Protected([(e.start, e.end) for e in edits])
    n = len(text)
    for i in after_digit.tolist():
        if i in covered:
            continue
        c = text[i]
        if c != "\uff05" and not (i + 1 < n and is_digit(text[i + 1])):
            continue  # ．/： only between digits
        edits.append(Edit(i, i + 1, _FW_NUMPUNCT[c], "width"))
    return edits


# --------------------------------------------------------------------------------------------
# stuttered marks
# --------------------------------------------------------------------------------------------

_FAMILY_OF = {c: fw for chars, fw in MARK_FAMILIES for c in chars}
_ALL_MARKS = "".join(chars for chars, _ in MARK_FAMILIES)
# Candidate runs: two or more marks of any family, spaces allowed between them.
_CANDIDATE_RE = re.compile(f"[{_ALL_MARKS}](?:[ \t\u3000]*[{_ALL_MARKS}])+")


def _same_family_runs(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Maximal runs of one family (2+ marks, spaces between allowed) inside [s, e)."""
    runs = []
    start = s
    fam = _FAMILY_OF[text[s]]
    count = 1
    last = s  # position of the last mark of the current run
    for k in range(s + 1, e):
        c = text[k]
        f = _FAMILY_OF.get(c)
        if f is None:
            continue  # a space between marks
        if f == fam:
            count += 1
        else:
            if count > 1:
                runs.append((start, last + 1))
            start, fam, count = k, f, 1
        last = k
    if count > 1:
        runs.append((start, last + 1))
    return runs


# Past one candidate per this many characters, _stutter_candidates scans with finditer.
_DENSE_CANDIDATES = 400


def _stutter_candidates(text: str) -> Iterator[re.Match[str]]:
    """The matches of ``_CANDIDATE_RE`` in ``text``, found from the marks' positions.

    A match starts at a mark followed by another mark, directly or after spaces; only those
    marks are tried, in order, skipping the ones inside the previous match (as ``finditer`` does).
    """
    flags = char_flags(text)
    marks = np.flatnonzero(flags & FLAG_STUTTER_MARK)
    if len(marks) < 2:
        return
    nxt = marks + 1
    nxt = nxt[nxt < len(text)]
    starts = nxt[(flags[nxt] & (FLAG_STUTTER_MARK | FLAG_MARK_SPACE)) != 0] - 1
    if len(starts) * _DENSE_CANDIDATES > len(text):
        # many candidates (a page full of 、、、、): one C-level scan beats a match call per mark
        yield from _CANDIDATE_RE.finditer(text, int(starts[0]))
        return
    end = -1
    for p in starts.tolist():
        if p < end:
            continue
        m = _CANDIDATE_RE.match(text, p)
        if m is not None:
            end = m.end()
            yield m


def stutter_edits(text: str) -> list[Edit]:
    """Runs of the same mark collapse to one full-width mark (in Chinese context)."""
    candidates = _stutter_candidates(text)
    first = next(candidates, None)
    if first is None:
        return []
    spans = protected_spans(text)
    protected = _Protected(spans) if spans else ()
    edits = []
    n = len(text)
    for m in chain([first], candidates):
        run = m.group()
        if run.count(run[0]) == len(run):  # the common case: one mark repeated, no spaces
            runs = [(m.start(), m.end(), len(run))]
        else:
            runs = [(s, e, sum(1 for c in text[s:e] if c in _FAMILY_OF)) for s, e in _same_family_runs(text, m.start(), m.end())]
        for s, e, marks in runs:
            if protected and (s in protected or (e - 1) in protected):
                continue
            fw = _FAMILY_OF[text[s]]
            if fw not in text[s:e] and not _chinese_context(text, s, e):
                continue  # "Wow!!!", "std::map": ASCII outside Chinese text stays
            if fw == "：" and 0 < s and e < n and is_digit(text[s - 1]) and is_digit(text[e]):
                fw = ":"  # 10::28 -> 10:28, as the width step writes a colon between digits
            edits.append(Edit(s, e, fw, "punct_stutter", note=f"{marks} marks -> 1"))
    return edits


# --------------------------------------------------------------------------------------------
# ASCII marks in Chinese text
# --------------------------------------------------------------------------------------------



def _bracket_decisions(text: str, positions: list[int]) -> dict[int, bool]:
    """For each ASCII bracket position: convert to full width? Brackets are paired first."""
    out: dict[int, bool] = {}
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    unmatched: list[int] = []
    for i in positions:
        c = text[i]
        if c in "(（":
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
        else:
            unmatched.append(i)
    unmatched.extend(stack)
    for o, c in pairs:
        chinese = (
            text[o] == "（"
            or text[c] == "）"
            or _HAN_RE.search(text, o + 1, c) is not None
            or _chinese_context(text, o, o + 1)
            or _chinese_context(text, c, c + 1)
        )
        out[o] = out[c] = chinese
    for i in unmatched:
        out[i] = _chinese_context(text, i, i + 1)
    return out


def punct_width_edits(text: str) -> list[Edit]:
    """ASCII ``, ! ? ; : ( )`` next to Chinese text become full-width; spaces around them go."""
    if not (char_flags(text) & FLAG_ASCII_MARK).any():
        return []  # only ASCII marks are ever changed
    spans = protected_spans(text)
    protected = _Protected(spans) if spans else ()
    # full-width brackets only matter for pairing ASCII ones: skip them when there are none
    brackets_too = "(" in text or ")" in text
    positions = flagged(text, FLAG_ASCII_MARK | FLAG_FW_BRACKET if brackets_too else FLAG_ASCII_MARK).tolist()
    marks = [i for i in positions if i not in protected] if protected else positions
    if not marks:
        return []
    brackets = _bracket_decisions(text, [i for i in marks if text[i] in "()（）"]) if brackets_too else {}
    n = len(text)
    edits: list[Edit] = []
    last_end = 0
    for i in marks:
        c = text[i]
        if c in "（）":
            continue
        if c in "()":
            convert = brackets[i]
        else:
            if c in ",:" and 0 < i < n - 1 and is_digit(text[i - 1]) and is_digit(text[i + 1]):
                continue  # 1,000  10:28:07
            convert = _chinese_context(text, i, i + 1)
        if not convert:
            continue
        s = i
        while s > last_end and text[s - 1] == " ":
            s -= 1
        e = i + 1
        while e < n and text[e] == " ":
            e += 1
        edits.append(Edit(s, e, FULL_WIDTH[c], "punct_width"))
        last_end = e
    return edits
