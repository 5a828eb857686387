"""Cross-site cross-validation of the line classifier: does it help on sites it has never seen?

    python scripts/cv_line_classifier.py [--shared ../shared/data] [--folds 10] [--show N]

The pages of the ``train`` and ``dev`` splits of ``corpora/web_lines/labels.tsv`` (the ``test``
split is never read) are cut into ``--folds`` folds *by site* (registered domain; the versions of
one article are one site, ``site_groups``). For each fold a model is trained exactly as
``scripts/train_line_classifier.py`` trains the shipped one, on the other folds' pages plus the
clean official pseudo-pages (threshold by its own inner cross-validation, corpus repetitions from
the training sites only), and ``html`` + ``repair`` + ``normalize`` run on the held-out fold's
pages with that model and with the rules alone. Printed per fold and pooled: furniture/spam/
pinyin-junk removal P/R/F1 (the scoring of ``policytext.evaluation.web``), content characters
lost, real parentheses lost, pages emptied, unflagged garbage. This is the figure to choose
features and threshold by; the ``test`` split is looked at once, at the end.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from policytext.evaluation.web import Scores, load_labels, load_pages, score  # noqa: E402
import policytext.stages.repair.line_model as line_model  # noqa: E402
import numpy as np  # noqa: E402

from train_line_classifier import RepeatTable, official_rows, site_groups, train_model, web_rows  # noqa: E402


def site_folds(groups: set[str], k: int) -> dict[str, int]:
    """Each site to one of ``k`` folds: sites ordered by a hash of their name, dealt round."""
    order = sorted(groups, key=lambda g: hashlib.sha1(("line-cv:" + g).encode()).hexdigest())
    return {g: i % k for i, g in enumerate(order)}


def _add(total: Scores, sc: Scores) -> None:
    for name in ("tp", "fp", "fn", "tn", "content_chars_lost", "parens_lost", "pages", "pages_emptied",
                 "emptied_silently", "garbage_unflagged", "pinyin_left"):
        setattr(total, name, getattr(total, name) + getattr(sc, name))
    for key, items in sc.examples.items():
        total.examples[key].extend(items)


def _row(name: str, sc: Scores) -> str:
    p, r, f = sc.prf()
    return (f"{name:8s} P {p:.3f} R {r:.3f} F1 {f:.3f} (tp {sc.tp:3d} fp {sc.fp} fn {sc.fn:3d}) "
            f"content chars lost {sc.content_chars_lost}, parens lost {sc.parens_lost}, "
            f"emptied {sc.pages_emptied}, garbage {sc.garbage_unflagged}, pinyin left {sc.pinyin_left}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--official-pages", type=int, default=120)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--legacy-repeats", action="store_true",
                    help="corpus repetition as before 8 Dec 2026 (two training pages, own page included)")
    ap.add_argument("--decided-only", action="store_true",
                    help="threshold from the lines the model decides (rules kept, removable) instead of every web line")
    ap.add_argument("--drop", default="", help="comma-separated features left out (weight 0)")
    ap.add_argument("--show", type=int, default=0, help="print the missed and wrongly removed lines (up to N per fold)")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    pages = load_pages(shared)
    labels = [lab for lab in load_labels() if lab.split in ("train", "dev")]
    pool = {lab.page for lab in labels}
    group_of = site_groups(pages)
    fold_of = site_folds({group_of[p] for p in pool}, args.folds)
    official = official_rows(shared, args.official_pages, args.seed)
    shipped = line_model.load_line_model
    pooled = {"model": Scores(), "rules": Scores()}
    drop = frozenset(f for f in args.drop.split(",") if f)
    alone = [0, 0, 0]  # the model alone, pooled: tp, fp, fn
    try:
        for f in range(args.folds):
            held = {p for p in pool if fold_of[group_of[p]] == f}
            model = train_model(pages, labels, pool - held, official, args.C, args.seed,
                                legacy_repeats=args.legacy_repeats, drop=drop, decided_only=args.decided_only)
            # the model alone on every labelled line of the held-out sites (rules as features only)
            Xh, yh, _, _ = web_rows(pages, labels, RepeatTable(pages, pool - held, group_of), held)
            if Xh:
                pred = 1.0 - model.proba(np.asarray(Xh))[:, 0] >= model.threshold
                pos = np.asarray(yh) != 0
                alone[0] += int((pred & pos).sum())
                alone[1] += int((pred & ~pos).sum())
                alone[2] += int((~pred & pos).sum())
            line_model.load_line_model = lambda path=None, _m=model: _m
            fold_labels = [lab for lab in labels if lab.page in held]
            res = {"model": score(pages, fold_labels, "all", rules_only=False),
                   "rules": score(pages, fold_labels, "all", rules_only=True)}
            n_sites = len({group_of[p] for p in held})
            print(f"fold {f}: {len(held)} pages, {n_sites} sites; threshold {model.threshold:.2f}")
            for name, sc in res.items():
                print("  " + _row(name, sc))
                _add(pooled[name], sc)
            if args.show:
                for key in ("missed", "removed content", "content lost", "parenthesis lost", "unflagged garbage"):
                    for x in res["model"].examples.get(key, [])[: args.show]:
                        print(f"    {key}: {x}")
    finally:
        line_model.load_line_model = shipped
    print(f"pooled over {args.folds} site folds ({len(pool)} pages):")
    for name, sc in pooled.items():
        print("  " + _row(name, sc))
    tp, fp, fn = alone
    p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(f"  the model alone on all labelled lines of the held-out sites: P {p:.3f} R {r:.3f} "
          f"F1 {2 * p * r / max(1e-9, p + r):.3f} (tp {tp} fp {fp} fn {fn})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
