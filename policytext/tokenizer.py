"""A fast tokenizer for Chinese policy text: one token per Han character, runs of Latin letters
and of digits (with decimal points and thousands separators) as single tokens.

spaCy's ``zh`` char segmenter does the same for Han text but is ~10x slower on long documents;
this one builds the ``Doc`` straight from a regular expression. Whitespace follows spaCy's
convention: one ASCII space after a token is its trailing space, any other run is a token.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["CharTokenizer", "TOKEN_PATTERN"]

TOKEN_PATTERN = re.compile(
    r"[A-Za-z]+(?:[-'][A-Za-z]+)*"  # Latin words
    r"|\d+(?:[.,]\d+)*"  # numbers with decimals or separators
    r"|[\uFF10-\uFF19]+(?:[.．][\uFF10-\uFF19]+)*"  # full-width digits
    r"|[A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A]+"  # full-width Latin
    r"|\s+"
    r"|.",
    re.DOTALL,
)


class CharTokenizer:
    """Callable that turns text into a spaCy ``Doc`` over ``vocab``."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for m in TOKEN_PATTERN.finditer(text):
            tok = m.group()
            if tok == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                continue
            if tok.isspace() and tok.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                tok = tok[1:]
            words.append(tok)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    # spaCy serialises tokenizers; this one has no state.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "CharTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "CharTokenizer":
        return self
