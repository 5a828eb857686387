"""``policytext train-themes DATA -o DIR``: train a theme model on your own labelled data."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import Any
from ..errors import Errors

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "train-themes",
        help="train a multi-label theme model on labelled paragraphs",
        description="Train a multi-label theme classifier (character n-gram TF-IDF, one-vs-rest linear "
        "models, calibrated scores, one tuned threshold per label). DATA: JSONL/JSON/CSV with 'text' and "
        "'labels', a Label Studio export (JSON or JSON-MIN) or a doccano export. Prints cross-validated "
        "per-label precision/recall/F1 and writes model.json, weights.npz and MODEL_CARD.md to -o.",
    )
    p.add_argument("data", metavar="DATA", help="labelled file")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="model folder to write")
    p.add_argument("--classifier", choices=("nbsvm", "linearsvc", "logreg"), default="nbsvm",
                   help="nbsvm (default: LinearSVC on naive-Bayes-scaled features, chosen by cross-validation "
                   "and on the dev split), linearsvc or logreg")
    p.add_argument("--C", type=float, default=None,
                   help="regularisation (default: 0.3 for nbsvm, 1.0 for linearsvc, 10 for logreg)")
    p.add_argument("--cv", type=int, default=5, metavar="K", help="cross-validation folds (default 5)")
    p.add_argument("--ngram-max", type=int, default=3, metavar="N", help="longest character n-gram (default 3)")
    p.add_argument("--min-df", type=int, default=2, metavar="N", help="drop n-grams seen in fewer texts (default 2)")
    p.add_argument("--taxonomy", metavar="LABELS", help="comma-separated label ids (default: labels found in DATA)")
    p.add_argument("--splits", metavar="NAMES",
                   help="train only on rows whose 'split' is one of these (e.g. train,dev); rows of other splits are left out")
    p.add_argument("--dev-split", metavar="NAME",
                   help="tune thresholds on rows of this split instead of cross-validation (they join the final fit)")
    p.add_argument("--threshold-shrink", type=float, default=0.0, metavar="S",
                   help="pull per-label thresholds towards one global threshold: 0 = per-label (default), "
                   "1 = global, 0.5 = halfway")
    p.add_argument("--fallback", choices=("other", "best"), default="other",
                   help="a paragraph with no theme over threshold: 'other' (default) or its label with the "
                   "largest score - threshold ('best', may still be other)")
    p.add_argument("--normalize", choices=("none", "t2s"), default="none",
                   help="text normalisation before the n-grams, stored in the model: 't2s' drops pinyin glosses "
                   "(數(shù)) and converts traditional to simplified script (default none)")
    p.add_argument("--data-dir", metavar="DIR", help="../shared/data, to rebuild referenced corpus rows")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..components import themes
    from ..components.themes.data import LabelledDataError, describe_skipped

    try:
        skipped: Counter = Counter()
        rows = themes.read_labelled(args.data, data_dir=args.data_dir, skipped=skipped)
    except (OSError, LabelledDataError, ValueError) as exc:
        print(f"policytext train-themes: error: {exc}", file=sys.stderr)
        return 2
    print(f"read {len(rows)} labelled texts from {args.data}"
          + (f"; skipped {describe_skipped(skipped)}" if skipped else ""), file=sys.stderr)
    if args.splits:
        keep = {s.strip() for s in args.splits.split(",") if s.strip()}
        rows = [r for r in rows if r.get("split") in keep]
    if not 0.0 <= args.threshold_shrink <= 1.0:
        print(f"policytext train-themes: error: {Errors.E220.format(option='--threshold-shrink')}", file=sys.stderr)
        return 2
    taxonomy = [x.strip() for x in args.taxonomy.split(",") if x.strip()] if args.taxonomy else None
    dev = [r for r in rows if args.dev_split and r.get("split") == args.dev_split]
    train_rows = [r for r in rows if not (args.dev_split and r.get("split") == args.dev_split)]
    if len(train_rows) < 4:
        print(f"policytext train-themes: error: {Errors.E454.format(count=len(train_rows))}", file=sys.stderr)
        return 2
    print(f"training on {len(train_rows)} texts" + (f", tuning on {len(dev)} dev texts" if dev else
                                                     f", {args.cv}-fold cross-validation"), file=sys.stderr)
    model, report = themes.train(
        [r["text"] for r in train_rows], [r["labels"] for r in train_rows], taxonomy=taxonomy,
        classifier=args.classifier, C=args.C, cv=args.cv, seed=args.seed, ngram_range=(1, args.ngram_max),
        min_df=args.min_df, dev_texts=[r["text"] for r in dev] if dev else None,
        dev_labels=[r["labels"] for r in dev] if dev else None, data_description=str(args.data),
        threshold_shrink=args.threshold_shrink, fallback=args.fallback,
        normalize=None if args.normalize == "none" else args.normalize)
    title = ("cross-validated (thresholds cross-fitted)" if report["mode"] == "cv"
             else f"dev split '{args.dev_split}' (thresholds tuned on it: optimistic)")
    print(themes.format_report(report["metrics"], title=f"per-label metrics, {title}"))
    out = model.save(args.output)
    themes.write_model_card(model, out, report, data=str(args.data))
    print(f"model written to {out}", file=sys.stderr)
    return 0
