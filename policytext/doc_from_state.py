"""What the text stages found, carried over from a finished :class:`TextState`: into a spaCy
``Doc`` (its ``Doc._`` fields set) for the doc stages, or straight into the record when no doc
stage runs (no Doc is built then: for short documents building it is most of the fixed cost)."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .components.extensions import init_doc_extensions
from .dates import find_document_date
from .paragraphs import paragraph_spans
from .record import RECORD_META_KEY, assemble_record
from .stages.dedup import duplicate_marks
from .state import TextState

__all__ = ["doc_from_state", "record_from_state", "state_fields"]


def state_fields(state: TextState) -> dict[str, Any]:
    """The ``Doc._`` values a finished text state gives: raw text, alignment, id, source, date (from
    the text when the input gave none), edits, removals, duplicate marks, warnings, paragraphs."""
    text = state.text
    edits, removed = state.record_dicts()
    return {
        "raw_text": state.raw, "alignment": state.alignment, "doc_id": state.doc_id, "source": state.source,
        "doc_date": state.date or find_document_date(text), "edits": edits, "removed": removed,
        "duplicates": duplicate_marks(state), "warnings": list(state.warnings),
        "paragraphs": [{"start": s, "end": e, "themes": {}} for s, e in paragraph_spans(text)],
    }


def doc_from_state(nlp: Language, state: TextState) -> Doc:
    """Tokenize ``state.text`` with ``nlp``'s tokenizer and set the Doc's fields from the state
    (:func:`state_fields`, and the input fields kept for the record's ``meta``)."""
    doc = nlp.make_doc(state.text)
    init_doc_extensions(doc)
    x = doc._
    for name, value in state_fields(state).items():
        setattr(x, name, value)
    if state.meta.get(RECORD_META_KEY) is not None:
        doc.user_data[RECORD_META_KEY] = state.meta[RECORD_META_KEY]  # the record's "meta"
    return doc


def record_from_state(state: TextState) -> dict[str, Any]:
    """The record of a document no doc stage annotates: what :func:`doc_from_state` and
    :func:`policytext.record.build_record` give together, without building the Doc."""
    return assemble_record(state.text, state_fields(state), [], state.meta.get(RECORD_META_KEY))
