"""Sentence-boundary evaluation on the hand-checked gold set ``corpora/sentences/gold.jsonl``.

``python -m policytext.evaluation.sentences [--gold PATH] [--json]`` prints boundary precision,
recall and F1 for our splitter and, when installed, for HanLP's rule splitter
(``hanlp.utils.rules.split_sentence``), JioNLP (``jionlp.split_sentence``, coarse) and spaCy's
rule ``sentencizer``, on the same documents. A reference that is not installed is skipped
with a note.

A boundary is the end offset of every unit but the last one of a document, after stripping
whitespace from each unit (so tools that keep or drop whitespace compare fairly). Also shown:
punctuation-only fragments (units without a letter, digit or Han character), the type accuracy
of our units that match a gold unit exactly, and for transcripts the turns found with the
right speaker, time and span.

Needs ``corpora/sentences/gold.jsonl``: data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Callable

from policytext.components.sentences import _strip, find_turns, split_sentences
from policytext.evaluation._data import CORPORA, require, run
from ..errors import Errors

GOLD = CORPORA / "sentences" / "gold.jsonl"
_WORD = re.compile(r"[^\W_]")

Splitter = Callable[[str], list[tuple[int, int]]]


def load_gold(path: Path = GOLD) -> list[dict]:
    docs = []
    with open(require(path, "sentence gold set"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                for u in d["sentences"]:
                    if "text" in u and d["text"][u["start"]:u["end"]] != u["text"]:
                        raise ValueError(Errors.E704.format(id=d["id"], unit=u))
                docs.append(d)
    return docs


def spans_from_pieces(text: str, pieces) -> list[tuple[int, int]]:
    """Offsets of string pieces found in order in ``text`` (pieces may drop whitespace)."""
    out = []
    pos = 0
    for p in pieces:
        p = p.strip()
        if not p:
            continue
        i = text.find(p, pos)
        if i < 0:  # a tool that rewrote spaces: fall back to a whitespace-insensitive match
            pat = r"\s*".join(re.escape(ch) for ch in p if not ch.isspace())
            m = re.compile(pat).search(text, pos)
            if m is None:
                continue
            i, j = m.start(), m.end()
        else:
            j = i + len(p)
        out.append(_strip(text, i, j))
        pos = j
    return out


# ---------------------------------------------------------------------------------------------
# splitters


def ours(text: str) -> list[tuple[int, int]]:
    return [(u["start"], u["end"]) for u in split_sentences(text)]


def load_hanlp_rules():
    """HanLP's rule splitter without importing the ``hanlp`` package (whose ``__init__`` pulls in
    torch): ``hanlp/utils/rules.py`` only needs ``re``, so it is loaded from its file."""
    spec = importlib.util.find_spec("hanlp")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "utils" / "rules.py"
    if not path.exists():
        return None
    mod_spec = importlib.util.spec_from_file_location("_hanlp_rules", path)
    mod = importlib.util.module_from_spec(mod_spec)
    mod_spec.loader.exec_module(mod)
    return mod.split_sentence


def make_hanlp() -> Splitter | None:
    fn = load_hanlp_rules()
    if fn is None:
        return None
    return lambda text: spans_from_pieces(text, fn(text))


def make_jionlp() -> Splitter | None:
    if importlib.util.find_spec("jionlp") is None:
        return None
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        import jionlp  # prints a banner

    def split(text: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for piece in jionlp.split_sentence(text, criterion="coarse"):
            out.append(_strip(text, pos, pos + len(piece)))
            pos += len(piece)
        return [(s, e) for s, e in out if s < e]

    return split


def make_spacy_sentencizer() -> Splitter | None:
    try:
        import spacy

        from policytext.tokenizer import CharTokenizer
    except ImportError:  # pragma: no cover
        return None
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("sentencizer")

    def split(text: str) -> list[tuple[int, int]]:
        doc = nlp(text)
        return [(s, e) for s, e in (_strip(text, x.start_char, x.end_char) for x in doc.sents) if s < e]

    return split


REFERENCES: dict[str, Callable[[], Splitter | None]] = {
    "hanlp_rules": make_hanlp,
    "jionlp": make_jionlp,
    "spacy_sentencizer": make_spacy_sentencizer,
}


# ---------------------------------------------------------------------------------------------
# scoring


def boundaries(spans: list[tuple[int, int]]) -> set[int]:
    spans = sorted(spans)
    return {e for _, e in spans[:-1]}


def group_of(doc_id: str) -> str:
    """Gold subsets: official excerpts (``official``), official excerpts annotated after the
    rules were frozen (``heldout``), our own examples (``own``) and own examples annotated
    before the splitter was run on them (``own_blind``)."""
    prefix = doc_id.split("-")[0]
    if prefix.startswith("ho_"):
        return "heldout"
    if prefix == "own_hard":
        return "own_blind"
    if prefix == "own":
        return "own"
    return "official"


def score(docs: list[dict], split: Splitter) -> dict:
    tp = fp = fn = frag = units = 0
    per_group: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for d in docs:
        text = d["text"]
        gold = boundaries([(u["start"], u["end"]) for u in d["sentences"]])
        pred_spans = split(text)
        pred = boundaries(pred_spans)
        units += len(pred_spans)
        frag += sum(1 for s, e in pred_spans if _WORD.search(text, s, e) is None)
        t, p, n = len(gold & pred), len(pred - gold), len(gold - pred)
        tp, fp, fn = tp + t, fp + p, fn + n
        g = per_group[group_of(d["id"])]
        g[0] += t
        g[1] += p
        g[2] += n
    return {**_prf(tp, fp, fn), "units": units, "punct_only_fragments": frag,
            "by_source": {k: _prf(*v) for k, v in sorted(per_group.items())}}


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def score_types_and_turns(docs: list[dict]) -> dict:
    matched = correct = 0
    confusion: dict[str, int] = defaultdict(int)
    g_turns = p_turns = ok_turns = ok_speaker_time = 0
    for d in docs:
        text = d["text"]
        pred = split_sentences(text)
        gold = {(u["start"], u["end"]): u["type"] for u in d["sentences"]}
        for u in pred:
            gt = gold.get((u["start"], u["end"]))
            if gt is None:
                continue
            matched += 1
            correct += gt == u["type"]
            if gt != u["type"]:
                confusion[f"{gt}->{u['type']}"] += 1
        turns = find_turns(text, pred)
        gt_turns = d.get("turns", [])
        g_turns += len(gt_turns)
        p_turns += len(turns)
        key = lambda t: (t["speaker"], t["time"], t["start"], t["end"])  # noqa: E731
        ok_turns += len({key(t) for t in gt_turns} & {key(t) for t in turns})
        st = lambda t: (t["speaker"], t["time"], t["start"])  # noqa: E731
        ok_speaker_time += len({st(t) for t in gt_turns} & {st(t) for t in turns})
    return {
        "type_accuracy": correct / matched if matched else 0.0,
        "type_matched_units": matched,
        "type_confusions": dict(confusion),
        "turns_gold": g_turns,
        "turns_predicted": p_turns,
        "turns_exact": ok_turns,
        "turns_speaker_time_start": ok_speaker_time,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Sentence boundary P/R/F1 on the gold set.")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args(argv)
    docs = load_gold(args.gold)
    n_units = sum(len(d["sentences"]) for d in docs)
    results: dict[str, dict] = {"ours": score(docs, ours)}
    skipped = {}
    for name, make in REFERENCES.items():
        try:
            split = make()
        except Exception as exc:  # a broken install must not stop the evaluation
            split, skipped[name] = None, f"failed to load: {exc}"
        if split is None:
            skipped.setdefault(name, "not installed")
            continue
        results[name] = score(docs, split)
    extra = score_types_and_turns(docs)
    if args.json:
        print(json.dumps({"documents": len(docs), "gold_units": n_units, "results": results,
                          "skipped": skipped, "ours_types_turns": extra}, ensure_ascii=False, indent=1))
        return 0
    print(f"gold: {args.gold} — {len(docs)} documents, {n_units} units, "
          f"{sum(len(d['sentences']) - 1 for d in docs)} boundaries")
    print(f"{'splitter':<20}{'P':>8}{'R':>8}{'F1':>8}{'units':>8}{'punct-only':>12}")
    for name, r in results.items():
        print(f"{name:<20}{r['precision']:8.3f}{r['recall']:8.3f}{r['f1']:8.3f}{r['units']:8d}"
              f"{r['punct_only_fragments']:12d}")
    for name, why in skipped.items():
        print(f"{name:<20}skipped ({why})")
    groups = sorted({g for r in results.values() for g in r["by_source"]})
    print("\nF1 by subset (boundaries):" )
    print(f"{'':<20}" + "".join(f"{g:>11}" for g in groups))
    print(f"{'boundaries':<20}" + "".join(f"{results['ours']['by_source'][g]['tp'] + results['ours']['by_source'][g]['fn']:11d}" for g in groups))
    for name, r in results.items():
        print(f"{name:<20}" + "".join(f"{r['by_source'][g]['f1']:11.3f}" for g in groups))
    print(f"\nours: type accuracy {extra['type_accuracy']:.3f} on {extra['type_matched_units']} exactly "
          f"matched units; confusions {extra['type_confusions']}")
    print(f"ours: turns gold {extra['turns_gold']}, predicted {extra['turns_predicted']}, "
          f"exact (speaker, time, span) {extra['turns_exact']}, "
          f"speaker+time+start {extra['turns_speaker_time_start']}")
    return 0


if __name__ == "__main__":
    sys.exit(run(main))
