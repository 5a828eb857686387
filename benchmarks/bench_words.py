"""Word segmentation speed against jieba (precise mode), and the words stage's share of the pipeline.

One run, same text: the SIGHAN PKU test text (newswire) and policy text (the shipped samples plus
government work reports from ../shared/data, as in bench_pipeline.py). Prints characters per second
for ``policytext.segment`` (the shipped Segmenter) and ``jieba.lcut`` (both warmed up first), then
the pipeline's time with and without the ``words`` stage on the policy text. Times are CPU time
of this process (the figures stay comparable on a shared machine). The PKU text is segmented line
by line (short calls), the policy text document by document.

    python benchmarks/bench_words.py [--kchars 300] [--repeat 3] [--pipeline-mb 0.3] [--compare MODEL_DIR]
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import best_time  # noqa: E402
from bench_pipeline import corpus  # noqa: E402

import policytext  # noqa: E402
from policytext.words import default_segmenter  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
PKU = REPO.parent / "shared" / "data" / "sighan2005_icwb2" / "pku_test.utf8"


def texts(kchars: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if PKU.exists():
        lines = [l for l in PKU.read_text(encoding="utf-8").splitlines() if l.strip()]
        out["PKU test (newswire)"] = _take(lines, kchars)
    out["policy text"] = _take(corpus(kchars * 3 / 1000), kchars)
    return out


def _take(docs: list[str], kchars: int) -> list[str]:
    taken, n = [], 0
    for d in docs:
        if n >= kchars * 1000:
            break
        taken.append(d)
        n += len(d)
    return taken


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kchars", type=int, default=300, help="thousands of characters per text kind")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pipeline-mb", type=float, default=0.3, help="MB of policy text for the pipeline timing (0: skip)")
    ap.add_argument("--compare", type=Path, default=None,
                    help="another model folder (e.g. the previous model) timed in the same run, interleaved")
    args = ap.parse_args()
    seg = default_segmenter()
    other = None
    if args.compare is not None:
        from policytext.words import Segmenter

        other = Segmenter(args.compare)
    try:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
    except ImportError:
        jieba = None
        print("jieba not installed (pip install -e '.[eval]'): no reference", file=sys.stderr)
    for kind, docs in texts(args.kchars).items():
        chars = sum(len(d) for d in docs)
        seg.cut(docs[0])
        ours = chars / best_time(seg.cut, docs, args.repeat, clock=time.process_time)
        line = f"{kind}: {chars:,} chars; policytext.segment {ours:,.0f} chars/s"
        if other is not None:
            other.cut(docs[0])
            theirs = chars / best_time(other.cut, docs, args.repeat, clock=time.process_time)
            again = chars / best_time(seg.cut, docs, args.repeat, clock=time.process_time)
            line += f" (again {again:,.0f}); --compare model {theirs:,.0f} chars/s"
        if jieba is not None:
            jieba.lcut(docs[0])
            ref = chars / best_time(jieba.lcut, docs, args.repeat, clock=time.process_time)
            line += f"; jieba {ref:,.0f} chars/s; ratio {ours / ref:.2f}x jieba"
        print(line)
    if args.pipeline_mb:
        docs = corpus(args.pipeline_mb)
        timings = {}
        configs = [("without words", {}), ("with words", {"words": {"enabled": True}})]
        if args.compare is not None:
            configs.append(("with words, --compare model", {"words": {"enabled": True, "model": str(args.compare)}}))
        for label, cfg in configs:
            nlp = policytext.load(config=cfg)
            list(nlp.pipe_records(docs[:2]))  # warm-up: models loaded
            t0 = time.process_time()
            for _ in nlp.pipe_records(docs):
                pass
            timings[label] = time.process_time() - t0
        extra = timings["with words"] / timings["without words"] - 1
        print(f"pipeline on {len(docs)} policy documents ({args.pipeline_mb} MB): "
              f"{timings['without words']:.2f}s without words, {timings['with words']:.2f}s with words "
              f"({extra:+.0%})")
        if args.compare is not None:
            other = timings["with words, --compare model"] / timings["without words"] - 1
            print(f"  with the --compare model: {timings['with words, --compare model']:.2f}s ({other:+.0%})")


if __name__ == "__main__":
    main()
