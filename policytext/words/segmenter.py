"""Word segmentation: the pkuseg CRF, the policy-term dictionary and forced boundaries.

Steps for a text: whitespace separates words and is never part of one; each run of non-space
characters (cut after sentence-final punctuation, and into pieces of at most ``MAX_PIECE``
characters, so memory stays bounded) is segmented by the CRF; then dictionary matches
(leftmost-longest) are made whole words, and finally spans the caller must keep (entities) get a
word boundary at both edges (``keep``) or become one word (``keep_whole``). Everything is linear in
the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import Errors
from ..models import model_path
from .crf import load_crf
from .dictionary import build_dictionary
from .model_folder import ModelFolderError

__all__ = ["Segmenter", "default_segmenter", "segment", "DEFAULT_MODEL", "MAX_PIECE"]

#: The shipped model: ``models/<DEFAULT_MODEL>``.
DEFAULT_MODEL = "words"
#: Longest string handed to the CRF at once (a longer run without punctuation is cut there).
MAX_PIECE = 2000
_RUN = re.compile(r"[^\s。！？；!?;]*[。！？；!?;]|[^\s。！？；!?;]+")
_SPACES = re.compile(r"\s+")

Span = tuple[int, int]


def _default_model_folder() -> Path:
    folder = model_path(DEFAULT_MODEL)
    if folder is None:
        raise ModelFolderError(Errors.E335.format(name=DEFAULT_MODEL))
    return folder


class Segmenter:
    """Splits text into words.

    ``model``: a pkuseg model folder in the non-pickle format (default: the shipped PKU model).
    ``dictionary``: use the shipped policy-term dictionary; ``idioms``: keep the shipped idioms whole
    (default: as ``dictionary``); ``user_dicts``: jieba/pkuseg-format files; ``words``: more words
    to keep whole; ``exclude``: shipped terms to drop.
    """

    def __init__(self, model: str | Path | None = None, *, dictionary: bool = True, idioms: bool | None = None,
                 user_dicts: Iterable[str | Path] = (), words: Iterable[str] = (), exclude: Iterable[str] = ()):
        self.crf = load_crf(model if model is not None else _default_model_folder())
        self.dictionary = build_dictionary(use_default=dictionary, user_dicts=user_dicts, words=words, exclude=exclude,
                                           idioms=idioms)

    def spans(self, text: str, keep: Iterable[Span] = (), keep_whole: Iterable[Span] = ()) -> list[Span]:
        """Word spans ``(start, end)`` of ``text``, in order, covering every non-space character.

        ``keep``: spans with a word boundary forced at both edges (entities); ``keep_whole``: spans
        made one word each (when they hold no whitespace). Both win over the dictionary.
        """
        n = len(text)
        if n == 0:
            return []
        pieces: list[Span] = []
        for m in _RUN.finditer(text):
            start, end = m.span()
            pieces.extend((s, min(end, s + MAX_PIECE)) for s in range(start, end, MAX_PIECE))
        cut = np.zeros(n + 1, dtype=bool)
        cut[0] = cut[n] = True
        cut[self.crf.boundaries_many(text, pieces)] = True
        cut[[b for _, b in pieces]] = True
        space = np.zeros(n + 1, dtype=bool)
        for m in _SPACES.finditer(text):
            space[m.start() : m.end()] = True
            cut[m.start() : m.end() + 1] = True
        for start, end in self.dictionary.find(text, self._edge_test(text, cut)):
            cut[start + 1 : end] = False
            cut[start] = cut[end] = True
        for start, end in keep_whole:
            if 0 <= start < end <= n:
                if not space[start:end].any():
                    cut[start + 1 : end] = False
                cut[start] = cut[end] = True
        for start, end in keep:
            if 0 <= start < end <= n:
                cut[start] = cut[end] = True
        bounds = np.flatnonzero(cut)
        starts, ends = bounds[:-1], bounds[1:]
        real = ~space[starts]
        return list(zip(starts[real].tolist(), ends[real].tolist()))

    def _edge_test(self, text: str, cut: np.ndarray) -> Callable[[int], bool]:
        """Whether a dictionary term may have an edge at offset ``x``: the model has a word
        boundary there, or the model's word across ``x`` is not a word it knows (a glued
        non-word such as 法要 in 政府采购法要落实, which the term then splits). A known word across
        the edge (外交部长, 马来西亚, 实事求是) is kept and the term not taken."""
        bounds = np.flatnonzero(cut)
        knows = self.crf.knows

        def ok(x: int) -> bool:
            if cut[x]:
                return True
            k = int(np.searchsorted(bounds, x))
            return not knows(text[bounds[k - 1] : bounds[k]])

        return ok

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` as strings."""
        return [text[a:b] for a, b in self.spans(text)]

    __call__ = cut


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    """The shipped model with the shipped dictionary (loaded once)."""
    return Segmenter()


def segment(text: str, user_dict: str | Path | None = None) -> list[str]:
    """Split plain ``text`` into words (PKU standard; policy terms kept whole).

    >>> segment("国家发展改革委推进东数西算工程")     # doctest: +SKIP
    ['国家发展改革委', '推进', '东数西算工程']

    ``user_dict``: a jieba/pkuseg-format word list added to the dictionary (the segmenter built for
    it is not cached: build a :class:`Segmenter` once for many texts).
    """
    if not isinstance(text, str):
        raise TypeError(Errors.E019.format(type=type(text).__name__))
    seg = default_segmenter() if user_dict is None else Segmenter(user_dicts=[user_dict])
    return seg.cut(text)
