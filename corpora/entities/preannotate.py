"""Build the *unreviewed* draft of the policy gold set (``draft.txt``) from official text.

The shipped gold (``policy_gold.txt``) was made by running this script once, then correcting
every line by hand (adding missed entities, fixing labels and boundaries per contract section 4).
Sources (all in ../shared/data or ../shared/samples; no BosonNLP or CCTV text):
government work reports 2025/2024/2019/2000, the CPC 20th congress report, and fragments of the
three samples (converted with OpenCC t2s, HTML stripped, runs of repeated punctuation folded, as
the pipeline's text stages would).

    python corpora/entities/preannotate.py [--model-path tmp/ner_snap] > corpora/entities/draft.txt
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data"
SAMPLES = ROOT.parent / "shared" / "samples"

# (source, start char, length) slices of the work reports / congress report
REPORT_SLICES = [("2025", 0, 5200), ("2024", 9000, 3200), ("2019", 12000, 2200), ("2000", 3000, 1800)]
CONGRESS_SLICE = ("20", 3000, 3200)


def paragraphs(text: str, min_len: int = 20) -> list[str]:
    out = []
    for line in text.split("\n"):
        line = line.strip().replace("\u3000", "")
        if len(line) >= min_len:
            out.append(line)
    return out


def cut(text: str, start: int, length: int) -> str:
    # start and end on paragraph boundaries
    s = text.rfind("\n", 0, start) + 1 if start else 0
    e = text.find("\n", start + length)
    return text[s : e if e > 0 else len(text)]


def sources() -> list[tuple[str, str]]:
    import opencc

    cc = opencc.OpenCC("t2s")
    out: list[tuple[str, str]] = []
    reports = {json.loads(l)["year"]: json.loads(l)["content"] for l in open(DATA / "gov_work_reports_wikisource" / "government_work_reports.jsonl", encoding="utf-8")}
    for year, s, n in REPORT_SLICES:
        out += [(f"gwr{year}", p) for p in paragraphs(cut(reports[year], s, n))]
    congress = {json.loads(l)["congress"]: json.loads(l)["content"] for l in open(DATA / "gov_work_reports_wikisource" / "cpc_congress_reports.jsonl", encoding="utf-8")}
    c, s, n = CONGRESS_SLICE
    out += [(f"cpc{c}", p) for p in paragraphs(cut(congress[int(c)] if int(c) in congress else congress[c], s, n))]
    s0 = cc.convert((SAMPLES / "000_ae6d8b9b05a0dffa.txt").read_text(encoding="utf-8"))
    out += [("sample000", p) for p in paragraphs(s0, 10)]
    s1 = (SAMPLES / "001_ae4501125a880a0e.txt").read_text(encoding="utf-8")
    s1 = re.sub(r"([、，。,!?;:])\1+", r"\1", s1)
    out += [("sample001", p) for p in paragraphs(s1[:4000], 30)]
    s2 = cc.convert(html.unescape(re.sub(r"<[^>]+>", " ", (SAMPLES / "002_b21ce947c00f9f10.txt").read_text(encoding="utf-8"))))
    clean = [p for p in paragraphs(s2, 15) if not re.search(r"[\ue000-\uf8ff\ufffd?]", p)]
    out += [("sample002", p) for p in clean[:40]]
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-path", default=None)
    args = ap.parse_args()
    from policytext.components.entities import recognizer

    rec = recognizer(model_path=args.model_path)
    for src, text in sources():
        spans = rec.spans(text)
        parts, last = [], 0
        for s, e, lab, _ in spans:
            parts.append(text[last:s])
            parts.append(f"[[{text[s:e]}|{lab}]]")
            last = e
        parts.append(text[last:])
        print(f"# {src}")
        print("".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
