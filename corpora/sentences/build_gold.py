"""Build the sentence gold set ``gold.jsonl`` from the hand-annotated ``gold_src.txt``.

``gold_src.txt`` holds every document with its annotation inline (so it can be read and
corrected by hand):

* a header line ``@@@@ <id> <source>`` starts a document; its text is every following line up to
  the next header, the final line break removed;
* ``⁞`` (U+205E) marks a sentence boundary; a unit is the text between two boundaries (or a
  boundary and the document's start/end), stripped of surrounding whitespace;
* a unit starting with ``ℍ`` is a ``heading``, with ``ℓ`` a ``line``, otherwise a ``sentence``;
* ``⟪T:speaker|time⟫`` opens a transcript turn (time may be empty), ``⟪/T⟫`` closes it.

Removing the markers gives the document text exactly.

``python corpora/sentences/build_gold.py`` rewrites ``gold.jsonl`` from ``gold_src.txt``.
``python corpora/sentences/build_gold.py --draft`` prints a naive draft (every ``。！？!?`` end and
every line end marked) of the official-text excerpts listed in ``EXCERPTS`` from
``../shared/data``; the draft was then corrected by hand into ``gold_src.txt``.
Only official documents of state organs (government work reports, NPC resolutions, CPC
congress reports, laws and regulations; not copyrightable under PRC Copyright Law Art. 5) and
our own transcript-like examples are included; no CCTV or BosonNLP text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "gold_src.txt"
OUT = HERE / "gold.jsonl"
DATA = HERE.parents[2] / "shared" / "data"

BOUNDARY = "⁞"
HEAD = "ℍ"
LINE = "ℓ"
TURN_OPEN = re.compile(r"⟪T:([^|⟫]*)\|([^⟫]*)⟫")
TURN_CLOSE = "⟪/T⟫"

# (id, file under shared/data, record field to match, value, text field, start anchor, n chars)
EXCERPTS = [
    ("gwr2024-a", "gov_work_reports_wikisource/government_work_reports.jsonl", "year", "2024", "content", "政府工作报告", 6200),
    ("gwr2025-b", "gov_work_reports_wikisource/government_work_reports.jsonl", "year", "2025", "content", "全面提高人才队伍质量", 3600),
    ("gwr2019-c", "gov_work_reports_wikisource/government_work_reports.jsonl", "year", "2019", "content", "二、2019年经济社会发展总体要求和政策取向", 3200),
    ("gwr2015-d", "gov_work_reports_wikisource/government_work_reports.jsonl", "year", "2015", "content", "二、2015年工作总体部署", 2600),
    ("npc2025-res", "gov_work_reports_wikisource/government_work_reports.jsonl", "title", "第十四届全国人民代表大会第三次会议关于政府工作报告的决议", "content", "第十四届", 520),
    ("cpc20-e", "gov_work_reports_wikisource/cpc_congress_reports.jsonl", "congress", 20, "content", "高举中国特色社会主义伟大旗帜", 3600),
    ("law-dsl", "cn_laws_regulations_lawrefbook/national_laws.jsonl", "title", "数据安全法", "text_markdown", "# ", 2600),
    ("law-pipl", "cn_laws_regulations_lawrefbook/national_laws.jsonl", "title", "个人信息保护法", "text_markdown", "# ", 2300),
    ("reg-ndsm", "cn_laws_regulations_lawrefbook/administrative_regulations.jsonl", "title", "网络数据安全管理条例", "text_markdown", "# ", 3600),
    ("reg-icp", "cn_laws_regulations_lawrefbook/administrative_regulations.jsonl", "title", "信息网络传播权保护条例", "text_markdown", "# ", 2200),
    # held out: drafted and hand-corrected after the splitter's rules were frozen
    ("ho_gwr1998-a", "gov_work_reports_wikisource/government_work_reports.jsonl", "year", "1998", "content", "二、关于1 9 9 8 年政府工作的建议", 3000),
    ("ho_gwr2008-a", "gov_work_reports_wikisource/government_work_reports.jsonl", "year", "2008", "content", "二、2008年主要任务", 3000),
    ("ho_cpc18-a", "gov_work_reports_wikisource/cpc_congress_reports.jsonl", "congress", 18, "content", "二、夺取中国特色社会主义新胜利", 3000),
    ("ho_cpc19-a", "gov_work_reports_wikisource/cpc_congress_reports.jsonl", "congress", 19, "content", "三、新时代中国特色社会主义思想和基本方略", 3000),
    ("ho_law-csl", "cn_laws_regulations_lawrefbook/national_laws.jsonl", "title", "网络安全法", "text_markdown", "# ", 2500),
    ("ho_rule-samr", "cn_laws_regulations_lawrefbook/departmental_rules.jsonl", "title", "市场监督管理投诉举报处理暂行办法", "text_markdown", "# ", 2000),
]


def _clean_markdown(text: str) -> str:
    text = text.replace("<!-- INFO END -->\n\n", "").replace("<!-- INFO END -->", "")
    return re.sub(r"(?m)^#{1,6} ", "", text)


def excerpt(spec) -> str:
    _id, fname, field, value, tfield, anchor, n = spec
    with open(DATA / fname, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec.get(field) == value:
                break
        else:
            raise KeyError(spec)
    text = rec[tfield]
    start = text.index(anchor)
    end = text.find("\n\n", start + n)
    out = text[start:end if end > 0 else len(text)]
    if tfield == "text_markdown":
        out = _clean_markdown(out)
    out = re.sub(r"\n{3,}", "\n\n", out)  # wiki runs of blank lines
    return out.strip("\n")


def naive_draft(text: str) -> str:
    """Mark every 。！？!? (+ closing quotes) end and every line end; type short lines heading."""
    out = []
    for line in text.split("\n"):
        if not line.strip():
            out.append(line)
            continue
        marked = re.sub(r"([。！？!?]+[”’）]*)(?=.)", r"\1" + BOUNDARY, line)
        if not re.search(r"[。！？!?][”’）]*\s*$", line):
            marked = (HEAD if len(line.strip()) <= 40 else LINE) + marked
        out.append(marked + BOUNDARY)
    return "\n".join(out)


def parse_src(src: str) -> list[dict]:
    docs = []
    parts = re.split(r"(?m)^@@@@ (\S+) (.*)\n", src)
    for i in range(1, len(parts), 3):
        doc_id, source, body = parts[i], parts[i + 1].strip(), parts[i + 2]
        if body.endswith("\n"):
            body = body[:-1]
        docs.append(parse_doc(doc_id, source, body))
    return docs


def parse_doc(doc_id: str, source: str, body: str) -> dict:
    text_chars: list[str] = []
    cuts = [0]
    types_at: dict[int, str] = {}
    turns: list[dict] = []
    open_turn = None
    i = 0
    while i < len(body):
        m = TURN_OPEN.match(body, i)
        if m:
            open_turn = {"speaker": m.group(1), "time": m.group(2) or None, "start": len(text_chars)}
            i = m.end()
            continue
        if body.startswith(TURN_CLOSE, i):
            open_turn["end"] = len(text_chars)
            turns.append(open_turn)
            open_turn = None
            i += len(TURN_CLOSE)
            continue
        ch = body[i]
        if ch == BOUNDARY:
            cuts.append(len(text_chars))
        elif ch in (HEAD, LINE):
            types_at[len(text_chars)] = "heading" if ch == HEAD else "line"
        else:
            text_chars.append(ch)
        i += 1
    if open_turn is not None:
        raise ValueError(f"{doc_id}: unclosed turn")
    text = "".join(text_chars)
    cuts.append(len(text))
    sentences = []
    for a, b in zip(cuts, cuts[1:]):
        s, e = a, b
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        typ = types_at.get(s) or types_at.get(a) or "sentence"
        sentences.append({"start": s, "end": e, "type": typ, "text": text[s:e]})
    for t in turns:
        s, e = t["start"], t["end"]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        t["start"], t["end"] = s, e
    return {"id": doc_id, "source": source, "text": text, "sentences": sentences, "turns": turns}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draft", action="store_true", help="print naive drafts of the excerpts")
    ap.add_argument("--only", default="", help="with --draft: only ids starting with this prefix")
    args = ap.parse_args(argv)
    if args.draft:
        for spec in EXCERPTS:
            if not spec[0].startswith(args.only):
                continue
            src = f"shared/data/{spec[1]} {spec[2]}={spec[3]} from {spec[5]!r}"
            sys.stdout.write(f"@@@@ {spec[0]} {src}\n{naive_draft(excerpt(spec))}\n")
        return 0
    docs = parse_src(SRC.read_text(encoding="utf-8"))
    with open(OUT, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    n = sum(len(d["sentences"]) for d in docs)
    print(f"{len(docs)} documents, {n} units, {sum(len(d['turns']) for d in docs)} turns -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
