"""``policytext evaluate-themes DATA --model DIR``: report and chart on a labelled file."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any
from ..errors import Errors

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "evaluate-themes",
        help="evaluate a theme model on labelled paragraphs (report + chart)",
        description="Evaluate a theme model on a labelled file (same formats as train-themes). Prints "
        "per-label precision/recall/F1 and saves a chart (per-label bars + gold x predicted matrix) as PNG.",
    )
    p.add_argument("data", metavar="DATA", help="labelled file")
    p.add_argument("--model", metavar="DIR", help="model folder (default: the shipped model)")
    p.add_argument("--chart", metavar="PNG", default="themes_evaluation.png", help="chart path (default themes_evaluation.png)")
    p.add_argument("--split", metavar="NAME", help="evaluate only rows whose 'split' is NAME (e.g. test)")
    p.add_argument("--data-dir", metavar="DIR", help="../shared/data, to rebuild referenced corpus rows")
    p.add_argument("--json", metavar="FILE", help="also write the metrics as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..components import themes
    from ..components.themes.data import LabelledDataError, describe_skipped

    try:
        skipped: Counter = Counter()
        rows = themes.read_labelled(args.data, data_dir=args.data_dir, skipped=skipped)
        model = themes.get_model(args.model)
    except (OSError, LabelledDataError, ValueError) as exc:
        print(f"policytext evaluate-themes: error: {exc}", file=sys.stderr)
        return 2
    print(f"read {len(rows)} labelled texts from {args.data}"
          + (f"; skipped {describe_skipped(skipped)}" if skipped else ""), file=sys.stderr)
    if args.split:
        rows = [r for r in rows if r.get("split") == args.split]
    if not rows:
        print(f"policytext evaluate-themes: error: {Errors.E221}", file=sys.stderr)
        return 2
    res = themes.evaluate(model, [r["text"] for r in rows], [r["labels"] for r in rows])
    print(themes.format_report(res["metrics"], title=f"{len(rows)} labelled texts, model {args.model or 'default'}"))
    chart = themes.save_chart(res["metrics"], res["Y"], res["pred"], res["labels"], args.chart,
                              title=f"{Path(args.data).name}: {len(rows)} texts")
    print(f"chart saved to {chart}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps(res["metrics"], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0
