"""The spaCy ``Doc`` of a finished :class:`TextState`, with the contract's ``Doc._`` fields set."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .components.extensions import init_doc_extensions
from .dates import find_document_date
from .paragraphs import paragraph_spans
from .record import RECORD_META_KEY
from .stages.dedup import duplicate_marks
from .state import TextState

__all__ = ["doc_from_state"]


def doc_from_state(nlp: Language, state: TextState) -> Doc:
    """Tokenize ``state.text`` with ``nlp``'s tokenizer and carry over what the text stages found:
    raw text, alignment, id, source, date (from the text when the input gave none), edits,
    removals, duplicate marks, warnings, paragraphs and the input fields kept for ``meta``."""
    text = state.text
    doc = nlp.make_doc(text)
    init_doc_extensions(doc)
    x = doc._
    x.raw_text, x.alignment, x.doc_id, x.source = state.raw, state.alignment, state.doc_id, state.source
    x.doc_date = state.date or find_document_date(text)
    x.edits, x.removed = state.record_dicts()
    x.duplicates = duplicate_marks(state)
    x.warnings = list(state.warnings)
    x.paragraphs = [{"start": s, "end": e, "themes": {}} for s, e in paragraph_spans(text)]
    if state.meta.get(RECORD_META_KEY) is not None:
        doc.user_data[RECORD_META_KEY] = state.meta[RECORD_META_KEY]  # the record's "meta"
    return doc
