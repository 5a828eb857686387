"""Build policytext/data/charfreq.json: log-probabilities of the commonest characters.

Sources (read from ../shared/data, not shipped): government work reports and national laws
(simplified), the SIGHAN AS and CityU gold files (traditional). Simplified and traditional
counts are normalised separately and merged, so both scripts score as plausible Chinese.

    python scripts/build_charfreq.py [--shared ../shared/data] [--top 6000]
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path


def count_jsonl(path: Path, field: str, counter: Counter) -> None:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            counter.update(json.loads(line).get(field) or "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--top", type=int, default=6000)
    ap.add_argument("-o", "--output", default="policytext/data/charfreq.json")
    args = ap.parse_args()
    root = Path(args.shared)
    simp: Counter = Counter()
    count_jsonl(root / "gov_work_reports_wikisource/government_work_reports.jsonl", "content", simp)
    count_jsonl(root / "cn_laws_regulations_lawrefbook/national_laws.jsonl", "text_markdown", simp)
    simp.update((root / "sighan2005_icwb2/pku_test.utf8").read_text(encoding="utf-8"))
    trad: Counter = Counter()
    for name in ("as_testing_gold.utf8", "cityu_test_gold.utf8"):
        trad.update((root / "sighan2005_icwb2" / name).read_text(encoding="utf-8"))
    for c in (simp, trad):
        for ch in list(c):
            if ch.isspace():
                del c[ch]
    merged: dict[str, float] = {}
    for counter in (simp, trad):
        total = sum(counter.values())
        for ch, n in counter.most_common(args.top):
            merged[ch] = max(merged.get(ch, 0.0), n / total)
    total = sum(merged.values())
    table = {ch: round(math.log(p / total), 3) for ch, p in sorted(merged.items(), key=lambda kv: -kv[1])}
    floor = round(min(table.values()) - 2.0, 3)
    Path(args.output).write_text(json.dumps({"floor": floor, "logprob": table}, ensure_ascii=False), encoding="utf-8")
    print(f"{len(table)} characters, floor {floor} -> {args.output}")


if __name__ == "__main__":
    main()
