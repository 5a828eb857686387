"""``policytext claims``: numeric claims of documents, or one metric lined up as a timeline.

    policytext claims INPUT...                       # one JSON line per document with its claims
    policytext claims INPUT... --metric 日均Token    # timeline table of one metric across documents
    policytext claims INPUT... --metric 日均Token --format csv -o token.csv
    policytext claims corpus.jsonl --text-field content -o claims.parquet   # list<struct> claims column
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any, Iterator

from ..arrow_schema import claims_record_types
from ..errors import Errors
from ..output import csv_safe_row, record_key
from ._common import (UsageError, add_input_arguments, add_output_arguments, add_pipeline_arguments,
                      add_progress_argument, add_stats_argument, add_worker_arguments, build_pipeline,
                      check_output_options, countable_total, finish_stats, output_format, progress_bar,
                      read_documents, usage_error)

__all__ = ["register", "run"]

FORMATS = ("jsonl", "csv", "parquet", "table")
CLAIM_COLUMNS = ["doc_id", "source", "doc_date", "start", "end", "text", "subject", "value", "unit", "qualifier",
                 "kind", "modality", "time", "reference", "value_max"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "claims",
        help="numeric claims (value, unit, qualifier, kind, time...) or a metric's timeline",
        description="Extract numeric claims from documents. INPUT: files, directories, record files or '-' "
        "(as for 'policytext tag', with the same field, output, resume and worker options). With --metric, "
        "line up the claims whose subject contains METRIC across all documents and dates, e.g. --metric 日均Token.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("--metric", help="subject to line up (substring; spaces, quotes and 的 ignored)")
    p.add_argument("--kind", default=None,
                   help="comma-separated kinds to keep: level,change,multiple,share,rank or 'all' "
                   "(default: level with --metric, all without)")
    p.add_argument("--date", help="document date YYYY-MM-DD for inputs that carry none")
    add_output_arguments(p, FORMATS, default_help="table with --metric, else jsonl")
    p.add_argument("--all-sources", action="store_true", help="with --metric: keep repeats of the same statement")
    p.add_argument("--raw", action="store_true",
                   help="skip the cleaning stages: decode the inputs (any common Chinese encoding) and extract "
                   "claims directly (faster)")
    add_worker_arguments(p)
    add_pipeline_arguments(p, disable_default="entities,themes")
    add_input_arguments(p)
    add_progress_argument(p)
    add_stats_argument(p)
    p.set_defaults(func=run)


def _with_date(docs: Iterator[Any], date: str | None) -> Iterator[Any]:
    for doc in docs:
        if date and not doc.date:
            doc.date = date
        yield doc


def _claims_record(rec: dict[str, Any]) -> dict[str, Any]:
    out = {"id": rec.get("id"), "source": rec.get("source"), "date": rec.get("date"), "claims": rec.get("claims") or [],
           "error": rec.get("error")}
    if "meta" in rec:
        out["meta"] = rec["meta"]
    return out


def _docs(args: argparse.Namespace, nlp: Any, docs: Iterator[Any], writer: Any, stats: Any) -> Iterator[dict]:
    """Claims records of the documents: the shared reader, pipeline and worker pool of ``tag``
    (``--raw``: the ``claims`` stage alone, on the decoded text)."""
    if args.resume:
        docs = (d for d in docs if d.id is None or not writer.done("id:" + str(d.id)))
    for rec in nlp.pipe_records(_with_date(docs, args.date), batch_size=args.batch_size, n_process=args.workers):
        out = _claims_record(rec)
        if args.resume and writer.done(record_key(out)):
            continue
        stats.add_record(rec)
        yield out


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
    from ..output import RecordWriter
    from ..stats import Stats

    fmt = output_format(args, "table" if args.metric else "jsonl")
    if args.kind in (None, ""):
        kinds = ("level",) if args.metric else None
    elif args.kind == "all":
        kinds = None
    else:
        kinds = tuple(k.strip() for k in args.kind.split(",") if k.strip())
    try:
        check_output_options(args, fmt)
        if args.resume and (args.metric or fmt not in {"jsonl", "parquet"}):
            raise UsageError(Errors.E217.format(why="works with per-document jsonl or parquet output (not with --metric)"))
        paths, docs = read_documents(args)
        nlp = build_pipeline(args, stages=["claims"] if args.raw else None)
    except UsageError as exc:
        return usage_error("claims", str(exc))
    per_doc = not args.metric and fmt in {"jsonl", "parquet"}
    try:
        writer = RecordWriter(fmt, args.output, bom=args.bom, resume=args.resume, row_group_size=args.row_group_size,
                              types=claims_record_types()) if per_doc else None
    except (OSError, ValueError) as exc:
        return usage_error("claims", Errors.E218.format(detail=exc))
    bar = progress_bar(args, "policytext claims", countable_total(paths))
    failed = 0

    def counted(records: Iterator[dict]) -> Iterator[dict]:
        nonlocal failed
        for d in records:
            bar.update(1)
            if d.get("error"):
                failed += 1
                print(f"policytext claims: {d['source']}: {d['error']}", file=sys.stderr)
            yield d

    nlp.collect_stats = True
    stats = Stats()
    docs_out = counted(_docs(args, nlp, docs, writer, stats))
    try:
        if writer is not None:  # streamed: one record per document, written as it finishes
            with writer:
                for d in docs_out:
                    writer.write({**d, "claims": [c for c in d["claims"] if kinds is None or c["kind"] in kinds]})
        else:
            _write_tables(args, fmt, kinds, list(docs_out), timeline)
    except OSError as exc:
        bar.close()
        return usage_error("claims", Errors.E218.format(detail=exc))
    bar.close()
    where = f" -> {args.output}" if args.output else ""
    finish_stats(args, stats, f"policytext claims: {stats['documents']['total']} document(s), {failed} failed{where}")
    return 1 if failed else 0


def _write_tables(args: argparse.Namespace, fmt: str, kinds: Any, docs: list[dict], timeline: Any) -> None:
    """A metric's timeline (any format), or one row per claim (csv, table)."""
    if args.metric:
        rows = timeline(docs, args.metric, kinds=kinds, dedupe=not args.all_sources, as_frame=False)
        columns = ["when", "value", "unit", "qualifier", "kind", "modality", "subject", "reference", "doc_date",
                   "source", "n_sources", "text"]
    else:
        rows = [{"doc_id": d["id"], "source": d["source"], "doc_date": d["date"], **c}
                for d in docs for c in d["claims"] if kinds is None or c["kind"] in kinds]
        columns = CLAIM_COLUMNS
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows],
                                            schema=_flat_schema(columns)), args.output)
        return
    out = open(args.output, "w", encoding="utf-8-sig" if args.bom and fmt == "csv" else "utf-8", newline="") \
        if args.output else sys.stdout
    try:
        if fmt == "jsonl":
            for r in rows:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            w = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
            w.writeheader()
            w.writerows(csv_safe_row(r) for r in rows)
        else:
            table_cols = columns if args.metric else ["doc_date", "time", "subject", "value", "unit", "qualifier",
                                                       "kind", "modality", "reference", "source"]
            _write_table(rows, table_cols, out)
    finally:
        if args.output:
            out.close()


def _flat_schema(columns: list[str]) -> Any:
    import pyarrow as pa

    numeric = {"value": pa.float64(), "value_max": pa.float64(), "start": pa.int64(), "end": pa.int64(),
               "n_sources": pa.int64()}
    return pa.schema([pa.field(c, numeric.get(c, pa.string())) for c in columns])
