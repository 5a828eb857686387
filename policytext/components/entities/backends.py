"""Statistical backends: anything that turns tokens into ``(start, end, label)`` char spans.

A backend is any object with

    predict(words: list[str], spaces: list[bool]) -> list[tuple[int, int, str]]

returning character offsets into ``"".join(w + (" " if s else "") for w, s in zip(words, spaces))``
(= the pipeline Doc's text) and labels from the contract (PERSON, ORG, GPE, LOC, …; a backend may
emit ``LOC`` for every place: the combiner re-labels known divisions/countries to GPE).

Backends are registered by name with :func:`register_backend`; the component's ``backend`` setting
picks one: ``"fast"`` (the default: the character tagger in ``models/ner_fast``, see
:mod:`.fasttagger`), ``"spacy"`` (the spaCy model in ``models/ner``, about ten times slower), ``"hanlp"`` (a HanLP
NER model on the user's disk, ``pip install policytext[hanlp]``; see :mod:`.hanlp_backend`),
``"none"`` (rules only).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Protocol

from ...errors import Errors

__all__ = ["Backend", "SpacyModelBackend", "register_backend", "make_backend", "default_model_path",
           "default_fast_model_path", "BACKENDS", "BackendUnavailable", "UnknownBackend", "DEFAULT_BACKEND"]

# "fast" is the default since v3.1 with the web-class rules (2026-12-07): full stage MSRA 0.832 against
# the spaCy model's 0.796, CLUENER 0.598 / 0.369, Weibo 0.557 / 0.497, policy gold 0.907 / 0.910, web-page
# test 0.885 / 0.898, at about ten times its speed; see docs/entities.md, "Default backend"
DEFAULT_BACKEND = "fast"

log = logging.getLogger(__name__)

# entities never span a sentence end; the model sees chunks cut after these tokens
_CUT = {"。", "！", "？", "；", "\n", "!", "?", ";"}
_MAX_CHUNK = 400


class BackendUnavailable(RuntimeError):
    """Raised by a backend factory when its model is missing (the component falls back to rules)."""


class UnknownBackend(ValueError):
    """No backend is registered under the name asked for (a configuration error: never a fallback)."""


class Backend(Protocol):
    def predict(self, words: list[str], spaces: list[bool]) -> list[tuple[int, int, str]]: ...


BACKENDS: dict[str, Callable[..., Backend | None]] = {}


def register_backend(name: str):
    def deco(fn):
        BACKENDS[name] = fn
        return fn

    return deco


def default_model_path() -> Path:
    """``ner`` in the shipped models folder (:func:`policytext.models.models_dir`: ``models/`` at
    the repository root, inside the installed package, or ``$POLICYTEXT_MODELS``)."""
    from ...models import models_dir

    root = models_dir()
    return (root if root is not None else Path(__file__).resolve().parents[3] / "models") / "ner"


def default_fast_model_path() -> Path:
    """``ner_fast`` in the shipped models folder (the fast tagger's default)."""
    return default_model_path().parent / "ner_fast"


def _chunks(words: list[str]) -> list[tuple[int, int]]:
    out = []
    start = 0
    for i, w in enumerate(words):
        if w in _CUT or (w.isspace() and "\n" in w) or i - start + 1 >= _MAX_CHUNK:
            out.append((start, i + 1))
            start = i + 1
    if start < len(words):
        out.append((start, len(words)))
    return out


class SpacyModelBackend:
    """Runs the shipped spaCy NER model on a private Doc with the pipeline's tokens.

    Each call runs inside the model's ``memory_zone`` (spaCy 3.8 and later): the strings its n-gram
    features intern (a few hundred new bigrams and trigrams per document) and the lexemes of new
    words are freed when the call returns, so the model's vocabulary does not grow with the input.
    """

    label_map = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "LOC": "LOC", "GPE": "GPE"}

    def __init__(self, path: str | Path, batch_size: int = 64):
        import spacy

        from . import features  # noqa: F401  (registers the model's tokenizer)

        from ...model_folders import check_spacy_model_folder

        path = Path(path)
        if not (path / "config.cfg").exists():
            raise BackendUnavailable(Errors.E345.format(path=path))
        check_spacy_model_folder(path)  # raises UnsafeModelFolder before spaCy reads anything
        self.path = path
        self.nlp = spacy.load(path)
        self.batch_size = batch_size
        # memory zones must not nest: one call at a time inside the zone
        self._zone_lock = threading.Lock()

    def _memory_zone(self):
        """``nlp.memory_zone()`` (spaCy >= 3.8), else nothing (the vocabulary then keeps growing)."""
        zone = getattr(self.nlp, "memory_zone", None)
        return zone() if zone is not None else nullcontext()

    def predict(self, words: list[str], spaces: list[bool]) -> list[tuple[int, int, str]]:
        if not words:
            return []
        offsets = []
        pos = 0
        for w, s in zip(words, spaces):
            offsets.append(pos)
            pos += len(w) + (1 if s else 0)
        return self._predict_docs(words, spaces, offsets)

    def _predict_docs(self, words: list[str], spaces: list[bool], offsets: list[int]) -> list[tuple[int, int, str]]:
        from .features import make_feature_doc

        out = []
        # the docs, their strings and lexemes live only inside the zone: read the spans there
        with self._zone_lock, self._memory_zone():
            docs = []
            starts = []
            for a, b in _chunks(words):
                if all(w.isspace() for w in words[a:b]):
                    continue
                docs.append(make_feature_doc(self.nlp.vocab, words[a:b], spaces[a:b]))
                starts.append(offsets[a])
            for doc, base in zip(self._run(docs), starts):
                for ent in doc.ents:
                    label = self.label_map.get(ent.label_)
                    if label:
                        out.append((base + ent.start_char, base + ent.end_char, label))
        return out

    def _run(self, docs):
        # the tokenizer is bypassed: docs already carry the tokens and features
        for name, proc in self.nlp.pipeline:
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=self.batch_size))
            else:
                docs = [proc(d) for d in docs]
        return docs


_MODEL_CACHE: dict[str, SpacyModelBackend] = {}


@register_backend("spacy")
def make_spacy_backend(model_path: str | None = None, **_: object) -> SpacyModelBackend:
    path = Path(model_path) if model_path else default_model_path()
    key = str(path.resolve())
    if key not in _MODEL_CACHE:
        _MODEL_CACHE[key] = SpacyModelBackend(path)
    return _MODEL_CACHE[key]


_FAST_CACHE: dict[str, object] = {}


@register_backend("fast")
def make_fast_backend(model_path: str | None = None, **_: object):
    """The fast character tagger (:mod:`.fasttagger`); raises :class:`BackendUnavailable` when
    the folder is missing and ``ModelFolderError`` (a ``ValueError``) when it is not a valid model."""
    from .fasttagger import FastTagger

    path = Path(model_path) if model_path else default_fast_model_path()
    if not (path / "meta.json").is_file():
        raise BackendUnavailable(Errors.E340.format(path=path))
    key = str(path.resolve())
    if key not in _FAST_CACHE:
        _FAST_CACHE[key] = FastTagger.load(path)
    return _FAST_CACHE[key]


@register_backend("hanlp")
def make_hanlp_backend(model_path: str | None = None, **_: object):
    """A HanLP NER model loaded from ``model_path`` (``pip install policytext[hanlp]``)."""
    from .hanlp_backend import load_hanlp_backend

    return load_hanlp_backend(model_path)


@register_backend("none")
def make_no_backend(**_: object) -> None:
    return None


def make_backend(name: str, **kwargs) -> Backend | None:
    if name not in BACKENDS:
        raise UnknownBackend(Errors.E102.format(name=name, registered=sorted(BACKENDS)))
    return BACKENDS[name](**kwargs)
