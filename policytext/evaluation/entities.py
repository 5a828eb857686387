"""Evaluate the entity stage: per-label precision/recall/F1 (exact span and label match).

    python -m policytext.evaluation.entities [--data ../shared/data] [--mode full|model|rules]
                                             [--sets msra,pd,cluener,weibo,policy,dev] [--limit N]
                                             [--backends fast,spacy]
    python -m policytext.evaluation.entities --dev [--errors]     # the policy DEV set only
    python -m policytext.evaluation.entities --sets web-dev --errors  # web pages, errors by class

``--backends`` names the statistical backends to score side by side (default ``spacy,fast``: the
default spaCy model beside the fast tagger); the first one is the one ``--errors`` and ``--json``
describe in full (``--json`` also holds the others' rows as ``<set>@<backend>``). Each set's header gives the seconds and characters per second of
each backend's run (same process, same texts).

Sets:
- ``msra``: MSRA NER official test (PER/LOC/ORG; our GPE and LOC both count as LOC).
- ``msra-dev``: the last 1,500 MSRA *train* sentences, which ``train_fast.py`` holds out to pick
  the epoch: the MSRA set to tune rules on (``--errors`` lists its errors).
- ``pd``: People's Daily NER test (same mapping). **Contaminated**: 4,269 of its 4,636 sentences
  occur verbatim in MSRA train (the model's training data), so the report adds the score on the
  sentences that do not (``pd unseen``); only that figure measures generalisation.
- ``cluener``: CLUENER2020 dev, mapped: name→PERSON, company/government/organization→ORG,
  address→PLACE (our GPE or LOC), position→TITLE; book/game/movie/scene are not scored.
- ``weibo``: Weibo NER test (Peng & Dredze 2015), names only (``.NAM``): PER/ORG/LOC, GPE scored
  as LOC; nominal mentions (``.NOM``) are not scored. Social-media text: out of domain.
- ``policy``: the hand-annotated policy gold in ``corpora/entities/policy_gold.txt`` (9 labels).
  **Held out**: a test set; never use it for error analysis or to choose between rule variants.
- ``dev``: the policy DEV set ``corpora/entities/policy_dev.txt`` (same format and labels, other
  documents). This is the set for rule tuning and error analysis (``--dev``; ``--errors`` lists its
  false positives and misses).
- ``web-dev``, ``web-test``: hand-annotated scraped policy web pages (``corpora/web_entities``: 9
  labels, offsets into the raw page text of ``../shared/data/web_pages/pages.jsonl``, split by
  page). The stage reads each raw page whole. Each backend's errors are counted by class (missed,
  spurious, boundary, label, boundary+label) and label; ``--errors`` lists them for ``web-dev``
  grouped by class and label. ``web-test`` is held out: no listing.

With ``--conventions`` (msra/pd) the report also counts gold spans that the *contract* labels
differently (a name inside a 《…》 title, which is one LAW; a name inside a meeting the stage tags
as EVENT, 十五大; the not-names list, 中华民族/两岸) and prints F1 with those gold spans left out:
a diagnostic of where the corpus convention and the contract differ, not a replacement figure.

Modes: ``full`` (component as shipped), ``model`` (the statistical model alone, raw spans),
``rules`` (patterns + gazetteers, no model). Predictions with labels a set does not annotate are
ignored for that set (e.g. DATE on MSRA).

Needs ``corpora/entities/policy_gold.txt`` and ``policy_dev.txt``; the MSRA, People's Daily, CLUENER and Weibo sets in ``../shared/data`` (``--data``): data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from policytext.evaluation import _ner_data
from policytext.evaluation._data import CORPORA, SHARED_DATA, require, run
from policytext.evaluation._ner_data import read_bio  # noqa: F401  (one reader for evaluation and training)
from ..errors import Errors

GOLD = CORPORA / "entities" / "policy_gold.txt"
DEV = CORPORA / "entities" / "policy_dev.txt"

MSRA_DEV = 1500  # training/ner/train_fast.py --dev: MSRA train's last sentences, held out to pick the epoch
MSRA_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
CLUENER_GOLD = {"name": "PERSON", "company": "ORG", "government": "ORG", "organization": "ORG",
                "address": "PLACE", "position": "TITLE"}
CLUENER_PRED = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "TITLE": "TITLE"}
INLINE = re.compile(r"\[\[(.+?)\|([A-Z]+)\]\]")


def read_cluener(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """CLUENER2020 dev, gold labels mapped by ``CLUENER_GOLD`` (other types not scored)."""
    return [(text, spans) for text, spans, _missing in _ner_data.read_cluener(path, CLUENER_GOLD)]


def read_weibo(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Weibo NER names only (``.NAM``), PER/ORG/LOC with GPE scored as LOC."""
    return _ner_data.read_weibo(path, gpe="LOC")


def parse_inline(line: str) -> tuple[str, list[tuple[int, int, str]]]:
    """``…[[国家数据局|ORG]]…`` -> (plain text, spans)."""
    text_parts: list[str] = []
    spans = []
    pos = 0
    last = 0
    for m in INLINE.finditer(line):
        text_parts.append(line[last : m.start()])
        pos += m.start() - last
        name, label = m.group(1), m.group(2)
        spans.append((pos, pos + len(name), label))
        text_parts.append(name)
        pos += len(name)
        last = m.end()
    text_parts.append(line[last:])
    return "".join(text_parts), spans


def read_policy_gold(path: Path = GOLD) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Inline-annotated policy set (gold by default; pass ``DEV`` for the dev set)."""
    out = []
    for line in open(require(path, "policy entity set"), encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        out.append(parse_inline(line))
    return out


def predict_texts(rec, texts: list[str], batch: int = 200) -> list[list[tuple[int, int, str]]]:
    """Run the recognizer over many short texts joined by newlines (the model cuts at newlines)."""
    results: list[list[tuple[int, int, str]]] = []
    for i in range(0, len(texts), batch):
        part = [t.replace("\n", " ") for t in texts[i : i + batch]]
        joined = "\n".join(part)
        starts, pos = [], 0
        for t in part:
            starts.append(pos)
            pos += len(t) + 1
        spans = rec.spans(joined)
        per = [[] for _ in part]
        j = 0
        for s, e, lab, _src in spans:
            while j + 1 < len(starts) and starts[j + 1] <= s:
                j += 1
            base = starts[j]
            if e <= base + len(part[j]):
                per[j].append((s - base, e - base, lab))
        results.extend(per)
    return results


def score(gold_docs, pred_docs, gold_map=None, pred_map=None):
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in zip(gold_docs, pred_docs):
        g = {(s, e, gold_map.get(lab, lab) if gold_map else lab) for s, e, lab in gold}
        g = {x for x in g if x[2]}
        p = set()
        for s, e, lab in pred:
            lab = pred_map.get(lab) if pred_map is not None else lab
            if lab:
                p.add((s, e, lab))
        for x in p & g:
            tp[x[2]] += 1
        for x in p - g:
            fp[x[2]] += 1
        for x in g - p:
            fn[x[2]] += 1
    rows = {}
    for lab in sorted(set(tp) | set(fp) | set(fn)):
        rows[lab] = _prf(tp[lab], fp[lab], fn[lab])
    rows["ALL"] = _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return rows


def _prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn}


def convention_conflicts(docs, preds) -> tuple[list[set], Counter]:
    """Per doc, the gold spans the contract labels differently (see module doc), and counts."""
    from policytext.components.entities.gazetteer import DATA_DIR, load_tsv

    not_names = {n for n, _ in load_tsv(DATA_DIR / "not_names.tsv", allow_o=True)}
    out, counts = [], Counter()
    for (text, gold), pred in zip(docs, preds):
        outer = [(s, e, lab) for s, e, lab in pred if lab in ("LAW", "EVENT")]
        drop = set()
        for s, e, lab in gold:
            hit = next((ol for os_, oe, ol in outer if os_ <= s and e <= oe), None)
            if hit:
                drop.add((s, e, lab))
                counts[hit] += 1
                continue
            for n in not_names:
                i = text.find(n, max(0, e - len(n)))
                if i != -1 and i <= s and e <= i + len(n):
                    drop.add((s, e, lab))
                    counts["not_names"] += 1
                    break
        out.append(drop)
    return out, counts


def read_policy_dev(path: Path = DEV) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """The policy DEV set (for rule tuning; the gold set stays held out)."""
    return read_policy_gold(path)


def error_lines(docs, preds) -> list[str]:
    """One line per false positive (``FP``) and miss (``FN``), with the gold span it overlaps."""
    out = []
    for (text, gold), pred in zip(docs, preds):
        g, p = set(gold), set(pred)
        for s, e, lab in sorted(p - g):
            near = [f"{text[a:b]}|{gl}" for a, b, gl in gold if a < e and s < b]
            out.append(f"FP {text[s:e]}|{lab}  gold: {', '.join(near) or '-'}  ...{text[max(0, s - 8):e + 8]}...")
        for s, e, lab in sorted(g - p):
            near = [f"{text[a:b]}|{pl}" for a, b, pl in pred if a < e and s < b]
            out.append(f"FN {text[s:e]}|{lab}  pred: {', '.join(near) or '-'}  ...{text[max(0, s - 8):e + 8]}...")
    return out


def print_table(name: str, rows: dict, seconds: float, n_chars: int) -> None:
    print(f"\n== {name} ({n_chars:,} chars, {seconds:.1f} s)")
    print(f"{'label':<8} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
    for lab, m in rows.items():
        print(f"{lab:<8} {m['p']:6.3f} {m['r']:6.3f} {m['f1']:6.3f} {m['support']:8d}")


def print_side_by_side(name: str, mode: str, results: list[tuple[str, dict, float]], n_chars: int) -> None:
    """One table, the backends' P/R/F1 side by side (``results``: (backend, rows, seconds))."""
    timing = "; ".join(f"{b}: {dt:.1f} s, {n_chars / dt:,.0f} chars/s" if dt else f"{b}: -" for b, _r, dt in results)
    print(f"\n== {name} [{mode}] ({n_chars:,} chars; {timing})")
    head = f"{'label':<8}" + "".join(f" | {b[:6] + ' P':>8} {'R':>6} {'F1':>6}" for b, _r, _d in results)
    print(head + f" {'support':>8}")
    labels = list(dict.fromkeys(lab for _b, rows, _d in results for lab in rows if lab != "ALL")) + ["ALL"]
    for lab in labels:
        cells = ""
        support = 0
        for _b, rows, _d in results:
            m = rows.get(lab, {"p": 0.0, "r": 0.0, "f1": 0.0, "support": 0})
            support = max(support, m["support"])
            cells += f" | {m['p']:8.3f} {m['r']:6.3f} {m['f1']:6.3f}"
        print(f"{lab:<8}{cells} {support:8d}")


class ModelOnly:
    """The statistical backend alone (no rules, no filters; LOC stays LOC)."""

    def __init__(self, backend):
        if backend is None:
            raise SystemExit(Errors.E702)
        self.backend = backend

    def spans(self, text: str):
        from policytext.components.entities.combine import _tokens

        words, spaces = _tokens(text)
        return [(s, e, lab, "model") for s, e, lab in self.backend.predict(words, spaces)]


def make_recognizer(mode: str, model_path: str | None = None, backend: str | None = None):
    from policytext.components.entities import DEFAULT_BACKEND, recognizer

    backend = backend or DEFAULT_BACKEND
    if mode == "full":
        return recognizer(backend=backend, model_path=model_path)
    if mode == "model":
        return ModelOnly(recognizer(backend=backend, model_path=model_path, use_gazetteers=False).backend)
    if mode == "rules":
        return recognizer(backend="none")
    raise ValueError(Errors.E703.format(what="mode", name=mode, known="full, model, rules"))


def _score_web(name: str, recs, names: list[str], args, data: Path) -> dict:
    """Score the web-page set ``web-dev``/``web-test``: per-label table (backends side by side) and
    each backend's errors by class; the listing (``--errors``) only for ``web-dev``."""
    from policytext.evaluation.web_entities import error_report, predict_pages, read_web_entities

    split = name.split("-", 1)[1]
    ws = read_web_entities(split, data / "web_pages" / "pages.jsonl")
    if ws.stale_pages or ws.stale_spans:
        print(f"warning: {name}: left out {len(ws.stale_pages)} changed pages and {ws.stale_spans} "
              "changed spans (the shared pages differ from the annotated ones)", file=sys.stderr)
    docs = ws.docs
    if args.limit:
        docs = docs[: args.limit]
    texts = [t for _pid, t, _g in docs]
    golds = [g for _pid, _t, g in docs]
    results, report = [], {}
    for b, rec in recs:
        t0 = time.perf_counter()
        preds = predict_pages(rec, texts)
        dt = time.perf_counter() - t0
        rows = score(golds, preds)
        results.append((b, rows, dt, preds))
        report[name if b == names[0] else f"{name}@{b}"] = rows
    n_chars = sum(map(len, texts))
    if len(results) == 1:
        print_table(f"{name} [{args.mode}] ({len(docs)} pages)", results[0][1], results[0][2], n_chars)
    else:
        print_side_by_side(f"{name} ({len(docs)} pages)", args.mode, [r[:3] for r in results], n_chars)
    for b, _rows, _dt, preds in results:
        listing = args.errors and split == "dev" and b == names[0]
        print(f"   [{b}] " + "\n".join(error_report(docs, preds, listing=listing)))
    return report


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(SHARED_DATA))
    ap.add_argument("--mode", default="full", choices=["full", "model", "rules"])
    ap.add_argument("--sets", default="msra,pd,cluener,weibo,policy,web-dev",
                    help="comma-separated: msra, msra-dev (the tagger's dev split of MSRA train), pd, cluener, weibo, "
                         "policy (held-out gold), dev (policy dev set), web-dev, web-test (web pages; web-test held out)")
    ap.add_argument("--backends", default="spacy,fast",
                    help="statistical backends scored side by side (first = the one --errors/--json describe)")
    ap.add_argument("--dev", action="store_true", help="score the policy DEV set only (same as --sets dev)")
    ap.add_argument("--errors", action="store_true",
                    help="dev sets only (dev, web-dev): also list the errors (never for the held-out sets)")
    ap.add_argument("--limit", type=int, default=0, help="score only the first N sentences of each set")
    ap.add_argument("--model-path", default=None)
    ap.add_argument("--conventions", action="store_true",
                    help="msra/pd: also report gold spans the contract labels differently, and F1 without them")
    ap.add_argument("--json", default=None, help="also write the figures to this JSON file")
    args = ap.parse_args(argv)
    data = Path(args.data)
    names = ["none"] if args.mode == "rules" else [b.strip() for b in args.backends.split(",") if b.strip()]
    recs = []
    for b in names:
        rec = make_recognizer(args.mode, args.model_path if b == names[0] else None, None if b == "none" else b)
        if args.mode != "rules" and rec.backend is None:
            print(f"warning: backend {b}: no statistical model found; scoring rules only", file=sys.stderr)
        recs.append((b, rec))
    sets = ["dev"] if args.dev else [s.strip() for s in args.sets.split(",") if s.strip()]
    report = {"mode": args.mode, "backends": names}
    for name in sets:
        if name in ("web-dev", "web-test"):
            report.update(_score_web(name, recs, names, args, data))
            continue
        if name == "msra":
            path = data / "msra_ner" / "msra_test_bio.txt"
            loader, gmap, pmap = read_bio, None, MSRA_MAP
        elif name == "msra-dev":  # the fast tagger's dev split: the last 1,500 MSRA train sentences
            path = data / "msra_ner" / "msra_train_bio.txt"
            loader, gmap, pmap = (lambda p: read_bio(p)[-MSRA_DEV:]), None, MSRA_MAP
        elif name == "pd":
            path = data / "people_daily_ner" / "example.test"
            loader, gmap, pmap = read_bio, None, MSRA_MAP
        elif name == "cluener":
            path = data / "cluener2020" / "dev.jsonl"
            loader, gmap, pmap = read_cluener, None, CLUENER_PRED
        elif name == "weibo":
            path = data / "weibo_ner" / "weiboNER_2nd_conll.test"
            loader, gmap, pmap = read_weibo, None, MSRA_MAP
        elif name == "policy":
            path = GOLD
            loader, gmap, pmap = read_policy_gold, None, None
        elif name == "dev":
            path = DEV
            loader, gmap, pmap = read_policy_dev, None, None
        else:
            raise SystemExit(Errors.E703.format(what="set", name=name,
                                                known="msra, msra-dev, pd, cluener, weibo, policy, dev, web-dev, web-test"))
        if not path.exists():
            print(f"\n== {name}: {path} not found, skipped")
            continue
        docs = loader(path)
        if args.limit:
            docs = docs[: args.limit]
        texts = [t for t, _ in docs]
        results = []
        preds = None
        for b, rec in recs:
            t0 = time.perf_counter()
            p = predict_texts(rec, texts)
            dt = time.perf_counter() - t0
            results.append((b, score([g for _, g in docs], p, gmap, pmap), dt))
            preds = p if preds is None else preds
            if b != names[0]:
                report.setdefault(f"{name}@{b}", results[-1][1])
        n_chars = sum(map(len, texts))
        if len(results) == 1:
            print_table(f"{name} [{args.mode}]", results[0][1], results[0][2], n_chars)
        else:
            print_side_by_side(name, args.mode, results, n_chars)
        rows = results[0][1]
        report[name] = rows
        if args.errors and name in ("dev", "msra-dev"):
            print("\n".join(error_lines(docs, preds)))
        if name == "pd":
            seen_path = data / "msra_ner" / "msra_train_bio.txt"
            if seen_path.exists():
                seen = {t for t, _ in read_bio(seen_path)}
                idx = [i for i, t in enumerate(texts) if t not in seen]
                rows_u = score([docs[i][1] for i in idx], [preds[i] for i in idx], gmap, pmap)
                print(f"   pd unseen [{names[0]}] (sentences not in MSRA train: {len(idx)} of {len(texts)}): "
                      f"F1 {rows_u['ALL']['f1']:.3f} (P {rows_u['ALL']['p']:.3f}, R {rows_u['ALL']['r']:.3f}, "
                      f"{rows_u['ALL']['support']} entities)")
                report["pd_unseen"] = rows_u
        if args.conventions and name in ("msra", "pd"):
            drops, counts = convention_conflicts(docs, preds)
            kept_gold = [[x for x in g if x not in d] for (_, g), d in zip(docs, drops)]
            kept_pred = [[x for x in p if not any(x[0] < e and s < x[1] for s, e, _l in d)]
                         for p, d in zip(preds, drops)]
            rows2 = score(kept_gold, kept_pred, gmap, pmap)
            n = sum(counts.values())
            detail = ", ".join(f"{k} {v}" for k, v in counts.most_common())
            print(f"   contract-convention conflicts: {n} gold spans ({detail}); "
                  f"F1 without them {rows2['ALL']['f1']:.3f} (P {rows2['ALL']['p']:.3f}, R {rows2['ALL']['r']:.3f})")
            report[name + "_conventions"] = {"conflicts": dict(counts), "rows": rows2}
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
