"""Visual reports of processed documents: what the cleaning did and what the annotators found.

    >>> result = nlp(raw)
    >>> result                        # in Jupyter: the clean text with edits, entities, claims, themes
    >>> result.show(view="diff")      # raw and clean side by side
    >>> result.show().save("report.html")

``policytext show INPUT... -o report.html`` writes one self-contained page for a batch. Modules:
:mod:`.summary` (figures), :mod:`.highlight` (the marked-up clean text), :mod:`.diff` (side by
side), :mod:`.layers` (overlapping markup), :mod:`.marks` (edit elements), :mod:`.page` (assembly),
:mod:`.assets` (CSS, JS).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .document import ReportDoc, as_report_doc
from .page import PAGE_CHARS, VIEWS, doc_section, fragment, standalone, write_report
from .summary import Counts, doc_counts
from ..errors import Errors

__all__ = ["Report", "ReportDoc", "as_report_doc", "write_report", "doc_section", "fragment", "standalone",
           "Counts", "doc_counts", "VIEWS", "NOTEBOOK_MAX_CHARS"]

#: A notebook shows about this many characters of a document (the saved report shows all).
NOTEBOOK_MAX_CHARS = 100_000


class Report:
    """The report of one document: shown by Jupyter, ``html`` for a fragment, ``save`` for a page."""

    def __init__(self, item: Any, view: str = "text", page_chars: int = PAGE_CHARS,
                 max_chars: int | None = NOTEBOOK_MAX_CHARS):
        if view not in VIEWS:
            raise ValueError(Errors.E610.format(view=view, views=VIEWS))
        self.doc = as_report_doc(item)
        if view != "text" and (self.doc.raw is None or self.doc.alignment is None):
            raise ValueError(Errors.E611)
        self.view, self.page_chars, self.max_chars = view, page_chars, max_chars

    @property
    def html(self) -> str:
        """An HTML fragment (style scoped to ``.ptx``) for a notebook or another page."""
        return fragment(self.doc, self.view, self.page_chars, self.max_chars)

    def _repr_html_(self) -> str:
        return self.html

    def to_page(self, title: str = "policytext report") -> str:
        """A complete, self-contained HTML page with the whole document."""
        return standalone(self.doc, self.view, title, self.page_chars)

    def save(self, path: str | Path, title: str = "policytext report") -> Path:
        """Write :meth:`to_page` to ``path`` (UTF-8); returns the path."""
        path = Path(path)
        path.write_text(self.to_page(title), encoding="utf-8", errors="replace")
        return path

    def __repr__(self) -> str:
        return f"<Report view={self.view!r} id={self.doc.record.get('id')!r}>"
