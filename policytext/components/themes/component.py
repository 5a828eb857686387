"""The ``policytext_themes`` spaCy component: paragraph themes and the document aggregate."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from ...errors import Errors
from ..extensions import doc_text  # importing it registers the Doc._ extensions
from .model import ThemeModel, aggregate_document, load_model, save_model

__all__ = ["ThemeComponent", "default_model_path", "get_model", "tag_paragraphs"]

_CACHE: dict[str, ThemeModel] = {}
_LOCK = threading.Lock()


def default_model_path() -> Path | None:
    """``models/themes`` (see :mod:`policytext.models`), or None if it is absent."""
    from ...models import model_path

    return model_path("themes")


def get_model(model: str | Path | ThemeModel | None = None) -> ThemeModel:
    """A loaded model: the argument itself, a folder (cached by resolved path), or the default."""
    if isinstance(model, ThemeModel):
        return model
    path = Path(model) if model is not None else default_model_path()
    if path is None:
        raise FileNotFoundError(Errors.E401)
    key = str(path.resolve())
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = load_model(path)
        return _CACHE[key]


def tag_paragraphs(texts: Sequence[str], model: str | Path | ThemeModel | None = None) -> list[dict[str, float]]:
    """Pure function: themes for each paragraph text (label -> score; ``{"other": s}`` if none)."""
    return get_model(model).predict(list(texts))


class ThemeComponent:
    """Fills ``doc._.paragraphs[i]["themes"]`` and ``doc._.themes``.

    Paragraph spans come from ``doc._.paragraphs`` (set by the pipeline); a Doc made without the
    pipeline gets paragraphs from :func:`policytext.paragraphs.paragraph_spans`. The document
    aggregate follows :func:`policytext.components.themes.model.aggregate_document`
    (``aggregate``: ``share`` by default, or ``max``; ``min_share`` for the share rule).
    """

    def __init__(self, name: str = "themes", model: str | Path | ThemeModel | None = None,
                 aggregate: str = "share", min_share: float = 0.1):
        if aggregate not in {"share", "max"}:
            raise ValueError(Errors.E451.format(name="aggregate", value=aggregate))
        self.name = name
        self.aggregate = aggregate
        self.min_share = min_share
        self.model_ref = model
        self._model: ThemeModel | None = model if isinstance(model, ThemeModel) else None

    @property
    def model(self) -> ThemeModel:
        if self._model is None:
            self._model = get_model(self.model_ref)
        return self._model

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)  # spaCy's doc.text joins every token: once, not once per paragraph
        paragraphs = doc._.paragraphs
        if paragraphs is None or (not paragraphs and text.strip()):
            from ...paragraphs import paragraph_spans

            paragraphs = [{"start": s, "end": e, "themes": {}} for s, e in paragraph_spans(text)]
            doc._.paragraphs = paragraphs
        texts = [text[p["start"]:p["end"]] for p in paragraphs]
        themes = self.model.predict(texts) if texts else []
        for p, t in zip(paragraphs, themes):
            p["themes"] = t
        doc._.themes = aggregate_document(themes, [len(t) for t in texts], rule=self.aggregate,
                                          min_share=self.min_share)
        return doc

    def pipe(self, docs, batch_size: int = 64):
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: str | Path, exclude: Any = ()) -> None:
        save_model(self.model, path)

    def from_disk(self, path: str | Path, exclude: Any = ()) -> "ThemeComponent":
        self._model = load_model(path)
        self.model_ref = str(path)
        return self


@Language.factory("policytext_themes", default_config={"model": None, "aggregate": "share", "min_share": 0.1})
def make_themes(nlp: Language, name: str, model: str | None, aggregate: str, min_share: float) -> ThemeComponent:
    return ThemeComponent(name=name, model=model, aggregate=aggregate, min_share=min_share)
