"""Reading documents from files, directories, JSON/JSON Lines and standard input.

Every input becomes an :class:`InputDoc`; an input that cannot be read becomes an ``InputDoc``
with ``error`` set, so one bad file never stops a batch.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator

from .decode import DecodeError, decode_bytes

__all__ = ["InputDoc", "iter_inputs", "expand_paths", "docs_from_records", "InputPathError"]

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
                out.extend(str(Path(root) / f) for f in sorted(files) if not f.startswith("."))
        elif path.exists():
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


def _iter_json_lines(text: str, source: str) -> Iterator[InputDoc]:
    if not text.strip():
        yield InputDoc(data="", source=source)  # an empty file: one empty document, named in its warnings
        return
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        src = f"{source}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputDoc(data="", source=src, error=f"input error: line {lineno} is not valid JSON ({exc.msg})")
            continue
        yield _record_to_doc(obj, src)


def _iter_json_file(data: bytes, source: str) -> Iterator[InputDoc]:
    try:
        obj = json.loads(_text_of(data, source))
    except (json.JSONDecodeError, DecodeError) as exc:
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
    for line in data.splitlines()[:5]:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return False
        if not isinstance(obj, dict) or not ({"text", "html"} & set(obj)):
            return False
    return True


def _iter_file(path: str) -> Iterator[InputDoc]:
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
            yield from _iter_file(path)
