"""``policytext tag``: run the pipeline over files, directories, JSON Lines or standard input."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..output import FORMATS, format_from_path, write_records
from ._common import UsageError, add_progress_argument, progress_enabled, resolve_input_paths, usage_error

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "tag",
        help="clean and annotate documents, one JSON record per document",
        description="Clean and annotate documents. INPUT: .txt/.html files in any common Chinese encoding, "
        ".json/.jsonl with a 'text' or 'html' field (and optional id, date, source), directories "
        "(walked recursively) or '-' for standard input. One bad document never stops the batch: its "
        "record carries an 'error' and the exit status is 1.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", help="output file (default: standard output)")
    p.add_argument("--format", choices=FORMATS, help="output format (default: from -o's suffix, else jsonl)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("--batch-size", type=int, default=16, metavar="N", help="documents per worker hand-off")
    p.add_argument("--disable", default="", metavar="STAGES", help="comma-separated stages to leave out")
    p.add_argument("--themes", metavar="DIR", help="theme model folder (default: the shipped model)")
    p.add_argument("--max-chars", type=int, default=None, metavar="N", help="reject documents longer than N characters")
    p.add_argument("--words", action="store_true",
                   help="run the optional words stage: word spans ('words') in each record")
    p.add_argument("--set", action="append", default=[], metavar="STAGE.KEY=VALUE", dest="settings",
                   help="a stage setting, VALUE as JSON or else a string (repeatable): "
                   "--set words.enabled=true, --set normalize.script=keep")
    p.add_argument("--strict", action="store_true",
                   help="a document fails when any stage fails on it (default: the stage is skipped and "
                   "named in the record's warnings)")
    p.add_argument("--dedup-corpus", action="store_true",
                   help="mark each record with its near-duplicate cluster ('cluster') and the cluster's "
                   "canonical document ('canonical'); records are written when the whole corpus is read")
    add_progress_argument(p)
    p.set_defaults(func=run)


def _usage_error(message: str) -> int:
    return usage_error("tag", message)


def _with_clusters(records: Any, bar: Any) -> list[dict[str, Any]]:
    """All records, each with ``cluster`` and ``canonical`` from corpus deduplication."""
    from ..corpus_dedup import assign_clusters

    collected = []
    for rec in records:
        collected.append(rec)
        bar.update(1)
    bar.close()
    # Keys by position: copies of one text share a content-hash id but are separate inputs.
    keyed = [{**rec, "id": str(k)} for k, rec in enumerate(collected)]
    clusters = assign_clusters(keyed)
    for k, rec in enumerate(collected):
        cluster, canonical = clusters[str(k)]
        rec["cluster"] = cluster
        rec["canonical"] = collected[int(canonical)]["id"]
    return collected


def parse_settings(settings: list[str]) -> dict[str, dict[str, Any]]:
    """``["words.enabled=true", "normalize.script=keep"]`` -> ``{"words": {"enabled": True}, ...}``."""
    config: dict[str, dict[str, Any]] = {}
    for item in settings:
        key, sep, value = item.partition("=")
        stage, dot, setting = key.strip().partition(".")
        if not sep or not dot or not stage or not setting:
            raise ValueError(f"--set expects STAGE.KEY=VALUE, got {item!r}")
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = value
        config.setdefault(stage, {})[setting] = parsed
    return config


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .. import load
    from ..inputs import iter_inputs
    from ..pipeline import DEFAULT_MAX_CHARS

    fmt = args.format or format_from_path(args.output) or "jsonl"
    if fmt == "parquet" and not args.output:
        return _usage_error("parquet output needs a file: pass -o OUT.parquet")
    if args.workers < 1:
        return _usage_error("--workers must be at least 1")
    try:
        paths = resolve_input_paths(args.inputs, args.output)
    except UsageError as exc:
        return _usage_error(str(exc))
    disable = [s.strip() for s in args.disable.split(",") if s.strip()]
    try:
        config = parse_settings(args.settings)
    except ValueError as exc:
        return _usage_error(str(exc))
    if args.words:
        config.setdefault("words", {})["enabled"] = True
    try:
        nlp = load(disable=disable, config=config, themes=args.themes,
                   max_chars=args.max_chars or DEFAULT_MAX_CHARS, strict=args.strict)
    except (ValueError, FileNotFoundError) as exc:
        return _usage_error(str(exc))

    countable = all(p != "-" and Path(p).suffix.lower() not in {".jsonl", ".ndjson", ".json"} for p in paths)
    show = progress_enabled(args)
    bar = tqdm(total=len(paths) if countable else None, unit="doc", file=sys.stderr, disable=not show,
               desc="policytext tag")
    records = nlp.pipe_records(iter_inputs(paths), batch_size=args.batch_size, n_process=args.workers)
    if args.dedup_corpus:
        records = _with_clusters(records, bar)
        bar = tqdm(total=None, disable=True)
    failed = total = 0
    try:
        for rec in write_records(records, fmt, args.output):
            total += 1
            if rec.get("error"):
                failed += 1
            bar.update(1)
    except OSError as exc:
        bar.close()
        print(f"policytext tag: error: cannot write output: {exc}", file=sys.stderr)
        return 2
    bar.close()
    if failed or show:
        where = f" -> {args.output}" if args.output else ""
        print(f"policytext tag: {total} document(s), {failed} failed{where}", file=sys.stderr)
    return 1 if failed else 0
