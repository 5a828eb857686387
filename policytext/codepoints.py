"""Text as arrays of code points (UTF-32), for the text stages' vectorised scans and splices.

Lone surrogates (which scraped text can hold) pass through unchanged.
"""

from __future__ import annotations

import numpy as np

__all__ = ["code_points", "from_code_points", "chars_at", "strings_at", "splice_one_char_each"]

# Spans up to this long are cut out together, as rows of one array; longer ones one by one.
_SHORT_SPAN = 16


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a read-only uint32 array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def from_code_points(codes: np.ndarray) -> str:
    """The text of an array of code points (inverse of :func:`code_points`)."""
    return np.ascontiguousarray(codes, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def chars_at(codes: np.ndarray, positions: np.ndarray) -> list[str]:
    """The characters at ``positions``, one string each (much cheaper than indexing the text)."""
    picked = np.ascontiguousarray(codes[positions], dtype=np.uint32)
    out = picked.view("<U1").tolist()
    if not picked.all():  # NumPy reads a NUL character as the empty string
        for k in np.flatnonzero(picked == 0).tolist():
            out[k] = "\x00"
    return out


def strings_at(text: str, codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """``[text[a:b] for a, b in zip(starts, ends)]`` (``codes`` are the code points of ``text``),
    with the short spans cut out together as the rows of one array instead of one slice each."""
    n = len(starts)
    if not n or not len(codes):
        return [""] * n
    lengths = ends - starts
    if bool(np.all(lengths == 1)):
        return chars_at(codes, starts)
    short = lengths <= _SHORT_SPAN
    # a row's trailing NUL would be dropped as padding: such spans are sliced
    short &= (lengths == 0) | (codes.take(np.maximum(ends - 1, 0), mode="clip") != 0)
    pick = np.flatnonzero(short)
    width = int(lengths[pick].max(initial=1)) or 1
    columns = np.arange(width)
    grid = codes.take(starts[pick][:, None] + columns, mode="clip").astype(np.uint32)
    grid[columns >= lengths[pick][:, None]] = 0
    rows = grid.view(f"<U{width}").ravel().tolist()
    if len(pick) == n:
        return rows
    out = np.empty(n, dtype=object)
    out[pick] = rows
    rest = np.flatnonzero(~short)
    out[rest] = [text[a:b] for a, b in zip(starts[rest].tolist(), ends[rest].tolist())]
    return out.tolist()


def splice_one_char_each(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, new_codes: np.ndarray) -> str:
    """The text of ``codes`` with each non-empty span ``[starts[k], ends[k])`` (sorted, disjoint)
    replaced by the single character ``new_codes[k]``."""
    out = codes.copy()
    out[starts] = new_codes
    if bool(np.all(ends - starts == 1)):
        return from_code_points(out)
    inside = np.zeros(len(codes) + 1, dtype=np.int32)  # +1 from a span's second character to its end
    inside[starts + 1] += 1
    inside[ends] -= 1
    return from_code_points(out[np.cumsum(inside[:-1]) == 0])
