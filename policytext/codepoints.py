"""Text as arrays of code points (UTF-32), for the text stages' vectorised scans and splices.

Lone surrogates (which scraped text can hold) pass through unchanged.
"""

from __future__ import annotations

import numpy as np

__all__ = ["code_points", "from_code_points", "chars_at", "splice_one_char_each"]


def code_points(text: str) -> np.ndarray:
    """The code points of ``text`` as a read-only uint32 array."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def from_code_points(codes: np.ndarray) -> str:
    """The text of an array of code points (inverse of :func:`code_points`)."""
    return np.ascontiguousarray(codes, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


def chars_at(codes: np.ndarray, positions: np.ndarray) -> list[str]:
    """The characters at ``positions``, one string each (much cheaper than indexing the text)."""
    return np.ascontiguousarray(codes[positions], dtype=np.uint32).view("<U1").tolist()


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
