"""Reading documents from files, directories, JSON/JSON Lines/CSV/Parquet and standard input.

Every input becomes an :class:`InputDoc`; an input that cannot be read becomes an ``InputDoc``
with ``error`` set, so one bad file never stops a batch. Record inputs (JSON, JSON Lines, CSV,
Parquet) name their fields through :class:`Fields` (``--text-field`` and friends on the command
line). JSON Lines, CSV, Parquet and standard input are read as streams: memory does not grow with
the size of the input, and the first document is ready before the input ends.
"""

from __future__ import annotations

import codecs
import csv
import fnmatch
import io
import json
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Sequence

from .decode import DecodeError, decode_bytes
from .errors import Errors

__all__ = ["InputDoc", "Fields", "iter_inputs", "expand_paths", "docs_from_records", "InputPathError",
           "split_json_lines", "KNOWN_SUFFIXES", "read_paths"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv", ".tsv"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
KNOWN_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES

_SNIFF_BYTES = 1 << 16  # bytes read to guess the encoding of a CSV file


class InputPathError(FileNotFoundError):
    """A path named on the command line does not exist."""


@dataclass
class InputDoc:
    """One document to process: raw bytes or text plus what the input said about it.

    ``keep`` holds the input fields asked for with ``Fields.keep`` (``--keep``); it becomes the
    record's ``meta`` (None: the record has no ``meta``)."""

    data: bytes | str
    id: str | None = None
    source: str | None = None
    date: str | None = None
    is_html: bool = False
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    keep: dict[str, Any] | None = None


@dataclass(frozen=True)
class Fields:
    """Which fields of a record input (JSON, JSON Lines, CSV, Parquet) hold what.

    ``text`` and ``html`` name the document field (the first one present wins, in that order);
    ``id``, ``date`` and ``source`` are optional. ``keep`` lists fields copied into the record's
    ``meta`` (``("all",)`` or ``"all"``: every field but the document's text)."""

    text: str = "text"
    html: str = "html"
    id: str = "id"
    date: str = "date"
    source: str = "source"
    keep: tuple[str, ...] | None = None

    @property
    def keep_all(self) -> bool:
        return self.keep is not None and "all" in self.keep

    def kept(self, obj: dict[str, Any]) -> dict[str, Any] | None:
        """The ``meta`` of a record read from ``obj`` (None when nothing is kept)."""
        if self.keep is None:
            return None
        if self.keep_all:
            return {k: _plain(v) for k, v in obj.items() if k not in (self.text, self.html)}
        return {k: _plain(obj.get(k)) for k in self.keep}


DEFAULT_FIELDS = Fields()


def _plain(value: Any) -> Any:
    """A value as plain JSON types (Parquet gives dates, decimals, bytes, numpy arrays)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return str(value)


def _matches(rel: str, patterns: Sequence[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)


def expand_paths(paths: Iterable[str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> list[str]:
    """Files named and files under directories named (recursively, sorted; hidden files skipped).

    ``-`` stands for standard input. ``include``/``exclude`` are glob patterns (``*.jsonl``,
    ``2024/*``) matched against a file's path below the folder named and against its name; they
    filter the files found in folders (a file named on the command line is always read). Raises
    :class:`InputPathError` for a path that does not exist.
    """
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                # links to folders are not followed; listed, they become error records (never silent loss)
                linked = [d for d in dirs if os.path.islink(os.path.join(root, d))]
                dirs[:] = [d for d in dirs if d not in linked]
                names = sorted([f for f in files if not f.startswith(".")] + linked)
                for f in names:
                    full = Path(root) / f
                    rel = full.relative_to(path).as_posix()
                    if include and not _matches(rel, include):
                        continue
                    if exclude and _matches(rel, exclude):
                        continue
                    out.append(str(full))
        elif os.path.lexists(path):  # a broken link is listed: reading it gives an error record
            out.append(str(path))
        else:
            raise InputPathError(Errors.E208.format(path=p))
    return out


def _record_to_doc(obj: Any, source: str, fields: Fields = DEFAULT_FIELDS) -> InputDoc:
    if not isinstance(obj, dict):
        return InputDoc(data="", source=source, error=Errors.E001.format(text=fields.text, html=fields.html,
                                                                         got=type(obj).__name__))
    used = {fields.text, fields.html, fields.id, fields.date, fields.source}
    meta = {k: v for k, v in obj.items() if k not in used}
    keep = fields.kept(obj)
    doc_id = None if obj.get(fields.id) is None else str(_plain(obj[fields.id]))
    src = str(_plain(obj[fields.source])) if obj.get(fields.source) is not None else source
    date = None if obj.get(fields.date) is None else str(_plain(obj[fields.date]))
    if isinstance(obj.get(fields.text), str):
        return InputDoc(data=obj[fields.text], id=doc_id, source=src, date=date, meta=meta, keep=keep)
    if isinstance(obj.get(fields.html), str):
        return InputDoc(data=obj[fields.html], id=doc_id, source=src, date=date, is_html=True, meta=meta, keep=keep)
    present = ", ".join(repr(k) for k in list(obj)[:12]) or "none"
    return InputDoc(data="", id=doc_id, source=src, date=date, keep=keep,
                    error=Errors.E002.format(text=fields.text, html=fields.html, present=present))


def docs_from_records(records: Iterable[Any], source: str = "<records>", fields: Fields = DEFAULT_FIELDS) -> Iterator[InputDoc]:
    """InputDocs from already parsed records (``text`` or ``html``, optional ``id``, ``date``,
    ``source``; other names through ``fields``)."""
    for i, obj in enumerate(records, 1):
        yield _record_to_doc(obj, f"{source}:{i}", fields)


def _text_of(data: bytes, source: str) -> str:
    return decode_bytes(data).text


class _BadJSON(ValueError):
    """A JSON text Python cannot read: syntax, an integer over the digit limit, nesting too deep."""


def _parse_json(text: str | bytes) -> Any:
    """``json.loads`` with every way it fails as :class:`_BadJSON` (a ``ValueError``):
    syntax errors, integers over Python's digit limit, nesting deeper than the recursion limit."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _BadJSON(exc.msg + f" at column {exc.colno}") from None
    except RecursionError:
        raise _BadJSON("nested too deeply") from None
    except (ValueError, UnicodeDecodeError) as exc:  # e.g. "Exceeds the limit (4300 digits) ..."
        raise _BadJSON(str(exc)) from None


def split_json_lines(text: str) -> list[str]:
    """The lines of a JSON Lines text: split on ``\n`` only (``\r\n`` is ``\n`` too). JSON strings
    may hold U+2028, U+2029, U+0085 and other characters ``str.splitlines`` cuts at."""
    return text.split("\n")


class _LineDecoder:
    """Decodes the byte lines of one JSON Lines stream: UTF-8 when a line reads as UTF-8, else the
    encoding guessed (by :func:`decode_bytes`) for the first line that does not, kept for the
    following ones (GBK, GB18030, Big5 feeds)."""

    def __init__(self) -> None:
        self.encoding: str | None = None

    def decode(self, line: bytes) -> str:
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if self.encoding is not None:
            try:
                return line.decode(self.encoding)
            except (UnicodeDecodeError, LookupError):
                pass
        decoded = decode_bytes(line)  # raises DecodeError for binary data
        if decoded.encoding not in {"empty", "utf-8", "utf-8-sig"}:
            self.encoding = decoded.encoding
        return decoded.text


def _iter_json_line_bytes(lines: Iterable[bytes], source: str, fields: Fields,
                          first_lineno: int = 1) -> Iterator[InputDoc]:
    """Documents of a stream of JSON Lines (bytes, one line each, ``\\n`` kept or not)."""
    decoder = _LineDecoder()
    seen = False
    for lineno, raw in enumerate(lines, first_lineno):
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        # blank as text (U+3000, U+0085... too), as when the whole file is decoded and split
        if not raw.decode("utf-8", errors="replace").strip():
            continue
        seen = True
        src = f"{source}:{lineno}"
        try:
            obj = _parse_json(decoder.decode(raw.rstrip(b"\r\n")))
        except DecodeError as exc:
            yield InputDoc(data="", source=src, error=Errors.E003.format(lineno=lineno, detail=exc))
            continue
        except _BadJSON as exc:
            yield InputDoc(data="", source=src, error=Errors.E004.format(lineno=lineno, detail=exc))
            continue
        yield _record_to_doc(obj, src, fields)
    if not seen:
        yield InputDoc(data="", source=source)  # an empty file: one empty document, named in its warnings


def _iter_json_lines(text: str, source: str, fields: Fields = DEFAULT_FIELDS) -> Iterator[InputDoc]:
    """Documents of a JSON Lines text already decoded."""
    if not text.strip():
        yield InputDoc(data="", source=source)
        return
    for lineno, line in enumerate(split_json_lines(text), 1):
        if not line.strip():
            continue
        src = f"{source}:{lineno}"
        try:
            obj = _parse_json(line)
        except _BadJSON as exc:
            yield InputDoc(data="", source=src, error=Errors.E004.format(lineno=lineno, detail=exc))
            continue
        yield _record_to_doc(obj, src, fields)


def _iter_json_file(data: bytes, source: str, fields: Fields) -> Iterator[InputDoc]:
    try:
        obj = _parse_json(_text_of(data, source))
    except (_BadJSON, DecodeError) as exc:
        yield InputDoc(data="", source=source, error=Errors.E005.format(detail=exc))
        return
    if isinstance(obj, list):
        if not obj:
            yield InputDoc(data="", source=source)  # [] : one empty document, named in its warnings
        for i, item in enumerate(obj, 1):
            yield _record_to_doc(item, f"{source}:{i}", fields)
    else:
        yield _record_to_doc(obj, source, fields)


def _iter_csv(path: str, fields: Fields) -> Iterator[InputDoc]:
    """Rows of a CSV (or, for ``.tsv``, tab-separated) file with a header line, streamed. The
    encoding is guessed from the first 64 KiB (UTF-8 with or without BOM, GBK, Big5...)."""
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip():
        yield InputDoc(data="", source=path)
        return
    try:
        encoding = decode_bytes(head).encoding
    except DecodeError as exc:
        yield InputDoc(data="", source=path, error=Errors.E006.format(detail=exc))
        return
    if encoding in {"empty", "utf-8", "ascii"}:
        encoding = "utf-8-sig"
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # documents are long; the default is 128 KiB
    delimiter = "\t" if Path(path).suffix.lower() == ".tsv" else ","
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        row_no = 1
        try:
            for row_no, row in enumerate(reader, 2):
                yield _record_to_doc({k: v for k, v in row.items() if k is not None}, f"{path}:{row_no}", fields)
        except csv.Error as exc:
            yield InputDoc(data="", source=f"{path}:{row_no + 1}", error=Errors.E007.format(row=row_no, detail=exc))


def _iter_parquet(path: str, fields: Fields, batch_rows: int = 256) -> Iterator[InputDoc]:
    """Rows of a Parquet file, read a batch of rows at a time."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several kinds for a bad file
        yield InputDoc(data="", source=path, error=Errors.E008.format(detail=exc))
        return
    if pf.metadata.num_rows == 0:
        yield InputDoc(data="", source=path)
        return
    row = 0
    for batch in pf.iter_batches(batch_size=batch_rows):
        for obj in batch.to_pylist():
            row += 1
            yield _record_to_doc(obj, f"{path}:{row}", fields)


#: Paths that name a stream on purpose (process substitution, /dev/stdin): read even though not plain files.
_STREAM_PREFIXES = ("/dev/fd/", "/proc/self/fd/", "/dev/stdin")


def _unreadable_reason(path: str) -> str | None:
    """Why ``path`` is not read, or None: a broken link, a folder, or a FIFO, device or socket
    (reading those can block for ever or never end)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "broken symbolic link" if os.path.islink(path) else "no such file"
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a link to a folder (links to folders are not followed)"
    if path.startswith(_STREAM_PREFIXES):
        return None
    kind = "a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"not a regular file ({kind}); pass streams as '-' (standard input)"


def _iter_file(path: str, fields: Fields = DEFAULT_FIELDS) -> Iterator[InputDoc]:
    reason = _unreadable_reason(path)
    if reason is not None:
        yield InputDoc(data="", source=path, error=Errors.E009.format(path=path, reason=reason))
        return
    suffix = Path(path).suffix.lower()
    if suffix not in KNOWN_SUFFIXES and not path.startswith(_STREAM_PREFIXES):
        yield InputDoc(data="", source=path, error=Errors.E010.format(suffix=suffix, path=path))
        return
    try:
        if suffix in JSONL_SUFFIXES:
            yield from _iter_jsonl_file(path, fields)
            return
        if suffix in CSV_SUFFIXES:
            yield from _iter_csv(path, fields)
            return
        if suffix in PARQUET_SUFFIXES:
            yield from _iter_parquet(path, fields)
            return
        data = Path(path).read_bytes()
    except OSError as exc:
        yield InputDoc(data="", source=path, error=Errors.E009.format(path=path, reason=exc.strerror or exc))
        return
    if suffix in JSON_SUFFIXES:
        yield from _iter_json_file(data, path, fields)
    else:
        yield InputDoc(data=data, source=path, is_html=suffix in HTML_SUFFIXES)


def _iter_jsonl_file(path: str, fields: Fields) -> Iterator[InputDoc]:
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or (len(head) == 4 and b"\x00" in head):
            # UTF-16/32 JSON Lines cannot be split on the byte b"\n": decode the whole file
            data = head + fh.read()
            try:
                text = _text_of(data, path)
            except DecodeError as exc:
                yield InputDoc(data="", source=path, error=Errors.E006.format(detail=exc))
                return
            yield from _iter_json_lines(text, path, fields)
            return
        fh.seek(0)
        yield from _iter_json_line_bytes(fh, path, fields)  # binary lines end at b"\n" only


def _is_json_object_line(line: bytes, fields: Fields) -> bool:
    """Whether the first line of standard input is a JSON Lines record (an object with the text)."""
    s = line.lstrip()
    if s.startswith(codecs.BOM_UTF8):
        s = s[len(codecs.BOM_UTF8):].lstrip()
    if not s.startswith(b"{"):
        return False
    try:
        obj = _parse_json(_LineDecoder().decode(s))
    except (_BadJSON, DecodeError):
        return False
    return isinstance(obj, dict) and bool({fields.text, fields.html} & set(obj))


def _iter_stdin(stream: BinaryIO, fields: Fields = DEFAULT_FIELDS) -> Iterator[InputDoc]:
    """Standard input: JSON Lines (read and yielded line by line) when its first non-blank line
    is a JSON object holding the text field, else one plain-text document in any encoding."""
    lineno = 0
    skipped: list[bytes] = []
    first = b""
    while True:
        first = stream.readline()
        lineno += 1
        if not first or first.strip():
            break
        skipped.append(first)
    if first and _is_json_object_line(first, fields):
        rest = iter(stream.readline, b"")
        yield from _iter_json_line_bytes(_chain([first], rest), "<stdin>", fields, first_lineno=lineno)
        return
    data = b"".join(skipped) + first + stream.read()
    yield InputDoc(data=data, source="<stdin>")


def _chain(first: list[bytes], rest: Iterable[bytes]) -> Iterator[bytes]:
    yield from first
    yield from rest


def iter_inputs(paths: Iterable[str], stdin: BinaryIO | None = None, fields: Fields = DEFAULT_FIELDS,
                include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Iterator[InputDoc]:
    """Stream the documents of ``paths`` (see :func:`expand_paths`), in order."""
    yield from read_paths(expand_paths(paths, include, exclude), stdin, fields)


def read_paths(paths: Iterable[str], stdin: BinaryIO | None = None, fields: Fields = DEFAULT_FIELDS) -> Iterator[InputDoc]:
    """Stream the documents of files already listed by :func:`expand_paths` (``-``: standard input)."""
    if fields.keep is not None:  # with --keep every record has a meta, {} for a text or HTML file
        for doc in _read_paths(paths, stdin, fields):
            if doc.keep is None:
                doc.keep = {}
            yield doc
    else:
        yield from _read_paths(paths, stdin, fields)


def _read_paths(paths: Iterable[str], stdin: BinaryIO | None, fields: Fields) -> Iterator[InputDoc]:
    for path in paths:
        if path == "-":
            yield from _iter_stdin(stdin if stdin is not None else sys.stdin.buffer, fields)
        else:
            try:
                yield from _iter_file(path, fields)
            except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch either
                yield InputDoc(data="", source=path, error=Errors.E009.format(
                    path=path, reason=f"{type(exc).__name__}: {exc}"))
