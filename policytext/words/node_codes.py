"""Integer codes of short node strings, for vectorised dictionary look-ups.

A code point takes 21 bits, so up to three nodes fit one int64: :func:`node_code` codes a word,
:func:`window_codes` codes every window of two or three nodes of a text at once, and
:func:`in_sorted` tests a whole array of codes against a sorted table. Used by the CRF's dictionary
features: every word of the model's list is matched at every position of a text without a Python
step per position. (The lexicon-match features keep their per-position pass: the same matching
there measured no faster, most positions being rejected by one set look-up.)
"""

from __future__ import annotations

import numpy as np

__all__ = ["node_code", "code_points", "window_codes", "in_sorted", "lookup_sorted"]


def node_code(nodes: str) -> int:
    """One integer for up to three nodes (21 bits per code point)."""
    code = 0
    for ch in nodes:
        code = (code << 21) | ord(ch)
    return code


def code_points(s: str) -> np.ndarray:
    """The code points of ``s`` as int64 (lone surrogates included)."""
    return np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)


def window_codes(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The codes of the two-node windows (``len - 1``) and three-node windows (``len - 2``)."""
    code2 = (cps[:-1] << 21) | cps[1:]
    code3 = (cps[:-2] << 42) | (cps[1:-1] << 21) | cps[2:]
    return code2, code3


def lookup_sorted(values: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(found, index)``: whether each value is in the sorted ``table`` and where."""
    if not len(table) or not len(values):
        return np.zeros(len(values), dtype=bool), np.zeros(len(values), dtype=np.int64)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[at] == values, at


def in_sorted(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in the sorted array ``table``."""
    return lookup_sorted(values, table)[0]
