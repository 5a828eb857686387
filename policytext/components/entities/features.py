"""Token features for the statistical NER model.

The model sees the same tokens as the pipeline (:class:`policytext.tokenizer.CharTokenizer`:
one token per Han character, Latin words and numbers as single tokens). A single character says
little on its own, so each token also carries the character bigram it starts (stored in
``Token.lemma_``) and the trigram centred on it (stored in ``Token.tag_``); the model's
``MultiHashEmbed`` embeds ``NORM`` (the token), ``LEMMA`` (bigram), ``TAG`` (trigram) and
``SHAPE``. These attributes are only set on the model's private Doc, never on the pipeline's.

The tokenizer is registered as ``policytext.ner_char_tokenizer.v1`` so that a model trained
with it (``models/ner``) reloads with the same features; import this module before
``spacy.load``.
"""

from __future__ import annotations

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from policytext.tokenizer import CharTokenizer

__all__ = ["set_features", "FeatureTokenizer", "make_feature_doc"]

BOS = "<s>"
EOS = "</s>"


def _unit(text: str) -> str:
    # numbers and Latin words collapse to a shape-like unit so n-grams generalise
    if text.isdigit() or (text[:1].isdigit()):
        return "0"
    if text.isascii() and text.isalpha():
        return "A"
    if text.isspace():
        return " "
    return text


def set_features(doc: Doc) -> Doc:
    """Write bigram/trigram features onto ``doc`` (``lemma_``, ``tag_``)."""
    units = [_unit(t.text) for t in doc]
    n = len(units)
    for i, tok in enumerate(doc):
        prev = units[i - 1] if i > 0 else BOS
        nxt = units[i + 1] if i + 1 < n else EOS
        tok.lemma_ = units[i] + nxt
        tok.tag_ = prev + units[i] + nxt
    return doc


class FeatureTokenizer(CharTokenizer):
    """CharTokenizer that also sets the model's n-gram features."""

    def __call__(self, text: str) -> Doc:
        return set_features(super().__call__(text))


def make_feature_doc(vocab: Vocab, words: list[str], spaces: list[bool]) -> Doc:
    """A Doc over ``vocab`` with exactly these tokens, features set."""
    return set_features(Doc(vocab, words=words, spaces=spaces))


@spacy.registry.tokenizers("policytext.ner_char_tokenizer.v1")
def create_feature_tokenizer():
    def make(nlp):
        return FeatureTokenizer(nlp.vocab)

    return make
