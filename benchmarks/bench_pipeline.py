"""Whole pipeline throughput vs the hand glue it replaces, in one run on the same text.

Reference: ftfy.fix_text + OpenCC t2s (what users glue together for cleaning; it does no
annotation), so the ratio says how many times slower the full policytext pipeline is than the
cheapest cleaning glue. Text: the shipped samples plus government work reports from ../shared/data.

    python benchmarks/bench_pipeline.py [--mb 2] [--disable themes,...] [--workers 2] [--warm]
    python benchmarks/bench_pipeline.py --base [--mb 1]

Also printed: ``ftfy.fix_text`` alone with its default settings (the issue-20 reference), and the
pipeline's rate with ``--workers N`` worker processes (``policytext tag --workers N``). The
pipeline's time counts the stages' one-time loads on first use (in each worker) unless
``--warm`` runs it once over the text first.

``--base`` measures the fixed cost per document instead, each against the way it was done before
(issue #22), in the same process, best of ``--repeat`` interleaved rounds:

1. Doc construction + ``build_record`` alone: the reference tokenizes with a Python step per token
   and reads ``doc.text`` back (spaCy joins every token again); ours builds the token list with one
   regular expression and takes the text from the text state.
2. The pipeline with every stage off (decode, text state, Doc, record): the same pipeline with the
   reference tokenizer and record read, against ``pipe_records``.
3. The html-only pipeline on CCTV items (``../shared/data/xwlb_cctv_news_tagged``, when present).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import ftfy
import opencc
from spacy.tokens import Doc

import policytext
from policytext.record import build_record
from policytext.tokenizer import TOKEN_PATTERN

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


class ReferenceCharTokenizer:
    """The tokenizer before issue #22 (same tokens, one Python step per token): the reference."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for m in TOKEN_PATTERN.finditer(text):
            tok = m.group()
            if tok == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                continue
            if tok.isspace() and tok.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                tok = tok[1:]
            words.append(tok)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


def _best_pair(ref, ours, repeat: int) -> tuple[float, float]:
    """Best seconds of ``ref()`` and ``ours()`` over ``repeat`` interleaved rounds."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for i, fn in enumerate((ref, ours)):
            start = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - start)
    return best[0], best[1]


def cctv_items(n: int) -> list:
    """The first ``n`` CCTV items (HTML bodies) as InputDocs, or none without the corpus."""
    from policytext.inputs import Fields, iter_inputs

    folder = REPO.parent / "shared" / "data" / "xwlb_cctv_news_tagged"
    if not folder.is_dir():
        return []
    docs = []
    for item in iter_inputs([folder / "xwlb_tagged_2024.jsonl"], fields=Fields(html="content_html", id="url", date="pub_date")):
        docs.append(item)
        if len(docs) >= n:
            break
    return docs


def base_cost(docs: list[str], repeat: int, cctv: int) -> None:
    """Print the fixed cost per document against the reference (see the module docstring)."""
    chars = sum(map(len, docs))
    nlp = policytext.load(stages=[])
    ref_tokenizer = ReferenceCharTokenizer(nlp.nlp.vocab)
    ref, ours = _best_pair(lambda: [build_record(ref_tokenizer(d)) for d in docs],
                           lambda: [build_record(nlp.nlp.make_doc(d), d) for d in docs], repeat)
    print(f"documents: {len(docs)}, {chars:,} characters")
    print(f"Doc + build_record   reference {ref / chars * 3e5:6.3f} s per 300k chars, ours {ours / chars * 3e5:6.3f}"
          f"  -> {ref / ours:.2f}x faster")

    def reference_pipeline(stages: list[str]):
        """The per-document path before issue #22: reference tokenizer, ``doc.text`` read back."""
        from policytext.intake import to_input_doc

        ref_nlp = policytext.load(stages=stages)
        ref_nlp.nlp.tokenizer = ReferenceCharTokenizer(ref_nlp.nlp.vocab)
        return lambda items: [build_record(ref_nlp.run_doc_stages(ref_nlp.run_text_stages(to_input_doc(d))))
                              for d in items]

    reference = reference_pipeline([])
    ref, ours = _best_pair(lambda: reference(docs), lambda: [r.to_dict() for r in nlp.pipe(docs)], repeat)
    print(f"no stages, Results   reference {ref / len(docs) * 1e3:6.2f} ms/doc, ours {ours / len(docs) * 1e3:6.2f}"
          f"  -> {ref / ours:.2f}x faster  (Doc built)")
    ref, ours = _best_pair(lambda: reference(docs), lambda: list(nlp.pipe_records(docs)), repeat)
    print(f"no stages, records   reference {ref / len(docs) * 1e3:6.2f} ms/doc, ours {ours / len(docs) * 1e3:6.2f}"
          f"  -> {ref / ours:.2f}x faster  (no doc stage: no Doc built)")
    items = cctv_items(cctv)
    if items:
        html, reference = policytext.load(stages=["html"]), reference_pipeline(["html"])
        ref, ours = _best_pair(lambda: reference(items), lambda: list(html.pipe_records(items)), repeat)
        print(f"html only, {len(items)} CCTV items: reference {len(items) / ref:6.1f} docs/s, ours "
              f"{len(items) / ours:6.1f} docs/s  -> {ref / ours:.2f}x faster")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=1.0, help="megabytes of text (UTF-8)")
    ap.add_argument("--disable", default="", help="comma-separated stages to leave out")
    ap.add_argument("--base", action="store_true", help="the fixed cost per document against the reference")
    ap.add_argument("--repeat", type=int, default=3, help="rounds for --base (best of)")
    ap.add_argument("--cctv", type=int, default=500, help="CCTV items for --base's html-only run")
    ap.add_argument("--workers", type=int, default=1, help="worker processes for the pipeline")
    ap.add_argument("--warm", action="store_true", help="run the pipeline once before timing it")
    args = ap.parse_args()
    docs = corpus(args.mb)
    if args.base:
        base_cost(docs, args.repeat, args.cctv)
        return
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    start = time.perf_counter()
    for d in docs:
        ftfy.fix_text(d)
    ref_ftfy = mb / (time.perf_counter() - start)
    t2s = opencc.OpenCC("t2s")
    cfg = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False, normalization=None)
    start = time.perf_counter()
    for d in docs:
        t2s.convert(ftfy.fix_text(d, cfg))
    ref = mb / (time.perf_counter() - start)
    nlp = policytext.load(disable=[s for s in args.disable.split(",") if s])
    if args.warm:
        list(nlp.pipe_records(docs))
    start = time.perf_counter()
    failed = sum(1 for r in nlp.pipe_records(docs, n_process=args.workers) if r["error"])
    ours = mb / (time.perf_counter() - start)
    print(f"documents: {len(docs)}, {mb:.2f} MB, stages: {', '.join(nlp.stage_names)}, failed: {failed}, "
          f"workers: {args.workers}{', warm' if args.warm else ''}")
    print(f"ftfy.fix_text (default):       {ref_ftfy:8.2f} MB/s")
    print(f"ftfy + OpenCC t2s (reference): {ref:8.2f} MB/s")
    print(f"policytext full pipeline:      {ours:8.3f} MB/s")
    print(f"ratio policytext / ftfy.fix_text:  {ours / ref_ftfy:.3f}")
    print(f"ratio policytext / reference:  {ours / ref:.3f}")


if __name__ == "__main__":
    main()
