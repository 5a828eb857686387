"""``policytext claims``: numeric claims of documents, or one metric lined up as a timeline.

    policytext claims INPUT...                       # one JSON line per document with its claims
    policytext claims INPUT... --metric 日均Token    # timeline table of one metric across documents
    policytext claims INPUT... --metric 日均Token --format csv -o token.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, Iterator

from ..output import csv_safe_row

__all__ = ["register", "run"]

FORMATS = ("jsonl", "csv", "table")
CLAIM_COLUMNS = ["doc_id", "source", "doc_date", "start", "end", "text", "subject", "value", "unit", "qualifier",
                 "kind", "modality", "time", "reference", "value_max"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "claims",
        help="numeric claims (value, unit, qualifier, kind, time...) or a metric's timeline",
        description="Extract numeric claims from documents. INPUT: files, directories or '-' (as for "
        "'policytext tag'). With --metric, line up the claims whose subject contains METRIC across all "
        "documents and dates, e.g. --metric 日均Token.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--metric", help="subject to line up (substring; spaces, quotes and 的 ignored)")
    p.add_argument("--kind", default=None,
                   help="comma-separated kinds to keep: level,change,multiple,share,rank or 'all' "
                   "(default: level with --metric, all without)")
    p.add_argument("--date", help="document date YYYY-MM-DD for inputs that carry none")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.add_argument("--format", choices=FORMATS, help="jsonl, csv or table (default: table with --metric, else jsonl)")
    p.add_argument("--all-sources", action="store_true", help="with --metric: keep repeats of the same statement")
    p.add_argument("--raw", action="store_true",
                   help="skip the cleaning pipeline: read inputs as UTF-8 text and extract directly (faster)")
    p.set_defaults(func=run)


def _docs_raw(paths: list[str], date: str | None) -> Iterator[dict]:
    """Plain reading: each file (or stdin) as UTF-8 text; JSON Lines records with a 'text' field.
    Inputs are read by :func:`policytext.inputs.iter_inputs`, so an unreadable file, a bad JSON line
    or a FIFO gives one error record and never stops the batch."""
    from ..components.claims import extract_claims, find_doc_date
    from ..inputs import iter_inputs

    for item in iter_inputs(paths):
        src = item.source or "<input>"
        if item.error:
            yield {"id": item.id or src, "source": src, "date": item.date, "claims": [], "error": item.error}
            continue
        t = item.data if isinstance(item.data, str) else item.data.decode("utf-8-sig", errors="replace")
        d = item.date or date or find_doc_date(t)
        try:
            claims = extract_claims(t, d)
        except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
            yield {"id": item.id or src, "source": src, "date": d, "claims": [], "error": f"{type(exc).__name__}: {exc}"}
            continue
        yield {"id": str(item.id or src), "source": src, "date": d, "claims": claims, "error": None}


def _docs_pipeline(paths: list[str], date: str | None) -> Iterator[dict]:
    from .. import load
    from ..inputs import iter_inputs

    nlp = load(disable=["entities", "themes"])
    for item in iter_inputs(paths):
        if item.error:
            yield {"id": item.id or item.source, "source": item.source, "date": item.date, "claims": [],
                   "error": item.error}
            continue
        if date and not item.date:
            item.date = date
        try:
            rec = nlp(item).to_dict()
        except Exception as exc:  # one bad document never stops the batch
            yield {"id": item.id or item.source, "source": item.source, "date": item.date, "claims": [],
                   "error": f"{type(exc).__name__}: {exc}"}
            continue
        yield {"id": rec["id"], "source": rec["source"], "date": rec["date"], "claims": rec["claims"],
               "error": rec.get("error")}


def _fmt_value(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return "" if v is None else str(v)


def _write_table(rows: list[dict], columns: list[str], out) -> None:
    cells = [[_fmt_value(r.get(c)) for c in columns] for r in rows]
    widths = [max([len(c)] + [_width(x[i]) for x in cells]) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip() + "\n")
    for row in cells:
        out.write("  ".join(x + " " * (w - _width(x)) for x, w in zip(row, widths)).rstrip() + "\n")


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def run(args: argparse.Namespace) -> int:
    from ..components.claims import timeline

    try:
        from ..inputs import InputPathError, expand_paths

        paths = expand_paths(args.inputs)
    except ImportError:  # pragma: no cover - the lead's inputs module is part of the package
        paths = list(args.inputs)
    except InputPathError as exc:
        print(f"policytext claims: error: {exc}", file=sys.stderr)
        return 2
    fmt = args.format or ("table" if args.metric else "jsonl")
    if args.kind in (None, ""):
        kinds = ("level",) if args.metric else None
    elif args.kind == "all":
        kinds = None
    else:
        kinds = tuple(k.strip() for k in args.kind.split(",") if k.strip())
    docs = list(_docs_raw(paths, args.date) if args.raw else _docs_pipeline(paths, args.date))
    failed = sum(1 for d in docs if d.get("error"))
    for d in docs:
        if d.get("error"):
            print(f"policytext claims: {d['source']}: {d['error']}", file=sys.stderr)
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    try:
        if args.metric:
            rows = timeline(docs, args.metric, kinds=kinds, dedupe=not args.all_sources, as_frame=False)
            columns = ["when", "value", "unit", "qualifier", "kind", "modality", "subject", "reference", "doc_date",
                       "source", "n_sources", "text"]
            if fmt == "jsonl":
                for r in rows:
                    out.write(json.dumps(r, ensure_ascii=False) + "\n")
            elif fmt == "csv":
                w = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
                w.writeheader()
                w.writerows(csv_safe_row(r) for r in rows)
            else:
                _write_table(rows, columns, out)
        else:
            if fmt == "jsonl":
                for d in docs:
                    claims = [c for c in d["claims"] if kinds is None or c["kind"] in kinds]
                    out.write(json.dumps({**d, "claims": claims}, ensure_ascii=False) + "\n")
            else:
                rows = [{"doc_id": d["id"], "source": d["source"], "doc_date": d["date"], **c}
                        for d in docs for c in d["claims"] if kinds is None or c["kind"] in kinds]
                if fmt == "csv":
                    w = csv.DictWriter(out, fieldnames=CLAIM_COLUMNS, extrasaction="ignore")
                    w.writeheader()
                    w.writerows(csv_safe_row(r) for r in rows)
                else:
                    _write_table(rows, ["doc_date", "time", "subject", "value", "unit", "qualifier", "kind",
                                        "modality", "reference", "source"], out)
    finally:
        if args.output:
            out.close()
    return 1 if failed else 0
