"""What a report shows of one document: its contract record, its raw text and its alignment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from ..errors import Errors

__all__ = ["ReportDoc", "as_report_doc"]


@dataclass
class ReportDoc:
    """One document to show: the contract ``record``, and when known the decoded ``raw`` input
    and the ``alignment`` (:class:`policytext.alignment.Alignment`) that maps clean to raw.

    Without ``raw`` the report shows raw offsets but no raw context, and the side-by-side view
    is not available."""

    record: dict[str, Any]
    raw: str | None = None
    alignment: Any = None

    @property
    def text(self) -> str:
        return self.record.get("text") or ""

    def raw_boundary(self, pos: int) -> int:
        """Raw position of the clean boundary ``pos`` (before clean character ``pos``)."""
        if self.alignment is None:
            raise ValueError(Errors.E613)
        return int(self.alignment.boundary(pos))


def as_report_doc(item: Any) -> ReportDoc:
    """A :class:`ReportDoc` from a :class:`policytext.Result`, a contract record or a ReportDoc."""
    if isinstance(item, ReportDoc):
        return item
    if isinstance(item, dict):
        return ReportDoc(item)
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        doc = getattr(item, "doc", None)
        alignment = None if doc is None else getattr(doc._, "alignment", None)
        raw = None if doc is None else getattr(doc._, "raw_text", None)
        if alignment is not None and len(alignment) != len(to_dict().get("text") or ""):
            alignment = None  # a text changed after processing: offsets would not line up
        return ReportDoc(to_dict(), raw, alignment)
    raise TypeError(Errors.E612.format(type=type(item).__name__))
