"""The text state that text stages read and change: current text, raw alignment, records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from .alignment import Alignment, Edit, ForwardMap, apply_edits

__all__ = ["TextState", "EditRecord"]


@dataclass
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
        self.records: list[EditRecord] = []
        self._pending_duplicate_refs: list[EditRecord] = []

    def apply(self, edits: Sequence[Edit], stage: str) -> int:
        """Apply ``edits`` (non-overlapping, on the current text) on behalf of ``stage``.

        Returns the number of edits applied. No-op edits (replacement equal to the span) are dropped.
        """
        edits = [e for e in edits if e.removal or self.text[e.start : e.end] != e.replacement]
        if not edits:
            return 0
        old_text = self.text
        new_text, src_start, src_end, ordered = apply_edits(old_text, edits)
        forward = ForwardMap(ordered)
        for rec in self.records:
            rec.start = forward.map(rec.start, "start")
            rec.end = max(rec.start, forward.map(rec.end, "end"))
            dup = rec.edit.duplicate_of
            if dup is not None:
                s = forward.map(dup[0], "start")
                rec.edit = _with_duplicate_of(rec.edit, (s, max(s, forward.map(dup[1], "end"))))
        for i, e in enumerate(ordered):
            raw_start, raw_end = self.alignment.to_raw(e.start, e.end)
            new_start = forward.output_start(i)
            rec_edit = e
            if e.duplicate_of is not None:
                ds = forward.map(e.duplicate_of[0], "start")
                rec_edit = _with_duplicate_of(e, (ds, max(ds, forward.map(e.duplicate_of[1], "end"))))
            self.records.append(
                EditRecord(
                    stage=stage,
                    edit=rec_edit,
                    before=old_text[e.start : e.end],
                    raw_start=raw_start,
                    raw_end=raw_end,
                    start=new_start,
                    end=new_start + len(e.replacement),
                )
            )
        self.alignment = self.alignment.compose(src_start, src_end)
        self.text = new_text
        return len(ordered)

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


def _with_duplicate_of(edit: Edit, span: tuple[int, int]) -> Edit:
    from dataclasses import replace

    return replace(edit, duplicate_of=span)
