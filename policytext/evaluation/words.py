"""Word-segmentation evaluation: SIGHAN 2005 PKU test gold and policy domain terms.

``python -m policytext.evaluation.words [--data DIR] [--limit N] [--json]`` prints, in one run on
the same text:

1. **PKU test** (``../shared/data/sighan2005_icwb2/pku_test_gold.utf8``, 1,944 lines of People's
   Daily 2000/2001, never used for training or tuning): word precision, recall, F1 and OOV recall
   (OOV = a gold word not in the official PKU training word list, as the bakeoff's ``score``
   script counts it) for our segmenter with the shipped policy dictionary and idioms, the model
   with the idioms only, our model without any dictionary (pkuseg's own behaviour) and jieba's
   precise mode (``jieba.lcut(text)``, HMM on).
2. **Domain terms**: the 300 names of ``corpora/words/domain_terms.txt`` (drawn at random with a
   fixed seed from the entity gazetteers by ``--draw-terms``, never tuned on), each put in three
   carrier sentences; a term is *whole* when the output has a word boundary at both of its edges
   and none inside, in all three. Scored for the shipped segmenter (the terms are in its
   dictionary, so this checks the dictionary takes effect in context), the segmenter with those
   300 terms held out of the dictionary (how it does on policy names it was not given), the model
   without dictionary, and jieba.

Speed is in ``benchmarks/bench_words.py``.

Needs ``../shared/data/sighan2005_icwb2`` (``--data``) and ``corpora/words/domain_terms.txt``: data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from pathlib import Path
from typing import Callable
from policytext.evaluation._data import CORPORA, SHARED_DATA, require, run

DATA = SHARED_DATA / "sighan2005_icwb2"
TERMS = CORPORA / "words" / "domain_terms.txt"
#: Gazetteer file -> number of terms drawn from it (300 in all).
TERM_QUOTAS = {"gov_bodies.tsv": 110, "laws.tsv": 80, "programs.tsv": 40, "regions.tsv": 40, "events.tsv": 30}
TERM_SEED = 24
CARRIERS = ("会议指出，{}要认真落实有关部署。", "近日，{}的相关情况引起广泛关注", "根据{}，各地加快推进。")

Cutter = Callable[[str], list[str]]
Span = tuple[int, int]


def spans_of(words: list[str]) -> set[Span]:
    """Spans of consecutive words (whitespace-free text)."""
    out, i = set(), 0
    for w in words:
        out.add((i, i + len(w)))
        i += len(w)
    return out


def read_gold(path: Path) -> list[list[str]]:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if words:
            lines.append(words)
    return lines


def score_pku(cut: Cutter, gold: list[list[str]], vocabulary: set[str]) -> dict[str, float]:
    """Word P/R/F1 and OOV recall of ``cut`` on gold lines (each scored on its joined text)."""
    n_gold = n_pred = n_ok = n_oov = n_oov_ok = n_chars = 0
    mismatched = 0
    t0 = time.perf_counter()
    for words in gold:
        text = "".join(words)
        n_chars += len(text)
        pred_words = [w for w in cut(text) if w.strip()]
        if "".join(pred_words) != text:
            mismatched += 1
        pred = spans_of(pred_words)
        i = 0
        for w in words:
            span = (i, i + len(w))
            i += len(w)
            hit = span in pred
            n_ok += hit
            if w not in vocabulary:
                n_oov += 1
                n_oov_ok += hit
        n_gold += len(words)
        n_pred += len(pred)
    took = time.perf_counter() - t0
    p, r = n_ok / max(n_pred, 1), n_ok / max(n_gold, 1)
    return {"P": p, "R": r, "F1": 2 * p * r / max(p + r, 1e-12), "OOV_R": n_oov_ok / max(n_oov, 1),
            "oov_words": n_oov, "gold_words": n_gold, "lines_not_covering_text": mismatched,
            "chars_per_s": n_chars / took}


def draw_terms() -> list[str]:
    """The fixed random draw of domain terms from the gazetteers (``TERM_QUOTAS``, seed ``TERM_SEED``)."""
    from policytext.components.entities.gazetteer import DATA_DIR, load_tsv

    rng = random.Random(TERM_SEED)
    terms: list[str] = []
    for name, quota in TERM_QUOTAS.items():
        names = sorted({n for n, _ in load_tsv(DATA_DIR / name, allow_o=True) if len(n) >= 2} - set(terms))
        terms.extend(rng.sample(names, min(quota, len(names))))
    return terms


def load_terms(path: Path = TERMS) -> list[str]:
    return [l.strip() for l in path.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]


def score_terms(cut: Cutter, terms: list[str]) -> dict[str, object]:
    """Share of ``terms`` kept whole in every carrier sentence, and the ones cut."""
    cut_terms = []
    for term in terms:
        for carrier in CARRIERS:
            text = carrier.format(term)
            start = carrier.index("{}")
            bounds = set()
            i = 0
            for w in cut(text):
                bounds.add(i)
                i += len(w)
            bounds.add(i)
            inside = any(b in bounds for b in range(start + 1, start + len(term)))
            if start not in bounds or start + len(term) not in bounds or inside:
                cut_terms.append(term)
                break
    return {"whole": 1 - len(cut_terms) / max(len(terms), 1), "terms": len(terms), "cut": cut_terms}


def cutters(terms: list[str], compare: Path | None = None) -> dict[str, Cutter]:
    """The segmenters compared: ours (shipped dictionary and idioms), ours with the terms held out,
    the model with idioms only, the model without dictionary, and jieba (precise mode) when
    installed. ``compare``: another model folder (an earlier model) scored the same three ways
    first, so before and after come from one run."""
    from policytext.words import Segmenter

    out: dict[str, Cutter] = {}
    if compare is not None:
        out["compare: policytext"] = Segmenter(compare).cut
        out["compare: model + idioms"] = Segmenter(compare, dictionary=False, idioms=True).cut
        out["compare: model alone"] = Segmenter(compare, dictionary=False, idioms=False).cut
    ours = Segmenter()
    out["policytext"] = ours.cut
    if terms:
        out["policytext (terms held out)"] = Segmenter(exclude=terms).cut
    out["model + idioms, no policy terms"] = Segmenter(dictionary=False, idioms=True).cut
    out["pkuseg model, no dictionary"] = Segmenter(dictionary=False, idioms=False).cut
    if importlib.util.find_spec("jieba") is not None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        out["jieba (precise)"] = lambda text: jieba.lcut(text, cut_all=False, HMM=True)
    else:
        print("jieba not installed (pip install -e '.[eval]'): skipped", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Word segmentation: PKU test F1/OOV recall and domain terms kept whole.")
    ap.add_argument("--data", type=Path, default=DATA, help="the sighan2005_icwb2 folder")
    ap.add_argument("--limit", type=int, default=0, help="score the first N PKU test lines only")
    ap.add_argument("--terms", type=Path, default=TERMS)
    ap.add_argument("--draw-terms", action="store_true", help="(re)write --terms from the gazetteers and exit")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--compare", type=Path, default=None,
                    help="another model folder (e.g. the previous model) scored beside the shipped one")
    args = ap.parse_args(argv)
    if args.draw_terms:
        terms = draw_terms()
        args.terms.parent.mkdir(parents=True, exist_ok=True)
        args.terms.write_text("# 300 domain terms drawn by `python -m policytext.evaluation.words --draw-terms`\n"
                              f"# (seed {TERM_SEED}, quotas {TERM_QUOTAS}); never tuned on.\n"
                              + "\n".join(terms) + "\n", encoding="utf-8")
        print(f"{len(terms)} terms -> {args.terms}")
        return 0
    gold_path = args.data / "pku_test_gold.utf8"
    require(gold_path, "PKU test gold")
    gold = read_gold(gold_path)
    if args.limit:
        gold = gold[: args.limit]
    vocabulary = set((args.data / "pku_training_words.utf8").read_text(encoding="utf-8").split())
    terms = load_terms(args.terms) if args.terms.exists() else []
    results: dict[str, dict[str, object]] = {}
    for name, cut in cutters(terms, args.compare).items():
        row: dict[str, object] = {}
        if name != "policytext (terms held out)":
            row.update(score_pku(cut, gold, vocabulary))
        if terms:
            row["domain"] = score_terms(cut, terms)
        results[name] = row
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    print(f"PKU test: {len(gold)} lines, {sum(len(w) for w in gold):,} words; domain terms: {len(terms)}")
    print(f"{'segmenter':<32} {'P':>6} {'R':>6} {'F1':>7} {'OOV-R':>6} {'terms whole':>12}")
    for name, row in results.items():
        pku = (f"{row['P']:6.3f} {row['R']:6.3f} {row['F1']:7.4f} {row['OOV_R']:6.3f}" if "F1" in row
               else " " * 28)
        dom = f"{row['domain']['whole']:12.3f}" if "domain" in row else ""
        print(f"{name:<32} {pku} {dom}")
    ours, ref = results.get("policytext", {}), results.get("jieba (precise)", {})
    if "F1" in ours and "F1" in ref:
        print(f"F1 gain over jieba: {ours['F1'] - ref['F1']:+.3f}")
    for name, row in results.items():
        if "domain" in row and row["domain"]["cut"]:
            print(f"cut by {name} ({len(row['domain']['cut'])}): {' '.join(row['domain']['cut'][:15])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
