"""Build the compact tables of the repair stage (policytext/data/repair/).

``bigrams.json``: character unigram and bigram counts learned from raw official text, in the
simplified script (traditional sources are converted with OpenCC t2s first), pruned to the
commonest entries. The repair stage scores candidate repairs with it (``repair.scoring``).

Sources (read from ../shared/data, never shipped):
  - gov_work_reports_wikisource: government work reports and CPC congress reports
  - cn_laws_regulations_lawrefbook/national_laws.jsonl
  - sighan2005_icwb2: PKU/MSR test gold (simplified), AS/CityU test gold (traditional -> t2s)

``administrative_regulations.jsonl`` is deliberately NOT used: it is the held-out clean text of
the false-positive run in ``policytext.evaluation.repair``.

    python scripts/build_repair_tables.py [--shared ../shared/data] [--bigrams 60000]
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

import opencc

_ASCII_PUNCT = str.maketrans({",": "，", "!": "！", "?": "？", ";": "；", ":": "：", "(": "（", ")": "）"})
_KEEP = re.compile(r"[^\s]")


def normalise(text: str) -> str:
    """What the scorer sees: ASCII punctuation widened, latin letters and digits folded to 'a'/'0'."""
    text = text.translate(_ASCII_PUNCT)
    text = re.sub(r"[A-Za-z]", "a", text)
    text = re.sub(r"[0-9]", "0", text)
    return text


def count(text: str, uni: Counter, bi: Counter) -> None:
    for line in text.splitlines():
        line = normalise(re.sub(r"\s+", "", line))
        if not line:
            continue
        uni.update(line)
        bi.update(line[i : i + 2] for i in range(len(line) - 1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default="../shared/data")
    ap.add_argument("--bigrams", type=int, default=60000)
    ap.add_argument("--unigrams", type=int, default=8000)
    ap.add_argument("-o", "--output", default="policytext/data/repair/bigrams.json")
    args = ap.parse_args()
    root = Path(args.shared)
    t2s = opencc.OpenCC("t2s")
    uni: Counter = Counter()
    bi: Counter = Counter()
    for rel, field in (
        ("gov_work_reports_wikisource/government_work_reports.jsonl", "content"),
        ("gov_work_reports_wikisource/cpc_congress_reports.jsonl", "content"),
        ("cn_laws_regulations_lawrefbook/national_laws.jsonl", "text_markdown"),
    ):
        with (root / rel).open(encoding="utf-8") as fh:
            for line in fh:
                count(json.loads(line).get(field) or "", uni, bi)
    sig = root / "sighan2005_icwb2"
    for name in ("pku_test_gold.utf8", "msr_test_gold.utf8"):
        count((sig / name).read_text(encoding="utf-8").replace(" ", "").replace("\u3000", ""), uni, bi)
    for name in ("as_testing_gold.utf8", "cityu_test_gold.utf8"):
        text = (sig / name).read_text(encoding="utf-8").replace(" ", "").replace("\u3000", "")
        count(t2s.convert(text), uni, bi)
    unigrams = dict(uni.most_common(args.unigrams))
    bigrams = {k: v for k, v in bi.most_common(args.bigrams) if v >= 3}
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "about": "char unigram/bigram counts, simplified script, from official text; see scripts/build_repair_tables.py",
        "total": sum(uni.values()),
        "unigrams": unigrams,
        "bigrams": bigrams,
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {out}: {len(unigrams)} unigrams, {len(bigrams)} bigrams, {out.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
