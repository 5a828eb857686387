"""Raw <-> clean alignment: edits, their application, and composition across stages.

Every text stage describes its changes as :class:`Edit` objects on its input text. Applying them
produces the stage's output text and a per-character map from output characters to input spans.
Composing those maps stage by stage gives, for every character of the final text, the span of
the raw input it came from. That is the library's provenance guarantee.
"""

from __future__ import annotations

from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np

__all__ = [
    "Edit", "EditBatch", "Alignment", "ForwardMap", "apply_edits", "splice_text", "splice_replacements",
    "check_edit_arrays", "OverlappingEditsError",
]


class OverlappingEditsError(ValueError):
    """Raised when a stage returns edits whose spans overlap or fall outside the text."""


class _EditFields(NamedTuple):
    start: int
    end: int
    replacement: str
    kind: str
    confidence: float = 1.0
    removal: bool = False
    duplicate_of: tuple[int, int] | None = None
    note: str | None = None
    extra: Mapping[str, Any] | None = None


class Edit(_EditFields):
    """Replace ``text[start:end]`` with ``replacement``.

    ``start == end`` is an insertion, an empty ``replacement`` a deletion. ``kind`` names the
    fix (``mojibake_gbk_misaligned``, ``t2s``, ``html_tag``...). A ``removal`` is content dropped
    on purpose (dedup, spam lines): it is reported under ``removed`` rather than ``edits``.
    ``extra`` holds optional stage-specific details.

    Edits are immutable (a named tuple, cheap to make: stages produce thousands per document);
    use ``edit._replace(field=value)`` for a changed copy.
    """

    __slots__ = ()

    def __new__(
        cls,
        start: int,
        end: int,
        replacement: str,
        kind: str,
        confidence: float = 1.0,
        removal: bool = False,
        duplicate_of: tuple[int, int] | None = None,
        note: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> "Edit":
        if start < 0 or end < start:
            raise OverlappingEditsError(f"invalid edit span [{start}, {end})")
        return tuple.__new__(cls, (start, end, replacement, kind, confidence, removal, duplicate_of, note, extra))


class EditBatch(Sequence[Edit]):
    """Many edits of one ``kind``, held as columns: what a sub-step making thousands returns.

    It reads as a sequence of :class:`Edit` (``len``, indexing, iteration make the ``Edit``
    objects on demand), and :meth:`policytext.state.TextState.apply` applies and records it
    without making one object per edit. ``notes`` is one note for every edit, or a list with one
    per edit. Batches hold no removals.
    """

    __slots__ = ("starts", "ends", "replacements", "kind", "confidence", "notes")

    def __init__(
        self,
        starts: np.ndarray | Sequence[int],
        ends: np.ndarray | Sequence[int],
        replacements: Sequence[str],
        kind: str,
        confidence: float = 1.0,
        notes: str | Sequence[str | None] | None = None,
    ) -> None:
        self.starts = np.asarray(starts, dtype=np.int64).reshape(-1)
        self.ends = np.asarray(ends, dtype=np.int64).reshape(-1)
        self.replacements = list(replacements)
        n = len(self.starts)
        if len(self.ends) != n or len(self.replacements) != n:
            raise ValueError(f"EditBatch columns differ in length: {n} starts, {len(self.ends)} ends, {len(self.replacements)} replacements")
        if not isinstance(notes, (str, type(None))):
            notes = list(notes)
            if len(notes) != n:
                raise ValueError(f"EditBatch has {n} edits but {len(notes)} notes")
        if n and (int(self.starts.min()) < 0 or bool(np.any(self.ends < self.starts))):
            k = int(np.argmax((self.starts < 0) | (self.ends < self.starts)))
            raise OverlappingEditsError(f"invalid edit span [{self.starts[k]}, {self.ends[k]})")
        self.kind = kind
        self.confidence = float(confidence)
        self.notes = notes

    @classmethod
    def empty(cls, kind: str) -> "EditBatch":
        return cls(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), [], kind)

    def note_list(self) -> list[str | None]:
        """One note per edit."""
        notes = self.notes
        return list(notes) if isinstance(notes, list) else [notes] * len(self.starts)

    def take(self, index: np.ndarray) -> "EditBatch":
        """The edits at ``index`` (an integer array or a boolean mask), as a new batch."""
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        picked = index.tolist()
        notes = self.notes if not isinstance(self.notes, list) else [self.notes[i] for i in picked]
        return EditBatch(self.starts[index], self.ends[index], [self.replacements[i] for i in picked], self.kind, self.confidence, notes)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return self.take(np.arange(len(self))[i])
        note = self.notes[i] if isinstance(self.notes, list) else self.notes
        return Edit(int(self.starts[i]), int(self.ends[i]), self.replacements[i], self.kind, self.confidence, note=note)

    def __iter__(self):
        kind, conf = self.kind, self.confidence
        for s, e, r, n in zip(self.starts.tolist(), self.ends.tolist(), self.replacements, self.note_list()):
            yield Edit(s, e, r, kind, conf, note=n)

    def __repr__(self) -> str:
        return f"EditBatch({len(self)} x {self.kind!r})"


def check_edit_arrays(starts: np.ndarray, ends: np.ndarray, length: int) -> np.ndarray | None:
    """Raise on spans beyond ``length`` or overlapping; the (start, end) sort order if not sorted."""
    order = None
    if len(starts) > 1 and (np.any(starts[1:] < starts[:-1]) or np.any((starts[1:] == starts[:-1]) & (ends[1:] < ends[:-1]))):
        order = np.lexsort((ends, starts))  # stable: equal keys keep their order
        starts, ends = starts[order], ends[order]
    if len(starts):
        if ends.max() > length:
            k = int(np.argmax(ends > length))
            raise OverlappingEditsError(f"edit [{starts[k]}, {ends[k]}) beyond text length {length}")
        if len(starts) > 1:
            reach = np.maximum.accumulate(ends)[:-1]  # furthest end of the edits before each one
            bad = np.nonzero(starts[1:] < reach)[0]
            if len(bad):
                k = int(bad[0]) + 1
                raise OverlappingEditsError(
                    f"edit [{starts[k]}, {ends[k]}) overlaps the previous edit ending at {reach[k - 1]}"
                )
    return order


def _edit_arrays(edits: Sequence[Edit]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts, ends and replacement lengths of ``edits`` as int64 arrays."""
    n = len(edits)
    starts = np.fromiter([e.start for e in edits], dtype=np.int64, count=n)
    ends = np.fromiter([e.end for e in edits], dtype=np.int64, count=n)
    lengths = np.fromiter([len(e.replacement) for e in edits], dtype=np.int64, count=n)
    return starts, ends, lengths


def _check_sorted(edits: Sequence[Edit], length: int) -> tuple[list[Edit], np.ndarray, np.ndarray, np.ndarray]:
    """Edits ordered by (start, end), with their arrays; raises on overlaps or spans out of range."""
    ordered = list(edits)
    starts, ends, lengths = _edit_arrays(ordered)
    order = check_edit_arrays(starts, ends, length)
    if order is not None:
        ordered = [ordered[i] for i in order.tolist()]
        starts, ends, lengths = starts[order], ends[order], lengths[order]
    return ordered, starts, ends, lengths


def _check_sorted_few(edits: Sequence[Edit], length: int) -> tuple[list[Edit], list[int], list[int], list[int]]:
    """:func:`_check_sorted` in plain Python, for a few edits (NumPy's per-call cost dominates there)."""
    ordered = list(edits)
    if any((b.start, b.end) < (a.start, a.end) for a, b in zip(ordered, ordered[1:])):
        ordered.sort(key=lambda e: (e.start, e.end))  # stable, like the lexsort
    starts = [e.start for e in ordered]
    ends = [e.end for e in ordered]
    reach = -1
    for s, e in zip(starts, ends):
        if e > length:
            raise OverlappingEditsError(f"edit [{s}, {e}) beyond text length {length}")
    for k, (s, e) in enumerate(zip(starts, ends)):
        if k and s < reach:
            raise OverlappingEditsError(f"edit [{s}, {e}) overlaps the previous edit ending at {reach}")
        reach = max(reach, e)
    return ordered, starts, ends, [len(e.replacement) for e in ordered]


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, np.ndarray, np.ndarray, list[Edit]]:
    """Apply non-overlapping edits to ``text``.

    Returns ``(new_text, src_start, src_end, ordered_edits)`` where, for every character ``k`` of
    ``new_text``, ``text[src_start[k]:src_end[k]]`` is what it came from (one character for a kept
    character, the whole replaced span for a replacement, an empty span for an insertion).
    """
    ordered, starts, ends, lengths = _check_sorted(edits, len(text))
    return _apply_ordered(text, ordered, starts, ends, lengths) + (ordered,)


def _as_list(values: np.ndarray | Sequence[int]) -> list[int]:
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


def splice_text(
    text: str, ordered: Sequence[Edit], starts: np.ndarray | Sequence[int], ends: np.ndarray | Sequence[int]
) -> str:
    """``text`` with ordered, non-overlapping edits applied (no alignment kept)."""
    return splice_replacements(text, starts, ends, [e.replacement for e in ordered])


def splice_replacements(
    text: str, starts: np.ndarray | Sequence[int], ends: np.ndarray | Sequence[int], replacements: Sequence[str]
) -> str:
    """``text`` with ``text[starts[k]:ends[k]]`` replaced by ``replacements[k]`` (ordered, non-overlapping)."""
    gs = [0] + _as_list(ends)
    ge = _as_list(starts) + [len(text)]
    pieces: list[str] = [""] * (2 * len(replacements) + 1)
    pieces[0::2] = [text[a:b] for a, b in zip(gs, ge)]
    pieces[1::2] = replacements
    return "".join(pieces)


def _apply_ordered(
    text: str, ordered: list[Edit], starts: np.ndarray, ends: np.ndarray, lengths: np.ndarray
) -> tuple[str, np.ndarray, np.ndarray]:
    """:func:`apply_edits` on edits already checked and ordered, with their arrays."""
    n_text = len(text)
    if not ordered:
        pos = np.arange(n_text, dtype=np.int64)
        return text, pos, pos + 1
    new_text = splice_text(text, ordered, starts, ends)
    # The new text alternates kept gaps and replacements: gap 0, edit 0, gap 1, ..., gap n.
    gap_starts = np.concatenate([[0], ends])
    gap_ends = np.concatenate([starts, [n_text]])
    # Segments of the new text, in the same alternating order.
    seg_len = np.empty(2 * len(ordered) + 1, dtype=np.int64)
    seg_len[0::2] = gap_ends - gap_starts
    seg_len[1::2] = lengths
    seg_src = np.empty_like(seg_len)
    seg_src[0::2] = gap_starts
    seg_src[1::2] = starts
    seg_kept = np.zeros(len(seg_len), dtype=bool)
    seg_kept[0::2] = True
    seg_end = np.full(len(seg_len), -1, dtype=np.int64)
    seg_end[1::2] = ends
    out_starts = np.cumsum(seg_len) - seg_len
    offset = np.arange(len(new_text), dtype=np.int64) - np.repeat(out_starts, seg_len)
    kept = np.repeat(seg_kept, seg_len)
    src_start = np.repeat(seg_src, seg_len) + offset * kept
    src_end = np.where(kept, src_start + 1, np.repeat(seg_end, seg_len))
    return new_text, src_start, src_end


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
        """Vectorised :meth:`to_raw` for arrays of clean spans (assumed valid).

        Works on the spans only: nothing the size of the text is allocated.
        """
        n = len(self.raw_start)
        if not n:
            full = np.full(len(starts), self.raw_length, dtype=np.int64)
            return full, full.copy()
        first = np.minimum(starts, n - 1)
        last = np.clip(ends - 1, 0, n - 1)
        first_start = self.raw_start[first]
        boundary = np.where(starts < n, first_start, self.raw_length_after_last())
        empty = ends <= starts
        return np.where(empty, boundary, first_start), np.where(empty, boundary, self.raw_end[last])

    def spans_to_raw_few(self, starts: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]]:
        """:meth:`spans_to_raw` in plain Python, for a few spans."""
        raw_start, raw_end = self.raw_start, self.raw_end
        rs: list[int] = []
        re_: list[int] = []
        for s, e in zip(starts, ends):
            if e > s:
                rs.append(int(raw_start[s]))
                re_.append(int(raw_end[e - 1]))
            else:
                b = self.boundary(s)
                rs.append(b)
                re_.append(b)
        return rs, re_

    def after_edits(
        self,
        starts: np.ndarray | Sequence[int],
        ends: np.ndarray | Sequence[int],
        lengths: np.ndarray | Sequence[int],
        raw_starts: np.ndarray | Sequence[int],
        raw_ends: np.ndarray | Sequence[int],
    ) -> "Alignment":
        """Alignment of the text after ordered edits, built from slices (fast for few edits).

        ``raw_starts``/``raw_ends`` are the raw spans of the edited spans
        (:meth:`spans_to_raw`); every character of a replacement maps to its edit's raw span.
        """
        pieces_s: list[np.ndarray] = []
        pieces_e: list[np.ndarray] = []
        prev = 0
        for s, e, k, a, b in zip(_as_list(starts), _as_list(ends), _as_list(lengths), _as_list(raw_starts), _as_list(raw_ends)):
            pieces_s.append(self.raw_start[prev:s])
            pieces_e.append(self.raw_end[prev:s])
            if k:
                pieces_s.append(np.full(k, a, dtype=np.int64))
                pieces_e.append(np.full(k, b, dtype=np.int64))
            prev = e
        pieces_s.append(self.raw_start[prev:])
        pieces_e.append(self.raw_end[prev:])
        return Alignment(self.raw_length, np.concatenate(pieces_s), np.concatenate(pieces_e))

    def after_edits_gathered(
        self, starts: np.ndarray, ends: np.ndarray, lengths: np.ndarray, raw_starts: np.ndarray, raw_ends: np.ndarray
    ) -> "Alignment":
        """:meth:`after_edits` by vectorised gathers (fast for many edits), same result.

        Allocates few arrays the size of the text: on long texts, fresh memory (page faults)
        costs more than the arithmetic.
        """
        n_old = len(self.raw_start)
        k = len(starts)
        # Segments of the new text: gap 0, edit 0, gap 1, ..., edit k-1, gap k.
        seg_len = np.empty(2 * k + 1, dtype=np.int64)
        gap_starts = np.concatenate([[0], ends])
        seg_len[0::2] = np.concatenate([starts, [n_old]]) - gap_starts
        seg_len[1::2] = lengths
        out_starts = np.cumsum(seg_len) - seg_len
        new_len = int(out_starts[-1] + seg_len[-1])
        # Old position of each kept character: its new position plus its gap's shift.
        shift = np.zeros(2 * k + 1, dtype=np.int64)
        shift[0::2] = gap_starts - out_starts[0::2]
        src = np.arange(new_len, dtype=np.int64)
        src += np.repeat(shift, seg_len)
        replaced = np.repeat(np.arange(2 * k + 1) % 2 == 1, seg_len)
        src[replaced] = 0
        if n_old:
            new_start = self.raw_start.take(src)
            new_end = self.raw_end.take(src)
        else:
            new_start = np.empty(new_len, dtype=np.int64)
            new_end = np.empty(new_len, dtype=np.int64)
        new_start[replaced] = np.repeat(raw_starts, lengths)
        new_end[replaced] = np.repeat(raw_ends, lengths)
        return Alignment(self.raw_length, new_start, new_end)


class ForwardMap:
    """Maps positions of a stage's input text to positions of its output text.

    A position outside every edit moves by the length change of the edits that start before it;
    text inserted exactly at the position goes before a span start and after a span end. A
    position strictly inside an edited span snaps to the new start (``side="start"``) or end
    (``side="end"``) of that edit's output.
    """

    def __init__(self, ordered_edits: Sequence[Edit], arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None):
        self._starts, self._ends, self._lengths = arrays if arrays is not None else _edit_arrays(ordered_edits)
        n = len(self._starts)
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
