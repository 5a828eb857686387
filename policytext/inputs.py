"""Reading documents from files, directories, JSON/JSON Lines and standard input.

Every input becomes an :class:`InputDoc`; an input that cannot be read becomes an ``InputDoc``
with ``error`` set, so one bad file never stops a batch.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from .decode import DecodeError, decode_bytes

__all__ = ["InputDoc", "iter_inputs", "expand_paths", "docs_from_records", "InputPathError", "split_json_lines"]

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".json"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}


class InputPathError(FileNotFoundError):
    """A path named on the command line does not exist."""


@dataclass
class InputDoc:
    """One document to process: raw bytes or text plus what the input said about it."""

    data: bytes | str
    id: str | None = None
    source: str | None = None
    date: str | None = None
    is_html: bool = False
    error: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files named and files under directories named (recursively, sorted; hidden files skipped).

    ``-`` stands for standard input. Raises :class:`InputPathError` for a path that does not exist.
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
                out.extend(str(Path(root) / f) for f in names)
        elif os.path.lexists(path):  # a broken link is listed: reading it gives an error record
            out.append(str(path))
        else:
            raise InputPathError(f"no such file or directory: {p}")
    return out


def _record_to_doc(obj: Any, source: str) -> InputDoc:
    if not isinstance(obj, dict):
        return InputDoc(data="", source=source, error=f"input error: expected a JSON object with 'text' or 'html', got {type(obj).__name__}")
    meta = {k: v for k, v in obj.items() if k not in {"text", "html", "id", "date", "source"}}
    doc_id = None if obj.get("id") is None else str(obj["id"])
    src = str(obj["source"]) if obj.get("source") is not None else source
    date = None if obj.get("date") is None else str(obj["date"])
    if isinstance(obj.get("text"), str):
        return InputDoc(data=obj["text"], id=doc_id, source=src, date=date, meta=meta)
    if isinstance(obj.get("html"), str):
        return InputDoc(data=obj["html"], id=doc_id, source=src, date=date, is_html=True, meta=meta)
    return InputDoc(data="", id=doc_id, source=src, date=date,
                    error="input error: the JSON object has no string field 'text' or 'html'")


def docs_from_records(records: Iterable[Any], source: str = "<records>") -> Iterator[InputDoc]:
    """InputDocs from already parsed JSON objects (``text`` or ``html``, optional ``id``, ``date``, ``source``)."""
    for i, obj in enumerate(records, 1):
        yield _record_to_doc(obj, f"{source}:{i}")


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


def _iter_json_lines(text: str, source: str) -> Iterator[InputDoc]:
    if not text.strip():
        yield InputDoc(data="", source=source)  # an empty file: one empty document, named in its warnings
        return
    for lineno, line in enumerate(split_json_lines(text), 1):
        if not line.strip():
            continue
        src = f"{source}:{lineno}"
        try:
            obj = _parse_json(line)
        except _BadJSON as exc:
            yield InputDoc(data="", source=src, error=f"input error: line {lineno} is not valid JSON ({exc})")
            continue
        yield _record_to_doc(obj, src)


def _iter_json_file(data: bytes, source: str) -> Iterator[InputDoc]:
    try:
        obj = _parse_json(_text_of(data, source))
    except (_BadJSON, DecodeError) as exc:
        yield InputDoc(data="", source=source, error=f"input error: not valid JSON ({exc})")
        return
    if isinstance(obj, list):
        if not obj:
            yield InputDoc(data="", source=source)  # [] : one empty document, named in its warnings
        for i, item in enumerate(obj, 1):
            yield _record_to_doc(item, f"{source}:{i}")
    else:
        yield _record_to_doc(obj, source)


def _looks_like_json_lines(data: bytes) -> bool:
    head = data.lstrip()[:1]
    if head != b"{":
        return False
    for line in data.split(b"\n")[:5]:
        if not line.strip():
            continue
        try:
            obj = _parse_json(line)
        except _BadJSON:
            return False
        if not isinstance(obj, dict) or not ({"text", "html"} & set(obj)):
            return False
    return True


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


def _iter_file(path: str) -> Iterator[InputDoc]:
    reason = _unreadable_reason(path)
    if reason is not None:
        yield InputDoc(data="", source=path, error=f"input error: cannot read {path}: {reason}")
        return
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        yield InputDoc(data="", source=path, error=f"input error: cannot read {path}: {exc.strerror or exc}")
        return
    suffix = Path(path).suffix.lower()
    if suffix in JSONL_SUFFIXES:
        try:
            text = _text_of(data, path)
        except DecodeError as exc:
            yield InputDoc(data="", source=path, error=f"input error: {exc}")
            return
        yield from _iter_json_lines(text, path)
    elif suffix in JSON_SUFFIXES:
        yield from _iter_json_file(data, path)
    else:
        yield InputDoc(data=data, source=path, is_html=suffix in HTML_SUFFIXES)


def _iter_stdin(stream: BinaryIO) -> Iterator[InputDoc]:
    data = stream.read()
    if _looks_like_json_lines(data):
        yield from _iter_json_lines(data.decode("utf-8", errors="replace"), "<stdin>")
    else:
        yield InputDoc(data=data, source="<stdin>")


def iter_inputs(paths: Iterable[str], stdin: BinaryIO | None = None) -> Iterator[InputDoc]:
    """Stream the documents of ``paths`` (see :func:`expand_paths`), in order."""
    for path in expand_paths(paths):
        if path == "-":
            yield from _iter_stdin(stdin if stdin is not None else sys.stdin.buffer)
        else:
            try:
                yield from _iter_file(path)
            except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch either
                yield InputDoc(data="", source=path, error=f"input error: cannot read {path}: "
                               f"{type(exc).__name__}: {exc}")
