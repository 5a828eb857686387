"""Leave-one-source-out scores of several linear learners, thresholds and ensembles (issue #23).

Two steps, so that every threshold rule and ensemble is compared on the same fitted models:

    python -m policytext.evaluation.themes_learners scores /tmp/themes-base.npz   # fit, store scores
    python -m policytext.evaluation.themes_learners scores /tmp/themes-mask.npz --mask
    python -m policytext.evaluation.themes_learners scores /tmp/themes-words.npz --words 1.0
    python -m policytext.evaluation.themes_learners report /tmp/themes-base.npz [...]   # rules, ensembles

``scores``: for each held-out source, every learner is fitted on the other four sources' rows
(``final``), on 5 random folds of them (``random``: out-of-fold scores) and on each of them left
out in turn (``source``: out-of-source scores, the nested source-held-out folds). Decision scores
of all three are stored (npz, plain float arrays). The held-out source never takes part in any
choice made for it: calibration, thresholds and ensemble weights come from the ``random`` or
``source`` scores of the training rows only.

Features: character 1–3-grams after ``t2s`` normalisation (TF-IDF cut per fold from cached
counts, as :mod:`.themes_transfer`); ``--mask`` first replaces digits, dates, person names,
places, titles and document-structure words (第X条, 同志们, 记者, 央视网消息 ...) with placeholder
characters; ``--words W`` adds a block of words from the shipped segmenter (:func:`policytext.segment`,
TF-IDF, l2, times ``W``). Learners: ``nbsvm`` (shipped: NB-scaled LinearSVC, C=0.3),
``logreg`` (class-balanced logistic regression, C=10), ``sgd`` (modified Huber, class-balanced),
``cnb`` (complement naive Bayes), and ``*-bal`` (the same with sample weights giving each training
source the same total weight).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np
import scipy.sparse as sp

from ..components import themes
from ..components.themes import model as tm
from ..components.themes.report import multilabel_metrics
from ..errors import Errors
from ._data import MissingEvaluationData, require
from .themes_transfer import _l2, _prepare

__all__ = ["mask_source_marks", "fit_scores", "loso_scores", "rule_predictions", "main"]

LEARNERS = ("nbsvm", "logreg", "sgd", "cnb", "nbsvm-bal", "logreg-bal")

# document-structure and source-identifying words: the article/chapter numbering of laws, the
# address forms of work reports, the bylines and datelines of news items and press transcripts
_STRUCTURE = re.compile(
    r"第[一二三四五六七八九十百千零〇两\d]{1,6}[条章节款项编部分]"
    r"|同志们|各位代表|代表们|本台(?:消息|记者)|央视网消息|新华社[^\s，。]{0,6}电|新闻联播|记者|主持人|发布人|答记者问"
)
_NUMBER = re.compile(r"[0-9０-９][0-9０-９.,，%．]*")
_MASKED_ENTITIES = {"PERSON": "\ue001", "GPE": "\ue002", "LOC": "\ue002", "DATE": "\ue003", "TIME": "\ue003",
                    "TITLE": "\ue004"}


def mask_source_marks(texts: Sequence[str], entities: bool = True) -> list[str]:
    """``texts`` with what identifies a source more than a theme replaced by placeholder characters:
    structure words (→ U+E000), digit runs (→ U+E005) and, with ``entities``, person names, places,
    dates and titles found by the fast entity tagger (→ U+E001–U+E004). Linear in the text."""
    rec = None
    if entities:
        from ..components.entities import recognizer

        rec = recognizer(backend="fast")
    out = []
    for text in texts:
        if rec is not None:
            spans = sorted((s for s in rec.spans(text) if s[2] in _MASKED_ENTITIES), key=lambda s: s[0])
            parts, pos = [], 0
            for a, b, lab, *_ in spans:
                if a < pos:
                    continue
                parts += [text[pos:a], _MASKED_ENTITIES[lab]]
                pos = b
            parts.append(text[pos:])
            text = "".join(parts)
        text = _STRUCTURE.sub("\ue000", text)
        out.append(_NUMBER.sub("\ue005", text))
    return out


class Channels:
    """Raw counts of every pool row, computed once: character 1–3-grams and (optionally) words."""

    def __init__(self, texts: Sequence[str], words: float = 0.0):
        from sklearn.feature_extraction.text import CountVectorizer

        self.chars = CountVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=True,
                                     dtype=np.int64).fit_transform(texts).tocsr()
        self.words_weight = words
        self.words = None
        if words:
            from ..words import segment

            seg = [[w for w in segment(t) if w.strip()] for t in texts]
            self.words = CountVectorizer(analyzer=lambda x: x, dtype=np.int64).fit_transform(seg).tocsr()

    def matrices(self, tr: np.ndarray, te: np.ndarray) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """TF-IDF rows of ``tr`` and ``te`` (vocabulary and idf from ``tr``: min_df 2, smoothed idf,
        sublinear tf, l2 per block; the word block scaled by its weight)."""
        blocks = [(self.chars, 1.0)] + ([(self.words, self.words_weight)] if self.words is not None else [])
        out_tr, out_te = [], []
        for counts, w in blocks:
            df = np.asarray((counts[tr] > 0).sum(axis=0)).ravel()
            cols = np.where(df >= 2)[0]
            idf = np.log((1.0 + len(tr)) / (1.0 + df[cols])) + 1.0
            for idx, out in ((tr, out_tr), (te, out_te)):
                X = counts[idx][:, cols].astype(np.float64).tocsr()
                X.data = np.log(X.data) + 1.0
                out.append(w * _l2(sp.csr_matrix(X.multiply(idf))))
        return sp.hstack(out_tr).tocsr(), sp.hstack(out_te).tocsr()


def _source_weights(groups: np.ndarray) -> np.ndarray:
    counts = Counter(groups.tolist())
    w = np.array([1.0 / counts[g] for g in groups])
    return w * len(w) / w.sum()


def _fit_one(kind: str, X: sp.csr_matrix, y: np.ndarray, weights: np.ndarray | None) -> Callable:
    """A per-label scorer ``X -> decision scores`` of learner ``kind`` fitted on ``X``, ``y``."""
    if kind == "nbsvm":
        from sklearn.svm import LinearSVC

        r = tm._nb_ratio(X, y)
        clf = LinearSVC(C=0.3, class_weight="balanced", max_iter=5000, random_state=0)
        clf.fit(sp.csr_matrix(X.multiply(r)), y, sample_weight=weights)
        w, b = clf.coef_.ravel() * r, float(clf.intercept_[0])
        return lambda Z: Z @ w + b
    if kind == "logreg":
        from sklearn.linear_model import LogisticRegression

        clf = LogisticRegression(C=10.0, solver="liblinear", class_weight="balanced", max_iter=1000, random_state=0)
        clf.fit(X, y, sample_weight=weights)
        return clf.decision_function
    if kind == "sgd":
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import SGDClassifier

        clf = SGDClassifier(loss="modified_huber", alpha=1e-4, class_weight="balanced", max_iter=30, tol=1e-3,
                            random_state=0)
        with warnings.catch_warnings():  # a capped number of epochs is part of the recipe
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y, sample_weight=weights)
        return clf.decision_function
    if kind == "cnb":
        from sklearn.naive_bayes import ComplementNB

        clf = ComplementNB(alpha=0.3)
        clf.fit(X, y, sample_weight=weights)

        def score(Z):
            jll = clf.predict_joint_log_proba(Z)
            return jll[:, 1] - jll[:, 0]

        return score
    raise ValueError(kind)


def fit_scores(ch: Channels, Y: np.ndarray, groups: np.ndarray, tr: np.ndarray, te: np.ndarray,
               learners: Sequence[str]) -> dict[str, np.ndarray]:
    """Decision scores ``(len(te), L)`` of rows ``te`` per learner, fitted on rows ``tr``."""
    Xtr, Xte = ch.matrices(tr, te)
    out = {}
    for name in learners:
        kind, bal = name.removesuffix("-bal"), name.endswith("-bal")
        weights = _source_weights(groups[tr]) if bal else None
        Z = np.zeros((len(te), Y.shape[1]))
        for k in range(Y.shape[1]):
            y = Y[tr, k]
            if y.min() == y.max():
                prior = (y.sum() + 0.5) / (len(y) + 1.0)
                Z[:, k] = np.log(prior / (1 - prior))
            else:
                Z[:, k] = np.ravel(_fit_one(kind, Xtr, y, weights)(Xte))
        out[name] = Z
    return out


def loso_scores(rows: list[dict], learners: Sequence[str], mask: bool = False, words: float = 0.0,
                sources: Sequence[str] = ("report", "law", "cctv", "web", "press"),
                log=print) -> dict[str, np.ndarray]:
    """All scores the ``report`` step needs, as a flat dict of arrays (saved with ``np.savez``)."""
    labels = list(themes.DEFAULT_LABELS)
    texts = _prepare([r["text"] for r in rows], "t2s")
    if mask:
        texts = mask_source_marks(texts)
    ch = Channels(texts, words)
    Y = themes.binarize([r["labels"] for r in rows], labels)
    groups = np.array([r["group"] for r in rows])
    out: dict[str, np.ndarray] = {"Y": Y, "groups": groups, "ids": np.array([r["id"] for r in rows])}
    for s in sources:
        t0 = time.time()
        te, tr = np.where(groups == s)[0], np.where(groups != s)[0]
        for name, Z in fit_scores(ch, Y, groups, tr, te, learners).items():
            out[f"{s}/final/{name}"] = Z
        folds = tm._folds(len(tr), 5, 0)
        inner = {"random": folds, "source": np.unique(groups[tr], return_inverse=True)[1]}
        for how, f in inner.items():
            Zs = {name: np.zeros((len(tr), Y.shape[1])) for name in learners}
            for j in np.unique(f):
                got = fit_scores(ch, Y, groups, tr[f != j], tr[f == j], learners)
                for name in learners:
                    Zs[name][f == j] = got[name]
            for name in learners:
                out[f"{s}/{how}/{name}"] = Zs[name]
        log(f"{s}: {time.time() - t0:.0f}s")
    return out


# ----------------------------------------------------------------------------------------------
# rules: calibration, thresholds, ensembles (all fitted on the training rows' held-out scores)
# ----------------------------------------------------------------------------------------------
def _calibrated(Zin: np.ndarray, Yin: np.ndarray, Zout: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Calibrated probabilities of inner and outer scores: ``platt`` or ``isotonic``."""
    Pin, Pout = np.zeros(Zin.shape), np.zeros(Zout.shape)
    for k in range(Zin.shape[1]):
        if method == "platt":
            a, b = tm._fit_platt(Zin[:, k], Yin[:, k])
            Pin[:, k], Pout[:, k] = tm._sigmoid(a * Zin[:, k] + b), tm._sigmoid(a * Zout[:, k] + b)
        else:
            from sklearn.isotonic import IsotonicRegression

            iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(Zin[:, k], Yin[:, k])
            Pin[:, k], Pout[:, k] = iso.predict(Zin[:, k]), iso.predict(Zout[:, k])
    return Pin, Pout


def _thresholds(P: np.ndarray, Y: np.ndarray, labels: list[str], shrink: float) -> np.ndarray:
    t = np.array([tm._tune_threshold(P[:, k], Y[:, k]) for k in range(P.shape[1])])
    if shrink:
        g = tm._tune_global_threshold(P, Y, labels)
        t = (1.0 - shrink) * t + shrink * g
    return t


def rule_predictions(S: dict[str, np.ndarray], learners: Sequence[str], inner: str = "random",
                     calibration: str = "platt", shrink: float = 0.75, fallback: str = "best",
                     sources: Sequence[str] | None = None) -> np.ndarray:
    """0/1 predictions of every pool row by its leave-one-source-out model: the learners'
    calibrated probabilities averaged (one learner: itself), thresholds tuned on the training rows'
    ``inner`` scores (``random``, ``source`` or ``both``: the two sets stacked)."""
    labels = list(themes.DEFAULT_LABELS)
    Y, groups = S["Y"], S["groups"]
    pred = np.zeros_like(Y)
    for s in sources or list(dict.fromkeys(groups.tolist())):
        te, tr = np.where(groups == s)[0], np.where(groups != s)[0]
        hows = ["random", "source"] if inner == "both" else [inner]
        Yin = np.vstack([Y[tr]] * len(hows))
        Pin_sum, Pout_sum = 0.0, 0.0
        for name in learners:
            Zin = np.vstack([S[f"{s}/{h}/{name}"] for h in hows])
            Pin, Pout = _calibrated(Zin, Yin, S[f"{s}/final/{name}"], calibration)
            Pin_sum, Pout_sum = Pin_sum + Pin, Pout_sum + Pout
        Pin, Pout = Pin_sum / len(learners), Pout_sum / len(learners)
        t = _thresholds(Pin, Yin, labels, shrink)
        pred[te] = tm._assign_matrix(Pout, t, labels, fallback)
    return pred


def oracle_predictions(S: dict[str, np.ndarray], learner: str = "nbsvm") -> np.ndarray:
    """A ceiling, not a rule: Platt calibration from the training rows, but per-label thresholds
    chosen on the held-out source's own gold labels. No calibration or threshold rule can beat it."""
    labels = list(themes.DEFAULT_LABELS)
    Y, groups = S["Y"], S["groups"]
    pred = np.zeros_like(Y)
    for s in dict.fromkeys(groups.tolist()):
        te, tr = np.where(groups == s)[0], np.where(groups != s)[0]
        _Pin, Pout = _calibrated(S[f"{s}/random/{learner}"], Y[tr], S[f"{s}/final/{learner}"], "platt")
        pred[te] = tm._assign_matrix(Pout, _thresholds(Pout, Y[te], labels, 0.0), labels, "best")
    return pred


def keyword_label_rates(rows: list[dict], checks: Sequence[tuple[str, str]]) -> dict[str, dict[str, list[int]]]:
    """For each ``(regex, label)``: per source, ``[paragraphs matching, of which labelled label]`` —
    how consistently the sources label the same wording."""
    out: dict[str, dict[str, list[int]]] = {}
    for pattern, label in checks:
        rx = re.compile(pattern)
        cell: dict[str, list[int]] = {}
        for r in rows:
            if rx.search(r["text"]):
                c = cell.setdefault(r["group"], [0, 0])
                c[0] += 1
                c[1] += label in r["labels"]
        out[f"{pattern} -> {label}"] = cell
    return out


#: wordings whose label was compared across sources in docs/themes.md
KEYWORD_CHECKS = (("航天|嫦娥|神舟|天宫|空间站", "tech_innovation"), ("关键信息基础设施", "computing"),
                  ("关键信息基础设施", "security_governance"), ("电信", "computing"),
                  ("出境|境外提供|跨境", "international"), ("大数据", "computing"),
                  ("网络身份|电子身份", "digital_government"), ("广交会|进博会|服贸会|出口", "international"),
                  ("智能制造|智能工厂|数字化转型", "digital_transformation"), ("金融风险|非法集资", "security_governance"))


def summary(S: dict[str, np.ndarray], pred: np.ndarray) -> dict[str, Any]:
    labels = list(themes.DEFAULT_LABELS)
    Y, groups = S["Y"], S["groups"]
    per = {s: multilabel_metrics(Y[groups == s], pred[groups == s], labels) for s in dict.fromkeys(groups.tolist())}
    return {"pooled": multilabel_metrics(Y, pred, labels), "per_source": per}


def paired_bootstrap(Y: np.ndarray, a: np.ndarray, b: np.ndarray, docs: np.ndarray, n: int = 1000,
                     seed: int = 0) -> tuple[float, float, float]:
    """Micro-F1(b) − micro-F1(a) and its 95% interval, resampling whole documents."""
    def counts(P):
        tp = (P & Y).sum(axis=1)
        return tp, (P & ~Y).sum(axis=1), (~P & Y).sum(axis=1)

    Y = Y.astype(bool)
    ca, cb = counts(a.astype(bool)), counts(b.astype(bool))
    _u, inv = np.unique(docs, return_inverse=True)
    per_doc = [np.bincount(inv, weights=c, minlength=len(_u)) for c in (*ca, *cb)]
    rng = np.random.default_rng(seed)

    def f1(tp, fp, fn):
        return 2 * tp / (2 * tp + fp + fn)

    diff = f1(*[x.sum() for x in per_doc[3:]]) - f1(*[x.sum() for x in per_doc[:3]])
    boots = []
    for _ in range(n):
        w = np.bincount(rng.integers(0, len(_u), len(_u)), minlength=len(_u))
        s = [x @ w for x in per_doc]
        boots.append(f1(*s[3:]) - f1(*s[:3]))
    lo, hi = np.percentile(boots, [2.5, 97.5])
    return float(diff), float(lo), float(hi)


def parse_rule(rule: str) -> dict[str, Any]:
    """``base.nbsvm+words.logreg@source:isotonic~0.5`` -> learners, inner, calibration, shrink
    (defaults: ``random``, ``platt``, 0.75 — the shipped recipe)."""
    m = re.fullmatch(r"([^@:~]+)(?:@(random|source|both))?(?::(platt|isotonic))?(?:~([0-9.]+))?", rule)
    if not m:
        raise ValueError(Errors.E455.format(rule=rule))
    return {"learners": m.group(1).split("+"), "inner": m.group(2) or "random",
            "calibration": m.group(3) or "platt", "shrink": float(m.group(4) or 0.75)}


def predictions_of(rule: str, files: dict[str, dict[str, np.ndarray]]) -> tuple[dict, np.ndarray]:
    """Predictions of a rule whose learners come from several score files (same pool rows)."""
    spec = parse_rule(rule)
    S: dict[str, np.ndarray] = {}
    names = []
    for item in spec["learners"]:
        fname, learner = item.split(".", 1)
        F = files[fname]
        S.setdefault("Y", F["Y"])
        S.setdefault("groups", F["groups"])
        for key in F:
            if key.endswith("/" + learner):
                S[key.replace("/" + learner, "/" + item)] = F[key]
        names.append(item)
    pred = rule_predictions(S, names, spec["inner"], spec["calibration"], spec["shrink"])
    return S, pred


def _line(name: str, res: dict) -> str:
    per = "  ".join(f"{s} {m['micro']['f1']:.3f}" for s, m in res["per_source"].items())
    f1s = [m["micro"]["f1"] for m in res["per_source"].values()]
    return (f"{name:44s} pooled {res['pooled']['micro']['f1']:.3f} macro {res['pooled']['macro_f1']:.3f} | "
            f"sources min {min(f1s):.3f} sd {np.std(f1s):.3f} | {per}")


def _report(args) -> int:
    files = {}
    for item in args.files:
        name, path = item.split("=", 1)
        with np.load(_score_file(path), allow_pickle=False) as z:
            files[name] = {k: z[k] for k in z.files}
    out: dict[str, Any] = {}
    for rule in args.rules or []:
        S, pred = predictions_of(rule, files)
        res = summary(S, pred)
        out[rule] = {"pooled_micro": res["pooled"]["micro"]["f1"], "pooled_macro": res["pooled"]["macro_f1"],
                     "per_source": {s: m["micro"]["f1"] for s, m in res["per_source"].items()}}
        print(_line(rule, res), flush=True)
    if args.compare:
        out["compare"] = _compare(files, *args.compare)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


def _compare(files: dict, before: str, after: str) -> dict[str, Any]:
    """Per-source and per-label F1 before -> after, and a paired document bootstrap of pooled micro-F1."""
    from ..components.themes.corpus import paragraph_contexts

    S, pa = predictions_of(before, files)
    _S, pb = predictions_of(after, files)
    ra, rb = summary(S, pa), summary(S, pb)
    labels = list(themes.DEFAULT_LABELS)
    sources = list(ra["per_source"])
    print(f"before: {before}\nafter:  {after}")
    print(f"{'label':24s}" + "".join(f"{s:>14s}" for s in sources) + f"{'pooled':>14s}{'n':>6s}")
    table: dict[str, Any] = {}
    for lab in labels + ["micro F1"]:
        cells, row = [], {}
        for s in sources + ["pooled"]:
            A = ra["pooled"] if s == "pooled" else ra["per_source"][s]
            B = rb["pooled"] if s == "pooled" else rb["per_source"][s]
            if lab == "micro F1":
                fa, fb, n = A["micro"]["f1"], B["micro"]["f1"], A["n"]
            else:
                fa, fb, n = A["per_label"][lab]["f1"], B["per_label"][lab]["f1"], A["per_label"][lab]["support"]
            row[s] = [fa, fb, n]
            cells.append(f"{fa:6.3f}->{fb:5.3f}" if n else f"{'-':>14s}")
        table[lab] = row
        print(f"{lab:24s}" + " ".join(cells) + f"{row['pooled'][2]:6d}")
    ids = S.get("ids")
    docs = None
    if ids is None:
        for F in files.values():
            ids = F.get("ids")
    ctx, _d = paragraph_contexts([str(i) for i in ids])
    docs = np.array([str(ctx[str(i)]["doc"]) for i in ids])
    diff, lo, hi = paired_bootstrap(S["Y"], pa, pb, docs)
    print(f"pooled micro-F1 difference {diff:+.3f}, 95% interval over documents [{lo:+.3f}, {hi:+.3f}] "
          f"({len(np.unique(docs))} documents)")
    return {"before": before, "after": after, "table": table, "bootstrap": [diff, lo, hi]}


def error_analysis(S: dict[str, np.ndarray], learner: str = "nbsvm", data_dir: Path | None = None,
                   in_source: bool = True) -> dict[str, Any]:
    """Per label and held-out source: support, LOSO precision/recall/F1 (shipped rule), the F1 an
    oracle threshold chosen on the held-out source itself would give (what no threshold rule can
    beat), average precision of the LOSO scores and, with ``in_source``, of scores from a model
    trained on the same source (5 folds by document): AP high in-source but low LOSO means the
    label transfers badly (vocabulary or convention of that source), low in both means it is hard
    or inconsistently labelled within the source."""
    from sklearn.metrics import average_precision_score

    from ..components.themes.corpus import paragraph_contexts
    from .themes_by_source import load_pool

    labels = list(themes.DEFAULT_LABELS)
    Y, groups = S["Y"], S["groups"]
    pred = rule_predictions(S, [learner])
    Zin = np.zeros(Y.shape)
    if in_source:
        rows = {r["id"]: r for r in load_pool(data_dir)}
        ids = [str(i) for i in S["ids"]]
        texts = _prepare([rows[i]["text"] for i in ids], "t2s")
        ctx, _d = paragraph_contexts(ids, data_dir)
        docs = np.array([str(ctx[i]["doc"]) for i in ids])
        ch = Channels(texts)
        rng = np.random.default_rng(0)
        for s in dict.fromkeys(groups.tolist()):
            idx = np.where(groups == s)[0]
            u = np.unique(docs[idx])
            fold_of = dict(zip(u, rng.permutation(len(u)) % 5))
            f = np.array([fold_of[d] for d in docs[idx]])
            for j in range(5):
                if (f == j).any() and (f != j).any():
                    Zin[idx[f == j]] = fit_scores(ch, Y, groups, idx[f != j], idx[f == j], [learner])[learner]
    out: dict[str, Any] = {}
    for s in dict.fromkeys(groups.tolist()):
        te = np.where(groups == s)[0]
        Zte = S[f"{s}/final/{learner}"]
        for k, lab in enumerate(labels):
            y, p = Y[te, k], pred[te, k]
            if not y.sum() and not p.sum():
                continue
            tp, fp, fn = int((y & p).sum()), int((~y.astype(bool) & p.astype(bool)).sum()), int((y & (1 - p)).sum())
            best = 0.0
            if y.sum():
                order = np.argsort(-Zte[:, k])
                ctp = np.cumsum(y[order])
                best = float(np.max(2 * ctp / (np.arange(1, len(order) + 1) + y.sum())))
            cell = {"n": int(y.sum()), "tp": tp, "fp": fp, "fn": fn,
                    "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0, "oracle_f1": best,
                    "ap_loso": float(average_precision_score(y, Zte[:, k])) if 0 < y.sum() < len(y) else None,
                    "ap_in_source": (float(average_precision_score(y, Zin[te, k]))
                                     if in_source and 0 < y.sum() < len(y) else None)}
            out.setdefault(lab, {})[s] = cell
    return out


def _print_errors(res: dict[str, Any]) -> None:
    print(f"{'label':24s}{'source':>7s}{'n':>5s}{'tp':>5s}{'fp':>5s}{'fn':>5s}{'F1':>7s}{'oracle':>8s}"
          f"{'AP loso':>9s}{'AP in-src':>10s}")
    for lab, cells in res.items():
        for s, c in cells.items():
            ap = lambda v: f"{v:9.3f}" if v is not None else f"{'-':>9s}"  # noqa: E731
            print(f"{lab:24s}{s:>7s}{c['n']:5d}{c['tp']:5d}{c['fp']:5d}{c['fn']:5d}{c['f1']:7.3f}{c['oracle_f1']:8.3f}"
                  f"{ap(c['ap_loso'])}{ap(c['ap_in_source'])} ")


def _score_file(path: str) -> Path:
    if not Path(path).is_file():
        raise MissingEvaluationData(Errors.E301.format(what="score file (write it with the scores step)", path=path))
    return Path(path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("scores")
    a.add_argument("out")
    a.add_argument("--learners", default=",".join(LEARNERS[:4]))
    a.add_argument("--mask", action="store_true")
    a.add_argument("--words", type=float, default=0.0)
    a.add_argument("--data-dir")
    r = sub.add_parser("report")
    r.add_argument("files", nargs="+", metavar="NAME=FILE.npz")
    r.add_argument("--rules", nargs="*", metavar="RULE",
                   help="learner[+learner...][@inner][:calibration][~shrink], learners as NAME.learner")
    r.add_argument("--compare", nargs=2, metavar=("BEFORE", "AFTER"), help="per-source and per-label tables")
    r.add_argument("--json", metavar="OUT", help="write the figures of --rules / --compare as JSON")
    e = sub.add_parser("errors")
    e.add_argument("file")
    e.add_argument("--learner", default="nbsvm")
    e.add_argument("--json", metavar="OUT")
    args = ap.parse_args(argv)
    if args.cmd == "errors":
        with np.load(_score_file(args.file), allow_pickle=False) as z:
            S = {k: z[k] for k in z.files}
        res = error_analysis(S, args.learner)
        _print_errors(res)
        print(_line("oracle thresholds (ceiling)", summary(S, oracle_predictions(S, args.learner))))
        from .themes_by_source import load_pool

        for what, cell in keyword_label_rates(load_pool(), KEYWORD_CHECKS).items():
            print(f"{what:44s} " + "  ".join(f"{s} {p}/{n}" for s, (n, p) in sorted(cell.items())))
        if args.json:
            Path(args.json).write_text(json.dumps(res, indent=1), encoding="utf-8")
        return 0
    if args.cmd == "report":
        return _report(args)
    from ..components.themes.corpus import default_data_dir
    from .themes_by_source import load_pool

    data_dir = require(Path(args.data_dir) if args.data_dir else default_data_dir(),
                       "data folder the CCTV/web texts are rebuilt from (--data-dir)")
    rows = load_pool(data_dir)
    S = loso_scores(rows, args.learners.split(","), mask=args.mask, words=args.words,
                    log=lambda m: print(m, file=sys.stderr, flush=True))
    np.savez_compressed(args.out, **S)
    print(json.dumps({"rows": len(rows), "arrays": len(S)}))
    return 0


if __name__ == "__main__":
    from ._data import run

    sys.exit(run(main))
