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

import numpy as np

from ...alignment import Edit, EditBatch
from ...codepoints import chars_at
from .chars import FULL_WIDTH, HAN_CLASS, MARK_FAMILIES, TRANSPARENT, is_digit, is_hanish
from .scan import (
    FLAG_ASCII_MARK,
    FLAG_DIGIT,
    FLAG_FW_ALNUM,
    FLAG_FW_BRACKET,
    FLAG_FW_NUMPUNCT,
    FLAG_MARK_SPACE,
    FLAG_HANISH,
    FLAG_STUTTER_MARK,
    FLAG_TRANSPARENT,
    char_codes,
    char_flags,
    flagged,
    has_flags,
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


def _in_spans(spans: list[tuple[int, int]], pos: np.ndarray) -> np.ndarray:
    """For each position: whether it falls inside one of the sorted, disjoint ``spans``."""
    starts = np.array([a for a, _ in spans], dtype=np.int64)
    ends = np.array([b for _, b in spans], dtype=np.int64)
    k = np.searchsorted(starts, pos, side="right") - 1
    return (k >= 0) & (pos < ends[np.maximum(k, 0)])


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
    if not has_flags(text, FLAG_FW_ALNUM | FLAG_FW_NUMPUNCT):
        return []
    flags = char_flags(text)
    after_digit = flagged(text, FLAG_FW_NUMPUNCT)  # ．：％ right after a digit
    after_digit = after_digit[after_digit > 0]
    after_digit = after_digit[(flags[after_digit - 1] & FLAG_DIGIT) != 0]
    any_alnum = bool((flags & FLAG_FW_ALNUM).any())
    if not any_alnum and not len(after_digit):
        return []
    edits = [Edit(m.start(), m.end(), _ascii(m.group()), "width") for m in _FW_RUN_RE.finditer(text)] if any_alnum else []
    if edits and len(after_digit):
        after_digit = after_digit[~_in_spans([(e.start, e.end) for e in edits], after_digit)]  # inside a run
    n = len(text)
    for i in after_digit.tolist():
        c = text[i]
        if c != "\uff05" and not (i + 1 < n and is_digit(text[i + 1])):
            continue  # ．/： only between digits
        edits.append(Edit(i, i + 1, _FW_NUMPUNCT[c], "width"))
    return edits


# --------------------------------------------------------------------------------------------
# stuttered marks
# --------------------------------------------------------------------------------------------

_FAMILY_OF = {c: fw for chars, fw in MARK_FAMILIES for c in chars}
_FAMILY_MARKS = [fw for _, fw in MARK_FAMILIES]
# Code point of each stuttering mark (sorted) -> its family's index in MARK_FAMILIES.
_MARK_CODES = np.array(sorted(ord(c) for c in _FAMILY_OF), dtype=np.uint32)
_MARK_FAMILY = np.array([_FAMILY_MARKS.index(_FAMILY_OF[chr(o)]) for o in _MARK_CODES.tolist()], dtype=np.int64)
_FAMILY_CODE = np.array([ord(fw) for fw in _FAMILY_MARKS], dtype=np.uint32)
_COLON_FAMILY = _FAMILY_MARKS.index("：")
_MARK_SPACES = " \t\u3000"


# Up to this many marks or spans, decide one by one (NumPy's per-call cost would dominate).
_FEW_MARKS = 24
# How far _chinese_context_many looks for the nearest real character in one vectorised step.
_NEAR = 8


def _chinese_context_many(text: str, flags: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """:func:`_chinese_context` of many spans ``[starts[k], ends[k])`` at once, from the character flags.

    Looks at the ``_NEAR`` characters on each side in one step; the rare span with only
    transparent characters that close is decided character by character.
    """
    if len(starts) <= _FEW_MARKS:
        return np.array([_chinese_context(text, s, e) for s, e in zip(starts.tolist(), ends.tolist())], dtype=bool)
    n = len(flags)
    steps = np.arange(1, _NEAR + 1)
    out = np.zeros(len(starts), dtype=bool)
    for positions, direction in ((starts[:, None] - steps, -1), (ends[:, None] - 1 + steps, 1)):
        inside = (positions >= 0) & (positions < n)
        near = np.where(inside, flags.take(positions, mode="clip"), 0)
        opaque = inside & ((near & FLAG_TRANSPARENT) == 0)
        found = opaque.any(axis=1)
        first = opaque.argmax(axis=1)
        out |= found & ((near[np.arange(len(starts)), first] & FLAG_HANISH) != 0)
        # all transparent up to _NEAR: the nearest real character further out, from one linear pass
        # (a walk per span would be quadratic on a long run of transparent marks such as ??????)
        far = np.flatnonzero(~found & inside[:, -1])
        if len(far):
            out[far] |= _hanish_beyond(flags, positions[far, -1], direction)
    return out


def _hanish_beyond(flags: np.ndarray, positions: np.ndarray, direction: int) -> np.ndarray:
    """Whether the nearest non-transparent character at or beyond each position (towards
    ``direction``: -1 left, 1 right) is Chinese; False where there is none."""
    n = len(flags)
    index = np.arange(n)
    opaque = (flags & FLAG_TRANSPARENT) == 0
    if direction < 0:
        nearest = np.maximum.accumulate(np.where(opaque, index, -1))
    else:
        nearest = np.minimum.accumulate(np.where(opaque, index, n)[::-1])[::-1]
    hit = nearest[positions]
    valid = (hit >= 0) & (hit < n)
    return valid & ((flags[np.clip(hit, 0, n - 1)] & FLAG_HANISH) != 0)


def _stutter_runs(text: str, flags: np.ndarray, marks: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of two or more marks of one family (spaces between allowed): indices into ``marks`` of
    each run's first and last mark, and the family of each mark."""
    family = _MARK_FAMILY[np.searchsorted(_MARK_CODES, codes[marks])]
    gaps = np.diff(marks)
    joined = gaps == 1
    # marks with only spaces between them also join (、 、 、)
    spaced = np.flatnonzero(~joined & ((flags[marks[:-1] + 1] & FLAG_MARK_SPACE) != 0))
    if len(spaced):
        ms = marks.tolist()
        for k in spaced.tolist():
            joined[k] = not text[ms[k] + 1 : ms[k + 1]].strip(_MARK_SPACES)
    link = joined & (family[1:] == family[:-1])
    before = np.concatenate([[False], link[:-1]])
    after = np.concatenate([link[1:], [False]])
    first = np.flatnonzero(link & ~before)
    last = np.flatnonzero(link & ~after) + 1
    return first, last, family


def stutter_edits(text: str) -> EditBatch:
    """Runs of the same mark collapse to one full-width mark (in Chinese context).

    A run is two or more marks of one family (``,`` and ``，`` are one family) with nothing but
    spaces between them; a run of ASCII marks alone changes only in Chinese context.
    """
    flags = char_flags(text)
    marks = np.flatnonzero(flags & FLAG_STUTTER_MARK)
    if len(marks) < 2:
        return EditBatch.empty("punct_stutter")
    following = marks + 1
    following = following[following < len(text)]
    if not (flags[following] & (FLAG_STUTTER_MARK | FLAG_MARK_SPACE)).any():
        return EditBatch.empty("punct_stutter")  # no mark is followed by a mark or a space
    codes = char_codes(text)
    first, last, family = _stutter_runs(text, flags, marks, codes)
    if not len(first):
        return EditBatch.empty("punct_stutter")
    starts, ends = marks[first], marks[last] + 1
    fam = family[first]
    # A run holding its full-width mark is Chinese already; ASCII runs need Chinese context.
    is_full = np.concatenate([[0], np.cumsum(codes[marks] == _FAMILY_CODE[family])])
    keep = is_full[last + 1] - is_full[first] > 0
    ascii_only = np.flatnonzero(~keep)
    if len(ascii_only):
        keep[ascii_only] = _chinese_context_many(text, flags, starts[ascii_only], ends[ascii_only])
    spans = protected_spans(text)
    if spans:
        keep &= ~(_in_spans(spans, starts) | _in_spans(spans, ends - 1))
    if not keep.all():
        starts, ends, fam, first, last = starts[keep], ends[keep], fam[keep], first[keep], last[keep]
        if not len(starts):
            return EditBatch.empty("punct_stutter")
    replacements = chars_at(_FAMILY_CODE, fam)
    # 10::28 -> 10:28, as the width step writes a colon between digits
    n = len(text)
    colon = np.flatnonzero((fam == _COLON_FAMILY) & (starts > 0) & (ends < n))
    if len(colon):
        digit_before = (flags[starts[colon] - 1] & FLAG_DIGIT) != 0
        digit_after = (flags[np.minimum(ends[colon], n - 1)] & FLAG_DIGIT) != 0
        for k in colon[digit_before & digit_after].tolist():
            replacements[k] = ":"
    counts = last - first + 1
    if counts.max() < len(_NOTES):
        notes = _NOTES[counts].tolist()
    else:
        notes = [f"{c} marks -> 1" for c in counts.tolist()]
    return EditBatch(starts, ends, replacements, "punct_stutter", notes=notes)


# The note of a run of k marks, for the usual k.
_NOTES = np.array([f"{k} marks -> 1" for k in range(64)], dtype=object)


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
    if len(positions) <= _FEW_MARKS:
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
    # many brackets: the same tests in linear passes (a walk or a search per bracket is quadratic
    # on a run of brackets: ((((… or nested pairs with no Han inside)
    pos = np.asarray(positions, dtype=np.int64)
    context = dict(zip(positions, _chinese_context_many(text, char_flags(text), pos, pos + 1).tolist()))
    han = np.fromiter((m.start() for m in _HAN_RE.finditer(text)), dtype=np.int64)
    if pairs:
        opens = np.asarray([o for o, _ in pairs], dtype=np.int64)
        closes = np.asarray([c for _, c in pairs], dtype=np.int64)
        han_inside = (np.searchsorted(han, opens + 1) < np.searchsorted(han, closes)).tolist()
        for (o, c), inside in zip(pairs, han_inside):
            out[o] = out[c] = text[o] == "（" or text[c] == "）" or inside or context[o] or context[c]
    for i in unmatched:
        out[i] = context[i]
    return out


def punct_width_edits(text: str) -> EditBatch:
    """ASCII ``, ! ? ; : ( )`` next to Chinese text become full-width; spaces around them go."""
    if not has_flags(text, FLAG_ASCII_MARK):
        return EditBatch.empty("punct_width")  # only ASCII marks are ever changed
    flags = char_flags(text)
    # full-width brackets only matter for pairing ASCII ones: skip them when there are none
    brackets_too = "(" in text or ")" in text
    marks = np.flatnonzero(flags & (FLAG_ASCII_MARK | FLAG_FW_BRACKET if brackets_too else FLAG_ASCII_MARK))
    spans = protected_spans(text)
    if spans:
        marks = marks[~_in_spans(spans, marks)]
    if len(marks) <= _FEW_MARKS:
        positions = np.asarray(_marks_to_convert_one_by_one(text, marks.tolist()), dtype=np.int64)
    else:
        positions = _marks_to_convert(text, flags, marks, brackets_too)
    if not len(positions):
        return EditBatch.empty("punct_width")
    codes = char_codes(text)
    n = len(text)
    replacements = chars_at(_FULL_WIDTH_CODES, codes[positions])
    starts, ends = positions.copy(), positions + 1
    # spaces around a converted mark go with it (not past the previous edit)
    spaced = ((positions > 0) & (codes[np.maximum(positions - 1, 0)] == 32)) | (
        (positions + 1 < n) & (codes[np.minimum(positions + 1, n - 1)] == 32)
    )
    for k in np.flatnonzero(spaced).tolist():
        s = e = int(positions[k])
        e += 1
        last_end = int(ends[k - 1]) if k else 0
        while s > last_end and text[s - 1] == " ":
            s -= 1
        while e < n and text[e] == " ":
            e += 1
        starts[k], ends[k] = s, e
    return EditBatch(starts, ends, replacements, "punct_width")


# ASCII mark -> its full-width form, as code points (FULL_WIDTH as a table).
_FULL_WIDTH_CODES = np.zeros(128, dtype=np.uint32)
for _ascii_mark, _wide in FULL_WIDTH.items():
    _FULL_WIDTH_CODES[ord(_ascii_mark)] = ord(_wide)


def _marks_to_convert_one_by_one(text: str, marks: list[int]) -> list[int]:
    """The positions among ``marks`` (ASCII marks, and full-width brackets for pairing) to convert."""
    brackets = _bracket_decisions(text, [i for i in marks if text[i] in "()（）"])
    n = len(text)
    out = []
    for i in marks:
        c = text[i]
        if c in "（）":
            continue
        if c in "()":
            convert = brackets[i]
        elif c in ",:" and 0 < i < n - 1 and is_digit(text[i - 1]) and is_digit(text[i + 1]):
            continue  # 1,000  10:28:07
        else:
            convert = _chinese_context(text, i, i + 1)
        if convert:
            out.append(i)
    return out


def _marks_to_convert(text: str, flags: np.ndarray, marks: np.ndarray, brackets_too: bool) -> np.ndarray:
    """:func:`_marks_to_convert_one_by_one`, vectorised, for many marks."""
    codes = char_codes(text)
    mark_codes = codes[marks]
    n = len(text)
    # 1,000  10:28:07: a comma or colon between digits stays
    between_digits = (
        ((mark_codes == ord(",")) | (mark_codes == ord(":")))
        & (marks > 0) & (marks < n - 1)
        & ((flags[np.maximum(marks - 1, 0)] & FLAG_DIGIT) != 0)
        & ((flags[np.minimum(marks + 1, n - 1)] & FLAG_DIGIT) != 0)
    )
    is_bracket = (mark_codes == ord("(")) | (mark_codes == ord(")"))
    plain = np.flatnonzero(~is_bracket & ~between_digits & ((flags[marks] & FLAG_ASCII_MARK) != 0))
    convert = np.zeros(len(marks), dtype=bool)
    convert[plain] = _chinese_context_many(text, flags, marks[plain], marks[plain] + 1)
    if brackets_too:
        in_pairs = np.flatnonzero(is_bracket | ((flags[marks] & FLAG_FW_BRACKET) != 0))
        decisions = _bracket_decisions(text, marks[in_pairs].tolist())
        for k, i in zip(in_pairs.tolist(), marks[in_pairs].tolist()):
            if text[i] in "()":
                convert[k] = decisions[i]
    return marks[convert]
