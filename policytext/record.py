"""The contract record (``../spec/contract.md`` section 2) built from a processed ``Doc``."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from spacy.tokens import Doc
from .errors import Errors

__all__ = ["SCHEMA_VERSION", "build_record", "assemble_record", "error_record", "content_id", "RECORD_FIELDS",
           "RECORD_KEYS", "RECORD_META_KEY"]

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
    raise TypeError(Errors.E603.format(type=type(obj).__name__))


def _is_text_of(doc: Doc, text: str) -> bool:
    """Whether ``text`` has the length of the Doc's text (a cheap check against a mix-up)."""
    return len(text) == (doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0)


def build_record(doc: Doc, text: str | None = None) -> dict[str, Any]:
    """The contract record of a processed document. ``text`` is the Doc's text when the caller
    holds it (the pipeline keeps it from the text state): spaCy rebuilds ``doc.text`` from every
    token (about 1 s per 300,000 characters), so the Doc's text is read only without it."""
    if text is None or not _is_text_of(doc, text):
        text = doc.text
    x = doc._
    fields = {name: getattr(x, name) for name in RECORD_FIELDS}
    return assemble_record(text, fields, _entities(doc, text), doc.user_data.get(RECORD_META_KEY), x.words)


#: The ``Doc._`` extensions (or text-state values) the record is made of, besides text and entities.
RECORD_FIELDS = ("doc_id", "source", "doc_date", "edits", "removed", "duplicates", "paragraphs", "sentences",
                 "turns", "claims", "themes", "warnings")


def assemble_record(text: str, fields: dict[str, Any], entities: list[dict[str, Any]], meta: Any = None,
                    words: list[tuple[int, int]] | None = None) -> dict[str, Any]:
    """The contract record from its parts: ``fields`` maps the names of :data:`RECORD_FIELDS`
    to their values (a missing or None one is empty); ``words`` only when the words stage ran."""
    get = fields.get
    record = {
        "schema_version": SCHEMA_VERSION,
        "id": get("doc_id"),
        "source": get("source"),
        "date": get("doc_date"),
        "text": "",  # set after the JSON round trip below: a str needs none
        "edits": get("edits") or [],
        "removed": get("removed") or [],
        "duplicates": get("duplicates") or [],
        "paragraphs": get("paragraphs") or [],
        "sentences": get("sentences") or [],
        "turns": get("turns") or [],
        "entities": entities,
        "claims": get("claims") or [],
        "themes": get("themes") or {},
        "warnings": list(get("warnings") or []),
        "error": None,
    }
    if meta is not None:
        record["meta"] = meta
    if words is not None:
        record["words"] = [[start, end] for start, end in words]
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
