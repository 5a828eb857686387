"""One processed document: the spaCy ``Doc``, its clean text and the contract record."""

from __future__ import annotations

import json
from typing import Any

from spacy.tokens import Doc

from .record import build_record
from .errors import Errors

__all__ = ["Result"]

_RECORD_FIELDS = frozenset({"id", "source", "date", "text", "edits", "removed", "duplicates", "paragraphs",
                            "sentences", "turns", "entities", "claims", "themes", "warnings", "error"})


class Result:
    """One processed document: the spaCy ``Doc`` and the contract record (built when first read).

    ``text`` is the clean text when the caller has it (the pipeline does): the record then takes
    it as it is instead of joining the Doc's tokens again."""

    def __init__(self, doc: Doc | None = None, record: dict[str, Any] | None = None, text: str | None = None):
        if doc is None and record is None:
            raise ValueError(Errors.E601)
        self.doc = doc
        self._record = record
        self._text = text

    def to_dict(self) -> dict[str, Any]:
        """The contract record (``schema_version`` 1)."""
        if self._record is None:
            assert self.doc is not None
            self._record = build_record(self.doc, self._text)
        return self._record

    def to_json(self, **kwargs: Any) -> str:
        """The contract record as one line of JSON (UTF-8 characters kept)."""
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw-input span of the clean span ``[start, end)``."""
        if self.doc is None or self.doc._.alignment is None:
            raise ValueError(Errors.E602)
        return self.doc._.alignment.to_raw(start, end)

    @property
    def raw(self) -> str | None:
        """The decoded raw input (None for a result made from a record)."""
        return None if self.doc is None else self.doc._.raw_text

    def show(self, view: str = "text", **options: Any) -> Any:
        """A visual report (:class:`policytext.report.Report`): Jupyter shows it; ``view="diff"``
        puts raw and clean side by side, ``"both"`` gives both; ``.save(path)`` writes a page."""
        from .report import Report

        return Report(self, view=view, **options)

    def _repr_html_(self) -> str:
        return self.show().html

    def __getattr__(self, name: str) -> Any:
        if name == "words":  # present only when the optional words stage ran
            return self.to_dict().get("words")
        if name in _RECORD_FIELDS:
            return self.to_dict()[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        rec = self.to_dict()
        if rec["error"]:
            return f"<Result id={rec['id']!r} error={rec['error']!r}>"
        return (f"<Result id={rec['id']!r} chars={len(rec['text'])} edits={len(rec['edits'])} "
                f"removed={len(rec['removed'])} sentences={len(rec['sentences'])} entities={len(rec['entities'])} "
                f"claims={len(rec['claims'])} themes={sorted(rec['themes'])}>")
