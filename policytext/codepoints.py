"""Text as arrays of code points (UTF-32), for the text stages' vectorised scans and splices.

Lone surrogates (which scraped text can hold) pass through unchanged.
"""

from __future__ import annotations

import numpy as np

__all__ = ["code_points", "from_code_points", "chars_at", "strings_at", "splice_one_char_each", "map_code_points",
           "translate_chars"]

# Spans up to this long are cut out together, as rows of one array; longer ones one by one.
_SHORT_SPAN = 16


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a read-only uint32 array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


_LUTS: dict[int, tuple[dict, np.ndarray | None]] = {}  # id(table) -> (table, BMP look-up table or None)
_LUT_MIN_CHARS = 64  # below this, str.translate is as cheap as the array round trip


def _lut(table: dict) -> np.ndarray | None:
    """A uint32 look-up table over the BMP for a one-to-one translation table, or None when the
    table maps to anything but single code points or holds keys outside the BMP. Built once per
    table object (tables are module constants)."""
    hit = _LUTS.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    lut: np.ndarray | None = np.arange(0x10000, dtype=np.uint32)
    for k, v in table.items():
        if isinstance(v, str) and len(v) == 1:
            v = ord(v)
        if not isinstance(k, int) or not 0 <= k < 0x10000 or not isinstance(v, int) or not 0 <= v < 0x110000:
            lut = None
            break
        lut[k] = v
    _LUTS[id(table)] = (table, lut)
    return lut


def map_code_points(text: str, table: dict) -> np.ndarray:
    """The code points of ``text.translate(table)`` (uint32) for a one-to-one ``table``."""
    lut = _lut(table)
    if lut is None or len(text) < _LUT_MIN_CHARS:
        return code_points(text.translate(table))
    codes = code_points(text)
    return np.where(codes < 0x10000, lut[np.minimum(codes, 0xFFFF)], codes)


def translate_chars(text: str, table: dict) -> str:
    """``text.translate(table)``, through a numpy look-up table when ``table`` maps single
    characters to single characters (``str.translate`` with a dict costs ~80 ns a character)."""
    if len(text) < _LUT_MIN_CHARS or _lut(table) is None:
        return text.translate(table)
    return from_code_points(map_code_points(text, table))


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
