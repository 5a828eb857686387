"""Peak memory of ``policytext tag`` and ``policytext dedup`` against the size of a JSON Lines input.

    python benchmarks/bench_memory.py --sizes 5,50,200 [--full] [--dedup]

Builds JSON Lines corpora of the sizes asked (MB) from the CCTV items in
``../shared/data/xwlb_cctv_news_tagged`` (each item repeated with a fresh id and a numbered
paragraph, so dedup sees distinct documents), runs the command in a child process and prints its
peak resident memory (``ru_maxrss``) and throughput. By default the pipeline is light (the ``html``
stage alone): the reader, the worker hand-off and the writer are what could grow with the input,
and the light pipeline lets the run reach large sizes on a small machine; ``--full`` runs every
stage (per-document memory only; much slower). The corpora are written
to a temporary folder and removed (never commit the corpus text).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "xwlb_cctv_news_tagged"
LIGHT = ["--disable", "repair,normalize,dedup,sentences,entities,claims,themes"]


def build_corpus(path: Path, megabytes: float) -> int:
    """A JSON Lines file of about ``megabytes`` MB; returns the number of documents."""
    items = []
    for f in sorted(DATA.glob("*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                items.append(json.loads(line))
                if len(items) >= 2000:
                    break
        if len(items) >= 2000:
            break
    target = int(megabytes * 1_000_000)
    written = n = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            item = items[n % len(items)]
            row = {"url": f"{item['url']}#{n}", "pub_date": item["pub_date"], "title": item["title"],
                   "content_html": f"<p>第{n}条。</p>" + item["content_html"]}
            line = json.dumps(row, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
            n += 1
    return n


def peak_rss_mb(cmd: list[str]) -> tuple[float, float, int]:
    """Peak RSS (MB) of ``cmd`` and its children, wall seconds, exit status."""
    probe = ("import resource, subprocess, sys, time; t = time.time(); "
             "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, time.time() - t, rc)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    rss, wall, rc = out.stdout.split()
    return float(rss), float(wall), int(rc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5,50", help="corpus sizes in MB, comma-separated")
    ap.add_argument("--full", action="store_true", help="run every stage (default: a light pipeline)")
    ap.add_argument("--dedup", action="store_true", help="measure policytext dedup --light too")
    ap.add_argument("--no-tag", action="store_true", help="leave policytext tag out (with --dedup)")
    args = ap.parse_args()
    fields = ["--html-field", "content_html", "--id-field", "url", "--date-field", "pub_date"]
    print(f"{'command':<8} {'MB in':>7} {'docs':>7} {'peak RSS MB':>12} {'s':>7} {'MB/s':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in [float(s) for s in args.sizes.split(",")]:
            src = Path(tmp) / f"corpus_{size:g}.jsonl"
            n = build_corpus(src, size)
            out = Path(tmp) / "out.jsonl"
            cmd = [sys.executable, "-m", "policytext", "tag", str(src), *fields, "-o", str(out)]
            if not args.no_tag:
                rss, wall, rc = peak_rss_mb(cmd + ([] if args.full else LIGHT))
                print(f"{'tag':<8} {size:>7g} {n:>7} {rss:>12.0f} {wall:>7.1f} {size / wall:>6.2f}", flush=True)
            if args.dedup:
                cmd = [sys.executable, "-m", "policytext", "dedup", str(src), *fields, "--light", "-o", str(out)]
                rss, wall, rc = peak_rss_mb(cmd)
                print(f"{'dedup':<8} {size:>7g} {n:>7} {rss:>12.0f} {wall:>7.1f} {size / wall:>6.2f}", flush=True)
            src.unlink()


if __name__ == "__main__":
    main()
