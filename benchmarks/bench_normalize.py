"""Throughput of the normalize stage beside OpenCC ``t2s`` alone, on the same text, in one run.

    python benchmarks/bench_normalize.py [--repeat 10] [--steps] [--s2t] [--min-chars N] [FILE ...]
    python benchmarks/bench_normalize.py --jsonl ../shared/data/cn_laws_regulations_lawrefbook/national_laws.jsonl \
        --field text_markdown --limit 60

Default input: the three shared samples (``../shared/samples/*.txt``), each document processed
on its own as the pipeline does. Four figures, best of ``--repeat`` rounds, in MB/s of UTF-8
input per second of this process's CPU time (``time.process_time``: on a shared machine, wall
time mostly measures the other processes):

* ``opencc t2s``: ``OpenCC("t2s").convert(text)``, the reference;
* ``normalize rules``: every sub-step's pure function, its edits spliced into the text
  (no alignment, no records: the cost of this stage's own code);
* ``normalize stage``: ``NormalizeStage()(TextState(raw=text))``, i.e. the rules plus
  ``TextState.apply`` keeping one raw-aligned record per edit (what the pipeline runs);
* ``stage + records``: the same, then ``state.record_dicts()``: every record as the contract's
  dict, as the pipeline writes them (batched records are only turned into objects when read,
  so this line is the honest cost of the records).

The stage sends to OpenCC only the lines holding a character OpenCC may change, so on
simplified text it is not bound by OpenCC's speed; ``--s2t`` converts the input to traditional
script first, the case where every line goes to OpenCC.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_time  # noqa: E402

import opencc  # noqa: E402

from policytext.alignment import EditBatch, splice_replacements  # noqa: E402
from policytext.stages.normalize import (  # noqa: E402
    NormalizeStage,
    line_join_edits,
    punct_width_edits,
    script_edits,
    stutter_edits,
    whitespace_edits,
    width_edits,
    zhe_edits,
)
from policytext.state import TextState  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"


def splice(text: str, edits) -> str:
    """Apply non-overlapping edits (no alignment kept)."""
    if isinstance(edits, EditBatch):  # columns, in order (how the sub-steps make them)
        return splice_replacements(text, edits.starts, edits.ends, edits.replacements)
    out, pos = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def rules_only(text: str) -> str:
    for step in (whitespace_edits, line_join_edits, width_edits, stutter_edits, punct_width_edits):
        text = splice(text, step(text))
    text = splice(text, script_edits(text, "t2s")[0])
    text = splice(text, zhe_edits(text))
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="normalize stage vs OpenCC t2s throughput")
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--jsonl", type=Path, help="take documents from a JSON Lines file instead")
    ap.add_argument("--field", default="text", help="text field of --jsonl records")
    ap.add_argument("--limit", type=int, default=60, help="number of --jsonl documents")
    ap.add_argument("--min-chars", type=int, default=0,
                    help="leave out documents shorter than this (short ones pay a fixed cost per document)")
    ap.add_argument("--steps", action="store_true", help="also print the time of each sub-step")
    ap.add_argument("--s2t", action="store_true",
                    help="convert the input to traditional script first (OpenCC s2t): every line then goes to OpenCC")
    args = ap.parse_args(argv)
    if args.jsonl:
        docs = []
        with open(args.jsonl, encoding="utf-8") as f:
            for line in f:
                if len(docs) >= args.limit:
                    break
                docs.append(json.loads(line).get(args.field) or "")
    else:
        files = args.files or sorted(SAMPLES.glob("*.txt"))
        docs = [f.read_text(encoding="utf-8") for f in files]
    docs = [d for d in docs if len(d) >= args.min_chars]
    if not docs:
        print("no input: pass files, --jsonl, or provide ../shared/samples (or lower --min-chars)", file=sys.stderr)
        return 2
    if args.s2t:
        to_traditional = opencc.OpenCC("s2t")
        docs = [to_traditional.convert(d) for d in docs]
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    if not mb:
        print(f"no text: the documents are empty (is --field {args.field!r} right?)", file=sys.stderr)
        return 2
    conv = opencc.OpenCC("t2s")
    stage = NormalizeStage()

    def run_stage(d: str) -> None:
        stage(TextState(raw=d))

    def run_stage_records(d: str) -> None:
        state = TextState(raw=d)
        stage(state)
        state.record_dicts()

    # warm up (OpenCC dictionaries, regex compilation)
    for d in docs:
        conv.convert(d), rules_only(d), run_stage_records(d)
    t_cc = best_time(conv.convert, docs, args.repeat, time.process_time)
    t_rules = best_time(rules_only, docs, args.repeat, time.process_time)
    t_stage = best_time(run_stage, docs, args.repeat, time.process_time)
    t_records = best_time(run_stage_records, docs, args.repeat, time.process_time)
    edits = 0
    for d in docs:
        st = TextState(raw=d)
        stage(st)
        edits += len(st.records)
    print(f"input: {len(docs)} documents, {mb:.3f} MB UTF-8, {edits} edits ({edits / (mb * 1000):.1f} per KB); "
          f"best of {args.repeat}")
    print(f"{'':18s}{'MB/s':>9s}{'x slower than OpenCC':>24s}")
    rows = (("opencc t2s", t_cc), ("normalize rules", t_rules), ("normalize stage", t_stage), ("stage + records", t_records))
    for name, t in rows:
        print(f"{name:18s}{mb / t:9.2f}{t / t_cc:24.1f}")
    if args.steps:
        print("\nwhere the stage's time goes (CPU time of each sub-step / OpenCC t2s alone):")
        for name, t in step_times(docs, args.repeat).items():
            print(f"  {name:16s}{t / t_cc:6.2f}")
    return 0


def step_times(docs: list[str], repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` CPU time of each sub-step's rule and of ``TextState.apply``, summed over docs."""
    steps = [
        ("whitespace", whitespace_edits),
        ("line_join", lambda t: line_join_edits(t, plain=True)),
        ("width", width_edits),
        ("punct_stutter", stutter_edits),
        ("punct_width", punct_width_edits),
        ("script (OpenCC)", lambda t: script_edits(t, "t2s")[0]),
        ("zhe_context", zhe_edits),
    ]
    best: dict[str, float] = {}
    for _ in range(repeat):
        spent = dict.fromkeys([n for n, _ in steps] + ["apply (records)"], 0.0)
        for d in docs:
            st = TextState(raw=d)
            for name, fn in steps:
                t0 = time.process_time()
                edits = fn(st.text)
                t1 = time.process_time()
                st.apply(edits, stage="normalize")
                spent[name] += t1 - t0
                spent["apply (records)"] += time.process_time() - t1
        best = {k: min(v, best.get(k, v)) for k, v in spent.items()}
    return best


if __name__ == "__main__":
    raise SystemExit(main())
