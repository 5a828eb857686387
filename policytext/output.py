"""Writing result records as JSON Lines, CSV or Parquet, and resuming an interrupted run.

* JSON Lines: one record per line, flushed as each record is written (a reader, ``tail -f`` or a
  crash sees whole records).
* CSV: one row per record, nested fields as JSON strings, cells safe from formula injection;
  ``bom=True`` starts the file with a UTF-8 BOM so spreadsheet programs read it as UTF-8.
* Parquet: row groups of ``row_group_size`` records; nested fields are Arrow ``list<struct>``
  (``themes``: ``map<string, double>``) typed from the contract, so pandas, pyarrow and DuckDB
  read them directly. Row groups are written as finished part files beside the output
  (``OUT.parquet.parts/``) and joined into ``OUT.parquet`` at the end, so a killed run keeps every
  finished row group.

``resume=True`` (``--resume``) keeps what an earlier run of the same command wrote: the ids already
in the output are read back (a torn last JSON line is cut off), and :meth:`RecordWriter.done`
tells the caller which documents to skip.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .errors import Errors, Warnings
from .record import RECORD_KEYS

__all__ = ["FORMATS", "RecordWriter", "write_records", "format_from_path", "flatten_record", "csv_safe_cell",
           "csv_safe_row", "read_done_keys", "record_key"]

FORMATS = ("jsonl", "csv", "parquet")
_NESTED = ("edits", "removed", "duplicates", "paragraphs", "sentences", "turns", "entities", "claims", "themes",
           "warnings", "meta")
DEFAULT_ROW_GROUP = 1000


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
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".tsv": "csv",
            ".parquet": "parquet", ".pq": "parquet"}.get(suffix)


def flatten_record(record: dict[str, Any]) -> dict[str, Any]:
    """A flat row: scalar fields as they are, nested fields as JSON strings."""
    row = {}
    keys = [k for k in RECORD_KEYS if k in record] + [k for k in record if k not in RECORD_KEYS]
    for key in keys:
        value = record.get(key)
        row[key] = json.dumps(value, ensure_ascii=False) if key in _NESTED or isinstance(value, (dict, list)) else value
    return row


def record_key(record: dict[str, Any]) -> str:
    """What identifies a record's document across runs: its id, else its source."""
    if record.get("id") is not None:
        return "id:" + str(record["id"])
    return "source:" + str(record.get("source"))


# ----- resuming -------------------------------------------------------------------------------
def _jsonl_done_keys(path: Path) -> set[str]:
    """Keys of the records in a JSON Lines output; a torn last line (no newline, or not JSON) is cut
    off the file, so appending continues on a clean line."""
    keys: set[str] = set()
    good_end = 0
    with open(path, "rb") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except ValueError:
                rec = None
            if not line.endswith(b"\n") or not isinstance(rec, dict):
                if fh.read(1):
                    raise ValueError(Errors.E205.format(path=path, lineno=len(keys) + 1))
                break
            keys.add(record_key(rec))
            good_end += len(line)
    if good_end < path.stat().st_size:
        with open(path, "r+b") as fh:
            fh.truncate(good_end)
    return keys


def _parts_dir(path: Path) -> Path:
    return path.with_name(path.name + ".parts")


def _parquet_done_keys(path: Path) -> set[str]:
    import pyarrow.parquet as pq

    files = [path] if path.exists() else []
    parts = _parts_dir(path)
    if parts.is_dir():
        for f in sorted(parts.iterdir()):
            if f.name.endswith(".tmp"):
                f.unlink()  # a part being written when the run was killed: its rows are redone
            else:
                files.append(f)
    keys: set[str] = set()
    for f in files:
        table = pq.read_table(f, columns=[c for c in ("id", "source") if c in pq.read_schema(f).names])
        ids = table.column("id").to_pylist() if "id" in table.column_names else [None] * table.num_rows
        sources = table.column("source").to_pylist() if "source" in table.column_names else [None] * table.num_rows
        keys.update(record_key({"id": i, "source": s}) for i, s in zip(ids, sources))
    return keys


def read_done_keys(path: str | Path, fmt: str) -> set[str]:
    """Keys (:func:`record_key`) of the records an earlier run wrote to ``path`` (empty if none)."""
    path = Path(path)
    if fmt == "jsonl":
        return _jsonl_done_keys(path) if path.exists() else set()
    if fmt == "parquet":
        return _parquet_done_keys(path)
    raise ValueError(Errors.E204.format(fmt=fmt))


# ----- writing --------------------------------------------------------------------------------
class RecordWriter:
    """Writes records one at a time; use as a context manager (``close`` finishes the file)."""

    def __init__(self, fmt: str, path: str | None, *, bom: bool = False, resume: bool = False,
                 row_group_size: int = DEFAULT_ROW_GROUP, types: dict[str, Any] | None = None):
        if fmt not in FORMATS:
            raise ValueError(Errors.E201.format(fmt=fmt, formats=FORMATS))
        if resume and path is None:
            raise ValueError(Errors.E202)
        if fmt == "parquet" and path is None:
            raise ValueError(Errors.E203)
        self.fmt, self.path, self.bom = fmt, path, bom
        self.done_keys: set[str] = read_done_keys(path, fmt) if resume and path else set()
        self._stream: IO[str] | None = None
        self._csv: csv.DictWriter | None = None
        self._parquet: _ParquetParts | None = None
        if fmt == "parquet":
            assert path is not None
            self._parquet = _ParquetParts(Path(path), row_group_size, types, resume)
        elif path is None:
            self._stream = sys.stdout
        else:
            mode = "a" if resume else "w"
            self._stream = open(path, mode, encoding="utf-8-sig" if bom and fmt == "csv" else "utf-8", newline="")

    def done(self, key: str) -> bool:
        """Whether an earlier run already wrote the document with this :func:`record_key`."""
        return key in self.done_keys

    def write(self, rec: dict[str, Any]) -> None:
        if self._parquet is not None:
            self._parquet.add(rec)
            return
        assert self._stream is not None
        if self.fmt == "jsonl":
            self._stream.write(json.dumps(rec, ensure_ascii=False) + "\n")
            self._stream.flush()
            return
        row = flatten_record(rec)
        if self._csv is None:
            self._csv = csv.DictWriter(self._stream, fieldnames=list(row), extrasaction="ignore")
            self._csv.writeheader()
        self._csv.writerow(csv_safe_row(row))

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        elif self._stream is not None and self.path is not None:
            self._stream.close()
        elif self._stream is not None:
            self._stream.flush()

    def __enter__(self) -> "RecordWriter":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None or self.fmt != "parquet":
            self.close()
        # parquet after an error: the finished parts stay for --resume; no half-joined output


def write_records(records: Iterable[dict[str, Any]], fmt: str, path: str | None, **options: Any) -> Iterator[dict[str, Any]]:
    """Write ``records`` to ``path`` (standard output when None) and yield each record once written.
    ``options`` go to :class:`RecordWriter` (``bom``, ``row_group_size``, ``types``)."""
    with RecordWriter(fmt, path, **options) as writer:
        for rec in records:
            writer.write(rec)
            yield rec


class _ParquetParts:
    """Row groups as finished part files in ``OUT.parquet.parts/``, joined into ``OUT.parquet``
    (written to a temporary name, then renamed) by :meth:`close`."""

    def __init__(self, path: Path, row_group_size: int, types: dict[str, Any] | None, resume: bool):
        from .arrow_schema import record_arrow_fields

        self.path = path
        self.parts = _parts_dir(path)
        self.size = max(1, row_group_size)
        self.types = dict(types) if types is not None else record_arrow_fields()
        self.rows: list[dict[str, Any]] = []
        self.schema = None
        if not resume and self.parts.exists():
            shutil.rmtree(self.parts)  # left by an interrupted run that is not resumed
        self.parts.mkdir(parents=True, exist_ok=True)
        existing = sorted(p for p in self.parts.iterdir() if p.suffix == ".parquet")
        self.n = len(existing)
        self.inputs = ([path] if resume and path.exists() else []) + existing
        if self.inputs:
            import pyarrow.parquet as pq

            self.schema = pq.read_schema(self.inputs[0])

    def add(self, rec: dict[str, Any]) -> None:
        self.rows.append(rec)
        if len(self.rows) >= self.size:
            self._flush()

    def _make_schema(self):
        import pyarrow as pa

        keys: list[str] = []
        for r in self.rows:  # the records' own order (the contract's), typed from self.types
            keys += [k for k in r if k not in keys]
        if not keys:  # no record at all: the columns of the record type, none of the optional ones
            keys = [k for k in self.types if k not in {"meta", "cluster", "canonical"}]
        return pa.schema([pa.field(k, self.types.get(k, pa.string())) for k in keys])

    def _cells(self, rec: dict[str, Any]) -> dict[str, Any]:
        import pyarrow as pa

        out = {}
        for f in self.schema:
            value = rec.get(f.name)
            if value is not None and (f.type == pa.string() and not isinstance(value, str)):
                value = json.dumps(value, ensure_ascii=False)  # meta and other free-form fields: JSON text
            out[f.name] = value
        dropped = _unstored_keys(rec, self.schema)
        if dropped:
            out["warnings"] = list(out.get("warnings") or []) + [
                Warnings.W601.format(keys=", ".join(dropped))]
        return out

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows:
            return
        if self.schema is None:
            self.schema = self._make_schema()
        try:
            table = pa.Table.from_pylist([self._cells(r) for r in self.rows], schema=self.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            table = pa.Table.from_pylist([self._one_row(r) for r in self.rows], schema=self.schema)
        tmp = self.parts / f"part-{self.n:06d}.parquet.tmp"
        pq.write_table(table, tmp)
        os.replace(tmp, self.parts / f"part-{self.n:06d}.parquet")
        self.inputs.append(self.parts / f"part-{self.n:06d}.parquet")
        self.n += 1
        self.rows = []

    def _one_row(self, rec: dict[str, Any]) -> dict[str, Any]:
        """A row that fits the schema: fields that do not are left empty and named in warnings."""
        import pyarrow as pa

        cells = self._cells(rec)
        bad = []
        for f in self.schema:
            try:
                pa.array([cells[f.name]], type=f.type)
            except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
                bad.append(f.name)
                cells[f.name] = None
        if bad and "warnings" in cells:
            cells["warnings"] = list(cells.get("warnings") or []) + [
                Warnings.W602.format(fields=", ".join(bad))]
        return cells

    def close(self) -> None:
        import pyarrow.parquet as pq

        self._flush()
        tmp = self.path.with_name(self.path.name + ".tmp")
        if not self.inputs:
            self.schema = self._make_schema() if self.schema is None else self.schema
            pq.write_table(self.schema.empty_table(), tmp)
        else:
            with pq.ParquetWriter(tmp, self.schema) as writer:
                for f in self.inputs:
                    pf = pq.ParquetFile(f)
                    for i in range(pf.num_row_groups):
                        writer.write_table(pf.read_row_group(i))
        os.replace(tmp, self.path)
        shutil.rmtree(self.parts, ignore_errors=True)


def _unstored_keys(rec: dict[str, Any], schema: Any) -> list[str]:
    """``field.key`` names of nested dict keys the Arrow struct types do not have (they would be
    dropped without a word), and top-level keys without a column."""
    import pyarrow as pa

    out = [k for k in rec if schema.get_field_index(k) < 0]
    for f in schema:
        t = f.type
        value = rec.get(f.name)
        if pa.types.is_list(t) and pa.types.is_struct(t.value_type) and isinstance(value, list):
            names = {t.value_type.field(i).name for i in range(t.value_type.num_fields)}
            extra = sorted({k for item in value if isinstance(item, dict) for k in item} - names)
            out += [f"{f.name}.{k}" for k in extra]
    return out
