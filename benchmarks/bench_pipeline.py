"""Whole pipeline throughput vs the hand glue it replaces, in one run on the same text.

Reference: ftfy.fix_text + OpenCC t2s (what users glue together for cleaning; it does no
annotation), so the ratio says how many times slower the full policytext pipeline is than the
cheapest cleaning glue. Text: the shipped samples plus government work reports from ../shared/data.

    python benchmarks/bench_pipeline.py [--mb 2] [--disable themes,...]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import ftfy
import opencc

import policytext

REPO = Path(__file__).resolve().parents[1]


def corpus(mb: float) -> list[str]:
    docs = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((REPO / "corpora" / "samples").glob("*.txt"))
            if p.suffix == ".txt" and "gbk" not in p.name]
    reports = REPO.parent / "shared" / "data" / "gov_work_reports_wikisource" / "government_work_reports.jsonl"
    if reports.exists():
        for line in reports.read_text(encoding="utf-8").splitlines():
            content = json.loads(line)["content"]
            docs.extend(content[i:i + 8000] for i in range(0, len(content), 8000))
    out, size = [], 0
    while size < mb * 1e6:
        for d in docs:
            out.append(d)
            size += len(d.encode("utf-8"))
            if size >= mb * 1e6:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=1.0, help="megabytes of text (UTF-8)")
    ap.add_argument("--disable", default="", help="comma-separated stages to leave out")
    args = ap.parse_args()
    docs = corpus(args.mb)
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    t2s = opencc.OpenCC("t2s")
    cfg = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False, normalization=None)
    start = time.perf_counter()
    for d in docs:
        t2s.convert(ftfy.fix_text(d, cfg))
    ref = mb / (time.perf_counter() - start)
    nlp = policytext.load(disable=[s for s in args.disable.split(",") if s])
    start = time.perf_counter()
    failed = sum(1 for r in nlp.pipe_records(docs) if r["error"])
    ours = mb / (time.perf_counter() - start)
    print(f"documents: {len(docs)}, {mb:.2f} MB, stages: {', '.join(nlp.stage_names)}, failed: {failed}")
    print(f"ftfy + OpenCC t2s (reference): {ref:8.2f} MB/s")
    print(f"policytext full pipeline:      {ours:8.2f} MB/s")
    print(f"ratio policytext / reference:  {ours / ref:.3f}")


if __name__ == "__main__":
    main()
