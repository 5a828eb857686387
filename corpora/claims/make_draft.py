"""Write a pre-annotation draft for the claims gold set (run once; the draft is then corrected by hand).

    python corpora/claims/make_draft.py > /tmp/claims_draft.txt

Selects every sentence with a number from the chosen sources, runs the extractor, and prints
each sentence with one line per predicted claim and one ``!`` line per rejected candidate
(with the rejection reason), so the annotator must decide on every number. The corrected file
is ``corpora/claims/annotations.txt``; ``build_gold.py`` turns it into ``gold.jsonl``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
SAMPLES = ROOT.parent / "shared" / "samples"
sys.path.insert(0, str(ROOT))

from policytext.components.claims.extract import extract_claims, find_numbers, reject_reason  # noqa: E402
from policytext.dates import find_document_date  # noqa: E402
from policytext.components.claims.numbers import to_halfwidth  # noqa: E402

SPLIT = re.compile(r"(?<=[。！？!?])|\n")


def sentences(text: str):
    for s in SPLIT.split(text):
        s = s.strip(" \u3000\t\r")
        if re.search(r"<[a-z]|无码|福利|18禁", s):  # page furniture and spam lines of scraped pages
            continue
        if s and re.search(r"[0-9０-９]|[一二两三四五六七八九十][十百千万亿]|百分之|分之", s) and len(s) < 400:
            yield s


def fmt_val(v):
    return f"{v:g}" if v is not None else "-"


SEEN: set[str] = set()


def draft(doc_id: str, date: str | None, text: str, limit: int | None = None, out=sys.stdout):
    n = 0
    for k, s in enumerate(sentences(text)):
        if s in SEEN:
            continue
        SEEN.add(s)
        claims = extract_claims(s, date, spans=True)
        t = to_halfwidth(s)
        rej = [(c, reject_reason(t, c)) for c in find_numbers(s)]
        rej = [(c, r) for c, r in rej if r]
        if not claims and not rej:
            continue
        print(f"## {doc_id}-{k:03d} | {date or '-'}", file=out)
        print(s, file=out)
        for c in claims:
            num = s[c["num_start"]:c["num_end"]]
            vm = f"..{fmt_val(c['value_max'])}" if "value_max" in c else ""
            print("+ " + "\t".join([num, fmt_val(c["value"]) + vm, c["unit"] or "-", c["qualifier"], c["kind"],
                                    c["modality"], c["subject"] or "-", c["time"] or "-", c["reference"] or "-"]),
                  file=out)
        for c, r in rej:
            print(f"! {s[c.start:c.end]}\t{r}", file=out)
        n += 1
        if limit and n >= limit:
            break


def main(argv: list[str]) -> None:
    which = argv[1] if len(argv) > 1 else "all"
    gwr = {}
    for line in open(DATA / "gov_work_reports_wikisource" / "government_work_reports.jsonl", encoding="utf-8"):
        d = json.loads(line)
        if d["year"]:
            gwr[d["year"]] = d["content"]
    if which.startswith("gwr"):
        year = which[3:]
        text = gwr[year]
        date = find_document_date(text) or f"{year}-03-05"
        draft(f"gwr{year}", date, text)
    elif which == "samples":
        import opencc

        cc = opencc.OpenCC("t2s")
        for name, date in (("000_ae6d8b9b05a0dffa.txt", "2025-08-14"), ("002_b21ce947c00f9f10.txt", "2025-08-14")):
            text = cc.convert((SAMPLES / name).read_text(encoding="utf-8", errors="replace"))
            draft("s" + name[:3], date, text)
    elif which == "fines":
        k = 0
        n = 0
        for line in open(DATA / "cn_laws_regulations_lawrefbook" / "national_laws.jsonl", encoding="utf-8"):
            d = json.loads(line)
            for x in re.split(r"(?<=[。；])|\n", d["text_markdown"]):
                if re.search(r"(?:罚款|日内|个月内|百分之)", x) and re.search(r"[0-9一二三四五六七八九十百千万]", x):
                    k += 1
                    if k % 61 == 0 and n < 40:
                        draft("fine" + re.sub(r"\W", "", d["title"])[:6], d.get("version_date"), x, limit=1)
                        n += 1
    elif which.startswith("law"):
        n = int(which[3:] or 6)
        k = 0
        for line in open(DATA / "cn_laws_regulations_lawrefbook" / "national_laws.jsonl", encoding="utf-8"):
            d = json.loads(line)
            txt = d["text_markdown"]
            if d["category"] in ("其他",) or not re.search(r"罚款|日内", txt):
                continue
            k += 1
            if k % 37:
                continue
            txt = "\n".join(x for x in re.split(r"(?<=[。；])|\n", txt) if re.search(r"罚款|日内|个月|百分之|万元|以上|以下|第[一二三四五六七八九十]+条", x))
            draft("law" + re.sub(r"\W", "", d["title"])[:8], d.get("version_date"), txt, limit=8)
            n -= 1
            if n <= 0:
                break


if __name__ == "__main__":
    main(sys.argv)
