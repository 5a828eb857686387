"""spaCy component ``policytext_words``: word segmentation into ``doc._.words``.

``doc._.words`` is a list of ``(start, end)`` character offsets into the clean text, one per word,
in order; whitespace is never part of a word. Entity spans already on the Doc (``doc.ents``, from
the ``entities`` stage that runs before) are never cut: a word boundary is forced at both edges of
each entity (``entities="edges"``, default), or each entity becomes one word (``"whole"``), or
entities are not looked at (``"ignore"``). Off by default in the pipeline: enable it with
``policytext.load(config={"words": {"enabled": True}})`` or ``policytext tag --words``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from policytext.errors import Errors
from policytext.components.extensions import doc_text

__all__ = ["WordsComponent", "make_words"]

ENTITY_MODES = ("edges", "whole", "ignore")


class WordsComponent:
    """Segments ``doc.text`` with :class:`policytext.words.Segmenter` (see the module docstring)."""

    def __init__(self, name: str = "words", model: str | None = None, dictionary: bool = True,
                 user_dicts: list[str] | None = None, entities: str = "edges"):
        if entities not in ENTITY_MODES:
            raise ValueError(Errors.E116.format(modes=ENTITY_MODES, entities=entities))
        from policytext.words import Segmenter, default_segmenter

        self.name = name
        self.entities = entities
        if model is None and dictionary and not user_dicts:
            self.segmenter = default_segmenter()
        else:
            self.segmenter = Segmenter(model or None, dictionary=dictionary, user_dicts=user_dicts or ())

    def __call__(self, doc: Doc) -> Doc:
        spans = [] if self.entities == "ignore" else [(e.start_char, e.end_char) for e in doc.ents]
        if self.entities == "whole":
            words = self.segmenter.spans(doc_text(doc), keep_whole=spans)
        else:
            words = self.segmenter.spans(doc_text(doc), keep=spans)
        doc._.words = words
        return doc

    # the model and dictionary are files of the package: nothing to save
    def to_disk(self, path, exclude=tuple()) -> None:  # noqa: D102
        return None

    def from_disk(self, path, exclude=tuple()) -> "WordsComponent":  # noqa: D102
        return self


@Language.factory("policytext_words",
                  default_config={"model": None, "dictionary": True, "user_dicts": [], "entities": "edges"})
def make_words(nlp: Language, name: str, model: str | None, dictionary: bool, user_dicts: list[str],
               entities: str) -> WordsComponent:
    return WordsComponent(name=name, model=model, dictionary=dictionary, user_dicts=user_dicts, entities=entities)
