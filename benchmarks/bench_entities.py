"""Throughput of the entity stage beside jieba.posseg on the same text, in one run.

    python benchmarks/bench_entities.py [--chars 300000] [--repeat 1] [--batch-size 256]

Text: official text from ../shared/data (government work reports), cut into paragraphs,
as the pipeline would see it after the text stages. MB/s are UTF-8 megabytes of input per second.
Measured:
- ``entities (rules+fast)``: the ``policytext_entities`` component with the fast tagger
  (``backend="fast"``, ``models/ner_fast``), on Docs already tokenized (the CharTokenizer's own
  cost is printed separately), called once per paragraph (``comp(doc)``),
- ``entities (rules+fast, pipe)``: the same component's ``pipe(docs)``, which tags each batch
  of paragraphs in one vectorised call (the rules still run per paragraph); its output is
  checked to be the same as the per-call one,
- ``entities (rules+spaCy)``: the same component with the spaCy model (``backend="spacy"``,
  ``models/ner``, the previous shipped model), per call (``comp(doc)``: its backend batches
  inside one Doc only); the last lines give the fast stage's speed as a multiple of this one
  (same run, same Docs; wall clock and CPU time), per call and batched,
- ``entities (rules only)``: ``backend="none"``,
- ``jieba.posseg``: ``jieba.posseg.lcut`` on each paragraph (jieba's dictionary loaded beforehand).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_text(n_chars: int) -> list[str]:
    path = ROOT.parent / "shared" / "data" / "gov_work_reports_wikisource" / "government_work_reports.jsonl"
    paras: list[str] = []
    total = 0
    for line in open(path, encoding="utf-8"):
        row = json.loads(line)
        for p in row["content"].split("\n"):
            p = p.strip().replace("\u3000", "")
            if len(p) >= 20:
                paras.append(p)
                total += len(p)
                if total >= n_chars:
                    return paras
    return paras


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chars", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=256, help="Docs per pipe() batch")
    args = ap.parse_args()

    import spacy

    from policytext.tokenizer import CharTokenizer
    import policytext.components.entities  # noqa: F401

    paras = load_text(args.chars)
    mb = sum(len(p.encode("utf-8")) for p in paras) / 1e6
    print(f"text: {len(paras)} paragraphs, {sum(map(len, paras)):,} chars, {mb:.2f} MB")

    results = {}
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    t0 = time.perf_counter()
    docs = [nlp.make_doc(p) for p in paras]
    results["CharTokenizer (Doc creation)"] = time.perf_counter() - t0
    # the pipeline keeps each Doc's text beside it while the doc stages run (spaCy rebuilds
    # doc.text from every token on each access); do the same here
    from policytext.components.extensions import TEXT_KEY

    for d, p in zip(docs, paras):
        d.user_data[TEXT_KEY] = p
    cpu: dict[str, float] = {}

    stages = (("entities (rules+fast)", {"backend": "fast"}, False),
              ("entities (rules+fast, pipe)", {"backend": "fast"}, True),
              ("entities (rules+spaCy)", {"backend": "spacy"}, False),
              ("entities (rules only)", {"backend": "none"}, False))
    ents: dict[str, list] = {}
    for name, cfg, batched in stages:
        pipe_name = name.replace(" ", "_").replace(",", "")
        comp = nlp.add_pipe("policytext_entities", name=pipe_name, config=cfg)
        if cfg["backend"] != "none" and comp.recognizer.backend is None:
            print(f"note: no model for backend {cfg['backend']!r}: {name} runs rules only")
        comp(docs[0])  # warm up
        best = best_cpu = None
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            if batched:
                for _d in comp.pipe(docs, batch_size=args.batch_size):
                    pass
            else:
                for d in docs:
                    comp(d)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            best = dt if best is None else min(best, dt)
            best_cpu = dc if best_cpu is None else min(best_cpu, dc)
        results[name] = best
        cpu[name] = best_cpu
        ents[name] = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs]
        nlp.remove_pipe(pipe_name)
    if "entities (rules+fast, pipe)" in ents:
        same = ents["entities (rules+fast, pipe)"] == ents["entities (rules+fast)"]
        print(f"pipe() output the same as one call per paragraph: {same}")

    try:
        import jieba
        import jieba.posseg as pseg

        jieba.setLogLevel(60)
        jieba.initialize()
        pseg.lcut("预热")
        best = None
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            for p in paras:
                pseg.lcut(p)
            dt = time.perf_counter() - t0
            best = dt if best is None else min(best, dt)
        results["jieba.posseg"] = best
    except ImportError:
        print("jieba not installed: pip install jieba")

    ref = results.get("jieba.posseg")
    print(f"{'tool':<32} {'seconds':>8} {'MB/s':>8} {'x jieba.posseg':>15}")
    for name, dt in results.items():
        rate = mb / dt if dt else float("inf")
        ratio = f"{(ref / dt):.2f}" if ref else "-"
        print(f"{name:<32} {dt:8.2f} {rate:8.3f} {ratio:>15}")
    old = results.get("entities (rules+spaCy)")
    n_chars = sum(map(len, paras))
    for key, how in (("entities (rules+fast)", "per call"), ("entities (rules+fast, pipe)", "batched (pipe)")):
        fast = results.get(key)
        if fast and old:
            f_cpu, o_cpu = cpu[key], cpu["entities (rules+spaCy)"]
            print(f"entity stage, fast {how}: {n_chars / fast:,.0f} chars/s, spaCy {n_chars / old:,.0f} chars/s: "
                  f"{old / fast:.1f}x the spaCy model's speed (wall clock); "
                  f"CPU time {f_cpu:.2f} s vs {o_cpu:.2f} s: {o_cpu / f_cpu:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
