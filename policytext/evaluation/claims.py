"""Evaluate numeric claim extraction on the hand-checked gold set ``corpora/claims/gold.jsonl``.

    python -m policytext.evaluation.claims [--gold PATH] [--split dev|test|all] [--no-rt] [--errors N]

A predicted claim matches a gold claim when their numeral spans overlap and value (relative
tolerance 1e-6) and unit are equal; precision, recall and F1 count those matches. On matched
claims it reports the accuracy of qualifier, kind, modality, time, reference and subject
(``subject`` exact, and ``subject~`` lenient: one contains the other).

The same figures are printed for Microsoft Recognizers-Text (``recognizers-text-suite``, Chinese
number, percentage, currency and dimension models) when it is installed: ``RT`` as it is, and
``RT+units`` where a bare number takes the measure word that follows it from policytext's unit
list (a fairer test of number parsing alone). Recognizers-Text has no qualifiers, kinds, subjects
or times: it is scored as ``=``/``level``/null.

Needs ``corpora/claims/gold.jsonl``: data that does not ship with the package, so the command runs from a
repository checkout (see :mod:`policytext.evaluation`); a missing file stops it with an error
naming the path.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from pathlib import Path

from policytext.components.claims.candidates import _read_unit
from policytext.components.claims.extract import extract_claims
from policytext.components.claims.numbers import to_halfwidth
from policytext.evaluation._data import CORPORA, require, run

DEFAULT_GOLD = CORPORA / "claims" / "gold.jsonl"
FIELDS = ("qualifier", "kind", "modality", "time", "reference", "subject")

RT_UNITS = {
    "Chinese yuan": "元", "United States dollar": "美元", "Euro": "欧元", "Hong Kong dollar": "港元",
    "Japanese yen": "日元", "Petabyte": "PB", "Terabyte": "TB", "Gigabyte": "GB", "Megabyte": "MB",
    "Exabyte": "EB", "Zettabyte": "ZB", "Jin": "斤", "Kilometer": "公里", "Square kilometer": "平方公里",
    "Meter": "米", "Ton": "吨", "Kilogram": "公斤", "Mu": "亩", "Hectare": "公顷", "Kilowatt": "千瓦",
    "Kilowatt hour": "千瓦时", "Hour": "小时", "Day": "天", "Minute": "分钟", "Second": "秒", "Year": "年",
    "Month": "个月", "Square meter": "平方米", "Cubic meter": "立方米", "Liter": "升",
}


def load_gold(path: Path = DEFAULT_GOLD, split: str = "all") -> list[dict]:
    rows = [json.loads(line) for line in require(path, "claims gold set").open(encoding="utf-8")]
    return [r for r in rows if split == "all" or r["split"] == split]


def _same_value(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def _norm_subject(s):
    if s is None:
        return None
    return re.sub(r"[\s“”\"'的]", "", s)


def _lenient(g, p) -> bool:
    g, p = _norm_subject(g), _norm_subject(p)
    if g is None or p is None:
        return g == p
    return g in p or p in g


def score(gold_rows: list[dict], predict) -> dict:
    """``predict(text, doc_date) -> list of dicts`` with num_start/num_end/value/unit (+ fields)."""
    tp = n_pred = n_gold = 0
    field_ok: Counter = Counter()
    errors: list[tuple] = []
    for row in gold_rows:
        preds = predict(row["text"], row["doc_date"])
        n_pred += len(preds)
        n_gold += len(row["claims"])
        used: set[int] = set()
        for g in row["claims"]:
            hit = None
            for j, p in enumerate(preds):
                if j in used:
                    continue
                if p["num_start"] < g["num_end"] and g["num_start"] < p["num_end"] \
                        and _same_value(p["value"], g["value"]) and p.get("unit") == g["unit"]:
                    hit = j
                    break
            if hit is None:
                errors.append(("FN", row["id"], g["num"], g["value"], g["unit"]))
                continue
            used.add(hit)
            tp += 1
            p = preds[hit]
            for f in FIELDS:
                if p.get(f) == g[f]:
                    field_ok[f] += 1
                elif f != "subject":
                    errors.append((f, row["id"], g["num"], g[f], p.get(f)))
            if _lenient(g["subject"], p.get("subject")):
                field_ok["subject~"] += 1
        for j, p in enumerate(preds):
            if j not in used:
                errors.append(("FP", row["id"], row["text"][p["num_start"]:p["num_end"]], p["value"], p.get("unit")))
    prec = tp / n_pred if n_pred else 0.0
    rec = tp / n_gold if n_gold else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    acc = {f: (field_ok[f] / tp if tp else 0.0) for f in (*FIELDS, "subject~")}
    return {"gold": n_gold, "pred": n_pred, "tp": tp, "precision": prec, "recall": rec, "f1": f1, "acc": acc,
            "errors": errors}


def policytext_predict(text: str, doc_date: str | None) -> list[dict]:
    return extract_claims(text, doc_date, spans=True)


def numbers_predict(text: str, doc_date: str | None) -> list[dict]:
    """Every number :func:`policytext.numbers.find_numbers` reads, claim or not."""
    from policytext.numbers import find_numbers

    return [{"num_start": n.start, "num_end": n.end, "value": n.value, "value_max": n.value_max, "unit": n.unit}
            for n in find_numbers(text, ordinals=True)]


def value_report(gold_rows: list[dict], predict) -> dict:
    """Value-only check: for each gold claim, the predicted numbers whose span overlaps its numeral.

    ``right``: one of them has the gold value (and ``value_max`` for ranges); ``wrong``: they all
    have another value, a wrong number an analyst would trust; ``missed``: none overlaps.
    """
    right = 0
    wrong: list[tuple] = []
    missed: list[tuple] = []
    for row in gold_rows:
        preds = predict(row["text"], row["doc_date"])
        for g in row["claims"]:
            over = [p for p in preds if p["num_start"] < g["num_end"] and g["num_start"] < p["num_end"]]
            if not over:
                missed.append((row["id"], g["num"], g["value"]))
            elif any(_same_value(p["value"], g["value"]) and (
                    g.get("value_max") is None or _same_value(p.get("value_max") or math.nan, g["value_max"]))
                    for p in over):
                right += 1
            else:
                wrong.append((row["id"], g["num"], g["value"], [p["value"] for p in over]))
    return {"gold": right + len(wrong) + len(missed), "right": right, "wrong": wrong, "missed": missed}


class RecognizersText:
    """Recognizers-Text number, percentage, currency and dimension models (Chinese), merged."""

    def __init__(self, add_units: bool = False):
        from recognizers_number import NumberRecognizer
        from recognizers_number_with_unit import NumberWithUnitRecognizer
        from recognizers_text import Culture

        nr = NumberRecognizer(Culture.Chinese)
        nu = NumberWithUnitRecognizer(Culture.Chinese)
        # longer, unit-bearing models first: their spans win over bare numbers
        self.models = [("currency", nu.get_currency_model()), ("dimension", nu.get_dimension_model()),
                       ("percentage", nr.get_percentage_model()), ("number", nr.get_number_model())]
        self.add_units = add_units

    def parse(self, text: str) -> list[dict]:
        out: list[dict] = []
        for name, model in self.models:
            try:
                results = model.parse(text)
            except Exception:  # RT raises on some inputs; count as no result
                results = []
            for r in results:
                s, e = r.start, r.end + 1  # RT ends are inclusive
                if any(s < o["num_end"] and o["num_start"] < e for o in out):
                    continue
                res = r.resolution or {}
                val = res.get("value")
                try:
                    value = float(str(val).rstrip("%"))
                except (TypeError, ValueError):
                    continue
                unit = None
                if name == "percentage":
                    unit = "%"
                elif name in ("currency", "dimension"):
                    unit = RT_UNITS.get(res.get("unit"), res.get("unit"))
                elif self.add_units:
                    u, ue = _read_unit(to_halfwidth(text), e)
                    if u:
                        unit, e = u, ue
                out.append({"num_start": s, "num_end": e, "value": value, "unit": unit, "qualifier": "=",
                            "kind": "level", "modality": "actual", "time": None, "reference": None, "subject": None})
        out.sort(key=lambda d: d["num_start"])
        return out

    def __call__(self, text: str, doc_date: str | None) -> list[dict]:
        return self.parse(text)


def load_rt(add_units: bool = False):
    try:
        return RecognizersText(add_units)
    except ImportError:
        return None


def _line(name: str, r: dict) -> str:
    a = r["acc"]
    return (f"{name:<12} {r['gold']:>5} {r['pred']:>5} {r['tp']:>5}  P={r['precision']:.3f} R={r['recall']:.3f} "
            f"F1={r['f1']:.3f} | qual={a['qualifier']:.3f} kind={a['kind']:.3f} mod={a['modality']:.3f} "
            f"time={a['time']:.3f} ref={a['reference']:.3f} subj={a['subject']:.3f} subj~={a['subject~']:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    ap.add_argument("--split", default="all", choices=["dev", "test", "blind", "all"])
    ap.add_argument("--no-rt", action="store_true", help="skip Recognizers-Text")
    ap.add_argument("--errors", type=int, default=0, help="print the first N errors of policytext")
    args = ap.parse_args(argv)
    require(args.gold, "claims gold set")
    splits = ["dev", "test", "blind", "all"] if args.split == "all" else [args.split]
    systems = [("policytext", policytext_predict)]
    if not args.no_rt:
        rt = load_rt(False)
        if rt is None:
            print("Recognizers-Text not installed (pip install recognizers-text-suite 'emoji<2'): skipped")
        else:
            systems += [("RT", rt), ("RT+units", load_rt(True))]
    print(f"{'system':<12} {'gold':>5} {'pred':>5} {'tp':>5}  (value, unit) match | accuracy on matched claims")
    first = None
    for split in splits:
        rows = load_gold(args.gold, split)
        print(f"--- split={split}: {len(rows)} sentences")
        for name, fn in systems:
            r = score(rows, fn)
            if first is None:
                first = r
            print(_line(name, r))
    if args.errors and first:
        for e in first["errors"][: args.errors]:
            print("  ", *e)
    rows = load_gold(args.gold, args.split)
    print(f"--- values only (split={args.split}): each gold claim's numeral, read by the number finder and by the claims")
    for name, fn in (("find_numbers", numbers_predict), ("extract_claims", policytext_predict)):
        r = value_report(rows, fn)
        print(f"{name:<15} {r['gold']:>5} gold  right={r['right']}  wrong value={len(r['wrong'])}  missed={len(r['missed'])}")
        for kind, items in (("WRONG", r["wrong"]), ("MISS", r["missed"])):
            for item in items[: args.errors]:
                print("  ", kind, *item)
    return 0


if __name__ == "__main__":
    raise SystemExit(run(main))
