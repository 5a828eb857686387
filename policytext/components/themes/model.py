"""Multi-label theme model: character n-gram TF-IDF, one linear classifier per label, Platt
calibration and a tuned threshold per label.

Training uses scikit-learn. Prediction uses only the arrays stored in the model folder (numpy and
scipy), so a saved model is plain data:

``model.json``
    format marker, labels, taxonomy names, feature settings, vocabulary (a list: position = column),
    thresholds, calibration parameters, training metadata.
``weights.npz``
    ``idf`` (n_features,), ``coef`` (n_labels, n_features), ``intercept`` (n_labels,), loaded with
    ``allow_pickle=False``: a folder cannot make :func:`load_model` run code. Any other file in
    the folder (a model card, a stray ``.pkl``) is never opened.

Scores: ``p = sigmoid(a * (w·x + b0) + b)`` per label (Platt scaling fitted on held-out scores).
A label is assigned when ``p >= threshold``; ``other`` is exclusive: it is assigned exactly when no
theme is (see :meth:`ThemeModel.predict`). With ``fallback="best"`` a paragraph with no theme over
threshold gets the label (theme or ``other``) with the largest ``p - threshold`` instead.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from ...errors import Errors
from ...keyindex import KeyIndex
from .taxonomy import DEFAULT_TAXONOMY, OTHER

__all__ = [
    "FORMAT", "FORMAT_VERSION", "ModelFormatError", "CharNgramFeatures", "ThemeModel", "train",
    "load_model", "save_model", "cross_validate", "binarize", "CLASSIFIERS", "DEFAULT_CLASSIFIER",
    "NORMALIZERS", "text_normalizer",
]

FORMAT = "policytext-themes"
FORMAT_VERSION = 1
MODEL_JSON = "model.json"
WEIGHTS_NPZ = "weights.npz"
_MAX_FILE_BYTES = 512 * 1024 * 1024
_WS = re.compile(r"\s\s+")  # scikit-learn's char analyzer folds runs of white space


class ModelFormatError(ValueError):
    """A model folder is missing, malformed or not a policytext theme model."""


# ----------------------------------------------------------------------------------------------
# text normalisation before the n-grams (stored in the model: ``features.normalize``)
# ----------------------------------------------------------------------------------------------
#: ``None``: the text as given; ``"t2s"``: pinyin injected after Han characters removed
#: (``數(shù)據(jù)``, ``中【zhōng】``), then OpenCC traditional -> simplified. Scraped pages and mirrors
#: come in traditional script with pinyin glosses; the training corpus is simplified.
NORMALIZERS = (None, "t2s")
_PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])[(（【\[][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\s?[)）】\]]")


def _identity(text: str) -> str:
    return text


def _t2s_normalize(text: str) -> str:
    from ...chinese_script import to_simplified

    return to_simplified(_PINYIN_GLOSS.sub("", text))


def text_normalizer(name: str | None):
    """The function a model applies to each text before its n-grams (see :data:`NORMALIZERS`)."""
    if name is None:
        return _identity
    if name == "t2s":
        return _t2s_normalize
    raise ModelFormatError(Errors.E416.format(name=name, normalizers=NORMALIZERS))


# ----------------------------------------------------------------------------------------------
# features
# ----------------------------------------------------------------------------------------------
def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)


class CharNgramFeatures:
    """TF-IDF over character n-grams, equal to scikit-learn's
    ``TfidfVectorizer(analyzer="char", sublinear_tf=True, norm="l2")`` for the same vocabulary and
    idf, implemented with the stored arrays only."""

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray, ngram_range: tuple[int, int] = (1, 3),
                 lowercase: bool = True, sublinear_tf: bool = True, normalize: str | None = None):
        self.terms = list(vocabulary)
        self.index = {t: i for i, t in enumerate(self.terms)}
        if len(self.index) != len(self.terms):
            raise ModelFormatError(Errors.E417)
        self.idf = np.asarray(idf, dtype=np.float64)
        if self.idf.shape != (len(self.terms),):
            raise ModelFormatError(Errors.E418.format(shape=self.idf.shape, terms=len(self.terms)))
        self.ngram_range = (int(ngram_range[0]), int(ngram_range[1]))
        self.lowercase = bool(lowercase)
        self.sublinear_tf = bool(sublinear_tf)
        self.normalize = normalize
        self._norm = text_normalizer(normalize)
        self._grams: dict[int, tuple[KeyIndex, np.ndarray]] | None = None  # see _gram_keys

    def _ngrams(self, text: str) -> Iterable[str]:
        return self._prepared_ngrams(self._prepare([text])[0])

    def _prepare(self, texts: Sequence[str]) -> list[str]:
        """The texts as their n-grams are cut: normalised (one script conversion for all of them),
        lowercased, runs of white space folded."""
        if self.normalize == "t2s":
            from ...chinese_script import to_simplified_many

            texts = to_simplified_many([_PINYIN_GLOSS.sub("", t) for t in texts])
        else:
            texts = [self._norm(t) for t in texts]
        return [_WS.sub(" ", t.lower() if self.lowercase else t) for t in texts]

    def _prepared_ngrams(self, text: str) -> Iterable[str]:
        lo, hi = self.ngram_range
        n_chars = len(text)
        for n in range(lo, min(hi + 1, n_chars + 1)):
            for i in range(n_chars - n + 1):
                yield text[i:i + n]

    def _gram_keys(self) -> dict[int, tuple[KeyIndex, np.ndarray]] | None:
        """Per n-gram length: a hash index over the vocabulary's n-grams as sorted integer keys
        (code points packed in 21-bit fields) and their term ids; None when n-grams longer than 3
        are used."""
        if self._grams is None:
            lo, hi = self.ngram_range
            if hi > 3 or lo < 1:
                self._grams = {}
                return None
            grams = {}
            lens = np.fromiter(map(len, self.terms), dtype=np.int64, count=len(self.terms))
            first = np.cumsum(lens) - lens  # where each term starts in the joined terms
            cps = _codepoints("".join(self.terms))
            for n in range(lo, hi + 1):
                ids = np.flatnonzero(lens == n)
                keys = np.zeros(len(ids), dtype=np.int64)
                for j in range(n):
                    keys = (keys << 21) | cps[first[ids] + j]
                order = np.argsort(keys, kind="stable")
                grams[n] = (KeyIndex(keys[order]), np.asarray(ids, dtype=np.int64)[order])
            self._grams = grams
        return self._grams or None

    def _count_vectorised(self, prepared: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(indptr, term ids, counts) of every text's vocabulary n-grams, the ids sorted within a
        row: all texts laid end to end, the n-grams of each length keyed at once and looked up in
        the sorted vocabulary keys, those across a text's end dropped."""
        grams = self._gram_keys()
        lens = np.array([len(t) for t in prepared], dtype=np.int64)
        cps = _codepoints("".join(prepared))
        total = len(cps)
        row = np.repeat(np.arange(len(prepared)), lens)
        room = np.repeat(np.cumsum(lens), lens) - np.arange(total)  # characters left in the text
        rows, cols = [], []
        for n, (index, ids) in grams.items():
            m = total - n + 1
            if m <= 0 or not len(ids):
                continue
            q = cps[:m].copy()
            for j in range(1, n):
                q = (q << 21) | cps[j : j + m]
            at = index.lookup(q)  # 1-based position in the sorted keys, 0 where absent
            ok = (at > 0) & (room[:m] >= n)
            rows.append(row[:m][ok])
            cols.append(ids[at[ok] - 1])
        n_terms = len(self.terms)
        pairs = np.concatenate(rows) * n_terms + np.concatenate(cols) if rows else np.zeros(0, dtype=np.int64)
        uniq, counts = np.unique(pairs, return_counts=True)
        rows_of = uniq // max(n_terms, 1)
        indptr = np.searchsorted(rows_of, np.arange(len(prepared) + 1), side="left").astype(np.int64)
        return indptr, uniq - rows_of * max(n_terms, 1), counts

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """TF-IDF rows of ``texts``. Built in bulk: the n-gram counts of all texts at once with
        numpy (n-grams of up to 3 characters; a Python count per distinct text otherwise), then
        the weighting and the l2 norms for all rows together."""
        prepared = self._prepare([t or "" for t in texts])
        if self._gram_keys() is not None and prepared:
            ptr, indices, counts = self._count_vectorised(prepared)
            return self._weighted(len(texts), ptr, indices, counts.astype(np.float64))
        index = self.index
        seen: dict[str, tuple[list[int], list[int]]] = {}
        indptr = [0]
        cols: list[int] = []
        counts_all: list[int] = []
        for text in prepared:
            row = seen.get(text)
            if row is None:
                counts: dict[int, int] = {}
                for gram in self._prepared_ngrams(text):
                    j = index.get(gram)
                    if j is not None:
                        counts[j] = counts.get(j, 0) + 1
                keys = sorted(counts)
                row = (keys, [counts[j] for j in keys])
                if len(seen) < 100_000:
                    seen[text] = row
            cols.extend(row[0])
            counts_all.extend(row[1])
            indptr.append(len(cols))
        indices = np.asarray(cols, dtype=np.int64)
        tf = np.asarray(counts_all, dtype=np.float64)
        return self._weighted(len(texts), np.asarray(indptr, dtype=np.int64), indices, tf)

    def _weighted(self, n_rows: int, ptr: np.ndarray, indices: np.ndarray, tf: np.ndarray) -> sp.csr_matrix:
        """The TF-IDF matrix from raw counts ``tf`` (CSR layout ``ptr``/``indices``)."""
        if self.sublinear_tf:
            tf = np.log(tf) + 1.0
        data = tf * self.idf[indices]
        row_of = np.repeat(np.arange(n_rows), np.diff(ptr))
        norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=n_rows))
        scale = norms[row_of]
        data = np.divide(data, scale, out=data, where=scale > 0)
        return sp.csr_matrix((data, indices, ptr), shape=(n_rows, len(self.terms)))


def _fit_vectorizer(texts: Sequence[str], ngram_range: tuple[int, int], min_df: int, max_features: int | None):
    from sklearn.feature_extraction.text import TfidfVectorizer

    min_df_eff = min_df if len(texts) >= 4 * min_df else 1
    vec = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, min_df=min_df_eff, sublinear_tf=True,
                          lowercase=True, max_features=max_features, dtype=np.float64)
    X = vec.fit_transform(texts)
    return vec, X


def _features_from_vectorizer(vec, ngram_range, normalize: str | None = None) -> CharNgramFeatures:
    vocab = vec.vocabulary_
    terms = [""] * len(vocab)
    for term, j in vocab.items():
        terms[j] = term
    return CharNgramFeatures(terms, vec.idf_, ngram_range=ngram_range, lowercase=True, sublinear_tf=True,
                             normalize=normalize)


# ----------------------------------------------------------------------------------------------
# classifiers (each exports a linear decision function)
# ----------------------------------------------------------------------------------------------
def _make_classifier(kind: str, C: float | None, seed: int):
    if kind == "logreg":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=10.0 if C is None else C, solver="liblinear", class_weight="balanced",
                                  max_iter=1000, random_state=seed)
    if kind in ("linearsvc", "nbsvm"):
        from sklearn.svm import LinearSVC

        return LinearSVC(C=DEFAULT_C[kind] if C is None else C, class_weight="balanced", max_iter=5000,
                         random_state=seed)
    raise ValueError(Errors.E450.format(kind=kind, classifiers=CLASSIFIERS))


#: ``nbsvm`` (default): LinearSVC on features scaled by per-label naive-Bayes log-count ratios
#: (Wang & Manning 2012, "NBSVM"); ``linearsvc``: plain LinearSVC; ``logreg``: LogisticRegression.
#: All three export one linear decision function per label over the same TF-IDF features.
CLASSIFIERS = ("nbsvm", "linearsvc", "logreg")
DEFAULT_CLASSIFIER = "nbsvm"
DEFAULT_C = {"nbsvm": 0.3, "linearsvc": 1.0, "logreg": 10.0}
NB_ALPHA = 1.0


def _nb_ratio(X, y: np.ndarray, alpha: float = NB_ALPHA) -> np.ndarray:
    """Naive-Bayes log-count ratio per feature: ``log((p/|p|1) / (q/|q|1))`` with ``p``/``q`` the
    smoothed document frequencies of the feature among positive/negative texts."""
    Xb = X.copy()
    Xb.data = np.ones_like(Xb.data)
    pos = y.astype(bool)
    p = alpha + np.asarray(Xb[pos].sum(axis=0)).ravel()
    q = alpha + np.asarray(Xb[~pos].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum()))


def _fit_linear(X, Y: np.ndarray, kind: str, C: float | None, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-label (one-vs-rest) linear models: returns coef (L, F), intercept (L,)."""
    n_labels = Y.shape[1]
    coef = np.zeros((n_labels, X.shape[1]), dtype=np.float64)
    intercept = np.zeros(n_labels, dtype=np.float64)
    for k in range(n_labels):
        y = Y[:, k]
        if y.min() == y.max():  # constant label: a bias-only model
            prior = (y.sum() + 0.5) / (len(y) + 1.0)
            intercept[k] = math.log(prior / (1 - prior))
            continue
        clf = _make_classifier(kind, C, seed)
        if kind == "nbsvm":
            # w·(r∘x) = (w∘r)·x: the NB scaling folds into an ordinary linear model
            r = _nb_ratio(X, y)
            clf.fit(sp.csr_matrix(X.multiply(r)), y)
            coef[k] = clf.coef_.ravel() * r
        else:
            clf.fit(X, y)
            coef[k] = clf.coef_.ravel()
        intercept[k] = float(np.ravel(clf.intercept_)[0])
    return coef, intercept


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def _fit_platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling p = sigmoid(a z + b) fitted on held-out decision scores."""
    if y.min() == y.max():
        prior = (y.sum() + 0.5) / (len(y) + 1.0)
        return 0.0, math.log(prior / (1 - prior))
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000)
    lr.fit(z.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


_GRID = np.round(np.linspace(0.05, 0.95, 91), 4)
FALLBACKS = ("other", "best")


def _tune_threshold(p: np.ndarray, y: np.ndarray) -> float:
    """The threshold in [0.05, 0.95] maximising F1 on held-out probabilities (ties: closest to 0.5)."""
    if y.sum() == 0:
        return 0.5
    best, best_t = -1.0, 0.5
    for t in _GRID:
        pred = p >= t
        tp = float(np.sum(pred & (y == 1)))
        fp = float(np.sum(pred & (y == 0)))
        fn = float(np.sum(~pred & (y == 1)))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best + 1e-12 or (abs(f1 - best) <= 1e-12 and abs(t - 0.5) < abs(best_t - 0.5)):
            best, best_t = f1, float(t)
    return best_t


# ----------------------------------------------------------------------------------------------
# the model
# ----------------------------------------------------------------------------------------------
@dataclass
class ThemeModel:
    labels: list[str]
    features: CharNgramFeatures
    coef: np.ndarray
    intercept: np.ndarray
    calib_a: np.ndarray
    calib_b: np.ndarray
    thresholds: np.ndarray
    taxonomy: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    fallback: str = "other"

    def __post_init__(self) -> None:
        if self.fallback not in FALLBACKS:
            raise ModelFormatError(Errors.E414.format(fallback=self.fallback, fallbacks=FALLBACKS))
        n_labels, n_feat = len(self.labels), len(self.features.terms)
        self.coef = np.asarray(self.coef, dtype=np.float64)
        self.intercept = np.asarray(self.intercept, dtype=np.float64).reshape(-1)
        self.calib_a = np.asarray(self.calib_a, dtype=np.float64).reshape(-1)
        self.calib_b = np.asarray(self.calib_b, dtype=np.float64).reshape(-1)
        self.thresholds = np.asarray(self.thresholds, dtype=np.float64).reshape(-1)
        if self.coef.shape != (n_labels, n_feat):
            raise ModelFormatError(Errors.E419.format(shape=self.coef.shape, expected=(n_labels, n_feat)))
        for name in ("intercept", "calib_a", "calib_b", "thresholds"):
            if getattr(self, name).shape != (n_labels,):
                raise ModelFormatError(Errors.E440.format(name=name))
        if len(set(self.labels)) != n_labels:
            raise ModelFormatError(Errors.E441)
        for name in ("coef", "intercept", "calib_a", "calib_b", "thresholds"):
            if not np.all(np.isfinite(getattr(self, name))):
                raise ModelFormatError(Errors.E442.format(name=name))
        if np.any(self.thresholds < 0) or np.any(self.thresholds > 1):
            raise ModelFormatError(Errors.E443)

    # ----- scoring ----------------------------------------------------------------------------
    @property
    def other_label(self) -> str | None:
        return OTHER if OTHER in self.labels else None

    def decision_function(self, texts: Sequence[str]) -> np.ndarray:
        X = self.features.transform(list(texts))
        # the transposed weights, laid out once (X @ coef.T made a contiguous copy of them per call)
        cached = getattr(self, "_coef_t", None)
        if cached is None or cached[0] is not self.coef:
            cached = self._coef_t = (self.coef, np.ascontiguousarray(self.coef.T))
        return np.asarray(X @ cached[1]) + self.intercept

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated scores, shape (n_texts, n_labels), columns in ``self.labels`` order."""
        return _sigmoid(self.calib_a * self.decision_function(texts) + self.calib_b)

    def assign(self, proba: np.ndarray) -> list[dict[str, float]]:
        """Turn calibrated scores into label -> score dicts (thresholds, ``other`` exclusive;
        with ``fallback="best"`` a row with no theme over threshold gets its best label by
        ``p - threshold``, which may be ``other``)."""
        other = self.other_label
        k_other = self.labels.index(other) if other else None
        P = np.atleast_2d(proba)
        over = P >= self.thresholds
        if k_other is not None:
            over[:, k_other] = False
        values = P.tolist()
        best = np.argmax(P - self.thresholds, axis=1).tolist() if P.shape[1] else [0] * len(P)
        hits: list[list[int]] = [[] for _ in range(len(P))]
        for r, k in zip(*(a.tolist() for a in np.nonzero(over))):
            hits[r].append(k)
        out = []
        for row, ks, j in zip(values, hits, best):
            themes = {self.labels[k]: round(row[k], 4) for k in ks}
            if not themes and self.fallback == "best" and len(row):
                if j != k_other:
                    themes = {self.labels[j]: round(row[j], 4)}
            if not themes:
                if k_other is not None:
                    score = row[k_other]
                else:
                    score = 1.0 - max(row) if len(row) else 1.0
                themes = {OTHER: round(score, 4)}
            out.append(dict(sorted(themes.items(), key=lambda kv: -kv[1])) if len(themes) > 1 else themes)
        return out

    def predict(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Label -> score for each text: the labels over their threshold; ``{"other": score}`` if none."""
        texts = list(texts)
        if not texts:
            return []
        return self.assign(self.predict_proba(texts))

    def predict_document(self, paragraphs: Sequence[str]) -> tuple[list[dict[str, float]], dict[str, float]]:
        """Paragraph themes and the document aggregate (see :func:`aggregate_document`)."""
        para = self.predict(paragraphs)
        return para, aggregate_document(para)

    # ----- persistence ------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        return save_model(self, path)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "labels": list(self.labels),
            "taxonomy": {lab: self.taxonomy.get(lab, DEFAULT_TAXONOMY.get(lab, lab)) for lab in self.labels},
            "features": {"analyzer": "char", "ngram_range": list(self.features.ngram_range),
                         "lowercase": self.features.lowercase, "sublinear_tf": self.features.sublinear_tf,
                         "norm": "l2", "normalize": self.features.normalize},
            "thresholds": [round(float(t), 6) for t in self.thresholds],
            "calibration": {"method": "platt", "a": [float(x) for x in self.calib_a],
                            "b": [float(x) for x in self.calib_b]},
            "aggregation": "max",
            "fallback": self.fallback,
            "training": self.meta,
            "vocabulary": self.features.terms,
        }


def aggregate_document(paragraph_themes: Sequence[dict[str, float]],
                       lengths: Sequence[int] | None = None, rule: str = "share",
                       min_share: float = 0.1) -> dict[str, float]:
    """Document themes from paragraph themes.

    ``rule="share"`` (default): a theme's document score is the share of the document about it,
    the length-weighted mean of its paragraph scores with paragraphs not assigned the theme
    counting 0. Themes with a share of at least ``min_share`` belong to the document; if none
    reaches it, the theme with the largest share does. So a release mostly about AI that mentions
    computing power in one paragraph gets ``{"ai": 0.8}`` rather than both themes at 1.0.
    ``rule="max"``: every theme assigned to any paragraph, scored by its highest paragraph score.

    A document with no themed paragraph gets ``{"other": s}`` with ``s`` the length-weighted mean
    of its paragraphs' ``other`` scores; a document with no paragraphs gets ``{}``.
    """
    if rule not in {"share", "max"}:
        raise ValueError(Errors.E451.format(name="rule", value=rule))
    weights = [max(int(lengths[i]), 1) if lengths is not None else 1 for i in range(len(paragraph_themes))]
    total = float(sum(weights)) or 1.0
    best: dict[str, float] = {}
    share: dict[str, float] = {}
    other_scores: list[tuple[float, int]] = []
    for themes, weight in zip(paragraph_themes, weights):
        for lab, score in themes.items():
            if lab == OTHER:
                other_scores.append((float(score), weight))
                continue
            best[lab] = max(best.get(lab, 0.0), float(score))
            share[lab] = share.get(lab, 0.0) + float(score) * weight / total
    if rule == "max":
        doc = dict(best)
    else:
        doc = {lab: round(v, 4) for lab, v in share.items() if v >= min_share}
        if not doc and share:
            top = max(share, key=share.get)
            doc = {top: round(share[top], 4)}
    if not doc and other_scores:
        other_total = sum(w for _, w in other_scores)
        doc = {OTHER: round(sum(s * w for s, w in other_scores) / other_total, 4)}
    return dict(sorted(doc.items(), key=lambda kv: -kv[1]))


# ----------------------------------------------------------------------------------------------
# training
# ----------------------------------------------------------------------------------------------
def binarize(labels: Sequence[Sequence[str]], label_order: Sequence[str]) -> np.ndarray:
    """Rows of label lists -> 0/1 matrix. A row with no known theme counts as ``other`` if the
    taxonomy has it."""
    index = {lab: k for k, lab in enumerate(label_order)}
    Y = np.zeros((len(labels), len(label_order)), dtype=np.int64)
    for i, labs in enumerate(labels):
        for lab in labs:
            if lab in index:
                Y[i, index[lab]] = 1
        if OTHER in index and Y[i].sum() == 0:
            Y[i, index[OTHER]] = 1
    return Y


def _label_order(labels: Sequence[Sequence[str]], taxonomy: Sequence[str] | dict | None) -> list[str]:
    if taxonomy:
        return list(taxonomy)
    seen = sorted({lab for labs in labels for lab in labs})
    if OTHER in seen:
        seen.remove(OTHER)
        seen.append(OTHER)
    return seen


def _folds(n: int, k: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    order = rng.permutation(n)
    fold = np.empty(n, dtype=np.int64)
    fold[order] = np.arange(n) % k
    return fold


def _scores(train_texts, Ytr, test_texts, *, classifier, C, seed, ngram_range, min_df, max_features):
    vec, Xtr = _fit_vectorizer(train_texts, ngram_range, min_df, max_features)
    coef, intercept = _fit_linear(Xtr, Ytr, classifier, C, seed)
    Xte = vec.transform(test_texts)
    return np.asarray(Xte @ coef.T) + intercept


def _tune_global_threshold(P: np.ndarray, Y: np.ndarray, label_order: Sequence[str]) -> float:
    """One threshold for every label in [0.05, 0.95] maximising micro-F1 of the assignment rule
    (``other`` exclusive) on held-out probabilities (ties: the lowest)."""
    best, best_t = -1.0, 0.5
    for t in _GRID:
        pred = _assign_matrix(P, np.full(P.shape[1], t), label_order).astype(bool)
        gold = Y.astype(bool)
        tp = float(np.sum(pred & gold))
        fp = float(np.sum(pred & ~gold))
        fn = float(np.sum(~pred & gold))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best + 1e-12:
            best, best_t = f1, float(t)
    return best_t


def _calibrate_and_tune(Z: np.ndarray, Y: np.ndarray, label_order: Sequence[str] | None = None,
                        shrink: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Platt calibration and per-label F1-optimal thresholds on held-out scores ``Z``.

    ``shrink`` in [0, 1] pulls every per-label threshold towards the single micro-F1-optimal
    threshold: ``t = (1 - shrink) * t_label + shrink * t_global`` (0: per-label, 1: global). Rare
    labels' thresholds, tuned on a handful of positives, are the noisiest; shrinking steadies them."""
    L = Y.shape[1]
    a = np.zeros(L)
    b = np.zeros(L)
    t = np.full(L, 0.5)
    for k in range(L):
        a[k], b[k] = _fit_platt(Z[:, k], Y[:, k])
        t[k] = _tune_threshold(_sigmoid(a[k] * Z[:, k] + b[k]), Y[:, k])
    if shrink:
        order = list(label_order) if label_order is not None else [str(k) for k in range(L)]
        g = _tune_global_threshold(_sigmoid(a * Z + b), Y, order)
        t = np.round((1.0 - shrink) * t + shrink * g, 6)
    return a, b, t


def _assign_matrix(P: np.ndarray, thresholds: np.ndarray, label_order: Sequence[str],
                   fallback: str = "other") -> np.ndarray:
    """0/1 predictions with the same rule as :meth:`ThemeModel.assign`."""
    pred = (P >= thresholds).astype(np.int64)
    if OTHER in label_order:
        k = list(label_order).index(OTHER)
        themed = np.delete(pred, k, axis=1).sum(axis=1) > 0
        pred[:, k] = (~themed).astype(np.int64)
        if fallback == "best" and P.shape[1] > 1:
            margin = P - thresholds
            for i in np.where(~themed)[0]:
                j = int(np.argmax(margin[i]))
                if j != k:
                    pred[i, k] = 0
                    pred[i, j] = 1
    elif fallback == "best" and P.shape[1]:
        margin = P - thresholds
        for i in np.where(pred.sum(axis=1) == 0)[0]:
            pred[i, int(np.argmax(margin[i]))] = 1
    return pred


def _check_tuning_options(threshold_shrink: float, fallback: str) -> None:
    if not 0.0 <= float(threshold_shrink) <= 1.0:
        raise ValueError(Errors.E452)
    if fallback not in FALLBACKS:
        raise ValueError(Errors.E414.format(fallback=fallback, fallbacks=FALLBACKS))


def cross_validate(texts: Sequence[str], labels: Sequence[Sequence[str]], *, taxonomy=None, classifier: str = DEFAULT_CLASSIFIER,
                   C: float | None = None, cv: int = 5, seed: int = 0, ngram_range=(1, 3), min_df: int = 2,
                   max_features: int | None = None, threshold_shrink: float = 0.0,
                   fallback: str = "other", normalize: str | None = None) -> dict[str, Any]:
    """Out-of-fold scores and cross-validated metrics.

    Each fold is scored by a model trained on the other folds. Calibration and thresholds for
    fold ``k`` are fitted on the out-of-fold scores of the *other* folds (cross-fitting), so the
    reported metrics never use thresholds tuned on the paragraphs they are measured on.
    Returns ``{"labels", "oof_scores", "Y", "pred", "metrics", "folds"}``.
    """
    from .report import multilabel_metrics

    _check_tuning_options(threshold_shrink, fallback)
    norm = text_normalizer(normalize)
    texts = [norm(str(t)) for t in texts]
    order = _label_order(labels, taxonomy)
    Y = binarize(labels, order)
    n = len(texts)
    k = max(2, min(cv, n))
    fold = _folds(n, k, seed)
    Z = np.zeros((n, len(order)))
    common = dict(classifier=classifier, C=C, seed=seed, ngram_range=tuple(ngram_range), min_df=min_df,
                  max_features=max_features)
    for f in range(k):
        tr, te = np.where(fold != f)[0], np.where(fold == f)[0]
        Z[te] = _scores([texts[i] for i in tr], Y[tr], [texts[i] for i in te], **common)
    pred = np.zeros_like(Y)
    for f in range(k):
        tr, te = np.where(fold != f)[0], np.where(fold == f)[0]
        a, b, t = _calibrate_and_tune(Z[tr], Y[tr], order, threshold_shrink)
        pred[te] = _assign_matrix(_sigmoid(a * Z[te] + b), t, order, fallback)
    return {"labels": order, "oof_scores": Z, "Y": Y, "pred": pred, "folds": fold,
            "metrics": multilabel_metrics(Y, pred, order)}


def train(texts: Sequence[str], labels: Sequence[Sequence[str]], *, taxonomy: Sequence[str] | dict | None = None,
          classifier: str = DEFAULT_CLASSIFIER, C: float | None = None, cv: int = 5, seed: int = 0,
          ngram_range: tuple[int, int] = (1, 3), min_df: int = 2, max_features: int | None = None,
          dev_texts: Sequence[str] | None = None, dev_labels: Sequence[Sequence[str]] | None = None,
          data_description: str | None = None, threshold_shrink: float = 0.0,
          fallback: str = "other", normalize: str | None = None) -> tuple[ThemeModel, dict[str, Any]]:
    """Train a theme model. Returns ``(model, report)``.

    * Without a dev set: ``cv``-fold cross-validation gives out-of-fold scores; Platt calibration
      and per-label thresholds are fitted on them; ``report["metrics"]`` are cross-validated
      (thresholds cross-fitted, see :func:`cross_validate`). The final model is fitted on all data.
    * With ``dev_texts``/``dev_labels``: a model fitted on the training texts scores the dev set;
      calibration and thresholds are fitted on the dev scores and ``report["metrics"]`` are the dev
      metrics at those thresholds (optimistic: same data). The final model is refitted on
      training + dev data with the dev-tuned calibration and thresholds.

    ``taxonomy``: the label ids (list) or ids -> names (dict); default: labels found in the data
    (``other`` last). Rows without any known label count as ``other`` when the taxonomy has it.

    ``threshold_shrink`` (0 = per-label F1-optimal thresholds, 1 = one global micro-F1-optimal
    threshold, in between a blend) and ``fallback`` (``"other"``: a paragraph with no theme over
    threshold is ``other``; ``"best"``: it gets its label with the largest ``p - threshold``) are
    stored in the model. Defaults keep the original behaviour.
    """
    from .report import multilabel_metrics

    if classifier not in CLASSIFIERS:
        raise ValueError(Errors.E450.format(kind=classifier, classifiers=CLASSIFIERS))
    _check_tuning_options(threshold_shrink, fallback)
    norm = text_normalizer(normalize)
    texts = [norm(str(t)) for t in texts]
    if dev_texts is not None:
        dev_texts = [norm(str(t)) for t in dev_texts]
    if len(texts) != len(labels):
        raise ValueError(Errors.E453.format(texts=len(texts), labels=len(labels)))
    if len(texts) < 4:
        raise ValueError(Errors.E454.format(count=len(texts)))
    order = _label_order(list(labels) + list(dev_labels or []), taxonomy)
    names = dict(taxonomy) if isinstance(taxonomy, dict) else {lab: DEFAULT_TAXONOMY.get(lab, lab) for lab in order}
    Y = binarize(labels, order)
    common = dict(classifier=classifier, C=C, seed=seed, ngram_range=tuple(ngram_range), min_df=min_df,
                  max_features=max_features)
    report: dict[str, Any] = {"labels": order}
    if dev_texts is not None:
        Ydev = binarize(dev_labels or [], order)
        Z = _scores(texts, Y, list(dev_texts), **common)
        a, b, t = _calibrate_and_tune(Z, Ydev, order, threshold_shrink)
        pred = _assign_matrix(_sigmoid(a * Z + b), t, order, fallback)
        report.update(mode="dev", metrics=multilabel_metrics(Ydev, pred, order), n_dev=len(dev_texts))
        all_texts = texts + [str(x) for x in dev_texts]
        Yall = np.vstack([Y, Ydev])
    else:
        cvres = cross_validate(texts, labels, taxonomy=order, **common, cv=cv, threshold_shrink=threshold_shrink,
                               fallback=fallback)
        Z, Yall = cvres["oof_scores"], cvres["Y"]
        a, b, t = _calibrate_and_tune(Z, Yall, order, threshold_shrink)
        report.update(mode="cv", cv=max(2, min(cv, len(texts))), metrics=cvres["metrics"])
        all_texts = texts
    vec, X = _fit_vectorizer(all_texts, tuple(ngram_range), min_df, max_features)
    coef, intercept = _fit_linear(X, Yall, classifier, C, seed)
    features = _features_from_vectorizer(vec, tuple(ngram_range), normalize)
    support = {lab: int(Yall[:, k].sum()) for k, lab in enumerate(order)}
    meta = {
        "trained_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "classifier": classifier,
        "C": C if C is not None else DEFAULT_C[classifier],
        "class_weight": "balanced",
        "features": f"char {ngram_range[0]}-{ngram_range[1]}-grams, TF-IDF (sublinear tf, l2), min_df={min_df}"
                    + (f", text normalised ({normalize})" if normalize else ""),
        "n_features": len(features.terms),
        "n_train": len(all_texts),
        "label_support": support,
        "threshold_tuning": report["mode"],
        "threshold_shrink": float(threshold_shrink),
        "fallback": fallback,
        "metrics": report["metrics"],
        "data": data_description,
        "seed": seed,
    }
    try:
        import sklearn

        meta["sklearn_version"] = sklearn.__version__
    except Exception:  # pragma: no cover
        pass
    model = ThemeModel(labels=order, features=features, coef=coef, intercept=intercept, calib_a=a, calib_b=b,
                       thresholds=t, taxonomy=names, meta=meta, fallback=fallback)
    return model, report


# ----------------------------------------------------------------------------------------------
# safe persistence
# ----------------------------------------------------------------------------------------------
def save_model(model: ThemeModel, path: str | Path) -> Path:
    """Write ``model.json`` and ``weights.npz`` (plain float arrays) into the folder ``path``."""
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / MODEL_JSON, "w", encoding="utf-8") as fh:
        json.dump(model.to_json_dict(), fh, ensure_ascii=False)
    np.savez_compressed(out / WEIGHTS_NPZ, idf=model.features.idf.astype(np.float64),
                        coef=model.coef.astype(np.float32), intercept=model.intercept.astype(np.float64))
    return out


def _read_limited(path: Path) -> bytes:
    if not path.is_file():
        raise ModelFormatError(Errors.E402.format(path=path))
    if path.stat().st_size > _MAX_FILE_BYTES:
        raise ModelFormatError(Errors.E403.format(path=path, limit=_MAX_FILE_BYTES))
    return path.read_bytes()


def load_model(path: str | Path) -> ThemeModel:
    """Load a model folder written by :func:`save_model`.

    Only ``model.json`` (parsed as JSON) and ``weights.npz`` (numeric arrays, ``allow_pickle=False``)
    are read; every other file in the folder is ignored. Raises :class:`ModelFormatError` for
    anything unexpected (object arrays, wrong shapes, wrong format marker)."""
    import io

    folder = Path(path)
    if not folder.is_dir():
        raise ModelFormatError(Errors.E404.format(path=folder))
    try:
        spec = json.loads(_read_limited(folder / MODEL_JSON).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFormatError(Errors.E405.format(path=folder / MODEL_JSON, detail=exc)) from None
    if not isinstance(spec, dict) or spec.get("format") != FORMAT:
        raise ModelFormatError(Errors.E406.format(path=folder, format=FORMAT))
    if spec.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(Errors.E407.format(version=spec.get("format_version")))
    raw = _read_limited(folder / WEIGHTS_NPZ)
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in ("idf", "coef", "intercept")}
    except (ValueError, KeyError, OSError) as exc:
        raise ModelFormatError(Errors.E408.format(path=folder / WEIGHTS_NPZ, detail=exc)) from None
    for name, arr in arrays.items():
        if arr.dtype.kind != "f":
            raise ModelFormatError(Errors.E409.format(name=name, dtype=arr.dtype))
    labels = spec.get("labels")
    vocab = spec.get("vocabulary")
    if not (isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)):
        raise ModelFormatError(Errors.E410)
    if not (isinstance(vocab, list) and all(isinstance(x, str) for x in vocab)):
        raise ModelFormatError(Errors.E411)
    feats = spec.get("features") or {}
    if feats.get("analyzer", "char") != "char":
        raise ModelFormatError(Errors.E412.format(analyzer=feats.get("analyzer")))
    ngram = feats.get("ngram_range", [1, 3])
    if not (isinstance(ngram, list) and len(ngram) == 2 and all(isinstance(x, int) and 0 < x < 10 for x in ngram)):
        raise ModelFormatError(Errors.E413)
    calib = spec.get("calibration") or {}
    features = CharNgramFeatures(vocab, arrays["idf"], ngram_range=tuple(ngram),
                                 lowercase=bool(feats.get("lowercase", True)),
                                 normalize=feats.get("normalize"),
                                 sublinear_tf=bool(feats.get("sublinear_tf", True)))
    taxonomy = spec.get("taxonomy") if isinstance(spec.get("taxonomy"), dict) else {}
    meta = spec.get("training") if isinstance(spec.get("training"), dict) else {}
    fallback = spec.get("fallback", "other")  # absent in models written before the option existed
    if fallback not in FALLBACKS:
        raise ModelFormatError(Errors.E414.format(fallback=fallback, fallbacks=FALLBACKS))
    try:
        return ThemeModel(labels=labels, features=features, coef=arrays["coef"], intercept=arrays["intercept"],
                          calib_a=np.asarray(calib.get("a"), dtype=np.float64),
                          calib_b=np.asarray(calib.get("b"), dtype=np.float64),
                          thresholds=np.asarray(spec.get("thresholds"), dtype=np.float64),
                          taxonomy={str(k): str(v) for k, v in taxonomy.items()}, meta=meta, fallback=fallback)
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ModelFormatError):
            raise
        raise ModelFormatError(Errors.E415.format(detail=exc)) from None
