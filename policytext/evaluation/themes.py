"""Evaluate the theme model on the held-out test split of ``corpora/themes``.

    python -m policytext.evaluation.themes                 # shipped model on the test split
    python -m policytext.evaluation.themes --compare       # nbsvm vs linearsvc vs logreg on dev (no test)
    python -m policytext.evaluation.themes --cv-select     # the same by 10-fold CV over train+dev (no test)
    python -m policytext.evaluation.themes --cv-grid       # the selection grid of docs/themes.md (no test)
    python -m policytext.evaluation.themes --cv-border     # before/after annotator C's rows, per theme (no test)
    python -m policytext.evaluation.themes --cv-border --annotator D   # the same for annotator D's rows
    python -m policytext.evaluation.themes --select        # threshold strategies on dev (no test data)
    python -m policytext.evaluation.themes --agreement     # annotation agreement (independent + same-annotator)

The test split is never used for training or threshold tuning. Texts of CCTV/pkulaw/sample rows
are rebuilt from ``../shared/data`` (``--data-dir``); without it the command says so and stops.

Needs ``corpora/themes`` and ``../shared/data`` (``--data-dir``: the CCTV and pkulaw texts of the test split): data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from ..components import themes
from ..components.themes.corpus import default_corpus_path, default_data_dir, load_corpus
from policytext.evaluation._data import require, run

__all__ = ["main", "agreement", "independent_agreement"]


def _agreement_stats(first: list[list[str]], second: list[list[str]]) -> dict:
    """Micro-F1, exact-set rate and per-label Cohen's kappa between two annotations of the same rows."""
    import numpy as np

    labels = themes.DEFAULT_LABELS
    A = themes.binarize(first, labels)
    B = themes.binarize(second, labels)
    per = {}
    for k, lab in enumerate(labels):
        a, b = A[:, k], B[:, k]
        po = float(np.mean(a == b))
        pe = float(a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean()))
        kappa = (po - pe) / (1 - pe) if pe < 1 else 1.0
        both = int(np.sum(a & b))
        either = int(np.sum(a | b))
        per[lab] = {"first": int(a.sum()), "second": int(b.sum()), "both": both,
                    "f1_agreement": round(2 * both / (a.sum() + b.sum()), 3) if a.sum() + b.sum() else None,
                    "kappa": round(kappa, 3), "jaccard": round(both / either, 3) if either else None}
    tp = int(np.sum(A & B))
    micro = 2 * tp / (A.sum() + B.sum())
    exact = float(np.mean(np.all(A == B, axis=1)))
    kappas = [m["kappa"] for m in per.values() if m["first"] + m["second"]]
    return {"n": len(first), "micro_f1_agreement": round(float(micro), 4), "exact_match": round(exact, 4),
            "mean_kappa": round(float(np.mean(kappas)), 3), "per_label": per}


def agreement(path: Path | None = None) -> dict:
    """Same-annotator inter-pass agreement from ``corpora/themes/agreement.jsonl`` (first vs second
    pass, both by the first annotator in one session: self-consistency, not independence)."""
    path = path or default_corpus_path().with_name("agreement.jsonl")
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    return _agreement_stats([r["first"] for r in rows], [r["second"] for r in rows])


def independent_agreement(path: Path | None = None, corpus: Path | None = None) -> dict:
    """Agreement between the gold labels of ``annotations.jsonl`` (first annotator) and the
    independent second annotation ``corpora/themes/agreement_independent.jsonl`` (a different
    annotator who never saw the first labels). Adds the disagreeing ids."""
    corpus = corpus or default_corpus_path()
    path = path or corpus.with_name("agreement_independent.jsonl")
    gold = {}
    for line in open(corpus, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            gold[r["id"]] = r["labels"]
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    first = [gold[r["id"]] for r in rows]
    second = [r["labels"] for r in rows]
    res = _agreement_stats(first, second)
    res["disagreements"] = [{"id": r["id"], "first": sorted(a), "independent": sorted(b)}
                            for r, a, b in zip(rows, first, second) if set(a) != set(b)]
    return res


def _print_agreement_table(res: dict, head: str, n1: str, n2: str) -> None:
    print(f"{head} on {res['n']} paragraphs: micro-F1 {res['micro_f1_agreement']:.3f}, "
          f"identical label sets {res['exact_match']:.3f}, mean kappa {res['mean_kappa']:.3f}")
    print(f"{'label':24s} {n1:>5s} {n2:>5s} {'both':>5s} {'F1':>6s} {'kappa':>6s}")
    for lab, m in res["per_label"].items():
        f1 = "" if m["f1_agreement"] is None else f"{m['f1_agreement']:.3f}"
        print(f"{lab:24s} {m['first']:5d} {m['second']:5d} {m['both']:5d} {f1:>6s} {m['kappa']:6.3f}")


def _print_agreement() -> int:
    ind_path = default_corpus_path().with_name("agreement_independent.jsonl")
    if ind_path.exists():
        res = independent_agreement(ind_path)
        _print_agreement_table(res, "independent agreement (annotator A gold vs annotator B)", "A", "B")
        print("disagreements: " + "; ".join(
            f"{d['id']} A={','.join(d['first'])} B={','.join(d['independent'])}" for d in res["disagreements"]))
        print()
    _print_agreement_table(agreement(), "same-annotator inter-pass agreement (not independent)", "pass1", "pass2")
    return 0


#: batch-id prefixes of the later annotators' training rows (annotator A: every other batch)
LATER_ANNOTATORS = {"B": "e", "C": "f", "D": "g"}


def _annotator(row: dict) -> str:
    """The annotator of a corpus row: ``B``/``C``/``D`` by batch prefix, else ``A``."""
    batch = str(row.get("batch") or "")
    for name, prefix in LATER_ANNOTATORS.items():
        if batch.startswith(prefix):
            return name
    return "A"


def _first_annotator(row: dict) -> bool:
    """Whether a corpus row is by the first annotator A (the population the dev and test splits
    were drawn from): batches ``e*``, ``f*``, ``g*`` are annotators B's, C's and D's training rows."""
    return _annotator(row) == "A"


def _compare(data_dir: Path) -> int:
    """The classifiers compared on dev, test never loaded: each is trained on ``train`` with
    thresholds from 10-fold cross-validation on ``train`` (shrink 0.75, fallback ``best``, the
    shipped tuning) and scored on ``dev``."""
    train = load_corpus(data_dir=data_dir, splits={"train"})
    dev = load_corpus(data_dir=data_dir, splits={"dev"})
    print(f"train {len(train)} / dev {len(dev)} paragraphs; thresholds from 10-fold CV on train, scored on dev")
    for clf in themes.CLASSIFIERS:
        t0 = time.time()
        model, rep = themes.train([r["text"] for r in train], [r["labels"] for r in train],
                                  taxonomy=themes.DEFAULT_LABELS, classifier=clf, cv=10,
                                  threshold_shrink=0.75, fallback="best")
        ev = themes.evaluate(model, [r["text"] for r in dev], [r["labels"] for r in dev])["metrics"]
        print(f"{clf:10s} train-CV micro-F1 {rep['metrics']['micro']['f1']:.3f}  dev micro-F1 {ev['micro']['f1']:.3f}  "
              f"dev macro-F1 {ev['macro_f1']:.3f}  ({time.time() - t0:.0f}s)", flush=True)
    return 0


def _cv_select(data_dir: Path, folds: int = 10) -> int:
    """Classifiers compared by ``folds``-fold cross-validation over train + dev (test never
    loaded), thresholds cross-fitted, shrink 0.75, fallback ``best``. Besides all rows, the
    metrics are reported on the rows of the first annotator (batches not starting with ``e``/``f``:
    the distribution the test split was drawn from and labelled like)."""
    import numpy as np

    rows = load_corpus(data_dir=data_dir, splits={"train", "dev"})
    first = np.array([_first_annotator(r) for r in rows])
    print(f"train+dev {len(rows)} paragraphs ({int(first.sum())} by annotator A); {folds}-fold CV, "
          f"thresholds cross-fitted")
    for clf in themes.CLASSIFIERS:
        t0 = time.time()
        res = themes.cross_validate([r["text"] for r in rows], [r["labels"] for r in rows],
                                    taxonomy=themes.DEFAULT_LABELS, classifier=clf, cv=folds,
                                    threshold_shrink=0.75, fallback="best")
        ma = themes.multilabel_metrics(res["Y"][first], res["pred"][first], res["labels"])
        print(f"{clf:10s} CV micro-F1 {res['metrics']['micro']['f1']:.3f} (all rows)  "
              f"{ma['micro']['f1']:.3f} / macro-F1 {ma['macro_f1']:.3f} (annotator-A rows)  "
              f"({time.time() - t0:.0f}s)", flush=True)
    return 0


# (name, classifier, C, ngram_range, training folds include the later annotators' rows: B's and C's)
GRID = [
    ("linearsvc C=1, without B's rows", "linearsvc", 1.0, (1, 3), False),
    ("linearsvc C=1", "linearsvc", 1.0, (1, 3), True),
    ("nbsvm C=0.1", "nbsvm", 0.1, (1, 3), True),
    ("nbsvm C=0.3 (shipped)", "nbsvm", 0.3, (1, 3), True),
    ("nbsvm C=1", "nbsvm", 1.0, (1, 3), True),
    ("nbsvm C=3", "nbsvm", 3.0, (1, 3), True),
    ("nbsvm C=0.3, char 1-4-grams", "nbsvm", 0.3, (1, 4), True),
]


def _cv_grid(data_dir: Path, folds: int = 10) -> int:
    """The model-selection grid of docs/themes.md: ``folds``-fold CV over train + dev (test never
    loaded), one vectoriser per fold shared by the variants, thresholds cross-fitted (shrink 0.5 /
    0.75 / 1.0, fallback ``best``), metrics on the first annotator's rows. Also the sum of the
    standardised NBSVM and LinearSVC scores."""
    import numpy as np

    from ..components.themes import model as M

    rows = load_corpus(data_dir=data_dir, splits={"train", "dev"})
    first = np.array([_first_annotator(r) for r in rows])
    texts = [r["text"] for r in rows]
    labels = themes.DEFAULT_LABELS
    Y = M.binarize([r["labels"] for r in rows], labels)
    fold = M._folds(len(rows), folds, 0)
    Z = {g[0]: np.zeros(Y.shape) for g in GRID}
    t0 = time.time()
    for f in range(folds):
        te = np.where(fold == f)[0]
        for ngram in sorted({g[3] for g in GRID}):
            for with_b in sorted({g[4] for g in GRID if g[3] == ngram}):
                tr = np.where((fold != f) & (True if with_b else first))[0]
                vec, X = M._fit_vectorizer([texts[i] for i in tr], ngram, 2, None)
                Xte = vec.transform([texts[i] for i in te])
                for name, clf, C, ng, wb in GRID:
                    if ng == ngram and wb == with_b:
                        coef, b = M._fit_linear(X, Y[tr], clf, C, 0)
                        Z[name][te] = np.asarray(Xte @ coef.T) + b
        print(f"  fold {f + 1}/{folds} ({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)

    def std(z):
        return z / np.maximum(z.std(axis=0), 1e-12)

    Z["nbsvm C=0.3 + linearsvc C=1 (standardised sum)"] = std(Z["nbsvm C=0.3 (shipped)"]) + std(Z["linearsvc C=1"])
    print(f"train+dev {len(rows)} paragraphs, {int(first.sum())} by annotator A (metrics on those); "
          f"{folds}-fold CV, thresholds cross-fitted, fallback best")
    print(f"{'variant':48s} " + "  ".join(f"shrink {s}: micro/macro" for s in (0.5, 0.75, 1.0)))
    for name, z in Z.items():
        no_b = name.endswith("without B's rows")
        out = []
        for shrink in (0.5, 0.75, 1.0):
            pred = np.zeros_like(Y)
            for f in range(folds):
                tune = (fold != f) & (first if no_b else True)
                te = fold == f
                a, b, t = M._calibrate_and_tune(z[tune], Y[tune], labels, shrink)
                pred[te] = M._assign_matrix(M._sigmoid(a * z[te] + b), t, labels, "best")
            m = themes.multilabel_metrics(Y[first], pred[first], labels)
            out.append(f"{m['micro']['f1']:.3f} / {m['macro_f1']:.3f}")
        print(f"{name:48s} " + "            ".join(out), flush=True)
    return 0


def _relabeller(relabelled: dict) -> str | None:
    """Who made a recorded relabel: the ``by`` field, else "(annotator X)" in ``why``."""
    if relabelled.get("by"):
        return str(relabelled["by"])
    m = re.search(r"annotator ([A-Z])", str(relabelled.get("why") or ""))
    return m.group(1) if m else None


def _border_data(data_dir: Path, annotator: str) -> tuple[list[dict], list[dict], dict[str, list[str]]]:
    """Train + dev rows (test never loaded) *before* and *after* ``annotator``'s border work, and
    the previous labels of the rows that annotator relabelled. Rows of annotators later than
    ``annotator`` are left out of both, and their relabels reverted, so the comparison stays the
    one that was made at the time."""
    order = list(LATER_ANNOTATORS)
    later = set(order[order.index(annotator) + 1:])
    raw = {}
    with open(default_corpus_path(), encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                r = json.loads(line)
                raw[r["id"]] = r
    relabels = {i: r["relabelled"] for i, r in raw.items() if isinstance(r.get("relabelled"), dict)}
    mine = {i: list(v["from"]) for i, v in relabels.items() if _relabeller(v) == annotator}
    theirs = {i: list(v["from"]) for i, v in relabels.items() if _relabeller(v) in later}
    after = [dict(r, labels=theirs.get(r["id"], r["labels"])) for r in load_corpus(data_dir=data_dir, splits={"train", "dev"})
             if _annotator(r) not in later]
    before = [dict(r, labels=mine.get(r["id"], r["labels"])) for r in after if _annotator(r) != annotator]
    return before, after, mine


def _cv_border(data_dir: Path, annotator: str = "C", folds: int = 10, seeds: tuple[int, ...] = (0, 1, 2),
               C: float | None = 0.3) -> int:
    """The digital_transformation border work of docs/themes.md, by cross-validation over train +
    dev only (test never loaded): the shipped configuration (nbsvm, ``C``, shrink 0.75, fallback
    ``best``) trained *before* (without ``annotator``'s batches and with the rows it relabelled
    carrying their previous labels) and *after* (with them), ``folds``-fold CV for each seed in
    ``seeds``. Per-theme F1, averaged over the seeds, on the first annotator's rows scored against
    their labels before that annotator's relabels ("orig") and current labels ("cur"), and on all
    rows; then per-theme precision/recall/F1 before and after on the first annotator's rows."""
    import numpy as np

    before, after, previous = _border_data(data_dir, annotator)
    labels = themes.DEFAULT_LABELS
    print(f"annotator {annotator}: before: {len(before)} rows; after: {len(after)} rows "
          f"({len(after) - len(before)} by annotator {annotator}, {len(previous)} relabelled); "
          f"{folds}-fold CV, seeds {seeds}, nbsvm C={C}", flush=True)
    scores: dict[tuple[str, str], list[dict]] = {}
    for name, rows in (("before", before), ("after", after)):
        texts = [r["text"] for r in rows]
        first = np.array([_first_annotator(r) for r in rows])
        cur = themes.binarize([r["labels"] for r in rows], labels)
        orig = themes.binarize([previous.get(r["id"], r["labels"]) for r in rows], labels)
        for seed in seeds:
            t0 = time.time()
            res = themes.cross_validate(texts, [r["labels"] for r in rows], taxonomy=labels, classifier="nbsvm",
                                        C=C, cv=folds, seed=seed, threshold_shrink=0.75, fallback="best")
            for key, Y, mask in (("A orig", orig, first), ("A cur", cur, first), ("all", cur, np.ones(len(rows), bool))):
                scores.setdefault((name, key), []).append(themes.multilabel_metrics(Y[mask], res["pred"][mask], labels))
            print(f"  {name} seed {seed}: digital_transformation F1 on A rows (orig) "
                  f"{scores[(name, 'A orig')][-1]['per_label']['digital_transformation']['f1']:.3f} ({time.time() - t0:.0f}s)",
                  file=sys.stderr, flush=True)
    cols = [("before", "A orig"), ("after", "A orig"), ("after", "A cur"), ("before", "all"), ("after", "all")]

    def mean(col, get):
        return float(np.mean([get(m) for m in scores[col]]))

    print(f"{'label':24s} {'A rows: before':>14s} {'after(orig)':>11s} {'after(cur)':>10s} | "
          f"{'all rows: before':>16s} {'after':>6s}")
    for lab in labels:
        v = [mean(c, lambda m: m["per_label"][lab]["f1"]) for c in cols]
        print(f"{lab:24s} {v[0]:14.3f} {v[1]:11.3f} {v[2]:10.3f} | {v[3]:16.3f} {v[4]:6.3f}")
    for title, get in (("micro F1", lambda m: m["micro"]["f1"]), ("macro F1", lambda m: m["macro_f1"])):
        v = [mean(c, get) for c in cols]
        print(f"{title:24s} {v[0]:14.3f} {v[1]:11.3f} {v[2]:10.3f} | {v[3]:16.3f} {v[4]:6.3f}")
    print(f"\nA rows (orig labels), mean of seeds: precision / recall / F1 before -> after")
    for lab in labels:
        b = [mean(("before", "A orig"), lambda m, k=k: m["per_label"][lab][k]) for k in ("precision", "recall", "f1")]
        a = [mean(("after", "A orig"), lambda m, k=k: m["per_label"][lab][k]) for k in ("precision", "recall", "f1")]
        print(f"{lab:24s} {b[0]:.3f} {b[1]:.3f} {b[2]:.3f} -> {a[0]:.3f} {a[1]:.3f} {a[2]:.3f}")
    per_seed = " / ".join(f"{b['per_label']['digital_transformation']['f1']:.3f} -> {a['per_label']['digital_transformation']['f1']:.3f}"
                          for b, a in zip(scores[("before", "A orig")], scores[("after", "A orig")]))
    print(f"digital_transformation on A rows (orig) per seed: {per_seed}")
    return 0


# threshold strategies compared by --select (thresholds from cross-validation on train, scored on dev)
SELECT_CONFIGS = [
    {"cv": 5},
    {"cv": 5, "fallback": "best"},
    {"cv": 5, "threshold_shrink": 0.5},
    {"cv": 5, "threshold_shrink": 0.5, "fallback": "best"},
    {"cv": 10, "threshold_shrink": 0.75, "fallback": "best"},
    {"cv": 10, "threshold_shrink": 1.0, "fallback": "best"},
]


def _select(data_dir: Path) -> int:
    """Model selection without the test split: each configuration is trained on ``train`` with
    thresholds from cross-validation on ``train`` (so dev is never used for tuning) and scored on
    ``dev``. The test split is not loaded."""
    train = load_corpus(data_dir=data_dir, splits={"train"})
    dev = load_corpus(data_dir=data_dir, splits={"dev"})
    print(f"train {len(train)} / dev {len(dev)} paragraphs; thresholds from CV on train, scored on dev")
    for cfg in SELECT_CONFIGS:
        t0 = time.time()
        model, rep = themes.train([r["text"] for r in train], [r["labels"] for r in train],
                                  taxonomy=themes.DEFAULT_LABELS, **cfg)
        ev = themes.evaluate(model, [r["text"] for r in dev], [r["labels"] for r in dev])["metrics"]
        desc = ", ".join(f"{k}={v}" for k, v in cfg.items())
        print(f"{desc:50s} train-CV micro-F1 {rep['metrics']['micro']['f1']:.3f}  dev micro-F1 "
              f"{ev['micro']['f1']:.3f}  dev macro-F1 {ev['macro_f1']:.3f}  ({time.time() - t0:.0f}s)", flush=True)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m policytext.evaluation.themes", description=__doc__.split("\n")[0])
    ap.add_argument("--model", help="model folder (default: models/themes)")
    ap.add_argument("--data-dir", help="../shared/data (default: beside the repository)")
    ap.add_argument("--chart", help="save the evaluation chart to this PNG")
    ap.add_argument("--compare", action="store_true",
                    help="compare the classifiers on dev (trained on train, CV thresholds; test never loaded)")
    ap.add_argument("--cv-grid", action="store_true",
                    help="the model-selection grid of docs/themes.md by 10-fold CV over train+dev (test never loaded)")
    ap.add_argument("--cv-select", action="store_true",
                    help="compare the classifiers by 10-fold CV over train+dev (test never loaded)")
    ap.add_argument("--cv-border", action="store_true",
                    help="per-theme CV before/after an annotator's digital_transformation rows (test never loaded)")
    ap.add_argument("--annotator", default="C", choices=list(LATER_ANNOTATORS),
                    help="whose rows --cv-border compares (C: batches f*, D: batches g*; default C)")
    ap.add_argument("--select", action="store_true",
                    help="compare threshold strategies on dev (thresholds from CV on train; test never loaded)")
    ap.add_argument("--agreement", action="store_true", help="print inter-pass annotation agreement")
    args = ap.parse_args(argv)
    if args.agreement:
        return _print_agreement()
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    require(data_dir, "data folder the test split's CCTV/pkulaw texts are rebuilt from (--data-dir)")
    if args.compare:
        return _compare(data_dir)
    if args.select:
        return _select(data_dir)
    if args.cv_select:
        return _cv_select(data_dir)
    if args.cv_grid:
        return _cv_grid(data_dir)
    if args.cv_border:
        return _cv_border(data_dir, args.annotator)
    rows = load_corpus(data_dir=data_dir, splits={"test"})
    model = themes.get_model(args.model)
    t0 = time.time()
    res = themes.evaluate(model, [r["text"] for r in rows], [r["labels"] for r in rows])
    dt = time.time() - t0
    print(themes.format_report(res["metrics"], title=f"test split: {len(rows)} paragraphs "
                                                     f"(never used for training or threshold tuning)"))
    tg = themes.check_targets(res["metrics"])
    print(f"target micro-F1 >= 0.85: {'met' if tg['micro_ok'] else 'NOT met'} ({tg['micro_f1']:.3f})")
    print("target F1 >= 0.70 for labels with >= 20 test paragraphs: " +
          ("met" if tg["labels_ok"] else "NOT met: " + ", ".join(f"{k} {v:.3f}" for k, v in tg["labels_below_target"].items())))
    by_source: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        by_source.setdefault(r["source"], []).append(i)
    for src, idx in sorted(by_source.items()):
        m = themes.multilabel_metrics(res["Y"][idx], res["pred"][idx], res["labels"])
        print(f"  source {src:7s} n={len(idx):4d} micro-F1 {m['micro']['f1']:.3f}")
    print(f"prediction time: {dt:.2f}s for {len(rows)} paragraphs")
    if args.chart:
        themes.save_chart(res["metrics"], res["Y"], res["pred"], res["labels"], args.chart,
                          title="default theme model, test split")
        print(f"chart saved to {args.chart}")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
