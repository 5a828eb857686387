"""Evaluate the theme model on the held-out test split of ``corpora/themes``.

    python -m policytext.evaluation.themes                 # shipped model on the test split
    python -m policytext.evaluation.themes --compare       # logreg vs linearsvc, chosen on dev
    python -m policytext.evaluation.themes --select        # threshold strategies on dev (no test data)
    python -m policytext.evaluation.themes --agreement     # inter-pass agreement of the annotation

The test split is never used for training or threshold tuning. Texts of CCTV/pkulaw/sample rows
are rebuilt from ``../shared/data`` (``--data-dir``); without it the command says so and stops.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..components import themes
from ..components.themes.corpus import default_corpus_path, default_data_dir, load_corpus

__all__ = ["main", "agreement"]


def agreement(path: Path | None = None) -> dict:
    """Inter-pass agreement from ``corpora/themes/agreement.jsonl`` (first vs second pass)."""
    import numpy as np

    path = path or default_corpus_path().with_name("agreement.jsonl")
    rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    labels = themes.DEFAULT_LABELS
    A = themes.binarize([r["first"] for r in rows], labels)
    B = themes.binarize([r["second"] for r in rows], labels)
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
    return {"n": len(rows), "micro_f1_agreement": round(float(micro), 4), "exact_match": round(exact, 4),
            "per_label": per}


def _print_agreement() -> int:
    res = agreement()
    print(f"inter-pass agreement on {res['n']} paragraphs: micro-F1 {res['micro_f1_agreement']:.3f}, "
          f"identical label sets {res['exact_match']:.3f}")
    print(f"{'label':24s} {'pass1':>5s} {'pass2':>5s} {'both':>5s} {'F1':>6s} {'kappa':>6s}")
    for lab, m in res["per_label"].items():
        f1 = "" if m["f1_agreement"] is None else f"{m['f1_agreement']:.3f}"
        print(f"{lab:24s} {m['first']:5d} {m['second']:5d} {m['both']:5d} {f1:>6s} {m['kappa']:6.3f}")
    return 0


def _compare(data_dir: Path) -> int:
    train = load_corpus(data_dir=data_dir, splits={"train"})
    dev = load_corpus(data_dir=data_dir, splits={"dev"})
    test = load_corpus(data_dir=data_dir, splits={"test"})
    for clf in themes.CLASSIFIERS:
        t0 = time.time()
        model, rep = themes.train([r["text"] for r in train], [r["labels"] for r in train],
                                  taxonomy=themes.DEFAULT_LABELS, classifier=clf,
                                  dev_texts=[r["text"] for r in dev], dev_labels=[r["labels"] for r in dev])
        # a model fitted on train only, scored on dev with its own thresholds: the selection criterion
        dev_micro = rep["metrics"]["micro"]["f1"]
        ev = themes.evaluate(model, [r["text"] for r in test], [r["labels"] for r in test])
        print(f"{clf:10s} dev micro-F1 {dev_micro:.3f} (selection; thresholds tuned on dev)  "
              f"test micro-F1 {ev['metrics']['micro']['f1']:.3f}  macro-F1 {ev['metrics']['macro_f1']:.3f}  "
              f"({time.time() - t0:.0f}s)")
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
    ap.add_argument("--compare", action="store_true", help="train logreg and linearsvc on train, select on dev")
    ap.add_argument("--select", action="store_true",
                    help="compare threshold strategies on dev (thresholds from CV on train; test never loaded)")
    ap.add_argument("--agreement", action="store_true", help="print inter-pass annotation agreement")
    args = ap.parse_args(argv)
    if args.agreement:
        return _print_agreement()
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    if not data_dir.is_dir():
        print(f"{data_dir} not found: the test split's CCTV/pkulaw texts are rebuilt from it (--data-dir)",
              file=sys.stderr)
        return 1
    if args.compare:
        return _compare(data_dir)
    if args.select:
        return _select(data_dir)
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
    sys.exit(main())
