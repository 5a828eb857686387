"""Throughput of the sentence splitter beside HanLP's rule splitter, in one process.

    python benchmarks/bench_sentences.py [--mb 5] [--repeat 5]

Text: the government work reports, CPC congress reports and laws in ``../shared/data`` (the
gold set's documents when those are absent), one document per call. MB/s counts UTF-8 bytes;
the best of ``--repeat`` interleaved runs is reported. HanLP's splitter is loaded from
``hanlp/utils/rules.py`` (``pip install --no-deps hanlp``; no torch needed) and skipped if absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policytext.components.sentences import find_turns, split_sentences  # noqa: E402
from policytext.evaluation.sentences import GOLD, load_gold, load_hanlp_rules  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
SOURCES = [
    ("gov_work_reports_wikisource/government_work_reports.jsonl", "content"),
    ("gov_work_reports_wikisource/cpc_congress_reports.jsonl", "content"),
    ("cn_laws_regulations_lawrefbook/national_laws.jsonl", "text_markdown"),
    ("cn_laws_regulations_lawrefbook/administrative_regulations.jsonl", "text_markdown"),
]


def load_texts(max_mb: float) -> tuple[list[str], str]:
    texts: list[str] = []
    size = 0
    limit = max_mb * 1e6
    for fname, field in SOURCES:
        path = DATA / fname
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                t = json.loads(line)[field]
                texts.append(t)
                size += len(t.encode("utf-8"))
                if size >= limit:
                    return texts, "shared/data official text"
    if texts:
        return texts, "shared/data official text"
    gold = [d["text"] for d in load_gold(GOLD)]
    while size < limit:
        texts.extend(gold)
        size += sum(len(t.encode("utf-8")) for t in gold)
    return texts, "gold set texts, repeated"


def bench(fns: dict, texts: list[str], repeat: int) -> dict[str, float]:
    """Best wall time per function; runs are interleaved so that load changes hit all alike."""
    best = {name: float("inf") for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            for t in texts:
                fn(t)
            best[name] = min(best[name], time.perf_counter() - t0)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=5.0, help="megabytes of text (default 5)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    texts, what = load_texts(args.mb)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"text: {what}, {len(texts)} documents, {mb:.2f} MB (UTF-8), best of {args.repeat}")

    def ours(t: str):
        s = split_sentences(t)
        find_turns(t, s)

    fns = {"policytext split_sentences+find_turns": ours}
    hanlp = load_hanlp_rules()
    if hanlp is not None:
        fns["hanlp.utils.rules.split_sentence"] = lambda t: list(hanlp(t))
    else:
        print("hanlp_rules: skipped (hanlp not installed; pip install --no-deps hanlp)")
    rows = list(bench(fns, texts, args.repeat).items())
    base = rows[0][1]
    for name, secs in rows:
        print(f"{name:<40}{mb / secs:8.2f} MB/s{secs:9.3f} s   ours is {secs / base:5.2f}x its speed"
              if name != rows[0][0] else f"{name:<40}{mb / secs:8.2f} MB/s{secs:9.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
