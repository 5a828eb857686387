"""Throughput of policytext claim extraction beside Recognizers-Text, on the same text in one run.

    python benchmarks/bench_claims.py [--chars 40000] [--repeat 3]

Text: government work reports 2019-2025 from ../shared/data (sentence by sentence, as both tools
are used on sentences). Recognizers-Text (``recognizers-text-suite``) runs its Chinese
number-with-unit models (currency + dimension) and, separately, the full set the evaluation
uses (number + percentage + currency + dimension). MB/s counts UTF-8 bytes of input.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=40000, help="characters of report text to use")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    if not DATA.exists():
        print(f"data not found: {DATA}")
        return 1
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
