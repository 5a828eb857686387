#!/usr/bin/env python
"""Train the shipped theme model (models/themes) from the annotated corpora.

Training rows: ``corpora/themes/annotations.jsonl`` splits train + dev and the ``train`` pages of
``corpora/themes/web_pages.jsonl`` (texts rebuilt from ../shared/data). Settings: nbsvm C=0.3,
10-fold cross-validated calibration and thresholds, threshold shrink 0.75, fallback ``best``,
text normalisation ``t2s``. The corpus ``test`` split and the web ``test`` pages are never read.

    python scripts/train_default_themes.py [-o models/themes] [--normalize none|t2s] [--no-web]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policytext.components import themes  # noqa: E402
from policytext.evaluation.themes_by_source import load_pool  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", default=str(ROOT / "models" / "themes"))
    ap.add_argument("--normalize", choices=("none", "t2s"), default="t2s")
    ap.add_argument("--no-web", action="store_true", help="leave the web-page training pages out")
    ap.add_argument("--cv", type=int, default=10)
    args = ap.parse_args(argv)
    rows = load_pool(web_splits=() if args.no_web else ("train",))
    counts = Counter(r["group"] for r in rows)
    t0 = time.time()
    model, report = themes.train(
        [r["text"] for r in rows], [r["labels"] for r in rows], taxonomy=themes.DEFAULT_TAXONOMY,
        classifier="nbsvm", C=0.3, cv=args.cv, seed=0, threshold_shrink=0.75, fallback="best",
        normalize=None if args.normalize == "none" else args.normalize,
        data_description="corpora/themes/annotations.jsonl (train+dev)"
        + ("" if args.no_web else " + corpora/themes/web_pages.jsonl (train pages)"))
    print(themes.format_report(report["metrics"], title=f"{len(rows)} rows ({dict(counts)}), "
                               f"{args.cv}-fold CV, thresholds cross-fitted"))
    out = model.save(args.output)
    themes.write_model_card(model, out, report, data=model.meta["data"])
    print(f"model written to {out} ({time.time() - t0:.0f}s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
