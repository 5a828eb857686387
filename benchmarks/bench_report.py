"""Report generation time, page size and browser load time for one large document.

Documents: ``plain`` joins government work reports and CPC congress reports from ../shared/data
into one document of about ``--mb`` megabytes (UTF-8), few edits; ``traditional`` is the same
text with its first ``--traditional-mb`` megabytes converted to traditional script and its
commas made ASCII (OpenCC s2t), so the normalize stage makes an edit at about every fourth
character: the edit-heavy worst case. The pipeline runs with rule-only entities (the entity
model would dominate the time and changes nothing in the report). The reference is
``json.dumps`` of the same record in the same process: the report's time as a multiple of
writing the record out as JSON.

With ``--browser`` headless Chromium loads each page and the time from navigation start to the
load event is read from the page (a hook script is added to a copy, allowed by the page's CSP).

    python benchmarks/bench_report.py [--mb 5] [--traditional-mb 1] [--browser] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import opencc

import policytext
from policytext.report import Report

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "gov_work_reports_wikisource"
HOOK = ('addEventListener("load",function(){setTimeout(function(){var t=performance.getEntriesByType("navigation")[0];'
        'document.documentElement.setAttribute("data-load-ms",Math.round(t.loadEventStart));},0);});')


def plain_text(mb: float) -> str:
    parts: list[str] = []
    for name in ("government_work_reports.jsonl", "cpc_congress_reports.jsonl"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            parts.append(json.loads(line)["content"])
    text, size = [], 0
    while size < mb * 1e6:
        for p in parts:  # a second round would be removed by dedup: distinct numbering keeps it
            text.append(p)
            size += len(p.encode("utf-8")) + 2
            if size >= mb * 1e6:
                break
    return "\n\n".join(text)


def traditional(text: str, mb: float) -> str:
    cut = len(text[: int(mb * 1e6 / 3)])
    head = opencc.OpenCC("s2t").convert(text[:cut]).replace("，", ",")
    return head + text[cut:]


def browser_load_ms(html: str, workdir: Path) -> tuple[float, float]:
    """(load event ms as the page measured it, wall seconds of the headless run)."""
    import base64
    import hashlib

    digest = "'sha256-" + base64.b64encode(hashlib.sha256(HOOK.encode()).digest()).decode() + "'"
    page = html.replace("script-src ", f"script-src {digest} ", 1).replace("</head>", f"<script>{HOOK}</script></head>", 1)
    path = workdir / "page.html"
    path.write_text(page, encoding="utf-8")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise SystemExit("--browser needs chromium on PATH")
    t = time.perf_counter()
    out = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=20000",
                          "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=600).stdout
    wall = time.perf_counter() - t
    m = re.search(r'data-load-ms="(\d+)"', out[:2000])
    return (float(m.group(1)) if m else float("nan")), wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--traditional-mb", type=float, default=1.0)
    ap.add_argument("--browser", action="store_true")
    ap.add_argument("--keep", help="folder to keep the pages in")
    args = ap.parse_args()
    nlp = policytext.load(config={"entities": {"backend": "none"}})
    base = plain_text(args.mb)
    workdir = Path(args.keep or tempfile.mkdtemp())
    workdir.mkdir(parents=True, exist_ok=True)
    for name, text in (("plain", base), ("traditional", traditional(base, args.traditional_mb))):
        t = time.perf_counter()
        result = nlp(text, id=name)
        t_pipe = time.perf_counter() - t
        rec = result.to_dict()
        t = time.perf_counter()
        json.dumps(rec, ensure_ascii=False)
        t_json = time.perf_counter() - t
        row = {"document": name, "mb": round(len(text.encode("utf-8")) / 1e6, 2), "chars": len(text),
               "edits": len(rec["edits"]), "removed": len(rec["removed"]), "entities": len(rec["entities"]),
               "pipeline_s": round(t_pipe, 1)}
        for view in ("text", "both"):
            t = time.perf_counter()
            html = Report(result, view=view, max_chars=None).to_page()
            t_rep = time.perf_counter() - t
            row[f"{view}_s"] = round(t_rep, 2)
            row[f"{view}_x_json"] = round(t_rep / t_json, 1)
            row[f"{view}_mb"] = round(len(html.encode("utf-8")) / 1e6, 1)
            if args.keep:
                (workdir / f"{name}-{view}.html").write_text(html, encoding="utf-8")
            if args.browser:
                load_ms, wall = browser_load_ms(html, workdir)
                row[f"{view}_browser_load_ms"] = load_ms
                row[f"{view}_browser_wall_s"] = round(wall, 1)
        t = time.perf_counter()
        notebook = result._repr_html_()
        row["notebook_s"] = round(time.perf_counter() - t, 2)
        row["notebook_mb"] = round(len(notebook.encode("utf-8")) / 1e6, 2)
        print(json.dumps(row, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
