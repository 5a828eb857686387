"""How a document that cannot be processed is reported: the two errors and the error record."""

from __future__ import annotations

import hashlib
from typing import Any

from .inputs import InputDoc
from .errors import Errors, code_of
from .record import content_id, error_record

__all__ = ["InputError", "StageError", "failure_message", "failure_record"]


class InputError(ValueError):
    """The input could not be read (not text, unreadable file, bad JSON line, too large)."""


class StageError(RuntimeError):
    """A stage failed on a document; the message names the stage."""


def failure_message(exc: BaseException) -> str:
    """The record's ``error`` for ``exc``: our own errors as they are, others with their type."""
    coded = isinstance(exc, (InputError, StageError)) or code_of(str(exc)) is not None
    return str(exc) if coded else Errors.E021.format(exc_type=type(exc).__name__, exc=exc)


def failure_record(item: InputDoc, message: str) -> dict[str, Any]:
    """The error record of a document that could not be processed, keeping what is known of it."""
    doc_id = item.id
    if doc_id is None and isinstance(item.data, str) and item.data:
        doc_id = content_id(item.data)
    elif doc_id is None and isinstance(item.data, (bytes, bytearray)) and item.data:
        doc_id = hashlib.sha256(bytes(item.data)).hexdigest()[:16]
    rec = error_record(doc_id, item.source, message, date=item.date)
    if item.keep is not None:
        rec["meta"] = item.keep
    return rec
