"""Policy themes: multi-label paragraph classifier for the contract's section-6 taxonomy, its
training workflow, and the ``policytext_themes`` spaCy component.

    >>> from policytext.components import themes
    >>> model, report = themes.train(texts, labels)            # scikit-learn
    >>> model.save("models/my-themes")                          # JSON + npz, no pickle
    >>> themes.load_model("models/my-themes").predict(["加快建设全国一体化算力网。"])
    [{'computing': 0.93}]

See ``docs/themes.md``.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .card import write_model_card
from .component import ThemeComponent, default_model_path, get_model, tag_paragraphs
from .data import LabelledDataError, parse_labels, read_labelled
from .model import (CLASSIFIERS, DEFAULT_CLASSIFIER, CharNgramFeatures, ModelFormatError, ThemeModel, aggregate_document, binarize,
                    cross_validate, load_model, save_model, train)
from .report import check_targets, format_report, multilabel_metrics, save_chart
from .taxonomy import DEFAULT_LABELS, DEFAULT_TAXONOMY, OTHER

__all__ = [
    "train", "cross_validate", "evaluate", "load_model", "save_model", "ThemeModel", "ThemeComponent",
    "CharNgramFeatures", "ModelFormatError", "read_labelled", "parse_labels", "LabelledDataError",
    "multilabel_metrics", "format_report", "save_chart", "check_targets", "write_model_card",
    "aggregate_document", "binarize", "tag_paragraphs", "get_model", "default_model_path",
    "DEFAULT_TAXONOMY", "DEFAULT_LABELS", "OTHER", "CLASSIFIERS", "DEFAULT_CLASSIFIER",
]


def evaluate(model: ThemeModel, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> dict:
    """Metrics of ``model`` on labelled texts: ``{"metrics", "Y", "pred", "labels", "predictions"}``.
    Gold labels outside the model's taxonomy are ignored; a text with none counts as ``other``."""
    texts = list(texts)
    P = model.predict_proba(texts) if texts else np.zeros((0, len(model.labels)))
    predictions = model.assign(P) if texts else []
    Y = binarize(labels, model.labels)
    pred = binarize([list(p) for p in predictions], model.labels)
    return {"metrics": multilabel_metrics(Y, pred, model.labels), "Y": Y, "pred": pred,
            "labels": list(model.labels), "predictions": predictions, "proba": P}
