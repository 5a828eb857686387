"""Build the *unreviewed* draft of the policy gold set (``draft.txt``) from official text.

The shipped gold (``policy_gold.txt``) was made by running this script once, then correcting
every line by hand (adding missed entities, fixing labels and boundaries per contract section 4).
Sources (all in ../shared/data or ../shared/samples; no BosonNLP or CCTV text):
government work reports 2025/2024/2019/2000, the CPC 20th congress report, and fragments of the
three samples (converted with OpenCC t2s, HTML stripped, runs of repeated punctuation folded, as
the pipeline's text stages would).

    python corpora/entities/preannotate.py [--model-path tmp/ner_snap] > corpora/entities/draft.txt

``--part dev`` drafts the DEV set (``policy_dev.txt``: other report passages, two other regulations,
other pkulaw titles; paragraphs that overlap the gold set and repeated titles are dropped).
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
REPORT_SLICES = [("2025", 0, 5200), ("2024", 9000, 3200), ("2023", 1500, 2500), ("2019", 12000, 2200),
                 ("2000", 3000, 1800)]
# (file, title, chars) openings of regulations that cite other laws and bodies
LAW_SLICES = [("administrative_regulations", "网络数据安全管理条例", 3000),
              ("administrative_regulations", "外商投资电信企业管理规定", 2600)]
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
    for fname, title, n in LAW_SLICES:
        for l in open(DATA / "cn_laws_regulations_lawrefbook" / f"{fname}.jsonl", encoding="utf-8"):
            row = json.loads(l)
            if row["title"] == title:
                body = re.sub(r"^#+ ?", "", row["text_markdown"], flags=re.M).replace("<!-- INFO END -->", "")
                out += [(f"law:{title}", p) for p in paragraphs(body[:n], 12)]
                break
    s0 = cc.convert((SAMPLES / "000_ae6d8b9b05a0dffa.txt").read_text(encoding="utf-8"))
    out += [("sample000", p) for p in paragraphs(s0, 10)]
    s1 = (SAMPLES / "001_ae4501125a880a0e.txt").read_text(encoding="utf-8")
    s1 = re.sub(r"([、，。,!?;:])\1+", r"\1", s1)
    out += [("sample001", p) for p in paragraphs(s1[:4000], 30)]
    s2 = cc.convert(html.unescape(re.sub(r"<[^>]+>", " ", (SAMPLES / "002_b21ce947c00f9f10.txt").read_text(encoding="utf-8"))))
    clean = [p for p in paragraphs(s2, 15) if not re.search(r"[\ue000-\uf8ff\ufffd?]", p)]
    out += [("sample002", p) for p in clean[:70]]
    return out


def extra_sources() -> list[tuple[str, str]]:
    """Denser material: NPC resolutions on the work report, provincial policy titles, foreign affairs."""
    import random

    out: list[tuple[str, str]] = []
    rows = [json.loads(l) for l in open(DATA / "gov_work_reports_wikisource" / "government_work_reports.jsonl", encoding="utf-8")]
    resolutions = [r for r in rows if r["year"] is None][-8:]
    for r in resolutions:
        out += [("npc_resolution", p) for p in paragraphs(r["content"], 20) if not p.startswith(("本作品", "本模板"))]
    countries = ("美国", "俄罗斯", "日本", "欧盟", "东盟", "印度", "非洲", "拉美", "朝鲜", "联合国")
    for r in rows:
        if r["year"] in ("2019", "2010", "1998", "2005"):
            for p in paragraphs(r["content"]):
                if sum(p.count(c) for c in countries) >= 2:
                    out.append((f"gwr{r['year']}", p))
    titles = [json.loads(l) for l in open(DATA / "pkulaw_policy_titles_themes" / "policy_titles.jsonl", encoding="utf-8")]
    random.Random(8).shuffle(titles)
    out += [("pkulaw_title", t["title"].replace("...", "")) for t in titles[:200]]
    return out


# dev set (corpora/entities/policy_dev.txt): other years, other regulations, other titles
DEV_REPORT_SLICES = [("2022", 0, 3600), ("2017", 3800, 900), ("2016", 19500, 1400), ("2013", 6600, 1100),
                     ("2013", 15600, 800), ("2012", 18500, 800), ("2008", 6500, 900), ("2008", 24200, 900)]
DEV_LAW_SLICES = [("administrative_regulations", "关键信息基础设施安全保护条例", 1600),
                  ("administrative_regulations", "优化营商环境条例", 1500)]
DEV_TITLES = 240
DEV_TAIL_SLICES = [("2017", 18900, 1300)]  # appended after the titles


def _gold_texts() -> set[str]:
    """Plain paragraphs of policy_gold.txt (the dev set must not repeat any of them)."""
    from policytext.evaluation.entities import read_policy_gold

    return {t for t, _ in read_policy_gold()}


def _law_body(fname: str, title: str) -> str:
    for line in open(DATA / "cn_laws_regulations_lawrefbook" / f"{fname}.jsonl", encoding="utf-8"):
        row = json.loads(line)
        if row["title"] == title:
            return re.sub(r"^#+ ?", "", row["text_markdown"], flags=re.M).replace("<!-- INFO END -->", "")
    raise KeyError(title)


def dev_sources() -> list[tuple[str, str]]:
    """Dev-set paragraphs: work reports 2022/2017/2016/2013/2012/2008, two other State Council regulations and
    pkulaw titles not drawn for the gold set; any paragraph that overlaps the gold set is skipped."""
    import random

    gold = _gold_texts()
    out: list[tuple[str, str]] = []
    reports = {json.loads(l)["year"]: json.loads(l)["content"] for l in open(DATA / "gov_work_reports_wikisource" / "government_work_reports.jsonl", encoding="utf-8")}
    for year, s, n in DEV_REPORT_SLICES:
        out += [(f"gwr{year}", p) for p in paragraphs(cut(reports[year], s, n))]
    for fname, title, n in DEV_LAW_SLICES:
        body = _law_body(fname, title)
        out += [(f"law:{title}", p) for p in paragraphs(body[:n], 12)]
    titles = [json.loads(l) for l in open(DATA / "pkulaw_policy_titles_themes" / "policy_titles.jsonl", encoding="utf-8")]
    random.Random(8).shuffle(titles)
    rest = titles[200:]  # the gold set drew from the first 200
    random.Random(2026).shuffle(rest)
    out += [("pkulaw_title", t["title"].replace("...", "")) for t in rest[:DEV_TITLES]]
    for year, s, n in DEV_TAIL_SLICES:
        out += [(f"gwr{year}", p) for p in paragraphs(cut(reports[year], s, n))]
    seen: set[str] = set()
    kept = []
    for src, p in out:
        if p in seen or any(p in g or g in p for g in gold):
            continue  # a repeated title, or text the gold set holds
        seen.add(p)
        kept.append((src, p))
    return kept


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-path", default=None)
    ap.add_argument("--part", default="base", choices=["base", "extra", "dev"])
    args = ap.parse_args()
    from policytext.components.entities import recognizer

    rec = recognizer(model_path=args.model_path)
    parts_by_name = {"base": sources, "extra": extra_sources, "dev": dev_sources}
    for src, text in parts_by_name[args.part]():
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
