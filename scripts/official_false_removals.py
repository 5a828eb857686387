"""Lines of clean official text that the furniture step removes (each should be 0 or close).

    python scripts/official_false_removals.py [--shared ../shared/data] [--model PATH] [--show N]

Texts (``../shared/data``, not shipped): government work reports, CPC congress reports, national
laws, departmental rules, administrative regulations (lines as they are, markdown ``#`` kept) and
the CCTV news of 2023 (``content_html`` through the ``html`` stage). For each: lines seen, lines
removed by the rules, and lines removed by the rules + line classifier (``--model``: another
``model.json``; default the shipped one). Inline widgets (``【打印】``) are not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import policytext.stages.repair.line_model as line_model  # noqa: E402
from policytext.stages.repair.furniture import find_page_furniture  # noqa: E402

SOURCES = (
    ("work reports", "gov_work_reports_wikisource/government_work_reports.jsonl", "content"),
    ("congress reports", "gov_work_reports_wikisource/cpc_congress_reports.jsonl", "content"),
    ("national laws", "cn_laws_regulations_lawrefbook/national_laws.jsonl", "text_markdown"),
    ("departmental rules", "cn_laws_regulations_lawrefbook/departmental_rules.jsonl", "text_markdown"),
    ("administrative regulations", "cn_laws_regulations_lawrefbook/administrative_regulations.jsonl", "text_markdown"),
    ("CCTV news 2023", "xwlb_cctv_news_tagged/xwlb_tagged_2023.jsonl", "content_html"),
)


def texts(path: Path, key: str):
    from policytext.stages.base import create_text_stage
    from policytext.state import TextState
    import policytext.stages.html  # noqa: F401

    with open(path, encoding="utf-8") as f:
        for row in map(json.loads, f):
            text = row.get(key) or ""
            if key == "content_html":
                st = TextState(raw=text)
                create_text_stage("html")(st)
                text = st.text
            lines = [ln for ln in text.split("\n") if ln.strip() and not ln.startswith("<!--")]
            if lines:
                yield "\n".join(lines)


def removed(text: str, use_model: bool) -> list[str]:
    return [text[e.start : e.end].strip()[:60] for e in find_page_furniture(text, use_model=use_model)
            if "inline" not in (e.note or "")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--model", help="a model.json other than the shipped one")
    ap.add_argument("--show", type=int, default=5)
    args = ap.parse_args(argv)
    if args.model:
        model = line_model.LineModel.from_json(json.loads(Path(args.model).read_text(encoding="utf-8")))
        line_model.load_line_model = lambda path=None: model
    total = [0, 0, 0]
    for name, rel, key in SOURCES:
        seen = rules = full = 0
        examples: list[str] = []
        for text in texts(Path(args.shared) / rel, key):
            seen += text.count("\n") + 1
            rules += len(removed(text, False))
            got = removed(text, True)
            full += len(got)
            examples += got
        print(f"{name}: {seen} lines; removed by the rules {rules}, by rules + classifier {full}")
        for x in examples[: args.show]:
            print(f"    {x}")
        total = [total[0] + seen, total[1] + rules, total[2] + full]
    print(f"all: {total[0]} lines; rules {total[1]}; rules + classifier {total[2]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
