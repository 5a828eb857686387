"""The text state that text stages read and change: current text, raw alignment, records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from .alignment import (
    Alignment,
    Edit,
    EditBatch,
    ForwardMap,
    _check_sorted,
    _check_sorted_few,
    check_edit_arrays,
    splice_replacements,
    splice_text,
)
from .codepoints import code_points, from_code_points, splice_one_char_each, strings_at

__all__ = ["TextState", "EditRecord"]

# Up to this many edits, apply orders, checks and records them in plain Python (NumPy's per-call
# cost dominates there).
_FEW_EDITS = 16
# A batch with more than one edit per this many characters is compared and spliced as code points.
_DENSE_EDITS = 32


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


class _RecordColumns:
    """The records of one applied :class:`EditBatch`, kept as columns until someone reads them.

    The replaced texts (``before``) are cut from the stage's input text only when read.
    """

    __slots__ = ("stage", "batch", "raw_starts", "raw_ends", "_source")

    def __init__(self, stage: str, batch: EditBatch, source: str, raw_starts: np.ndarray, raw_ends: np.ndarray) -> None:
        self.stage, self.batch = stage, batch  # the batch's spans are in ``source``, the stage's input
        self.raw_starts, self.raw_ends = raw_starts, raw_ends
        self._source = source

    def __len__(self) -> int:
        return len(self.batch)

    def befores(self) -> list[str]:
        """The text each edit replaced."""
        source, starts, ends = self._source, self.batch.starts, self.batch.ends
        if len(starts) * _DENSE_EDITS > len(source):
            return strings_at(source, code_points(source), starts, ends)
        return [source[a:b] for a, b in zip(starts.tolist(), ends.tolist())]

    def records(self, positions: list[list[int]]) -> list[EditRecord]:
        """One :class:`EditRecord` per edit, at the current ``positions`` (rows of start, end, -, -)."""
        # each edit as the stage made it (offsets in its input text), as for a list of edits
        return [
            EditRecord(self.stage, edit, b, rs, re_, row[0], row[1])
            for edit, b, rs, re_, row in zip(self.batch, self.befores(), self.raw_starts.tolist(), self.raw_ends.tolist(), positions)
        ]

    def dicts(self, starts: list[int], ends: list[int]) -> list[dict[str, Any]]:
        """The records as contract dicts at the current positions ``starts``/``ends``: the same as
        ``[r.to_dict() for r in self.records(...)]``."""
        stage, kind = self.stage, self.batch.kind
        conf = round(float(self.batch.confidence), 4)
        rows = zip(self.raw_starts.tolist(), self.raw_ends.tolist(), starts, ends, self.befores(), self.batch.replacements)
        out = [
            {"stage": stage, "kind": kind, "raw_start": rs, "raw_end": re_, "start": s, "end": e,
             "before": b, "after": r, "confidence": conf}
            for rs, re_, s, e, b, r in rows
        ]
        notes = self.batch.notes
        if isinstance(notes, list):
            for d, note in zip(out, notes):
                if note:
                    d["note"] = note
        elif notes:
            for d in out:
                d["note"] = notes
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
        # Records in the order applied, in chunks: lists of EditRecord, or the columns of a batch.
        self._chunks: list[list[EditRecord] | _RecordColumns] = []
        # Current positions of every record: start, end, duplicate_of start/end (-1 when none).
        self._positions = np.zeros((0, 4), dtype=np.int64)
        self._synced: list[EditRecord] | None = []

    def apply(self, edits: Sequence[Edit] | EditBatch, stage: str) -> int:
        """Apply ``edits`` (non-overlapping, on the current text) on behalf of ``stage``.

        Returns the number of edits applied. No-op edits (replacement equal to the span) are dropped.
        An :class:`EditBatch` is applied and recorded as columns (no object per edit).
        """
        if isinstance(edits, EditBatch):
            return self._apply_batch(edits, stage)
        if len(edits) > _FEW_EDITS:
            batch = _as_batch(edits)
            if batch is not None:  # plain edits of one kind and confidence: applied as columns
                return self._apply_batch(batch, stage)
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
        self._chunks.append([
            EditRecord(stage, e, old_text[s:t], rs, re_, ns, ne)
            for e, s, t, rs, re_, ns, ne in zip(
                ordered, starts.tolist(), ends.tolist(), raw_starts.tolist(), raw_ends.tolist(),
                rows[:, 0].tolist(), rows[:, 1].tolist(),
            )
        ])
        self._positions = np.concatenate([pos, rows]) if len(pos) else rows
        self._synced = None
        self.text = splice_text(old_text, ordered, starts, ends)
        self.alignment = self.alignment.after_edits(starts, ends, lengths, raw_starts, raw_ends)
        return n

    def _apply_few(self, edits: list[Edit], stage: str, old_text: str) -> int:
        """:meth:`apply` for a few edits, in plain Python where NumPy's per-call cost would dominate."""
        ordered, starts, ends, lengths = _check_sorted_few(edits, len(old_text))
        pos = self._positions
        has_dup = any(e.duplicate_of is not None for e in ordered)
        # one character for one: positions and the alignment stay as they are
        one_for_one = not has_dup and all(k == 1 and t - s == 1 for s, t, k in zip(starts, ends, lengths))
        forward = None
        if (len(pos) and not one_for_one) or has_dup:
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
        self._chunks.append([
            EditRecord(stage, e, old_text[s:t], rs, re_, row[0], row[1])
            for e, s, t, rs, re_, row in zip(ordered, starts, ends, raw_starts, raw_ends, rows)
        ])
        new_rows = np.array(rows, dtype=np.int64).reshape(-1, 4)
        self._positions = np.concatenate([pos, new_rows]) if len(pos) else new_rows
        self._synced = None
        self.text = splice_text(old_text, ordered, starts, ends)
        if not one_for_one:
            self.alignment = self.alignment.after_edits(starts, ends, lengths, raw_starts, raw_ends)
        return len(ordered)

    def _apply_batch(self, batch: EditBatch, stage: str) -> int:
        """:meth:`apply` for a batch: checked, applied and recorded column-wise."""
        if len(batch) <= _FEW_EDITS:  # NumPy's per-call cost would dominate: as a list
            return self.apply(list(batch), stage)
        old_text = self.text
        order = check_edit_arrays(batch.starts, batch.ends, len(old_text))
        if order is not None:
            batch = batch.take(order)
        n = len(batch)
        if not n:
            return 0
        # Dense edits are compared and spliced as code points (cost per character); a few edits
        # in a long text as slices (cost per edit).
        codes = code_points(old_text) if n * _DENSE_EDITS > len(old_text) else None
        lengths = np.fromiter(map(len, batch.replacements), dtype=np.int64, count=n)
        spans = batch.ends - batch.starts
        same_length = lengths == spans
        changed = _changed(old_text, codes, batch, spans, same_length)
        if not changed.all():  # drop the no-ops: replacements equal to their span
            keep = np.flatnonzero(changed)
            batch, lengths, spans, same_length = batch.take(keep), lengths[keep], spans[keep], same_length[keep]
            n = len(batch)
            if not n:
                return 0
        starts, ends, replacements = batch.starts, batch.ends, batch.replacements
        raw_starts, raw_ends = self.alignment.spans_to_raw(starts, ends)
        rows = np.full((n, 4), -1, dtype=np.int64)
        if bool(same_length.all()):
            # each span keeps its length: record positions stay
            if codes is not None:  # the text changes code point by code point
                out = codes.copy()
                out[_span_positions(starts, spans)] = code_points("".join(replacements))
                self.text = from_code_points(out)
            else:
                self.text = splice_replacements(old_text, starts, ends, replacements)
            rows[:, 0], rows[:, 1] = starts, ends
        else:
            delta = lengths - spans
            rows[:, 0] = starts + (np.cumsum(delta) - delta)
            rows[:, 1] = rows[:, 0] + lengths
            if codes is not None and bool(np.all(lengths == 1)) and bool(np.all(spans > 0)):
                self.text = splice_one_char_each(codes, starts, ends, code_points("".join(replacements)))
            else:
                self.text = splice_replacements(old_text, starts, ends, replacements)
        # An edit of one character into one leaves every character's raw span, and every record
        # position, where it was: only the others re-map the records and re-cut the alignment.
        moves = np.flatnonzero((spans != 1) | (lengths != 1))
        if len(moves):
            columns = (starts, ends, lengths, raw_starts, raw_ends)
            if len(moves) < n:
                columns = tuple(c[moves] for c in columns)
            if len(self._positions):
                _remap(self._positions, ForwardMap((), columns[:3]))
            self.alignment = self.alignment.after_edits(*columns)
        self._chunks.append(_RecordColumns(stage, batch, old_text, raw_starts, raw_ends))
        self._positions = np.concatenate([self._positions, rows]) if len(self._positions) else rows
        self._synced = None
        return n

    @property
    def records(self) -> list[EditRecord]:
        """Every applied edit and removal, in the order applied, with offsets in the current text."""
        if self._synced is None:
            positions = self._positions.tolist()
            out: list[EditRecord] = []
            for k, chunk in enumerate(self._chunks):
                rows = positions[len(out) : len(out) + len(chunk)]
                if isinstance(chunk, _RecordColumns):
                    chunk = self._chunks[k] = chunk.records(rows)
                else:
                    _sync(chunk, rows)
                out.extend(chunk)
            self._synced = out
        return self._synced

    def record_dicts(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """``(edits, removed)`` as the contract's dicts: ``[r.to_dict() for r in self.edits]`` and
        the same for :attr:`removed`, without making a record object per batched edit."""
        pos = self._positions
        edits: list[dict[str, Any]] = []
        removed: list[dict[str, Any]] = []
        k = 0
        for chunk in self._chunks:
            rows = pos[k : k + len(chunk)]
            k += len(chunk)
            if isinstance(chunk, _RecordColumns):
                edits.extend(chunk.dicts(rows[:, 0].tolist(), rows[:, 1].tolist()))
                continue
            if self._synced is None:
                _sync(chunk, rows.tolist())
            for rec in chunk:
                (removed if rec.edit.removal else edits).append(rec.to_dict())
        return edits, removed

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


def _as_batch(edits: Sequence[Edit]) -> EditBatch | None:
    """``edits`` as one :class:`EditBatch` when they are plain edits (no removal, duplicate or
    extra) of one kind and confidence; None otherwise."""
    n = len(edits)
    if not n:
        return None
    starts, ends, replacements, kinds, confidences, removals, duplicates, notes, extras = zip(*edits)  # Edit is a tuple
    if (
        kinds.count(kinds[0]) != n or confidences.count(confidences[0]) != n or any(removals)
        or duplicates.count(None) != n or extras.count(None) != n
    ):
        return None
    return EditBatch(starts, ends, replacements, kinds[0], confidences[0], notes=None if notes.count(None) == n else notes)


def _changed(text: str, codes: np.ndarray | None, batch: EditBatch, spans: np.ndarray, same_length: np.ndarray) -> np.ndarray:
    """Which edits of ``batch`` change ``text``: a replacement of another length always does; a
    same-length one unless it equals its span (compared as code points when ``codes`` are given)."""
    if codes is None:
        return np.fromiter(
            (text[a:b] != r for a, b, r in zip(batch.starts.tolist(), batch.ends.tolist(), batch.replacements)),
            dtype=bool, count=len(batch),
        )
    changed = ~same_length
    same = np.flatnonzero(same_length & (spans > 0))
    if len(same):
        replacements = batch.replacements if len(same) == len(batch) else [batch.replacements[i] for i in same.tolist()]
        differs = codes[_span_positions(batch.starts[same], spans[same])] != code_points("".join(replacements))
        offsets = np.cumsum(spans[same]) - spans[same]
        changed[same] = np.add.reduceat(differs, offsets) > 0
    return changed


def _span_positions(starts: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Every position inside the spans ``[starts[k], starts[k] + spans[k])``, in order."""
    offsets = np.cumsum(spans) - spans
    return np.arange(int(spans.sum()), dtype=np.int64) + np.repeat(starts - offsets, spans)


def _sync(records: list[EditRecord], rows: list[list[int]]) -> None:
    """Give ``records`` their current positions ``rows`` (start, end, duplicate_of start/end)."""
    for rec, (s, e, ds, de) in zip(records, rows):
        rec.start, rec.end = s, e
        if ds >= 0:
            rec.edit = _with_duplicate_of(rec.edit, (ds, de))


def _remap(pos: np.ndarray, forward: ForwardMap) -> None:
    """Move the record positions ``pos`` (start, end, duplicate_of start/end) through ``forward``.

    Starts map with ``side="start"`` and ends with ``side="end"`` (see :class:`ForwardMap`), all
    columns in one pass; an end never moves before its start.
    """
    if not len(forward._starts):
        return
    dup = pos[:, 2] >= 0
    has_dup = bool(dup.any())
    width = 4 if has_dup else 2
    p = pos[:, :width]
    is_end = np.tile(np.array([0, 1], dtype=np.int64), width // 2)
    k = np.searchsorted(forward._starts, p, side="left") - 1
    kk = np.maximum(k, 0)
    before = k >= 0
    new = p + forward._cumulative[kk] * before
    if len(forward._ins_pos):  # text inserted exactly at a start goes before it
        lo = np.searchsorted(forward._ins_pos, p, side="left")
        hi = np.searchsorted(forward._ins_pos, p, side="right")
        new += (forward._ins_csum[hi] - forward._ins_csum[lo]) * (1 - is_end)
    inside = before & (forward._starts[kk] < p) & (p < forward._ends[kk])
    new = np.where(inside, forward._new_starts[kk] + forward._lengths[kk] * is_end, new)
    np.maximum(new[:, 0], new[:, 1], out=new[:, 1])
    if has_dup:
        np.maximum(new[:, 2], new[:, 3], out=new[:, 3])
        new[~dup, 2:] = -1
    pos[:, :width] = new


def _with_duplicate_of(edit: Edit, span: tuple[int, int]) -> Edit:
    return edit._replace(duplicate_of=span)
