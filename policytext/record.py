"""The contract record (``../spec/contract.md`` section 2) built from a processed ``Doc``."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from spacy.tokens import Doc

__all__ = ["SCHEMA_VERSION", "build_record", "error_record", "content_id", "RECORD_KEYS", "RECORD_META_KEY"]

SCHEMA_VERSION = 1
#: ``Doc.user_data`` key of the input fields kept for the record's optional ``meta`` (``--keep``).
RECORD_META_KEY = "policytext.meta"
RECORD_KEYS = (
    "schema_version", "id", "source", "date", "text", "edits", "removed", "duplicates", "paragraphs",
    "sentences", "turns", "entities", "claims", "themes", "warnings", "error",
)


def content_id(text: str) -> str:
    """Stable id of a document without one: a hash of its decoded raw text."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


def _entities(doc: Doc, text: str) -> list[dict[str, Any]]:
    return [{"start": e.start_char, "end": e.end_char, "text": text[e.start_char:e.end_char], "label": e.label_}
            for e in doc.ents]


def _jsonable(value: Any) -> Any:
    """Plain JSON types only (numpy scalars and tuples from stages become floats/ints/lists)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=_default))


def _default(obj: Any) -> Any:
    if hasattr(obj, "item"):
        return obj.item()
    if isinstance(obj, (set, tuple)):
        return list(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def _is_text_of(doc: Doc, text: str) -> bool:
    """Whether ``text`` has the length of the Doc's text (a cheap check against a mix-up)."""
    return len(text) == (doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0)


def build_record(doc: Doc, text: str | None = None) -> dict[str, Any]:
    """The contract record of a processed document. ``text`` is the Doc's text when the caller
    holds it (the pipeline keeps it from the text state): spaCy rebuilds ``doc.text`` from every
    token (about 1 s per 300,000 characters), so the Doc's text is read only without it."""
    x = doc._
    if text is None or not _is_text_of(doc, text):
        text = doc.text
    record = {
        "schema_version": SCHEMA_VERSION,
        "id": x.doc_id,
        "source": x.source,
        "date": x.doc_date,
        "text": "",  # set after the JSON round trip below: a str needs none
        "edits": x.edits or [],
        "removed": x.removed or [],
        "duplicates": x.duplicates or [],
        "paragraphs": x.paragraphs or [],
        "sentences": x.sentences or [],
        "turns": x.turns or [],
        "entities": _entities(doc, text),
        "claims": x.claims or [],
        "themes": x.themes or {},
        "warnings": list(x.warnings or []),
        "error": None,
    }
    if doc.user_data.get(RECORD_META_KEY) is not None:
        record["meta"] = doc.user_data[RECORD_META_KEY]
    if x.words is not None:  # only when the optional words stage ran
        record["words"] = [[start, end] for start, end in x.words]
    record = _jsonable(record)
    record["text"] = text
    return record


def error_record(doc_id: str | None, source: str | None, error: str, date: str | None = None,
                 warnings: list[str] | None = None) -> dict[str, Any]:
    """The record of a document that could not be processed: empty fields and ``error`` set."""
    return {
        "schema_version": SCHEMA_VERSION, "id": doc_id, "source": source, "date": date, "text": "",
        "edits": [], "removed": [], "duplicates": [], "paragraphs": [], "sentences": [], "turns": [], "entities": [],
        "claims": [], "themes": {}, "warnings": list(warnings or []), "error": error,
    }
