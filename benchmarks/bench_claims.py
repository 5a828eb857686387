"""Throughput of policytext claim extraction beside Recognizers-Text, on the same text in one run.

    python benchmarks/bench_claims.py [--chars 40000] [--repeat 3]
    python benchmarks/bench_claims.py --worst-case [--repeat 3]   # adversarial runs vs normal text
    python benchmarks/bench_claims.py --against OLD_CHECKOUT      # this code vs another, same process

Text: government work reports 2019-2025 from ../shared/data (sentence by sentence, as both tools
are used on sentences). Recognizers-Text (``recognizers-text-suite``) runs its Chinese
number-with-unit models (currency + dimension) and, separately, the full set the evaluation
uses (number + percentage + currency + dimension). MB/s counts UTF-8 bytes of input.

``--worst-case`` times the claims stage on adversarial runs (``1%`` ``1至`` ``1`` ``a.b`` and the
realistic ``增长12.5%，`` repeated, and a few more) at 5,000 and 50,000 characters against report
text of the same length, one string each, in the same process: the ratio must stay at most 5x.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import best_time  # noqa: E402
DATA = ROOT.parent / "shared" / "data" / "gov_work_reports_wikisource" / "government_work_reports.jsonl"


def load_sentences(max_chars: int) -> list[str]:
    text = ""
    for line in DATA.open(encoding="utf-8"):
        d = json.loads(line)
        if d["year"] and d["year"] >= "2019":
            text += d["content"] + "\n"
    sents = [s.strip() for s in re.split(r"(?<=[。！？；])|\n", text) if s.strip()]
    out, n = [], 0
    for s in sents:
        if n >= max_chars:
            break
        out.append(s)
        n += len(s)
    return out


WORST_CASE_RUNS = ["1%", "1至", "1", "a.b", "增长12.5%，", "一", "1,", "-1", "第1", "百分之一", "2020年", "（1",
                   "与上年相比增长", "八九", "$1"]
WORST_CASE_LIMIT = 5.0


def worst_case(repeat: int, sizes=(5_000, 50_000)) -> bool:
    """Adversarial runs through extract_claims against normal report text of the same length."""
    from policytext.components.claims import extract_claims

    text = "".join(json.loads(line)["content"] for line in DATA.open(encoding="utf-8"))
    ok = True
    for n in sizes:
        normal = text[:n]
        t_normal = best_time(lambda s: extract_claims(s, "2025-03-05"), [normal], repeat)
        print(f"{n:>6} chars  normal report text {t_normal:7.3f} s")
        for unit in WORST_CASE_RUNS:
            run = (unit * (n // len(unit) + 1))[:n]
            t_run = best_time(lambda s: extract_claims(s, "2025-03-05"), [run], repeat)
            ratio = t_run / t_normal
            ok &= ratio <= WORST_CASE_LIMIT
            flag = "" if ratio <= WORST_CASE_LIMIT else f"  > {WORST_CASE_LIMIT:g}x"
            print(f"{n:>6} chars  {unit!r:<14} {t_run:7.3f} s  {ratio:5.2f}x normal{flag}")
    return ok


def load_other(root: str):
    """``extract_claims`` of the policytext checkout under ``root``, imported beside this one (its
    packages as bare namespaces, so that its spaCy factory is not registered twice)."""
    import importlib
    import types

    mine = {k: v for k, v in sys.modules.items() if k == "policytext" or k.startswith("policytext.")}
    for k in mine:
        del sys.modules[k]
    try:
        for name in ("policytext", "policytext.components", "policytext.components.claims"):
            pkg = types.ModuleType(name)
            pkg.__path__ = [str(Path(root, *name.split(".")))]
            sys.modules[name] = pkg
        other = importlib.import_module("policytext.components.claims.extract").extract_claims
    finally:
        for k in [k for k in sys.modules if k == "policytext" or k.startswith("policytext.")]:
            del sys.modules[k]
        sys.modules.update(mine)
    return other


def against(root: str, sents: list[str], repeat: int) -> None:
    """This checkout's extract_claims against ``root``'s, rounds alternating, best of each."""
    from policytext.components.claims import extract_claims

    other = load_other(root)
    mb = sum(len(s.encode("utf-8")) for s in sents) / 1e6
    best = {"this": float("inf"), "other": float("inf")}
    for _ in range(repeat):
        for name, fn in (("this", extract_claims), ("other", other)):
            best[name] = min(best[name], best_time(lambda s: fn(s, "2025-03-05"), sents, 1))
    print(f"this checkout   {mb / best['this']:8.3f} MB/s  ({best['this']:.3f} s)")
    print(f"{root:<15} {mb / best['other']:8.3f} MB/s  ({best['other']:.3f} s)   this is {best['other'] / best['this']:.2f}x as fast")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=40000, help="characters of report text to use")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--worst-case", action="store_true", help="adversarial runs against normal text (5k, 50k chars)")
    ap.add_argument("--against", metavar="DIR", help="also time the policytext package in DIR (an older checkout)")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"data not found: {DATA}")
        return 1
    if args.worst_case:
        return 0 if worst_case(args.repeat) else 2
    if args.against:
        against(args.against, load_sentences(args.chars), max(args.repeat, 5))
        return 0
    from policytext.components.claims import extract_claims

    sents = load_sentences(args.chars)
    nbytes = sum(len(s.encode("utf-8")) for s in sents)
    mb = nbytes / 1e6
    print(f"{len(sents)} sentences, {sum(map(len, sents))} chars, {nbytes} bytes")
    t_pt = best_time(lambda s: extract_claims(s, "2025-03-05"), sents, args.repeat)
    print(f"policytext extract_claims          {mb / t_pt:8.3f} MB/s  ({t_pt:.2f} s)")
    try:
        from recognizers_number import NumberRecognizer
        from recognizers_number_with_unit import NumberWithUnitRecognizer
        from recognizers_text import Culture
    except ImportError:
        print("Recognizers-Text not installed (pip install recognizers-text-suite 'emoji<2'): skipped")
        return 0
    nu = NumberWithUnitRecognizer(Culture.Chinese)
    nr = NumberRecognizer(Culture.Chinese)
    cur, dim = nu.get_currency_model(), nu.get_dimension_model()
    num, pct = nr.get_number_model(), nr.get_percentage_model()
    rt_repeat = max(1, args.repeat // 3)

    def rt_units(s):
        cur.parse(s)
        dim.parse(s)

    def rt_all(s):
        cur.parse(s)
        dim.parse(s)
        pct.parse(s)
        num.parse(s)

    t_u = best_time(rt_units, sents, rt_repeat)
    print(f"Recognizers-Text number-with-unit  {mb / t_u:8.3f} MB/s  ({t_u:.2f} s)   policytext is {t_u / t_pt:.1f}x faster")
    t_a = best_time(rt_all, sents, rt_repeat)
    print(f"Recognizers-Text all 4 models      {mb / t_a:8.3f} MB/s  ({t_a:.2f} s)   policytext is {t_a / t_pt:.1f}x faster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
