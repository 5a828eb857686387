"""Throughput of the repair stage beside ftfy.fix_text, same text, same process.

    python benchmarks/bench_repair.py [--shared ../shared/data] [--mb 5] [--repeat 1]

Texts: clean official text (administrative regulations, punctuation folded as in scraped pages,
so the stage's question-mark trigger fires for real) plus the three samples when present.
Prints MB/s (UTF-8 bytes) for ``RepairStage`` (the full stage: HTML remnants, ftfy
Chinese-safe, whole-text and misaligned CJK mojibake, pinyin, furniture) and for
``ftfy.fix_text`` with its defaults, and the ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policytext.stages.repair import RepairStage  # noqa: E402
from policytext.state import TextState  # noqa: E402

FOLD = str.maketrans({"，": ",", "！": "!", "？": "?", "；": ";", "：": ":", "（": "(", "）": ")"})


def load(shared: Path, mb: float) -> list[str]:
    docs: list[str] = []
    size = 0
    path = shared / "cn_laws_regulations_lawrefbook" / "administrative_regulations.jsonl"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            t = (json.loads(line).get("text_markdown") or "").translate(FOLD)
            docs.append(t)
            size += len(t.encode("utf-8"))
            if size >= mb * 1e6:
                break
    samples = shared.parent / "samples"
    if samples.is_dir():
        docs += [p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))]
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    import ftfy

    docs = load(Path(args.shared), args.mb)
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    stage = RepairStage()
    # warm up (tables, OpenCC, ftfy import)
    st = TextState(raw=docs[-1])
    stage(st)
    ftfy.fix_text(docs[-1])
    best_stage = best_ftfy = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for d in docs:
            st = TextState(raw=d)
            stage(st)
        best_stage = min(best_stage, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for d in docs:
            ftfy.fix_text(d)
        best_ftfy = min(best_ftfy, time.perf_counter() - t0)
    mb = nbytes / 1e6
    print(f"text: {len(docs)} documents, {mb:.2f} MB (UTF-8)")
    print(f"repair stage   : {mb / best_stage:7.2f} MB/s  ({best_stage:.2f} s)")
    print(f"ftfy.fix_text  : {mb / best_ftfy:7.2f} MB/s  ({best_ftfy:.2f} s)")
    print(f"ratio repair/ftfy: {best_ftfy / best_stage:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
