"""Writing result records as JSON Lines, CSV or Parquet."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .record import RECORD_KEYS

__all__ = ["FORMATS", "write_records", "format_from_path", "flatten_record", "csv_safe_cell", "csv_safe_row"]

FORMATS = ("jsonl", "csv", "parquet")
_NESTED = ("edits", "removed", "paragraphs", "sentences", "turns", "entities", "claims", "themes", "warnings")


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"); a cell
#: starting with tab, CR or LF is checked again after them, as spreadsheets skip leading whitespace.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_safe_cell(value: Any) -> Any:
    """``value`` as it may be written to a CSV cell: a string that starts with ``=``, ``+``, ``-``,
    ``@``, tab, CR or LF (or their full-width forms ＝＋－＠) gets a leading ``'``, so that Excel,
    LibreOffice and Google Sheets show it as text instead of running it as a formula (OWASP's rule).
    Numbers and other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_safe_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row with every cell passed through :func:`csv_safe_cell`."""
    return {k: csv_safe_cell(v) for k, v in row.items()}


def format_from_path(path: str | None) -> str | None:
    """The output format implied by a file name, if any."""
    if not path:
        return None
    suffix = Path(path).suffix.lower()
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}.get(suffix)


def flatten_record(record: dict[str, Any]) -> dict[str, Any]:
    """A flat row: scalar fields as they are, nested fields as JSON strings."""
    row = {}
    keys = list(RECORD_KEYS) + [k for k in record if k not in RECORD_KEYS]
    for key in keys:
        value = record.get(key)
        row[key] = json.dumps(value, ensure_ascii=False) if key in _NESTED or isinstance(value, (dict, list)) else value
    return row


def write_records(records: Iterable[dict[str, Any]], fmt: str, path: str | None) -> Iterator[dict[str, Any]]:
    """Write ``records`` to ``path`` (standard output when None) and yield each record once written."""
    if fmt == "parquet":
        yield from _write_parquet(records, path)
        return
    stream: IO[str]
    close = False
    if path is None:
        stream = sys.stdout
    else:
        stream = open(path, "w", encoding="utf-8", newline="")
        close = True
    try:
        if fmt == "jsonl":
            for rec in records:
                stream.write(json.dumps(rec, ensure_ascii=False) + "\n")
                stream.flush() if path is None else None
                yield rec
        elif fmt == "csv":
            writer = None
            for rec in records:
                row = flatten_record(rec)
                if writer is None:
                    writer = csv.DictWriter(stream, fieldnames=list(row), extrasaction="ignore")
                    writer.writeheader()
                writer.writerow(csv_safe_row(row))
                yield rec
        else:
            raise ValueError(f"unknown format {fmt!r}; choose one of {FORMATS}")
    finally:
        if close:
            stream.close()


def _write_parquet(records: Iterable[dict[str, Any]], path: str | None) -> Iterator[dict[str, Any]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path is None:
        raise ValueError("parquet output needs a file: pass -o OUT.parquet")
    rows = []
    for rec in records:
        rows.append(flatten_record(rec))
        yield rec
    columns = list(rows[0]) if rows else list(RECORD_KEYS)
    table = pa.table({c: [r.get(c) for r in rows] for c in columns}) if rows else pa.table({c: pa.array([], pa.string()) for c in columns})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    Path(path).write_bytes(buf.getvalue())
