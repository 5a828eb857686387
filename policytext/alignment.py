"""Raw <-> clean alignment: edits, their application, and composition across stages.

Every text stage describes its changes as :class:`Edit` objects on its input text. Applying them
produces the stage's output text and a map from output characters to input spans. Composing those
maps stage by stage (:meth:`Alignment.after_edits`) gives, for every character of the final text,
the span of the raw input it came from. That is the library's provenance guarantee. The composed
map is kept as segments (runs of kept characters, outputs of replacements), so composing costs
per edit and segment, not per character.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any, Mapping, NamedTuple, Sequence

import numpy as np
from .errors import Errors

__all__ = [
    "Edit", "EditBatch", "Alignment", "ForwardMap", "apply_edits", "splice_text", "splice_replacements",
    "check_edit_arrays", "OverlappingEditsError",
]


# Up to this many edits, Alignment.after_edits works in plain Python (NumPy's per-call cost
# dominates there); past it, vectorised.
_FEW_EDITS = 48
# ... provided the segments are lists already or at most this many (made into lists on demand).
_FEW_SEGMENTS = 2048


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
            raise OverlappingEditsError(Errors.E501.format(start=start, end=end))
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
            raise ValueError(Errors.E504.format(starts=n, ends=len(self.ends), replacements=len(self.replacements)))
        if not isinstance(notes, (str, type(None))):
            notes = list(notes)
            if len(notes) != n:
                raise ValueError(Errors.E505.format(edits=n, notes=len(notes)))
        if n and (int(self.starts.min()) < 0 or bool(np.any(self.ends < self.starts))):
            k = int(np.argmax((self.starts < 0) | (self.ends < self.starts)))
            raise OverlappingEditsError(Errors.E501.format(start=self.starts[k], end=self.ends[k]))
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
            raise OverlappingEditsError(Errors.E502.format(start=starts[k], end=ends[k], length=length))
        if len(starts) > 1:
            reach = np.maximum.accumulate(ends)[:-1]  # furthest end of the edits before each one
            bad = np.nonzero(starts[1:] < reach)[0]
            if len(bad):
                k = int(bad[0]) + 1
                raise OverlappingEditsError(
                    Errors.E503.format(start=starts[k], end=ends[k], reach=reach[k - 1])
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
            raise OverlappingEditsError(Errors.E502.format(start=s, end=e, length=length))
    for k, (s, e) in enumerate(zip(starts, ends)):
        if k and s < reach:
            raise OverlappingEditsError(Errors.E503.format(start=s, end=e, reach=reach))
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


_Lists = tuple[list[int], list[int], list[int], list[bool]]
_Columns = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class Alignment:
    """Maps spans of the current (clean) text back to spans of the raw input.

    Stored as segments of the current text, each either a *run* of characters kept from the raw
    text (the ``i``-th character of a run starting at raw position ``r`` came from raw
    ``[r + i, r + i + 1)``) or the output of one replacement (every character came from the
    whole replaced raw span). Look-ups are binary searches over the segments, and
    :meth:`after_edits` costs per segment and edit, not per character of the text.
    ``raw_start``/``raw_end`` give the per-character arrays, made on first use.

    The segments (start in the current text, raw start, raw end, is-a-run) are held as Python
    lists, as NumPy arrays, or both, each made from the other when first needed: few edits are
    applied in plain Python, many with NumPy.
    """

    __slots__ = ("raw_length", "_length", "_lists", "_columns", "_arrays")

    def __init__(self, raw_length: int, raw_start: np.ndarray | None = None, raw_end: np.ndarray | None = None):
        """The identity alignment of a raw text of ``raw_length`` characters, or the alignment
        given per character by ``raw_start``/``raw_end`` (clean character ``k`` came from raw
        ``[raw_start[k], raw_end[k])``)."""
        self.raw_length = raw_length
        self._arrays: tuple[np.ndarray, np.ndarray] | None = None
        self._columns: _Columns | None = None
        self._lists: _Lists | None
        if raw_start is None:
            self._length = raw_length
            self._lists = ([0], [0], [raw_length], [True]) if raw_length else ([], [], [], [])
            return
        assert raw_end is not None
        rs = np.asarray(raw_start, dtype=np.int64)
        re_ = np.asarray(raw_end, dtype=np.int64)
        if len(rs) != len(re_):
            raise ValueError(Errors.E506.format(starts=len(rs), ends=len(re_)))
        run = re_ == rs + 1
        # a character starts a new segment unless it continues the previous one (the same run,
        # or the same replaced span)
        cont = np.zeros(len(rs), dtype=bool)
        cont[1:] = (run[1:] & run[:-1] & (rs[1:] == rs[:-1] + 1)) | (
            ~run[1:] & ~run[:-1] & (rs[1:] == rs[:-1]) & (re_[1:] == re_[:-1])
        )
        first = np.flatnonzero(~cont)
        seg_run = run[first]
        seg_re = np.where(seg_run, rs[first] + np.diff(first, append=len(rs)), re_[first])
        self._length, self._lists = len(rs), None
        self._columns = (first.astype(np.int64), rs[first], seg_re, seg_run)

    @classmethod
    def _made(cls, raw_length: int, length: int, lists: _Lists | None = None, columns: _Columns | None = None) -> "Alignment":
        out = cls.__new__(cls)
        out.raw_length, out._length, out._lists, out._columns, out._arrays = raw_length, length, lists, columns, None
        return out

    def _as_lists(self) -> _Lists:
        """The segments as lists: starts in the current text, raw starts, raw ends, is-a-run."""
        if self._lists is None:
            assert self._columns is not None
            pos, rs, re_, run = self._columns
            self._lists = (pos.tolist(), rs.tolist(), re_.tolist(), run.tolist())
        return self._lists

    def _lists_at_hand(self) -> bool:
        """Whether the segments are held as lists, or few enough to make them cheaply."""
        return self._lists is not None or len(self._as_columns()[0]) <= _FEW_SEGMENTS

    def _as_columns(self) -> _Columns:
        """The segments as arrays (see :meth:`_as_lists`)."""
        if self._columns is None:
            assert self._lists is not None
            pos, rs, re_, run = self._lists
            self._columns = (
                np.asarray(pos, dtype=np.int64), np.asarray(rs, dtype=np.int64),
                np.asarray(re_, dtype=np.int64), np.asarray(run, dtype=bool),
            )
        return self._columns

    def __len__(self) -> int:
        return self._length

    @property
    def segments(self) -> int:
        """How many segments (kept runs and replacement outputs) the current text is cut into."""
        return len(self._lists[0]) if self._lists is not None else len(self._as_columns()[0])

    @property
    def raw_start(self) -> np.ndarray:
        """Raw start of each clean character (an array the size of the text, made on first use)."""
        return self._per_character()[0]

    @property
    def raw_end(self) -> np.ndarray:
        """Raw end of each clean character (see :attr:`raw_start`)."""
        return self._per_character()[1]

    def _per_character(self) -> tuple[np.ndarray, np.ndarray]:
        if self._arrays is None:
            pos, rs, re_, run = self._as_columns()
            lengths = np.diff(pos, append=self._length)
            char_run = np.repeat(run, lengths)
            start = np.repeat(rs, lengths)
            start += (np.arange(self._length, dtype=np.int64) - np.repeat(pos, lengths)) * char_run
            self._arrays = (start, np.where(char_run, start + 1, np.repeat(re_, lengths)))
        return self._arrays

    def boundary(self, pos: int) -> int:
        """Raw position of the clean boundary ``pos`` (just before clean character ``pos``)."""
        if pos < self._length:
            starts, rs, _, run = self._as_lists()
            j = bisect_right(starts, pos) - 1
            return rs[j] + (pos - starts[j] if run[j] else 0)
        return self.raw_length_after_last()

    def raw_length_after_last(self) -> int:
        """Raw position after the last clean character (the raw end when nothing is left)."""
        if not self._length:
            return self.raw_length
        return self._lists[2][-1] if self._lists is not None else int(self._as_columns()[2][-1])

    def _char_end(self, pos: int) -> int:
        """Raw end of the clean character at ``pos`` (a valid position)."""
        starts, rs, re_, run = self._as_lists()
        j = bisect_right(starts, pos) - 1
        return rs[j] + (pos - starts[j]) + 1 if run[j] else re_[j]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``(raw_start, raw_end)`` of the clean span ``[start, end)``."""
        n = self._length
        if not 0 <= start <= end <= n:
            raise IndexError(Errors.E507.format(start=start, end=end, length=n))
        b = self.boundary(start)
        return (b, b) if start == end else (b, self._char_end(end - 1))

    def spans_to_raw(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised :meth:`to_raw` for arrays of clean spans (assumed valid).

        Works on the spans and segments only: nothing the size of the text is allocated.
        """
        starts = np.asarray(starts, dtype=np.int64)
        ends = np.asarray(ends, dtype=np.int64)
        n = self._length
        if not n:
            full = np.full(len(starts), self.raw_length, dtype=np.int64)
            return full, full.copy()
        pos, rs, re_, run = self._as_columns()
        if len(pos) == 1 and run[0]:  # one run: a shift
            first_start = np.minimum(starts, n - 1) + (rs[0] - pos[0])
            last_end = np.clip(ends, 1, n) + (rs[0] - pos[0])
        else:
            first = np.minimum(starts, n - 1)
            j = np.searchsorted(pos, first, side="right") - 1
            first_start = rs[j] + (first - pos[j]) * run[j]
            last = np.clip(ends - 1, 0, n - 1)
            j = np.searchsorted(pos, last, side="right") - 1
            last_end = np.where(run[j], rs[j] + (last - pos[j]) + 1, re_[j])
        boundary = np.where(starts < n, first_start, re_[-1])
        empty = ends <= starts
        return np.where(empty, boundary, first_start), np.where(empty, boundary, last_end)

    def spans_to_raw_few(self, starts: Sequence[int], ends: Sequence[int]) -> tuple[list[int], list[int]]:
        """:meth:`spans_to_raw` in plain Python, for a few spans given as lists."""
        if not self._lists_at_hand():
            a, b = self.spans_to_raw(np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))
            return a.tolist(), b.tolist()
        rs: list[int] = []
        re_: list[int] = []
        for s, e in zip(starts, ends):
            b = self.boundary(s)
            rs.append(b)
            re_.append(self._char_end(e - 1) if e > s else b)
        return rs, re_

    def after_edits(
        self,
        starts: np.ndarray | Sequence[int],
        ends: np.ndarray | Sequence[int],
        lengths: np.ndarray | Sequence[int],
        raw_starts: np.ndarray | Sequence[int],
        raw_ends: np.ndarray | Sequence[int],
    ) -> "Alignment":
        """Alignment of the text after ordered, non-overlapping edits on it.

        ``raw_starts``/``raw_ends`` are the raw spans of the edited spans
        (:meth:`spans_to_raw`); every character of a replacement maps to its edit's raw span.
        Costs per segment and edit, not per character: the kept text is the old segments cut
        at the edits' ends.
        """
        if len(starts) > _FEW_EDITS or not self._lists_at_hand():
            return self._after_many_edits(
                np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64),
                np.asarray(lengths, dtype=np.int64), np.asarray(raw_starts, dtype=np.int64),
                np.asarray(raw_ends, dtype=np.int64),
            )
        pos, rs, re_, run = self._as_lists()
        n = self._length
        out_pos: list[int] = []
        out_rs: list[int] = []
        out_re: list[int] = []
        out_run: list[bool] = []

        def piece(i: int, a: int, b: int, shift: int) -> None:
            """Append ``[a, b)``, a part of segment ``i``, moved by ``shift``."""
            if run[i]:
                r = rs[i] + (a - pos[i])
                if out_run and out_run[-1] and out_re[-1] == r:  # continues the previous run
                    out_re[-1] = r + (b - a)
                    return
                out_pos.append(a + shift), out_rs.append(r), out_re.append(r + (b - a)), out_run.append(True)
            else:
                out_pos.append(a + shift), out_rs.append(rs[i]), out_re.append(re_[i]), out_run.append(False)

        def keep(x: int, y: int, shift: int) -> None:
            """Append the kept old text ``[x, y)``, moved by ``shift``."""
            if x >= y:
                return
            j = bisect_right(pos, x) - 1
            k = bisect_left(pos, y, j + 1)  # segments j .. k-1 overlap [x, y)
            if k == j + 1:
                piece(j, x, y, shift)
                return
            piece(j, x, pos[j + 1], shift)
            if k > j + 2:  # whole segments, copied as they are
                out_pos.extend([p + shift for p in pos[j + 1 : k - 1]] if shift else pos[j + 1 : k - 1])
                out_rs.extend(rs[j + 1 : k - 1]), out_re.extend(re_[j + 1 : k - 1]), out_run.extend(run[j + 1 : k - 1])
            piece(k - 1, pos[k - 1], y, shift)

        shift = 0
        prev = 0
        for s, e, k, a, b in zip(_as_list(starts), _as_list(ends), _as_list(lengths), _as_list(raw_starts), _as_list(raw_ends)):
            keep(prev, s, shift)
            if k:
                out_pos.append(s + shift), out_rs.append(a), out_re.append(b), out_run.append(False)
            shift += k - (e - s)
            prev = e
        keep(prev, n, shift)
        return Alignment._made(self.raw_length, n + shift, lists=(out_pos, out_rs, out_re, out_run))

    def _after_many_edits(
        self, starts: np.ndarray, ends: np.ndarray, lengths: np.ndarray, raw_starts: np.ndarray, raw_ends: np.ndarray
    ) -> "Alignment":
        """:meth:`after_edits`, vectorised (for many edits)."""
        old_pos, old_rs, old_re, old_run = self._as_columns()
        n = self._length
        shift = np.zeros(len(starts) + 1, dtype=np.int64)
        np.cumsum(lengths - (ends - starts), out=shift[1:])  # shift[g]: change made by edits before g
        # Kept text: the non-empty gaps between edits (gap g lies before edit g), cut where an old
        # segment starts inside one.
        gap_s = np.concatenate([[0], ends])
        gap_e = np.append(starts, n)
        some = np.flatnonzero(gap_e > gap_s)
        gap_s, gap_e = gap_s[some], gap_e[some]
        a = gap_s
        gap = np.arange(len(some))
        if len(old_pos) > 1 and len(gap_s):
            inner = old_pos[1:]
            g = np.searchsorted(gap_s, inner, side="right") - 1
            gg = np.maximum(g, 0)
            inside = (g >= 0) & (inner > gap_s[gg]) & (inner < gap_e[gg])
            if inside.any():
                a = np.concatenate([gap_s, inner[inside]])
                gap = np.concatenate([gap, g[inside]])
                order = np.argsort(a, kind="stable")
                a, gap = a[order], gap[order]
        b = np.empty_like(a)  # a piece ends where the next one starts, or at its gap's end
        if len(a):
            b[:-1] = a[1:]
            last_in_gap = np.append(gap[1:] != gap[:-1], True)
            b[last_in_gap] = gap_e[gap[last_in_gap]]
        j = np.searchsorted(old_pos, a, side="right") - 1
        run = old_run[j]
        kept_rs = old_rs[j] + (a - old_pos[j]) * run
        kept_re = np.where(run, kept_rs + (b - a), old_re[j])
        kept_pos = a + shift[some][gap]
        made = lengths > 0
        pos = np.concatenate([kept_pos, (starts + shift[:-1])[made]])
        order = np.argsort(pos, kind="stable")
        pos = pos[order]
        rs = np.concatenate([kept_rs, raw_starts[made]])[order]
        re_ = np.concatenate([kept_re, raw_ends[made]])[order]
        run = np.concatenate([run, np.zeros(int(made.sum()), dtype=bool)])[order]
        if len(run) > 1:  # join neighbouring runs that continue each other in the raw text
            cont = run[1:] & run[:-1] & (rs[1:] == re_[:-1])
            if cont.any():
                first = np.concatenate([[True], ~cont])
                last = np.concatenate([~cont, [True]])
                pos, rs, run, re_ = pos[first], rs[first], run[first], re_[last]
        return Alignment._made(self.raw_length, n + int(shift[-1]), columns=(pos, rs, re_, run))


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
