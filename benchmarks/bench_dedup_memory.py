"""Peak memory of ``policytext dedup`` against the size of its input, per store (issue #19).

    nice python benchmarks/bench_dedup_memory.py --sizes 4,16,64 --stores disk,memory
    nice python benchmarks/bench_dedup_memory.py --sizes 10,100,1000 --stores auto   # hours on 2 busy cores

For each size (MB of JSON Lines) a corpus is generated from the texts in ``../shared/data``
(the unrelated base documents of ``bench_dedup.py``: CCTV news, laws, government work reports,
People's Daily, NER and segmentation corpora) and written to a temporary folder (removed after,
never committed): every base document once, and for one in five a family around it, placed at
random within the next few thousand documents: copies with punctuation noise (half in
traditional script, with source and editor lines), a rewrite (sentences dropped, words swapped)
and a page embedding it among other text. The base documents (50 MB of text) make about 80 MB of such a corpus;
when they run out, they are grouped again with other random lengths and their Han characters
mapped through a per-pass bijection of U+4E00..U+9FFF (:func:`han_cipher`), so that a pass shares
no text with the earlier ones, like new documents, while keeping the lengths, repetitions and
punctuation of real official text (``--regroup-passes``: no cipher, so later passes overlap the
earlier ones in part, the corpus of the first measurements, with many more candidate pairs).
``--log-every S`` prints, every S seconds of each run, the input read so far and the memory;
``--stream`` feeds the corpus to ``policytext dedup -`` as it is generated (no file, and the
memory curve starts at once).

``policytext dedup --light INPUT -o OUT --store STORE`` then runs in a child process; the script
prints its peak resident memory (``ru_maxrss``), the resident memory sampled at a quarter, half
and three quarters of the run, wall and CPU seconds, throughput, and how many documents were
found related to another one. With ``--store disk`` (and ``auto`` past 50,000 documents) the
fingerprints, MinHash rows, LSH indexes and pairs live in a temporary SQLite file: memory should
stay flat as the input grows; ``--store memory`` keeps them in memory (the fast path for small
inputs) and grows with the number of documents.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from collections import deque
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _rss import quarters, run_measured  # noqa: E402
from bench_dedup import _base_documents, _noisy, _rewrite, _sentences  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


#: odd multipliers not divisible by 41, coprime with the 20,992 code points of U+4E00..U+9FFF
_MULTIPLIERS = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]


def han_cipher(k: int) -> dict[int, int] | None:
    """A ``str.translate`` table for pass ``k``: a bijection of the CJK Unified Ideographs block
    (U+4E00..U+9FFF) onto itself (pass 0: none). Later passes then share no Han shingles with
    earlier ones while keeping every length, repetition and punctuation of the real text."""
    if k == 0:
        return None
    n = 0xA000 - 0x4E00
    mult = _MULTIPLIERS[(k - 1) % len(_MULTIPLIERS)]
    shift = 7919 * k + (k - 1) // len(_MULTIPLIERS)
    return {c: 0x4E00 + ((c - 0x4E00) * mult + shift) % n for c in range(0x4E00, 0xA000)}


def _bases(seed: int, cipher: bool = True) -> Iterator[list[str]]:
    """Base documents, pass after pass (each pass groups the paragraphs with new random lengths;
    with ``cipher``, passes after the first also map their Han characters through
    :func:`han_cipher`, so that they do not overlap the earlier passes)."""
    k = 0
    while True:
        got = False
        table = han_cipher(k) if cipher else None
        for doc in _base_documents(random.Random(seed + 1000 * k)):
            got = True
            yield [p.translate(table) for p in doc] if table else doc
        if not got:
            raise RuntimeError("no base documents: is ../shared/data there?")
        k += 1


def build_corpus(path: Path, megabytes: float, seed: int = 13, cipher: bool = True) -> int:
    """A JSON Lines file of about ``megabytes`` MB of text; returns its number of documents."""
    with path.open("w", encoding="utf-8") as fh:
        return write_corpus(fh, megabytes, seed, cipher)


def write_corpus(fh: Any, megabytes: float, seed: int = 13, cipher: bool = True,
                 progress: list[float] | None = None) -> int:
    """Write the corpus of :func:`build_corpus` to the text file ``fh``; returns its number of
    documents. ``progress[0]`` follows the MB written."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    bases = _bases(seed, cipher)
    target = int(megabytes * 1_000_000)
    pending: list[str] = []  # documents waiting to be written, drawn at random (a local shuffle)
    written = n = 0
    filler: deque[str] = deque()

    def take_filler(chars: int) -> list[str]:
        out, size = [], 0
        while size < chars:
            if not filler:
                filler.extend(next(bases))
            p = filler.popleft()
            out.append(p)
            size += len(p)
        return out

    def write(t: str) -> None:
        nonlocal n
        line = json.dumps({"id": f"d{n}", "text": t}, ensure_ascii=False) + "\n"
        fh.write(line)
        n += 1
        if progress is not None:
            progress[0] += len(line.encode("utf-8")) / 1e6

    def emit(text: str) -> None:
        nonlocal written
        pending.append(text)
        written += len(text.encode("utf-8")) + 20  # about the JSON line it becomes
        if len(pending) >= 4000:
            write(pending.pop(rng.randrange(len(pending))))

    while written < target:
        base = next(bases)
        text = "\n".join(base)
        emit(text)
        if rng.random() < 0.2 and len(_sentences(base)) >= 4:
            for _ in range(rng.choice((1, 1, 2))):
                t = _noisy(text, rng)
                if rng.random() < 0.5:
                    t = s2t.convert(t)
                emit(f"来源：{rng.choice(['新华网', '人民网', '央视网'])}\n{t}\n责任编辑：{rng.choice('张王李赵')}某")
            if rng.random() < 0.8:
                emit(_rewrite(base, "".join(_sentences(take_filler(30))[:1]), rng))
            if rng.random() < 0.5:
                emit("\n".join(take_filler(int(rng.uniform(0.5, 1.5) * len(text))) + [text]
                               + take_filler(int(rng.uniform(0.0, 0.8) * len(text)) + 20)))
    rng.shuffle(pending)
    for t in pending:
        write(t)
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="4,16", help="corpus sizes in MB, comma-separated")
    ap.add_argument("--stores", default="disk,memory", help="stores to measure: auto, memory, disk (comma-separated)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--tmp", default=None, help="folder for the corpora and the SQLite file (default: the system's)")
    ap.add_argument("--regroup-passes", action="store_true",
                    help="past the first pass over the base documents, regroup the same text (documents overlap "
                    "earlier ones in part: more candidate pairs) instead of the Han cipher of later passes")
    ap.add_argument("--stream", action="store_true",
                    help="generate each corpus while dedup reads it from standard input (no corpus file; the "
                    "run starts at once; CPU s is the command's alone)")
    ap.add_argument("--log-every", type=float, default=None, metavar="SECONDS",
                    help="print the input read so far and the resident memory every SECONDS during each run")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"{os.cpu_count()} CPU cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    print(f"{'store':<7} {'MB in':>6} {'docs':>8} {'peak RSS MB':>11} {'RSS 25/50/75%':>14} {'wall s':>7} "
          f"{'CPU s':>7} {'MB/s CPU':>8} {'related':>8} {'clusters':>8}", flush=True)
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for size in [float(s) for s in args.sizes.split(",")]:
            src = Path(tmp) / f"corpus_{size:g}.jsonl"
            if not args.stream:
                n = build_corpus(src, size, args.seed, cipher=not args.regroup_passes)
                mb = src.stat().st_size / 1e6
            for store in args.stores.split(","):
                out = Path(tmp) / "out.jsonl"
                cmd = [sys.executable, "-m", "policytext", "dedup", "-" if args.stream else str(src), "--light",
                       "--progress", "never", "--store", store, "--store-dir", tmp, "-o", str(out)]
                if args.stream:  # generated while dedup reads it from standard input
                    progress, made = [0.0], {}

                    def feed(fh: Any) -> None:
                        made["n"] = write_corpus(fh, size, args.seed, not args.regroup_passes, progress)

                    rss, samples, wall, cpu, rc = run_measured(cmd, log_every=args.log_every, feed=feed,
                                                               fed=lambda: progress[0])
                    n, mb = made.get("n", -1), progress[0]
                else:
                    rss, samples, wall, cpu, rc = run_measured(cmd, watch=src, log_every=args.log_every)
                related = clusters = written = 0
                seen = set()
                with open(out, encoding="utf-8") as fh:
                    for line in fh:
                        r = json.loads(line)
                        written += 1
                        related += bool(r["reuse"])
                        seen.add(r["cluster"])
                clusters = len(seen)
                note = "" if rc == 0 and written == n else f"  (exit {rc}, {written} records written)"
                print(f"{store:<7} {mb:>6.1f} {n:>8} {rss:>11.0f} {quarters(samples):>14} {wall:>7.0f} {cpu:>7.0f} "
                      f"{mb / cpu:>8.2f} {related:>8} {clusters:>8}{note}", flush=True)
                out.unlink(missing_ok=True)
            src.unlink(missing_ok=True)

if __name__ == "__main__":
    main()
