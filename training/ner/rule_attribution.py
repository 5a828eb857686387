"""Which rule layers cost MSRA: the full entity stage against the tagger alone on MSRA dev.

    python training/ner/rule_attribution.py [--model-path models/ner_fast] [--limit N]

MSRA dev = the last 1,500 MSRA train sentences (``train_fast.py --dev``; never the test file).
Prints both F1s, then the gold spans the tagger found and the full stage lost, grouped by what
replaced them (label/source of the overlapping chosen spans, or "filtered"), and the spurious spans
the full stage added, grouped by label and source, with examples.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policytext.evaluation._ner_data import read_bio  # noqa: E402
from policytext.evaluation.entities import MSRA_DEV, MSRA_MAP, make_recognizer, score  # noqa: E402


def spans_with_sources(rec, texts: list[str], batch: int = 200) -> list[list[tuple[int, int, str, str]]]:
    out = []
    for i in range(0, len(texts), batch):
        part = [t.replace("\n", " ") for t in texts[i : i + batch]]
        starts, pos = [], 0
        for t in part:
            starts.append(pos)
            pos += len(t) + 1
        per: list[list] = [[] for _ in part]
        j = 0
        for s, e, lab, src in rec.spans("\n".join(part)):
            while j + 1 < len(starts) and starts[j + 1] <= s:
                j += 1
            if e <= starts[j] + len(part[j]):
                per[j].append((s - starts[j], e - starts[j], lab, src))
        out += per
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--model-path", default=None)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--examples", type=int, default=6)
    args = ap.parse_args(argv)
    docs = read_bio(Path(args.data) / "msra_ner" / "msra_train_bio.txt")[-MSRA_DEV:]
    if args.limit:
        docs = docs[: args.limit]
    texts, golds = [t for t, _ in docs], [g for _, g in docs]
    full = spans_with_sources(make_recognizer("full", args.model_path, "fast"), texts)
    model = spans_with_sources(make_recognizer("model", args.model_path, "fast"), texts)
    for name, pred in (("full stage", full), ("tagger alone", model)):
        rows = score(golds, [[x[:3] for x in p] for p in pred], None, MSRA_MAP)
        print(f"{name}: F1 {rows['ALL']['f1']:.3f} (P {rows['ALL']['p']:.3f} R {rows['ALL']['r']:.3f}); "
              + ", ".join(f"{k} {v['f1']:.3f}" for k, v in rows.items() if k != "ALL"))
    lost: Counter = Counter()
    added: Counter = Counter()
    ex: dict = {}
    for t, g, f, m in zip(texts, golds, full, model):
        gold = set(g)
        fs = {(s, e, MSRA_MAP[lab]): src for s, e, lab, src in f if lab in MSRA_MAP}
        ms = {(s, e, MSRA_MAP[lab]) for s, e, lab, _src in m if lab in MSRA_MAP}
        for x in gold & ms - set(fs):
            over = [(lab, src) for s, e, lab, src in f if s < x[1] and x[0] < e]
            key = ("lost", x[2], ",".join(f"{lab}/{src}" for lab, src in over) or "filtered")
            lost[key] += 1
            ex.setdefault(key, []).append(t[max(0, x[0] - 6) : x[1] + 6])
        for x, src in fs.items():
            if x not in gold and x not in ms:
                key = ("added", x[2], src)
                added[key] += 1
                ex.setdefault(key, []).append(t[x[0] : x[1]])
    for title, counts in (("gold spans the tagger found and the full stage lost", lost),
                          ("spurious spans the full stage added", added)):
        print(f"\n{title}: {sum(counts.values())}")
        for key, n in counts.most_common():
            print(f"  {n:4d}  {key[1]} <- {key[2]}: {' | '.join(ex[key][: args.examples])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
