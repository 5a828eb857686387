"""``Doc._``/``Span._`` extensions that carry the contract's fields on a spaCy ``Doc``.

Registered only if absent, so importing policytext never clobbers a user's extensions.

| extension | type | set by |
|---|---|---|
| ``Doc._.raw_text`` | str: decoded raw input | pipeline |
| ``Doc._.alignment`` | :class:`policytext.alignment.Alignment` | pipeline |
| ``Doc._.doc_id``, ``Doc._.source``, ``Doc._.doc_date`` | str or None | pipeline (a stage may fill ``doc_date``) |
| ``Doc._.edits``, ``Doc._.removed`` | list of contract dicts | pipeline |
| ``Doc._.warnings`` | list of str | pipeline and any stage |
| ``Doc._.paragraphs`` | list of ``{"start", "end", "themes"}`` | pipeline; themes stage fills ``themes`` |
| ``Doc._.sentences`` | list of ``{"start", "end", "type"}`` | sentences stage |
| ``Doc._.turns`` | list of ``{"speaker", "time", "start", "end"}`` | sentences stage |
| ``Doc._.claims`` | list of contract claim dicts | claims stage |
| ``Doc._.themes`` | dict label -> score | themes stage |
| ``Doc._.words`` | list of ``(start, end)`` word spans, or None | words stage (optional) |
| ``Span._.raw_span`` | (raw_start, raw_end), read-only | getter over ``Doc._.alignment`` |

List and dict defaults are created per document by the pipeline (spaCy shares mutable defaults).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

DOC_EXTENSIONS: dict[str, object] = {
    "raw_text": None,
    "alignment": None,
    "doc_id": None,
    "source": None,
    "doc_date": None,
    "edits": None,
    "removed": None,
    "duplicates": None,
    "warnings": None,
    "paragraphs": None,
    "sentences": None,
    "turns": None,
    "claims": None,
    "themes": None,
    "words": None,
}


def _raw_span(span: Span) -> tuple[int, int] | None:
    alignment = span.doc._.alignment
    if alignment is None:
        return None
    return alignment.to_raw(span.start_char, span.end_char)


def register_extensions() -> None:
    """Register the extensions above (each only if absent)."""
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Span.has_extension("raw_span"):
        Span.set_extension("raw_span", getter=_raw_span)


def init_doc_extensions(doc: Doc) -> None:
    """Give a fresh Doc its own empty lists and dicts."""
    for name in ("edits", "removed", "duplicates", "warnings", "paragraphs", "sentences", "turns", "claims"):
        if getattr(doc._, name) is None:
            setattr(doc._, name, [])
    if doc._.themes is None:
        doc._.themes = {}


register_extensions()


# While the pipeline runs its doc stages it keeps the text here (``Doc.user_data``), and removes it
# after: spaCy rebuilds ``doc.text`` from every token on each access (0.35 s for 100,000 characters).
TEXT_KEY = "policytext.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, from the pipeline's copy when it holds one of the right length."""
    text = doc.user_data.get(TEXT_KEY)
    if isinstance(text, str) and len(doc) and len(text) == doc[-1].idx + len(doc[-1].text_with_ws):
        return text
    return doc.text
