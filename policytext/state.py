"""The text state that text stages read and change: current text, raw alignment, records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .alignment import Alignment, Edit, ForwardMap, _check_sorted, _check_sorted_few, splice_text

__all__ = ["TextState", "EditRecord"]

# Up to this many edits, apply works in plain Python (NumPy's per-call cost dominates), and the
# alignment is rebuilt from slices (about 3 µs per edit); past it the alignment is rebuilt from
# slices or by vectorised gathers (cost per character), whichever is cheaper: see _use_slices.
_FEW_EDITS = 16


@dataclass(slots=True)
class EditRecord:
    """One applied edit, kept with the coordinates needed to place it in raw and final text."""

    stage: str
    edit: Edit
    before: str
    raw_start: int
    raw_end: int
    start: int  # in the text right after this stage; moved forward by later stages
    end: int

    def to_dict(self) -> dict[str, Any]:
        e = self.edit
        out: dict[str, Any] = {
            "stage": self.stage,
            "kind": e.kind,
            "raw_start": self.raw_start,
            "raw_end": self.raw_end,
            "start": self.start,
            "end": self.end,
        }
        if e.removal:
            if e.duplicate_of is not None:
                out["duplicate_of"] = {"start": e.duplicate_of[0], "end": e.duplicate_of[1]}
            out["text"] = self.before
        else:
            out["before"] = self.before
            out["after"] = e.replacement
            out["confidence"] = round(float(e.confidence), 4)
        if e.note:
            out["note"] = e.note
        return out


@dataclass
class TextState:
    """What text stages work on.

    ``raw`` is the decoded input and never changes; ``text`` is the current text. Stages call
    :meth:`apply` with edits on ``text``; the state composes the raw alignment and keeps one
    record per edit (or removal), with offsets kept current as later stages change the text.
    """

    raw: str
    doc_id: str | None = None
    source: str | None = None
    date: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.raw
        self.alignment = Alignment(len(self.raw))
        self._records: list[EditRecord] = []
        # Current positions of every record: start, end, duplicate_of start/end (-1 when none).
        self._positions = np.zeros((0, 4), dtype=np.int64)
        self._synced = True

    def apply(self, edits: Sequence[Edit], stage: str) -> int:
        """Apply ``edits`` (non-overlapping, on the current text) on behalf of ``stage``.

        Returns the number of edits applied. No-op edits (replacement equal to the span) are dropped.
        """
        old_text = self.text
        edits = [e for e in edits if e.removal or old_text[e.start : e.end] != e.replacement]
        if not edits:
            return 0
        if len(edits) <= _FEW_EDITS:
            return self._apply_few(edits, stage, old_text)
        ordered, starts, ends, lengths = _check_sorted(edits, len(old_text))
        forward = ForwardMap(ordered, (starts, ends, lengths))
        pos = self._positions
        if len(pos):
            _remap(pos, forward)
        n = len(ordered)
        raw_starts, raw_ends = self.alignment.spans_to_raw(starts, ends)
        rows = np.full((n, 4), -1, dtype=np.int64)
        rows[:, 0] = forward._new_starts
        rows[:, 1] = forward._new_starts + lengths
        for i, e in enumerate(ordered):
            if e.duplicate_of is not None:
                ds = forward.map(e.duplicate_of[0], "start")
                rows[i, 2], rows[i, 3] = ds, max(ds, forward.map(e.duplicate_of[1], "end"))
        self._records.extend(
            EditRecord(stage, e, old_text[s:t], rs, re_, ns, ne)
            for e, s, t, rs, re_, ns, ne in zip(
                ordered, starts.tolist(), ends.tolist(), raw_starts.tolist(), raw_ends.tolist(),
                rows[:, 0].tolist(), rows[:, 1].tolist(),
            )
        )
        self._positions = np.concatenate([pos, rows]) if len(pos) else rows
        self._synced = False
        self.text = splice_text(old_text, ordered, starts, ends)
        if _use_slices(n, len(old_text)):
            self.alignment = self.alignment.after_edits(starts, ends, lengths, raw_starts, raw_ends)
        else:
            self.alignment = self.alignment.after_edits_gathered(starts, ends, lengths, raw_starts, raw_ends)
        return n

    def _apply_few(self, edits: list[Edit], stage: str, old_text: str) -> int:
        """:meth:`apply` for a few edits, in plain Python where NumPy's per-call cost would dominate."""
        ordered, starts, ends, lengths = _check_sorted_few(edits, len(old_text))
        pos = self._positions
        has_dup = any(e.duplicate_of is not None for e in ordered)
        forward = None
        if len(pos) or has_dup:
            arrays = (np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), np.asarray(lengths, dtype=np.int64))
            forward = ForwardMap(ordered, arrays)
            if len(pos):
                _remap(pos, forward)
        raw_starts, raw_ends = self.alignment.spans_to_raw_few(starts, ends)
        rows: list[tuple[int, int, int, int]] = []
        shift = 0
        for e, s, t, k in zip(ordered, starts, ends, lengths):
            ns = s + shift
            shift += k - (t - s)
            if e.duplicate_of is not None and forward is not None:
                ds = forward.map(e.duplicate_of[0], "start")
                rows.append((ns, ns + k, ds, max(ds, forward.map(e.duplicate_of[1], "end"))))
            else:
                rows.append((ns, ns + k, -1, -1))
        self._records.extend(
            EditRecord(stage, e, old_text[s:t], rs, re_, row[0], row[1])
            for e, s, t, rs, re_, row in zip(ordered, starts, ends, raw_starts, raw_ends, rows)
        )
        new_rows = np.array(rows, dtype=np.int64).reshape(-1, 4)
        self._positions = np.concatenate([pos, new_rows]) if len(pos) else new_rows
        self._synced = False
        self.text = splice_text(old_text, ordered, starts, ends)
        self.alignment = self.alignment.after_edits(starts, ends, lengths, raw_starts, raw_ends)
        return len(ordered)

    @property
    def records(self) -> list[EditRecord]:
        """Every applied edit and removal, in the order applied, with offsets in the current text."""
        if not self._synced:
            for rec, (s, e, ds, de) in zip(self._records, self._positions.tolist()):
                rec.start, rec.end = s, e
                if ds >= 0:
                    rec.edit = _with_duplicate_of(rec.edit, (ds, de))
            self._synced = True
        return self._records

    def warn(self, message: str) -> None:
        """Record a warning for the result's ``warnings``."""
        if message not in self.warnings:
            self.warnings.append(message)

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw span of the current-text span ``[start, end)``."""
        return self.alignment.to_raw(start, end)

    @property
    def edits(self) -> list[EditRecord]:
        return [r for r in self.records if not r.edit.removal]

    @property
    def removed(self) -> list[EditRecord]:
        return [r for r in self.records if r.edit.removal]


def _remap(pos: np.ndarray, forward: ForwardMap) -> None:
    """Move the record positions ``pos`` (start, end, duplicate_of start/end) through ``forward``."""
    pos[:, 0] = forward.map_many(pos[:, 0], "start")
    pos[:, 1] = np.maximum(pos[:, 0], forward.map_many(pos[:, 1], "end"))
    dup = pos[:, 2] >= 0
    if dup.any():
        pos[dup, 2] = forward.map_many(pos[dup, 2], "start")
        pos[dup, 3] = np.maximum(pos[dup, 2], forward.map_many(pos[dup, 3], "end"))


def _with_duplicate_of(edit: Edit, span: tuple[int, int]) -> Edit:
    return edit._replace(duplicate_of=span)


def _use_slices(n_edits: int, n_chars: int) -> bool:
    """Whether rebuilding the alignment from slices beats vectorised gathers (measured crossover)."""
    return n_edits <= max(_FEW_EDITS, n_chars // 100)
