"""The web-page entity gold set (``corpora/web_entities``) and entity errors sorted by class.

    python -m policytext.evaluation.web_entities --render dev|test|w003,w019 [--pages PATH]
    python -m policytext.evaluation.web_entities --agreement corpora/web_entities/second_pass.tsv

prints pages as inline markup (``…[[国家统计局|ORG]]…``) from the local copy of the pages, for a
review or a second annotation pass. Scoring is ``python -m policytext.evaluation.entities --sets
web-dev,web-test``.

The gold stores references only (page id, code-point offsets into the page's raw ``text``, label,
a hash of the span text); :func:`read_web_entities` joins them with
``../shared/data/web_pages/pages.jsonl`` and skips, with a count, a page or span whose text changed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from policytext.evaluation._data import CORPORA, SHARED_DATA, require, run

GOLD = CORPORA / "web_entities" / "gold.tsv"
GOLD_PAGES = CORPORA / "web_entities" / "gold_pages.tsv"
SECOND_PASS = CORPORA / "web_entities" / "second_pass.tsv"
PAGES = SHARED_DATA / "web_pages" / "pages.jsonl"
SPLITS = ("dev", "test")

Span = tuple[int, int, str]


def sha1_8(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


@dataclass
class WebEntitySet:
    """Pages of one split: ``docs`` = [(page id, raw text, gold spans)], plus what drifted."""

    docs: list[tuple[str, str, list[Span]]] = field(default_factory=list)
    stale_pages: list[str] = field(default_factory=list)
    stale_spans: int = 0


def load_pages(path: Path | str = PAGES) -> dict[str, str]:
    """Page id -> raw text of the shared web pages."""
    out = {}
    with open(require(path, "web pages (web_pages/pages.jsonl)"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                out[row["id"]] = row["text"]
    return out


def read_web_entities(split: str = "dev", pages_path: Path | str = PAGES, gold_path: Path | str = GOLD,
                      pages_list: Path | str = GOLD_PAGES) -> WebEntitySet:
    """The annotated pages of ``split`` (``dev``, ``test`` or ``all``) with their gold spans.

    A page whose text hash differs from the one recorded is left out whole (``stale_pages``); a span
    whose text hash differs is left out (``stale_spans``)."""
    texts = load_pages(pages_path)
    out = WebEntitySet()
    pages: list[str] = []
    with open(require(pages_list, "web entity page list"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if split not in ("all", row["split"]):
                continue
            text = texts.get(row["page"])
            if text is None or sha1_8(text) != row["text_sha1_8"]:
                out.stale_pages.append(row["page"])
            else:
                pages.append(row["page"])
    spans: dict[str, list[Span]] = defaultdict(list)
    with open(require(gold_path, "web entity gold"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            pid = row["page"]
            if pid not in pages:
                continue
            s, e = int(row["start"]), int(row["end"])
            if sha1_8(texts[pid][s:e]) != row["sha1_8"]:
                out.stale_spans += 1
                continue
            spans[pid].append((s, e, row["label"]))
    out.docs = [(pid, texts[pid], sorted(spans[pid])) for pid in pages]
    return out


def predict_pages(rec, texts: list[str]) -> list[list[Span]]:
    """The recognizer over each raw page text, one call a page (offsets = the page's)."""
    return [[(s, e, lab) for s, e, lab, *_ in rec.spans(text)] for text in texts]


ERROR_CLASSES = ("missed", "spurious", "boundary", "label", "boundary+label")


def classify_errors(gold: list[Span], pred: list[Span]) -> list[tuple[str, Span | None, Span | None]]:
    """Each error of one text as (class, gold span, predicted span).

    ``label``: same span, other label; ``boundary``: overlapping spans, same label;
    ``boundary+label``: overlapping, both differ; ``missed``: a gold span nothing overlaps;
    ``spurious``: a predicted span no gold span overlaps. A gold span overlapped by several wrong
    predictions gives one error per prediction; exact matches are no error."""
    g, p = set(gold), set(pred)
    wrong_g, wrong_p = sorted(g - p), sorted(p - g)
    out: list[tuple[str, Span | None, Span | None]] = []
    matched_g: set[Span] = set()
    for ps in wrong_p:
        hits = [gs for gs in wrong_g if gs[0] < ps[1] and ps[0] < gs[1]]
        if not hits:
            # a prediction overlapping only correctly found gold spans is spurious too
            out.append(("spurious", None, ps))
            continue
        for gs in hits:
            matched_g.add(gs)
            if (gs[0], gs[1]) == (ps[0], ps[1]):
                out.append(("label", gs, ps))
            elif gs[2] == ps[2]:
                out.append(("boundary", gs, ps))
            else:
                out.append(("boundary+label", gs, ps))
    out.extend(("missed", gs, None) for gs in wrong_g if gs not in matched_g)
    return out


def error_report(docs: list[tuple[str, str, list[Span]]], preds: list[list[Span]],
                 listing: bool = False) -> list[str]:
    """Counts of errors by class and label (gold label; the predicted one for spurious), and with
    ``listing`` every error grouped by class then label, with its context."""
    counts: Counter = Counter()
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for (pid, text, gold), pred in zip(docs, preds):
        for cls, gs, ps in classify_errors(gold, pred):
            lab = (gs or ps)[2]
            counts[cls, lab] += 1
            if listing:
                a = min(x[0] for x in (gs, ps) if x)
                b = max(x[1] for x in (gs, ps) if x)
                ctx = text[max(0, a - 8):b + 8].replace("\n", "⏎")
                g_txt = f"{text[gs[0]:gs[1]]}|{gs[2]}" if gs else "-"
                p_txt = f"{text[ps[0]:ps[1]]}|{ps[2]}" if ps else "-"
                groups[cls, lab].append(f"    {pid} gold {g_txt}  pred {p_txt}  …{ctx}…")
    labels = sorted({lab for _c, lab in counts})
    lines = ["errors by class (rows) and label (columns; gold label, predicted label for spurious):",
             f"  {'class':<15}" + "".join(f"{lab:>8}" for lab in labels) + f"{'all':>7}"]
    for cls in ERROR_CLASSES:
        row = [counts[cls, lab] for lab in labels]
        lines.append(f"  {cls:<15}" + "".join(f"{n:8d}" for n in row) + f"{sum(row):7d}")
    if listing:
        for cls in ERROR_CLASSES:
            for lab in labels:
                if groups[cls, lab]:
                    lines.append(f"  -- {cls} {lab} ({len(groups[cls, lab])})")
                    lines.extend(groups[cls, lab])
    return lines


def read_references(path: Path | str, pages: dict[str, str]) -> tuple[dict[str, set[Span]], int]:
    """``page -> {(start, end, label)}`` of a reference file (``page start end label sha1_8``), and
    how many rows were skipped because the page or the span text changed."""
    out: dict[str, set[Span]] = defaultdict(set)
    stale = 0
    with open(require(path, "entity references (page/start/end/label/sha1_8 TSV)"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            text = pages.get(row["page"])
            s, e = int(row["start"]), int(row["end"])
            if text is None or sha1_8(text[s:e]) != row["sha1_8"]:
                stale += 1
                continue
            out[row["page"]].add((s, e, row["label"]))
    return out, stale


def agreement(first: dict[str, set[Span]], second: dict[str, set[Span]]) -> list[str]:
    """Exact span-and-label agreement (F1, the first pass as reference) on the pages both passes
    annotated, overall and per label, and span-only agreement."""
    pages = sorted(set(first) & set(second))
    a = {(p, *x) for p in pages for x in first[p]}
    b = {(p, *x) for p in pages for x in second[p]}

    def f1(x: set, y: set) -> tuple[int, float]:
        tp = len(x & y)
        return tp, (2 * tp / (len(x) + len(y)) if x or y else 1.0)

    tp, f = f1(a, b)
    _, f_span = f1({t[:3] for t in a}, {t[:3] for t in b})
    lines = [f"{len(pages)} pages; first pass {len(a)} entities, second {len(b)}, both {tp}: "
             f"F1 {f:.3f} (span and label exact), {f_span:.3f} (span only)"]
    for lab in sorted({t[3] for t in a | b}):
        x, y = {t for t in a if t[3] == lab}, {t for t in b if t[3] == lab}
        n, fl = f1(x, y)
        lines.append(f"  {lab:<8} first {len(x):4d}  second {len(y):4d}  both {n:4d}  F1 {fl:.3f}")
    return lines


def render(text: str, spans: list[Span]) -> str:
    """Inline markup ``…[[name|LABEL]]…`` (spans must not overlap)."""
    out, last = [], 0
    for s, e, lab in sorted(spans):
        out.append(text[last:s])
        out.append(f"[[{text[s:e]}|{lab}]]")
        last = e
    out.append(text[last:])
    return "".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Print the web entity gold as inline markup, or the agreement "
                                 "of a second annotation pass with it.")
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--render", help="dev, test, all, or comma-separated page ids")
    what.add_argument("--agreement", metavar="TSV", nargs="?", const=str(SECOND_PASS),
                      help=f"a second pass (page/start/end/label/sha1_8) against the gold (default {SECOND_PASS.name})")
    ap.add_argument("--pages", default=str(PAGES), help="the web pages (pages.jsonl)")
    args = ap.parse_args(argv)
    if args.agreement:
        pages = load_pages(args.pages)
        first, stale_first = read_references(GOLD, pages)
        second, stale_second = read_references(args.agreement, pages)
        print("\n".join(agreement(first, second)))
        if stale_first or stale_second:
            print(f"warning: left out {stale_first} gold and {stale_second} second-pass rows whose text changed")
        return 0
    which = args.render
    ids = None if which in SPLITS + ("all",) else set(which.split(","))
    ws = read_web_entities("all" if ids else which, args.pages)
    for pid, text, spans in ws.docs:
        if ids is None or pid in ids:
            print(f"===== {pid}\n{render(text, spans)}")
    if ws.stale_pages or ws.stale_spans:
        print(f"warning: left out {len(ws.stale_pages)} changed pages, {ws.stale_spans} changed spans")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
