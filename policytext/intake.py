"""What the pipeline accepts as a document, and the :class:`TextState` it starts from.

A document is text, bytes in any common Chinese encoding, a record dict (``text``/``html`` and
optional ``id``, ``date``, ``source``), a ``(document, context)`` pair or an
:class:`~policytext.inputs.InputDoc`. :func:`start_state` decodes it and checks it once, before
any stage runs.
"""

from __future__ import annotations

from typing import Any

from .dates import normalize_date
from .decode import decode_bytes
from .inputs import InputDoc, docs_from_records
from .failures import InputError
from .errors import Errors, Warnings, code_of
from .record import RECORD_META_KEY, content_id
from .state import TextState

__all__ = ["to_input_doc", "to_input_doc_or_error", "start_state"]

EMPTY_WARNING = Warnings.W001
BLANK_WARNING = Warnings.W002


def to_input_doc(item: Any, id: str | None = None, date: str | None = None, source: str | None = None,
                 meta: dict[str, Any] | None = None) -> InputDoc:
    """``item`` as an :class:`InputDoc`; ``TypeError`` for anything that is not a document."""
    if isinstance(item, InputDoc):
        return item
    if isinstance(item, (bytes, bytearray, memoryview)):
        return InputDoc(data=bytes(item), id=id, date=date, source=source, meta=dict(meta or {}))
    if isinstance(item, str):
        return InputDoc(data=item, id=id, date=date, source=source, meta=dict(meta or {}))
    if isinstance(item, dict):
        return next(docs_from_records([item], source or "<dict>"))
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
        ctx = item[1]
        return to_input_doc(item[0], ctx.get("id"), ctx.get("date"), ctx.get("source"), ctx.get("meta"))
    raise TypeError(Errors.E014.format(type=type(item).__name__))


def to_input_doc_or_error(item: Any) -> InputDoc:
    """:func:`to_input_doc`, or an InputDoc carrying the error for an item that is not a document
    (``None``, a number...): in a batch it becomes one error record instead of ending the loop."""
    try:
        return to_input_doc(item)
    except Exception as exc:  # noqa: BLE001
        return InputDoc(data="", source=None, error=str(exc) if code_of(str(exc)) else Errors.E006.format(detail=exc))


def without_surrogates(text: str) -> tuple[str, str | None]:
    """``text`` with its surrogate code points (halves of UTF-16 pairs, not characters: JSON's
    ``"\\ud800"``, text cut between the halves of an emoji) made valid, and a warning when there
    were any: a pair becomes its character, a lone half U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return text, None
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    lone = fixed.count("\ufffd") - text.count("\ufffd")
    pairs = len(text) - len(fixed)
    parts = [f"{lone} lone surrogate code point(s) replaced with U+FFFD"] if lone else []
    if pairs:
        parts.append(f"{pairs} surrogate pair(s) joined into one character each")
    return fixed, Warnings.W004.format(detail="; ".join(parts))


def start_state(item: InputDoc, max_chars: int) -> TextState:
    """Decode ``item`` into the text state the text stages start from; :class:`InputError` for
    input that cannot be read or is longer than ``max_chars``."""
    if item.error:
        raise InputError(item.error)
    warnings: list[str] = []
    if isinstance(item.data, (bytes, bytearray)):
        try:
            decoded = decode_bytes(bytes(item.data))
        except ValueError as exc:
            raise InputError(str(exc)) from exc
        raw, warnings = decoded.text, list(decoded.warnings)
    else:
        raw, warning = without_surrogates(item.data)
        if warning:
            warnings.append(warning)
    if not raw.strip() and EMPTY_WARNING not in warnings:
        warnings.append(EMPTY_WARNING if not raw else BLANK_WARNING)
    if len(raw) > max_chars:
        raise InputError(Errors.E013.format(count=len(raw), limit=max_chars))
    date = None
    if item.date is not None:
        try:
            date = normalize_date(item.date)
        except ValueError as exc:
            warnings.append(Warnings.W003.format(reason=exc))
    state = TextState(raw=raw, doc_id=item.id or content_id(raw), source=item.source, date=date,
                      meta={**item.meta, "is_html": item.is_html}, warnings=warnings)
    if item.keep is not None:
        state.meta[RECORD_META_KEY] = item.keep
    return state
