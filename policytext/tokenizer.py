"""A fast tokenizer for Chinese policy text: one token per Han character, runs of Latin letters
and of digits (with decimal points and thousands separators) as single tokens.

spaCy's ``zh`` char segmenter does the same for Han text but is ~10x slower on long documents;
this one builds the ``Doc`` straight from a regular expression, with no Python step per token.
Whitespace follows spaCy's convention: one ASCII space after a token is its trailing space, any
other run is a token.
"""

from __future__ import annotations

import re

import numpy as np
from spacy.tokens import Doc
from spacy.vocab import Vocab

__all__ = ["CharTokenizer", "TOKEN_PATTERN"]

_WORD = (
    r"[A-Za-z]+(?:[-'][A-Za-z]+)*"  # Latin words
    r"|\d+(?:[.,]\d+)*"  # numbers with decimals or separators
    r"|[\uFF10-\uFF19]+(?:[.．][\uFF10-\uFF19]+)*"  # full-width digits
    r"|[A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A]+"  # full-width Latin
)
#: One token (without its trailing space).
TOKEN_PATTERN = re.compile(_WORD + r"|\s+|.", re.DOTALL)
# A token and the one ASCII space after it, if any; a whitespace run is greedy, so a space after
# it is part of it and never a trailing space.
_TOKEN_AND_SPACE = re.compile(r"(" + _WORD + r"|\s+|.) ?", re.DOTALL)
_TRAILING_SPACE = re.compile(r"(?<=\S) ")


def words_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """The tokens of ``text`` and whether each has a trailing space (``Doc(words=, spaces=)``)."""
    words = _TOKEN_AND_SPACE.findall(text)
    spaces = [False] * len(words)
    trailing = [m.start() for m in _TRAILING_SPACE.finditer(text)]
    if trailing:
        # token ends in the text without its trailing spaces; the k-th trailing space at p follows
        # the token that ends at p - k there
        ends = np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=len(words)))
        at = np.asarray(trailing, dtype=np.int64) - np.arange(len(trailing), dtype=np.int64)
        for i in np.searchsorted(ends, at).tolist():
            spaces[i] = True
    return words, spaces


class CharTokenizer:
    """Callable that turns text into a spaCy ``Doc`` over ``vocab``."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = words_and_spaces(text)
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
