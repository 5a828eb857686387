"""Theme model evaluated by source: leave one source out, and the new-source (web page) test split.

    python -m policytext.evaluation.themes_by_source                  # LOSO report, shipped settings
    python -m policytext.evaluation.themes_by_source --compare        # the variants of docs/themes.md
    python -m policytext.evaluation.themes_by_source --web-test --model models/themes   # test splits (look once)

Variants with ``blocks``, ``neighbours`` or ``document`` settings (issue #23: raw-text clusters,
entity/claim types, neighbouring paragraphs, a document prior) run on cached n-gram counts, see
:mod:`policytext.evaluation.themes_transfer`; ``t2s-cached`` is the ``t2s`` recipe on that path.

Sources: ``report`` (government work reports), ``law`` (laws, regulations and pkulaw titles),
``cctv`` (新闻联播 items), ``web`` (scraped web pages: the annotated pages of
``../shared/data/web_pages`` and the project's samples 000/001) and ``press`` (press-conference
transcripts: web pages tagged ``transcript`` and sample 002). For each source a model is trained
on the other four (calibration and thresholds fitted on out-of-fold scores of the training rows)
and scored on the one left out.

The pool is the corpus's ``train`` and ``dev`` rows plus the web pages' ``train`` pages. The
corpus ``test`` split and the web ``test`` pages are never in it: ``--web-test`` trains on the
whole pool and scores the web test pages (and the corpus test split) once.

Needs ``corpora/themes`` and ``../shared/data`` (``--data-dir``: CCTV and web-page texts): data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..components import themes
from ..components.themes import model as tm
from ..components.themes.corpus import default_corpus_path, default_data_dir, load_corpus, web_corpus_path
from ..components.themes.report import format_report, multilabel_metrics
from policytext.evaluation._data import require, run
from ..errors import Errors

__all__ = ["SOURCES", "source_of", "load_pool", "leave_one_source_out", "main"]

SOURCES = ("report", "law", "cctv", "web", "press")
_PRESS_SAMPLES = {"002_b21ce947c00f9f10.txt"}


def source_of(row: dict[str, Any]) -> str:
    """The evaluation source of a corpus row (see the module docstring)."""
    src = row.get("source")
    if src == "gov":
        return "report"
    if src in ("law", "pkulaw"):
        return "law"
    if src == "xwlb":
        return "cctv"
    if src == "web":
        return "press" if row.get("genre") == "press" else "web"
    if src == "sample":
        return "press" if row.get("file") in _PRESS_SAMPLES else "web"
    raise ValueError(Errors.E703.format(what="source", name=src, known="gov, law, pkulaw, xwlb, web, sample"))


def _with_file(rows: list[dict], corpus: Path) -> list[dict]:
    import json

    files = {}
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                files[r["id"]] = r["ref"].get("file")
    for r in rows:
        r["file"] = files.get(r["id"])
    return rows


def load_pool(data_dir: Path | None = None, splits: Sequence[str] = ("train", "dev"),
              web_splits: Sequence[str] = ("train",)) -> list[dict]:
    """Corpus rows of ``splits`` and web-page rows of ``web_splits``, each with ``"group"`` set."""
    data_dir = data_dir or default_data_dir()
    rows = _with_file(load_corpus(default_corpus_path(), data_dir, splits=set(splits)), default_corpus_path())
    if web_splits:
        rows += load_corpus(web_corpus_path(), data_dir, splits=set(web_splits))
    for r in rows:
        r["group"] = source_of(r)
    return rows


# ----------------------------------------------------------------------------------------------
# variants
# ----------------------------------------------------------------------------------------------
#: name -> settings. ``inner``: how calibration/thresholds are fitted on the training rows
#: (``"random"``: 5 random folds, as ``train-themes``; ``"source"``: one fold per training source;
#: ``"random+source-global"``: random folds, but the global threshold from source folds).
_BASE = dict(classifier="nbsvm", C=0.3, shrink=0.75, fallback="best", inner="random", normalize=None)
VARIANTS: dict[str, dict[str, Any]] = {
    "shipped": dict(_BASE),
    "source-folds": dict(_BASE, inner="source"),
    "t2s": dict(_BASE, normalize="t2s"),
    "t2s+source-folds": dict(_BASE, inner="source", normalize="t2s"),
    "t2s+2-sources": dict(_BASE, normalize="t2s", min_sources=2),
    "t2s+linearsvc": dict(_BASE, normalize="t2s", classifier="linearsvc", C=1.0),
    "t2s+C0.1": dict(_BASE, normalize="t2s", C=0.1),
    "t2s+balanced": dict(_BASE, normalize="t2s", balance_sources=True),
    "t2s+source-global": dict(_BASE, normalize="t2s", inner="random+source-global"),
    "t2s+nb-alpha5": dict(_BASE, normalize="t2s", nb_alpha=5.0),
    # #24: pkuseg words (policytext.segment) as extra TF-IDF features beside the character n-grams
    "words": dict(_BASE, words=True),
    # #23: features meant to transfer across sources (cached n-gram counts, see _PoolFeatures)
    "t2s-cached": dict(_BASE, normalize="t2s", blocks={}),
    "t2s+clusters": dict(_BASE, normalize="t2s", blocks={"bigram_clusters": 0.5}),
    "t2s+all-clusters": dict(_BASE, normalize="t2s", blocks={"char_clusters": 0.5, "bigram_clusters": 0.5}),
    "t2s+cluster-pairs": dict(_BASE, normalize="t2s", blocks={"cluster_pairs": 0.5}),
    "t2s+entities-claims": dict(_BASE, normalize="t2s", blocks={"entities_claims": 0.5}),
    "t2s+clusters-w1": dict(_BASE, normalize="t2s", blocks={"bigram_clusters": 1.0}),
    "t2s+neighbours": dict(_BASE, normalize="t2s", neighbours=0.3),
    "t2s+neighbour-block": dict(_BASE, normalize="t2s", blocks={"neighbours": 0.3}),
    "t2s+C1-cached": dict(_BASE, normalize="t2s", C=1.0, blocks={}),
    "t2s+document": dict(_BASE, normalize="t2s", document=0.5),
}
#: variants computed from the cached pool counts (:func:`leave_one_source_out_cached`)
_CACHED_KEYS = ("blocks", "neighbours", "document")


def _source_weights(groups: Sequence[str]) -> np.ndarray:
    """Sample weights giving every source the same total weight (mean weight 1)."""
    counts = Counter(groups)
    w = np.array([1.0 / counts[g] for g in groups])
    return w * len(w) / w.sum()


def _fit_linear_weighted(X, Y: np.ndarray, cfg: dict, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`model._fit_linear` (nbsvm / linearsvc) with per-row sample weights."""
    import scipy.sparse as sp

    coef = np.zeros((Y.shape[1], X.shape[1]))
    intercept = np.zeros(Y.shape[1])
    for k in range(Y.shape[1]):
        y = Y[:, k]
        if y.min() == y.max():
            prior = (y.sum() + 0.5) / (len(y) + 1.0)
            intercept[k] = np.log(prior / (1 - prior))
            continue
        clf = tm._make_classifier(cfg["classifier"], cfg["C"], 0)
        if cfg["classifier"] == "nbsvm":
            r = tm._nb_ratio(X, y, cfg.get("nb_alpha", tm.NB_ALPHA))
            clf.fit(sp.csr_matrix(X.multiply(r)), y, sample_weight=weights)
            coef[k] = clf.coef_.ravel() * r
        else:
            clf.fit(X, y, sample_weight=weights)
            coef[k] = clf.coef_.ravel()
        intercept[k] = float(np.ravel(clf.intercept_)[0])
    return coef, intercept


class _CharsAndWords:
    """Character n-gram TF-IDF beside word TF-IDF (``policytext.segment``), columns stacked."""

    def __init__(self, texts: Sequence[str]):
        import scipy.sparse as sp
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.chars, Xc = tm._fit_vectorizer(texts, (1, 3), 2, None)
        self.words = TfidfVectorizer(analyzer=_words_of, min_df=2, sublinear_tf=True, dtype=np.float64)
        self.X = sp.hstack([Xc, self.words.fit_transform(texts)]).tocsr()

    def transform(self, texts: Sequence[str]):
        import scipy.sparse as sp

        return sp.hstack([self.chars.transform(texts), self.words.transform(texts)]).tocsr()


_WORDS_CACHE: dict[str, list[str]] = {}


def _words_of(text: str) -> list[str]:
    words = _WORDS_CACHE.get(text)
    if words is None:
        from ..words import segment

        words = _WORDS_CACHE[text] = [w for w in segment(text) if w.strip()]
    return words


def _scores(texts: list[str], groups: list[str], Y: np.ndarray, test_texts: list[str], cfg: dict) -> np.ndarray:
    """Decision scores of ``test_texts`` from a model fitted on ``texts``. ``cfg["min_sources"]``
    (default 1) keeps only n-grams found in at least that many of the training rows' sources;
    ``cfg["words"]`` adds word features (:class:`_CharsAndWords`)."""
    min_sources = int(cfg.get("min_sources", 1))
    if cfg.get("words"):
        vec = _CharsAndWords(texts)
        coef, intercept = tm._fit_linear(vec.X, Y, cfg["classifier"], cfg["C"], 0)
        return np.asarray(vec.transform(test_texts) @ coef.T) + intercept
    if cfg.get("balance_sources") or "nb_alpha" in cfg:
        vec, X = tm._fit_vectorizer(texts, (1, 3), 2, None)
        weights = _source_weights(groups) if cfg.get("balance_sources") else np.ones(len(texts))
        coef, intercept = _fit_linear_weighted(X, Y, cfg, weights)
        return np.asarray(vec.transform(test_texts) @ coef.T) + intercept
    if min_sources <= 1:
        return tm._scores(texts, Y, test_texts, classifier=cfg["classifier"], C=cfg["C"], seed=0,
                          ngram_range=(1, 3), min_df=2, max_features=None)
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec, X = tm._fit_vectorizer(texts, (1, 3), 2, None)
    present = X.copy()
    present.data[:] = 1.0
    g = np.asarray(groups)
    n_sources = np.zeros(X.shape[1])
    for name in np.unique(g):
        n_sources += np.asarray(present[g == name].sum(axis=0)).ravel() > 0
    terms = np.array(sorted(vec.vocabulary_, key=vec.vocabulary_.get))
    keep = terms[n_sources >= min_sources]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, lowercase=True,
                          vocabulary=list(keep), dtype=np.float64)
    X = vec.fit_transform(texts)
    coef, intercept = tm._fit_linear(X, Y, cfg["classifier"], cfg["C"], 0)
    return np.asarray(vec.transform(test_texts) @ coef.T) + intercept


def _inner_scores(texts: list[str], groups: list[str], Y: np.ndarray, folds: np.ndarray, cfg: dict) -> np.ndarray:
    Z = np.zeros(Y.shape)
    for f in np.unique(folds):
        tr, te = np.where(folds != f)[0], np.where(folds == f)[0]
        Z[te] = _scores([texts[i] for i in tr], [groups[i] for i in tr], Y[tr], [texts[i] for i in te], cfg)
    return Z


def fit_predict(train_rows: list[dict], test_rows: list[dict], labels: Sequence[str], cfg: dict) -> np.ndarray:
    """0/1 predictions for ``test_rows`` by a model trained on ``train_rows`` with settings ``cfg``."""
    norm = tm.text_normalizer(cfg.get("normalize"))
    texts = [norm(r["text"]) for r in train_rows]
    groups = [r["group"] for r in train_rows]
    test_texts = [norm(r["text"]) for r in test_rows]
    Y = themes.binarize([r["labels"] for r in train_rows], labels)
    names = sorted(set(groups))
    source_folds = np.array([names.index(x) for x in groups])
    folds = source_folds if cfg["inner"] == "source" else tm._folds(len(texts), 5, 0)
    Z = _inner_scores(texts, groups, Y, folds, cfg)
    a, b, t = tm._calibrate_and_tune(Z, Y, list(labels), cfg["shrink"])
    if cfg["inner"] == "random+source-global":
        # per-label calibration and thresholds from random folds; the global threshold they are
        # shrunk towards from source-held-out folds (where scores run lower, as on a new source)
        t_label = tm._calibrate_and_tune(Z, Y, list(labels), 0.0)[2]
        Zs = _inner_scores(texts, groups, Y, source_folds, cfg)
        g = tm._tune_global_threshold(tm._sigmoid(a * Zs + b), Y, list(labels))
        t = np.round((1.0 - cfg["shrink"]) * t_label + cfg["shrink"] * g, 6)
    Zte = _scores(texts, groups, Y, test_texts, cfg)
    return tm._assign_matrix(tm._sigmoid(a * Zte + b), t, list(labels), cfg["fallback"])


def leave_one_source_out(rows: list[dict], cfg: dict, labels: Sequence[str] = themes.DEFAULT_LABELS,
                         sources: Sequence[str] = SOURCES, data_dir: Path | None = None) -> dict[str, Any]:
    """Per-source and pooled metrics: each source scored by a model trained on the others.
    Variants with ``blocks``, ``neighbours`` or ``document`` settings run on cached counts
    (:mod:`policytext.evaluation.themes_transfer`; ``data_dir``: where neighbours are read)."""
    if any(k in cfg for k in _CACHED_KEYS):
        from .themes_transfer import leave_one_source_out_cached

        return leave_one_source_out_cached(rows, cfg, labels, sources, data_dir)
    labels = list(labels)
    Y = themes.binarize([r["labels"] for r in rows], labels)
    pred = np.zeros_like(Y)
    per_source = {}
    for s in sources:
        te = [i for i, r in enumerate(rows) if r["group"] == s]
        tr = [i for i, r in enumerate(rows) if r["group"] != s]
        if not te:
            continue
        pred[te] = fit_predict([rows[i] for i in tr], [rows[i] for i in te], labels, cfg)
        per_source[s] = multilabel_metrics(Y[te], pred[te], labels)
    pooled = multilabel_metrics(Y, pred, labels)
    return {"per_source": per_source, "pooled": pooled, "Y": Y, "pred": pred, "labels": labels}


def _summary_line(name: str, res: dict) -> str:
    parts = [f"{s} {m['micro']['f1']:.3f}" for s, m in res["per_source"].items()]
    macro_src = float(np.mean([m["micro"]["f1"] for m in res["per_source"].values()]))
    return (f"{name:18s} pooled micro {res['pooled']['micro']['f1']:.3f} macro {res['pooled']['macro_f1']:.3f} | "
            f"mean of sources {macro_src:.3f} | " + "  ".join(parts))


def _print_loso(name: str, res: dict) -> None:
    print(_summary_line(name, res))
    print(f"{'label':24s}" + "".join(f"{s:>9s}" for s in res["per_source"]) + f"{'pooled':>9s}{'n':>6s}")
    for lab in res["labels"]:
        cells = []
        for m in res["per_source"].values():
            pl = m["per_label"][lab]
            cells.append(f"{pl['f1']:9.3f}" if pl["support"] else f"{'-':>9s}")
        pl = res["pooled"]["per_label"][lab]
        print(f"{lab:24s}" + "".join(cells) + f"{pl['f1']:9.3f}{pl['support']:6d}")
    print(f"{'micro F1':24s}" + "".join(f"{m['micro']['f1']:9.3f}" for m in res["per_source"].values())
          + f"{res['pooled']['micro']['f1']:9.3f}")
    print(f"{'n':24s}" + "".join(f"{m['n']:9d}" for m in res["per_source"].values()) + f"{res['pooled']['n']:9d}")


def agreement_ids() -> list[str]:
    """The 150 web-page paragraphs set aside for a second, independent annotation pass
    (``corpora/themes/web_agreement_ids.txt``: every paragraph with a theme plus seeded ``other``
    ones, in a shuffled order)."""
    path = web_corpus_path().with_name("web_agreement_ids.txt")
    return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def export_agreement_batch(out: Path, data_dir: Path) -> int:
    """Write the agreement paragraphs' ids and texts (no labels) to ``out`` (JSONL, outside the
    repository: the texts may not be committed) for a second annotator."""
    import json

    texts = {r["id"]: r["text"] for r in load_corpus(web_corpus_path(), data_dir)}
    ids = agreement_ids()
    with open(out, "w", encoding="utf-8") as fh:
        for i in ids:
            fh.write(json.dumps({"id": i, "text": texts[i], "labels": []}, ensure_ascii=False) + "\n")
    return len(ids)


def web_agreement(second: Path) -> dict[str, Any]:
    """Per-label agreement (Cohen's kappa, F1 between passes) of a second pass ``{"id", "labels"}``
    with the labels of ``web_pages.jsonl``."""
    import json

    from .themes import _agreement_stats

    gold = {}
    with open(web_corpus_path(), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                gold[r["id"]] = r["labels"]
    rows = [json.loads(line) for line in open(second, encoding="utf-8") if line.strip()]
    rows = [r for r in rows if r.get("labels")]
    if not rows:
        raise ValueError(Errors.E705.format(path=second))
    return _agreement_stats([gold[r["id"]] for r in rows], [r["labels"] for r in rows])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", help="../shared/data (default: beside the repository)")
    ap.add_argument("--variant", default="shipped", choices=list(VARIANTS))
    ap.add_argument("--compare", nargs="*", metavar="VARIANT",
                    help="LOSO summary of these variants (default: all; no test rows)")
    ap.add_argument("--web-test", action="store_true",
                    help="score the web-page test pages and the corpus test split (look once): with --model that "
                    "model folder, else a model of --variant trained on the pool")
    ap.add_argument("--model", metavar="DIR", help="with --web-test: a saved model folder")
    ap.add_argument("--agreement-export", metavar="OUT",
                    help="write the 150 agreement paragraphs (ids, texts, no labels) to OUT for a second annotator")
    ap.add_argument("--agreement", metavar="SECOND",
                    help="per-label agreement of a second pass (JSONL of id + labels) with web_pages.jsonl")
    ap.add_argument("--own", type=int, metavar="N",
                    help="learning curve: move about N paragraphs (whole documents) of each held-out source into "
                    "training and score the rest, against plain LOSO on the same rest (cached variants only)")
    args = ap.parse_args(argv)
    if args.agreement:
        from .themes import _print_agreement_table

        _print_agreement_table(web_agreement(Path(args.agreement)), "web pages: first vs second pass", "1st", "2nd")
        return 0
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    if args.agreement_export:
        n = export_agreement_batch(Path(args.agreement_export), data_dir)
        print(f"{n} paragraphs written to {args.agreement_export} (texts: do not commit)", file=sys.stderr)
        return 0
    require(data_dir, "data folder the CCTV/web texts are rebuilt from (--data-dir)")
    pool = [] if (args.web_test and args.model) else load_pool(data_dir)
    print(f"pool: {len(pool)} paragraphs; " + ", ".join(f"{k} {v}" for k, v in sorted(Counter(
        r['group'] for r in pool).items())), file=sys.stderr)
    if args.web_test:
        web_test = load_corpus(web_corpus_path(), data_dir, splits={"test"})
        corpus_test = load_corpus(default_corpus_path(), data_dir, splits={"test"})
        labels = list(themes.DEFAULT_LABELS)
        model = themes.load_model(args.model) if args.model else None
        how = f"model {args.model}" if model else f"variant {args.variant} trained on the pool"
        for name, rows in (("web-page test pages", web_test), ("corpus test split", corpus_test)):
            if model is not None:
                res = themes.evaluate(model, [r["text"] for r in rows], [r["labels"] for r in rows])
                m, Y, pred = res["metrics"], res["Y"], res["pred"]
            else:
                for r in rows:
                    r["group"] = "test"
                Y = themes.binarize([r["labels"] for r in rows], labels)
                pred = fit_predict(pool, rows, labels, VARIANTS[args.variant])
                m = multilabel_metrics(Y, pred, labels)
            print(format_report(m, title=f"{name}: {len(rows)} paragraphs, {how}"))
            by = Counter(r.get("genre") or r["source"] for r in rows)
            for src in sorted(by):
                idx = [i for i, r in enumerate(rows) if (r.get("genre") or r["source"]) == src]
                mi = multilabel_metrics(Y[idx], pred[idx], labels)
                print(f"  source {src:7s} n={len(idx):4d} micro-F1 {mi['micro']['f1']:.3f}")
            print()
        return 0
    if args.own:
        from .themes_transfer import own_source_curve

        cfg = VARIANTS["t2s-cached" if args.variant in ("shipped", "t2s") else args.variant]
        res = own_source_curve(pool, cfg, args.own, themes.DEFAULT_LABELS, SOURCES, data_dir)
        labels = list(themes.DEFAULT_LABELS)
        Y = np.vstack([r["Y"] for r in res])
        pooled = [multilabel_metrics(Y, np.vstack([r[k] for r in res]), labels)["micro"]["f1"]
                  for k in ("pred_loso", "pred_own")]
        print(f"about {args.own} paragraphs of the held-out source in training: micro-F1 on the rest, LOSO -> with them")
        print(f"pooled {pooled[0]:.3f} -> {pooled[1]:.3f} | " + "  ".join(
            f"{r['source']} {r['loso']:.3f} -> {r['with_own']:.3f} (+{r['moved']}, rest {r['rest']})" for r in res))
        return 0
    names = (args.compare or list(VARIANTS)) if args.compare is not None else [args.variant]
    for name in names:
        t0 = time.time()
        res = leave_one_source_out(pool, VARIANTS[name], data_dir=data_dir)
        if args.compare is not None:
            print(_summary_line(name, res) + f"  ({time.time() - t0:.0f}s)", flush=True)
        else:
            _print_loso(name, res)
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
