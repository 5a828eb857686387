"""Peak memory of ``policytext tag`` and ``policytext dedup`` against the size of a JSON Lines input.

    python benchmarks/bench_memory.py --sizes 10,100,1000 --stages io       # reader and writer, to 1 GB
    python benchmarks/bench_memory.py --sizes 10,100 --stages none          # the CLI, every stage off
    python benchmarks/bench_memory.py --sizes 0.5,2,8 --stages default      # every default stage
    python benchmarks/bench_memory.py --sizes 5,20,50 --dedup --no-tag      # dedup --light
    python benchmarks/bench_memory.py --sizes 6 --stages default --distinct 0 --log-every 60   # RSS over the run

Builds JSON Lines corpora of the sizes asked (MB) from the CCTV items in
``../shared/data/xwlb_cctv_news_tagged`` (each item repeated with a fresh id and a numbered
paragraph, so dedup sees distinct documents), runs the command in a child process and prints its
peak resident memory (``ru_maxrss``), the resident memory sampled at a quarter, half and
three quarters of the run (flat memory: the three are close to the peak at every size) and the
throughput. ``--stages`` picks what runs: ``io`` (the reader and the writer that ``policytext tag``
uses, :func:`policytext.inputs.iter_inputs` into :class:`policytext.output.RecordWriter`, with a
record of id, source, date, text and meta per document and no pipeline: what could grow with the
input, fast enough for 1 GB), ``none`` (``policytext tag`` with every stage off: the reader, the
pipeline's per-document record building, which still makes a spaCy ``Doc``, and the writer), ``html`` (the ``html`` stage alone), ``default`` (what ``policytext tag`` runs by
default; per-document memory, much slower). The corpora are written to a temporary folder and
removed (never commit the corpus text). ``--distinct 0`` cycles through all 18,533 items instead of
the first 2,000 (no text repeats below ~35 MB: caches keyed by text would grow there); ``--set``
passes stage settings to ``policytext tag``; ``--log-every S`` prints, every S seconds of a run,
how far the command has read into its input and its resident memory (flat memory: RSS stops
growing while the input read keeps growing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _rss import quarters, run_measured  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "xwlb_cctv_news_tagged"
ALL_STAGES = "html,repair,normalize,dedup,sentences,entities,claims,themes"
DISABLE = {"io": [], "none": ["--disable", ALL_STAGES],
           "html": ["--disable", ALL_STAGES.replace("html,", "")],
           "default": []}


#: ``--stages io``: the reader and the writer of ``policytext tag`` with no pipeline in between.
IO_ONLY = """
import sys
from policytext.inputs import Fields, iter_inputs
from policytext.output import RecordWriter
fields = Fields(html="content_html", id="url", date="pub_date", keep=("title",))
with RecordWriter("jsonl", sys.argv[2]) as writer:
    for doc in iter_inputs([sys.argv[1]], fields=fields):
        text = doc.data if isinstance(doc.data, str) else doc.data.decode("utf-8")
        writer.write({"id": doc.id, "source": doc.source, "date": doc.date, "text": text, "meta": doc.keep})
"""


def build_corpus(path: Path, megabytes: float, distinct: int = 2000) -> int:
    """A JSON Lines file of about ``megabytes`` MB, cycling through the first ``distinct`` CCTV
    items (0: all 18,533, about 35 MB); returns the number of documents."""
    items = []
    for f in sorted(DATA.glob("*.jsonl")):
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                items.append(json.loads(line))
                if distinct and len(items) >= distinct:
                    break
        if distinct and len(items) >= distinct:
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5,50", help="corpus sizes in MB, comma-separated")
    ap.add_argument("--stages", choices=sorted(DISABLE), default="none",
                    help="none: every stage off (the streaming path); html: the html stage; default: all default stages")
    ap.add_argument("--dedup", action="store_true", help="measure policytext dedup --light too")
    ap.add_argument("--no-tag", action="store_true", help="leave policytext tag out (with --dedup)")
    ap.add_argument("--tmp", default=None, help="folder for the temporary corpora (default: the system's)")
    ap.add_argument("--distinct", type=int, default=2000,
                    help="CCTV items the corpus cycles through (0: all 18,533, so no text repeats below ~35 MB)")
    ap.add_argument("--set", action="append", default=[], metavar="STAGE.KEY=VALUE",
                    help="passed to policytext tag (repeatable), e.g. --set entities.backend=none")
    ap.add_argument("--log-every", type=float, default=None, metavar="SECONDS",
                    help="print the input read so far and the resident memory every SECONDS during each run")
    args = ap.parse_args()
    fields = ["--html-field", "content_html", "--id-field", "url", "--date-field", "pub_date"]
    load = os.getloadavg()
    print(f"{os.cpu_count()} CPU cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"tag stages: {args.stages}{''.join(' --set ' + x for x in args.set)}; distinct items: {args.distinct or 'all'}",
          flush=True)
    print(f"{'command':<10} {'MB in':>7} {'docs':>8} {'peak RSS MB':>12} {'RSS 25/50/75%':>14} {'s':>7} "
          f"{'MB/s':>6} {'docs/s':>7}")
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for size in [float(s) for s in args.sizes.split(",")]:
            src = Path(tmp) / f"corpus_{size:g}.jsonl"
            n = build_corpus(src, size, args.distinct)
            out = Path(tmp) / "out.jsonl"
            runs = []
            if args.stages == "io":
                runs.append(("read+write", [sys.executable, "-c", IO_ONLY, str(src), str(out)]))
            elif not args.no_tag:
                sets = [a for x in args.set for a in ("--set", x)]
                runs.append(("tag", [sys.executable, "-m", "policytext", "tag", str(src), *fields,
                                     *DISABLE[args.stages], *sets, "--progress", "never", "-o", str(out)]))
            if args.dedup:
                runs.append(("dedup", [sys.executable, "-m", "policytext", "dedup", str(src), *fields, "--light",
                                       "-o", str(out)]))
            for name, cmd in runs:
                rss, samples, wall, _cpu, rc = run_measured(cmd, every=0.2, watch=src, log_every=args.log_every)
                written = sum(1 for _ in open(out, "rb")) if out.exists() else 0
                note = "" if rc == 0 and written == n else f"  (exit {rc}, {written} records written)"
                print(f"{name:<10} {size:>7g} {n:>8} {rss:>12.0f} {quarters(samples):>14} {wall:>7.1f} "
                      f"{size / wall:>6.2f} {n / wall:>7.0f}{note}", flush=True)
                out.unlink(missing_ok=True)
            src.unlink()


if __name__ == "__main__":
    main()
