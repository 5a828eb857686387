"""Raw <-> clean alignment: edits, their application, and composition across stages.

Every text stage describes its changes as :class:`Edit` objects on its input text. Applying them
produces the stage's output text and a per-character map from output characters to input spans.
Composing those maps stage by stage gives, for every character of the final text, the span of
the raw input it came from. That is the library's provenance guarantee.
"""

from __future__ import annotations

from bisect import bisect_left
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
    starts: list[np.ndarray] = []
    ends: list[np.ndarray] = []
    pos = 0
    for e in ordered:
        if e.start > pos:
            pieces.append(text[pos : e.start])
            run = np.arange(pos, e.start, dtype=np.int64)
            starts.append(run)
            ends.append(run + 1)
        if e.replacement:
            n = len(e.replacement)
            pieces.append(e.replacement)
            starts.append(np.full(n, e.start, dtype=np.int64))
            ends.append(np.full(n, e.end, dtype=np.int64))
        pos = e.end
    if pos < len(text):
        pieces.append(text[pos:])
        run = np.arange(pos, len(text), dtype=np.int64)
        starts.append(run)
        ends.append(run + 1)
    new_text = "".join(pieces)
    src_start = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
    src_end = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
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

    def compose(self, src_start: np.ndarray, src_end: np.ndarray) -> "Alignment":
        """Alignment of a new text whose characters come from spans of this alignment's text."""
        n = len(self.raw_start)
        if n:
            bnd = np.concatenate([self.raw_start, [self.raw_length_after_last()]])
        else:
            bnd = np.array([self.raw_length], dtype=np.int64)
        empty = src_end <= src_start
        safe_first = np.minimum(src_start, max(n - 1, 0))
        safe_last = np.clip(src_end - 1, 0, max(n - 1, 0))
        if n:
            new_start = np.where(empty, bnd[src_start], self.raw_start[safe_first])
            new_end = np.where(empty, bnd[src_start], self.raw_end[safe_last])
        else:
            new_start = bnd[np.zeros_like(src_start)]
            new_end = new_start.copy()
        return Alignment(self.raw_length, new_start.astype(np.int64), new_end.astype(np.int64))


class ForwardMap:
    """Maps positions of a stage's input text to positions of its output text.

    A position outside every edit moves by the length change of the edits that start before it;
    text inserted exactly at the position goes before a span start and after a span end. A position strictly inside an edited
    span snaps to the new start (``side="start"``) or end (``side="end"``) of that edit's output.
    """

    def __init__(self, ordered_edits: Sequence[Edit]):
        self._starts = [e.start for e in ordered_edits]
        self._ends = [e.end for e in ordered_edits]
        self._new_starts: list[int] = []
        self._cumulative: list[int] = []
        delta = 0
        for e in ordered_edits:
            self._new_starts.append(e.start + delta)
            delta += len(e.replacement) - (e.end - e.start)
            self._cumulative.append(delta)
        self._lengths = [len(e.replacement) for e in ordered_edits]

    def output_start(self, index: int) -> int:
        """Where the output of the ``index``-th edit (in order) starts in the new text."""
        return self._new_starts[index]

    def map(self, pos: int, side: str = "start") -> int:
        k = bisect_left(self._starts, pos) - 1  # the last edit starting before pos
        if k >= 0 and self._starts[k] < pos < self._ends[k]:
            ns = self._new_starts[k]
            return ns if side == "start" else ns + self._lengths[k]
        new = pos + (self._cumulative[k] if k >= 0 else 0)
        if side == "start":
            # text inserted exactly at pos comes before a span that starts there
            j = k + 1
            while j < len(self._starts) and self._starts[j] == pos and self._ends[j] == pos:
                new += self._lengths[j]
                j += 1
        return new
