"""Named entities offline: gazetteers + pattern rules + a shipped statistical model, in one component.

    nlp.add_pipe("policytext_entities", config={
        "backend": "fast",         # "fast" (models/ner_fast), "spacy" (models/ner, ~10x slower),
                                   # "hanlp" (HanLP model on disk), "none" (rules only), or a registered one
        "model_path": None,        # default: the backend's folder in <repo>/models
        "user_dicts": [],          # TSV files name<TAB>LABEL; entries win over everything else
        "use_gazetteers": True,
    })

Sets ``doc.ents`` with the contract's nine labels. Pure-function use without a pipeline::

    from policytext.components.entities import recognizer
    recognizer()("国家数据局局长刘烈宏介绍……")  # -> [{"start", "end", "text", "label"}, ...]

See docs/entities.md for the precedence between rules and the model and for the backend interface.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans, minibatch

from policytext.components.extensions import doc_text  # importing it registers the Doc._ extensions

from policytext.errors import Errors, Warnings
from policytext.model_folders import check_regular_file

from .backends import BACKENDS, DEFAULT_BACKEND, BackendUnavailable, UnknownBackend, make_backend, register_backend
from .combine import EntityRecognizer
from .labels import LABELS

__all__ = ["EntitiesComponent", "EntityRecognizer", "recognizer", "LABELS", "register_backend", "BACKENDS"]

log = logging.getLogger(__name__)

DEFAULT_CONFIG = {"backend": DEFAULT_BACKEND, "model_path": None, "user_dicts": [], "use_gazetteers": True}


def _build(backend: str, model_path: str | None, user_dicts, use_gazetteers: bool):
    warning = None
    try:
        be = make_backend(backend, model_path=model_path)
    except UnknownBackend:
        raise
    except (BackendUnavailable, OSError, ValueError) as exc:
        be = None
        warning = Warnings.W501.format(reason=exc)
        log.warning(warning)
    for p in user_dicts:
        if not Path(p).exists():
            raise FileNotFoundError(Errors.E103.format(path=p))
        check_regular_file(p, "entities: user dictionary")  # a FIFO or device would hang the load
    return EntityRecognizer(backend=be, user_dicts=user_dicts, use_gazetteers=use_gazetteers), warning


def recognizer(backend: str = DEFAULT_BACKEND, model_path: str | None = None, user_dicts=(), use_gazetteers: bool = True):
    """An :class:`EntityRecognizer` (``text -> list[dict]``) built like the component."""
    return _build(backend, model_path, list(user_dicts), use_gazetteers)[0]


class EntitiesComponent:
    def __init__(self, nlp: Language, name: str, backend: str, model_path: str | None,
                 user_dicts: list[str], use_gazetteers: bool):
        self.name = name
        self.cfg = {"backend": backend, "model_path": model_path, "user_dicts": list(user_dicts),
                    "use_gazetteers": use_gazetteers}
        self.recognizer, self.warning = _build(backend, model_path, list(user_dicts), use_gazetteers)

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate(doc, None)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        """Annotate a stream of Docs: the statistical backend tags each batch of ``batch_size``
        Docs in one vectorised call when it can (``predict_texts``, the fast tagger: its fixed
        cost per call is paid once per batch), the rules run per Doc. Same entities as calling
        the component on each Doc."""
        for batch in minibatch(docs, max(1, batch_size)):
            for doc, model_spans in zip(batch, self.recognizer.model_spans_many([doc_text(d) for d in batch])):
                yield self._annotate(doc, model_spans)

    def _annotate(self, doc: Doc, model_spans: list[tuple[int, int, str]] | None) -> Doc:
        backend = self.recognizer.backend
        if model_spans is None and backend is not None and not hasattr(backend, "predict_text"):
            words = [t.text for t in doc]
            spaces = [bool(t.whitespace_) for t in doc]
        else:  # rules only, or a character tagger: the text is enough (spans snap to tokens below)
            words = spaces = None
        spans = []
        for s, e, label, _src in self.recognizer.spans(doc_text(doc), words, spaces, model_spans):
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        doc.ents = filter_spans(spans)
        if self.warning:
            if doc._.warnings is None:
                doc._.warnings = []
            doc._.warnings.append(self.warning)
        return doc

    # the component's state is its config (gazetteers and model are files on disk)
    def to_disk(self, path, exclude=()):
        return None

    def from_disk(self, path, exclude=()):
        return self


@Language.factory("policytext_entities", default_config=DEFAULT_CONFIG)
def make_entities(nlp: Language, name: str, backend: str, model_path: str | None, user_dicts: list[str],
                  use_gazetteers: bool) -> EntitiesComponent:
    return EntitiesComponent(nlp, name, backend, model_path, user_dicts, use_gazetteers)
