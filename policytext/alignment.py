"""Raw <-> clean alignment: edits, their application, and composition across stages.

Every text stage describes its changes as :class:`Edit` objects on its input text. Applying them
produces the stage's output text and a per-character map from output characters to input spans.
Composing those maps stage by stage gives, for every character of the final text, the span of
the raw input it came from. That is the library's provenance guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

__all__ = ["Edit", "Alignment", "ForwardMap", "apply_edits", "OverlappingEditsError"]


class OverlappingEditsError(ValueError):
    """Raised when a stage returns edits whose spans overlap or fall outside the text."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement``.

    ``start == end`` is an insertion, an empty ``replacement`` a deletion. ``kind`` names the
    fix (``mojibake_gbk_misaligned``, ``t2s``, ``html_tag``...). A ``removal`` is content dropped
    on purpose (dedup, spam lines): it is reported under ``removed`` rather than ``edits``.
    """

    start: int
    end: int
    replacement: str
    kind: str
    confidence: float = 1.0
    removal: bool = False
    duplicate_of: tuple[int, int] | None = None
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise OverlappingEditsError(f"invalid edit span [{self.start}, {self.end})")


def _check_sorted(edits: Sequence[Edit], length: int) -> list[Edit]:
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    last_end = 0
    for e in ordered:
        if e.end > length:
            raise OverlappingEditsError(f"edit [{e.start}, {e.end}) beyond text length {length}")
        if e.start < last_end:
            raise OverlappingEditsError(f"edit [{e.start}, {e.end}) overlaps the previous edit ending at {last_end}")
        last_end = max(last_end, e.end)
    return ordered


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, np.ndarray, np.ndarray, list[Edit]]:
    """Apply non-overlapping edits to ``text``.

    Returns ``(new_text, src_start, src_end, ordered_edits)`` where, for every character ``k`` of
    ``new_text``, ``text[src_start[k]:src_end[k]]`` is what it came from (one character for a kept
    character, the whole replaced span for a replacement, an empty span for an insertion).
    """
    ordered = _check_sorted(edits, len(text))
    pieces: list[str] = []
    # Segments of the new text: (length, source start, source end or -1 for a kept run).
    seg_len: list[int] = []
    seg_src: list[int] = []
    seg_end: list[int] = []
    pos = 0
    for e in ordered:
        if e.start > pos:
            pieces.append(text[pos : e.start])
            seg_len.append(e.start - pos)
            seg_src.append(pos)
            seg_end.append(-1)
        if e.replacement:
            pieces.append(e.replacement)
            seg_len.append(len(e.replacement))
            seg_src.append(e.start)
            seg_end.append(e.end)
        pos = e.end
    if pos < len(text):
        pieces.append(text[pos:])
        seg_len.append(len(text) - pos)
        seg_src.append(pos)
        seg_end.append(-1)
    new_text = "".join(pieces)
    if not seg_len:
        empty = np.zeros(0, dtype=np.int64)
        return new_text, empty, empty.copy(), ordered
    lengths = np.asarray(seg_len, dtype=np.int64)
    src = np.asarray(seg_src, dtype=np.int64)
    ends = np.asarray(seg_end, dtype=np.int64)
    kept = ends < 0
    out_starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    offset = np.arange(len(new_text), dtype=np.int64) - np.repeat(out_starts, lengths)
    src_start = np.repeat(src, lengths) + offset * np.repeat(kept, lengths)
    src_end = np.where(np.repeat(kept, lengths), src_start + 1, np.repeat(ends, lengths))
    return new_text, src_start, src_end, ordered


class Alignment:
    """Maps spans of the current (clean) text back to spans of the raw input.

    ``raw_start[k]``/``raw_end[k]`` hold the raw span that clean character ``k`` came from.
    """

    def __init__(self, raw_length: int, raw_start: np.ndarray | None = None, raw_end: np.ndarray | None = None):
        self.raw_length = raw_length
        if raw_start is None:
            raw_start = np.arange(raw_length, dtype=np.int64)
            raw_end = raw_start + 1
        assert raw_end is not None
        self.raw_start = raw_start
        self.raw_end = raw_end

    def __len__(self) -> int:
        return len(self.raw_start)

    def boundary(self, pos: int) -> int:
        """Raw position of the clean boundary ``pos`` (just before clean character ``pos``)."""
        if pos < len(self.raw_start):
            return int(self.raw_start[pos])
        return self.raw_length_after_last()

    def raw_length_after_last(self) -> int:
        """Raw position after the last clean character (the raw end when nothing is left)."""
        return int(self.raw_end[-1]) if len(self.raw_end) else self.raw_length

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(raw_start, raw_end)`` of the clean span ``[start, end)``."""
        n = len(self.raw_start)
        if not 0 <= start <= end <= n:
            raise IndexError(f"span [{start}, {end}) outside clean text of length {n}")
        if start == end:
            b = self.boundary(start)
            return b, b
        return int(self.raw_start[start]), int(self.raw_end[end - 1])

    def spans_to_raw(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised :meth:`to_raw` for arrays of clean spans (assumed valid)."""
        n = len(self.raw_start)
        bnd = np.concatenate([self.raw_start, [self.raw_length_after_last()]]) if n else np.array([self.raw_length], dtype=np.int64)
        empty = ends <= starts
        first = np.minimum(starts, max(n - 1, 0))
        last = np.clip(ends - 1, 0, max(n - 1, 0))
        if n:
            rs = np.where(empty, bnd[starts], self.raw_start[first])
            re_ = np.where(empty, bnd[starts], self.raw_end[last])
        else:
            rs = re_ = bnd[np.zeros_like(starts)]
        return rs, re_

    def compose(self, src_start: np.ndarray, src_end: np.ndarray) -> "Alignment":
        """Alignment of a new text whose characters come from spans of this alignment's text."""
        raw_start, raw_end = self.spans_to_raw(src_start, src_end)
        return Alignment(self.raw_length, raw_start.astype(np.int64), raw_end.astype(np.int64))


class ForwardMap:
    """Maps positions of a stage's input text to positions of its output text.

    A position outside every edit moves by the length change of the edits that start before it;
    text inserted exactly at the position goes before a span start and after a span end. A
    position strictly inside an edited span snaps to the new start (``side="start"``) or end
    (``side="end"``) of that edit's output.
    """

    def __init__(self, ordered_edits: Sequence[Edit]):
        n = len(ordered_edits)
        self._starts = np.fromiter((e.start for e in ordered_edits), dtype=np.int64, count=n)
        self._ends = np.fromiter((e.end for e in ordered_edits), dtype=np.int64, count=n)
        self._lengths = np.fromiter((len(e.replacement) for e in ordered_edits), dtype=np.int64, count=n)
        self._cumulative = np.cumsum(self._lengths - (self._ends - self._starts))
        self._new_starts = self._starts + np.concatenate([[0], self._cumulative[:-1]]) if n else self._starts
        insertion = self._starts == self._ends
        self._ins_pos = self._starts[insertion]
        self._ins_csum = np.concatenate([[0], np.cumsum(self._lengths[insertion])])

    def output_start(self, index: int) -> int:
        """Where the output of the ``index``-th edit (in order) starts in the new text."""
        return int(self._new_starts[index])

    def map(self, pos: int, side: str = "start") -> int:
        """New position of one position (see the class docstring)."""
        return int(self.map_many(np.asarray([pos], dtype=np.int64), side)[0])

    def map_many(self, pos: np.ndarray, side: str = "start") -> np.ndarray:
        """New positions of an array of positions, vectorised."""
        pos = np.asarray(pos, dtype=np.int64)
        if len(self._starts) == 0:
            return pos.copy()
        k = np.searchsorted(self._starts, pos, side="left") - 1
        kk = np.maximum(k, 0)
        before = k >= 0
        inside = before & (self._starts[kk] < pos) & (pos < self._ends[kk])
        new = pos + np.where(before, self._cumulative[kk], 0)
        if side == "start" and len(self._ins_pos):
            lo = np.searchsorted(self._ins_pos, pos, side="left")
            hi = np.searchsorted(self._ins_pos, pos, side="right")
            new = new + self._ins_csum[hi] - self._ins_csum[lo]
        snap = self._new_starts[kk] if side == "start" else self._new_starts[kk] + self._lengths[kk]
        return np.where(inside, snap, new)
