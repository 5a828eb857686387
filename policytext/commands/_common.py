"""Pieces shared by the subcommands: the progress option, usage errors, input-path checks.

No ``register`` here, so the CLI's discovery skips this module."""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path
from typing import Any

from ..errors import Errors

__all__ = ["UsageError", "add_progress_argument", "progress_enabled", "resolve_input_paths", "usage_error"]


class UsageError(ValueError):
    """A command-line mistake: reported on standard error with exit status 2."""


def add_progress_argument(parser: Any) -> None:
    parser.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                        help="progress bar on standard error (auto: when it is a terminal)")


def add_stats_argument(parser: Any) -> None:
    parser.add_argument("--stats", metavar="FILE",
                        help="write the run's counters (documents, failures by cause, stages skipped, warnings "
                        "by code, edits by kind, claims rejected by reason) to FILE as JSON; a summary of them "
                        "always goes to standard error")


def finish_stats(args: argparse.Namespace, stats: Any, head: str) -> None:
    """Print the counters' summary to standard error and write ``--stats FILE``."""
    print(stats.summary(head), file=sys.stderr)
    if getattr(args, "stats", None):
        try:
            stats.write_json(args.stats)
        except OSError as exc:
            print(f"policytext: error: {Errors.E222.format(path=args.stats, detail=exc)}", file=sys.stderr)


def progress_enabled(args: argparse.Namespace) -> bool:
    """Whether to draw the progress bar: forced, or auto when standard error is a terminal."""
    return args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())


def usage_error(command: str, message: str) -> int:
    print(f"policytext {command}: error: {message}", file=sys.stderr)
    return 2


def resolve_input_paths(inputs: list[str], output: str | None, include: Any = (), exclude: Any = ()) -> list[str]:
    """The files to read (directories expanded); raises :class:`UsageError` for a missing path,
    standard input named twice, or an output file that is also an input."""
    from ..inputs import InputPathError, expand_paths

    if inputs.count("-") > 1:
        raise UsageError(Errors.E206)
    try:
        paths = expand_paths(inputs, include or (), exclude or ())
    except InputPathError as exc:
        raise UsageError(str(exc)) from exc
    if output and Path(output).resolve() in {Path(p).resolve() for p in paths if p != "-"}:
        raise UsageError(Errors.E207.format(path=output))
    return paths


# ----- what every batch subcommand shares: reading, writing, resuming, sharding, progress --------
def add_input_arguments(parser: Any) -> None:
    """Field names of record inputs, ``--keep``, ``--include``/``--exclude`` and ``--shard``."""
    g = parser.add_argument_group("record inputs (.json, .jsonl, .csv, .parquet)")
    g.add_argument("--text-field", default="text", metavar="F", help="field holding the plain text (default: text)")
    g.add_argument("--html-field", default="html", metavar="F", help="field holding HTML (default: html)")
    g.add_argument("--id-field", default="id", metavar="F", help="field holding the document id (default: id)")
    g.add_argument("--date-field", default="date", metavar="F", help="field holding the document date (default: date)")
    g.add_argument("--source-field", default="source", metavar="F", help="field holding the source (default: source)")
    g.add_argument("--keep", default=None, metavar="F1,F2",
                   help="copy these input fields into each record's 'meta' ('all': every field but the text)")
    f = parser.add_argument_group("choosing documents")
    f.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="in folders, read only files matching GLOB (path below the folder or name; repeatable)")
    f.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="in folders, leave out files matching GLOB (repeatable)")
    f.add_argument("--shard", default=None, metavar="I/N",
                   help="process only documents I, I+N, I+2N... of the input (0 <= I < N), e.g. 0/4 on "
                   "the first of four machines")
    f.add_argument("--limit", type=int, default=None, metavar="N", help="stop after the first N documents (a trial run)")


def add_output_arguments(parser: Any, formats: tuple[str, ...], default_help: str = "jsonl") -> None:
    parser.add_argument("-o", "--output", help="output file (default: standard output)")
    parser.add_argument("--format", choices=formats, help=f"output format (default: from -o's suffix, else {default_help})")
    parser.add_argument("--bom", action="store_true", help="CSV: start the file with a UTF-8 BOM (for spreadsheets)")
    parser.add_argument("--resume", action="store_true",
                        help="append to -o only the documents whose id is not in it yet (jsonl, parquet), "
                        "after a crash or kill; a torn last line is repaired")
    parser.add_argument("--row-group-size", type=int, default=1000, metavar="N",
                        help="parquet: records per row group (default 1000)")


def add_worker_arguments(parser: Any, batch_size: int = 16) -> None:
    parser.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    parser.add_argument("--batch-size", type=int, default=batch_size, metavar="N",
                        help="documents per worker hand-off")


def parse_shard(value: str | None) -> tuple[int, int] | None:
    """``"I/N"`` -> ``(I, N)``; raises :class:`UsageError` for anything else."""
    if not value:
        return None
    try:
        i, n = (int(x) for x in value.split("/"))
    except ValueError:
        raise UsageError(Errors.E209.format(value=value)) from None
    if n < 1 or not 0 <= i < n:
        raise UsageError(Errors.E210.format(value=value))
    return i, n


def fields_from_args(args: argparse.Namespace) -> Any:
    from ..inputs import Fields

    keep = None
    if getattr(args, "keep", None):
        keep = tuple(k.strip() for k in args.keep.split(",") if k.strip())
    return Fields(text=args.text_field, html=args.html_field, id=args.id_field, date=args.date_field,
                  source=args.source_field, keep=keep)


def output_format(args: argparse.Namespace, default: str = "jsonl") -> str:
    from ..output import format_from_path

    return args.format or format_from_path(args.output) or default


def check_output_options(args: argparse.Namespace, fmt: str) -> None:
    """Usage errors of the output options: parquet to the terminal, --resume without a file or to CSV."""
    if fmt == "parquet" and not args.output:
        raise UsageError(Errors.E203)
    if args.resume and not args.output:
        raise UsageError(Errors.E202)
    if args.resume and fmt not in {"jsonl", "parquet"}:
        raise UsageError(Errors.E204.format(fmt=fmt))
    if getattr(args, "workers", 1) < 1:
        raise UsageError(Errors.E211.format(option="--workers", minimum=1))
    if getattr(args, "row_group_size", 1) < 1:
        raise UsageError(Errors.E211.format(option="--row-group-size", minimum=1))


def read_documents(args: argparse.Namespace) -> Any:
    """The documents of ``args.inputs`` (fields, include/exclude and shard applied), streamed.
    Raises :class:`UsageError` for a missing path, stdin named twice, or the output among the inputs."""
    from ..inputs import read_paths

    paths = resolve_input_paths(args.inputs, getattr(args, "output", None), args.include, args.exclude)
    shard = parse_shard(getattr(args, "shard", None))
    docs = read_paths(paths, fields=fields_from_args(args))
    if shard is not None:
        i, n = shard
        docs = (d for k, d in enumerate(docs) if k % n == i)
    limit = getattr(args, "limit", None)
    if limit is not None:
        if limit < 0:
            raise UsageError(Errors.E211.format(option="--limit", minimum=0))
        docs = itertools.islice(docs, limit)
    return paths, docs


def progress_bar(args: argparse.Namespace, desc: str, total: int | None = None) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", file=sys.stderr, disable=not progress_enabled(args), desc=desc)


def countable_total(paths: list[str]) -> int | None:
    """Number of documents when every input is one document (no record files, no stdin)."""
    from ..inputs import CSV_SUFFIXES, JSON_SUFFIXES, JSONL_SUFFIXES, PARQUET_SUFFIXES

    multi = JSON_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES | PARQUET_SUFFIXES
    if any(p == "-" or Path(p).suffix.lower() in multi for p in paths):
        return None
    return len(paths)


# ----- one pipeline configuration for every subcommand -----------------------------------------
def add_pipeline_arguments(parser: Any, disable_default: str = "") -> None:
    g = parser.add_argument_group("pipeline")
    g.add_argument("--pipeline", metavar="DIR", help="a pipeline saved with nlp.to_disk(DIR) (default: the shipped one)")
    g.add_argument("--set", action="append", default=[], metavar="STAGE.KEY=VALUE", dest="settings",
                   help="change one stage setting, e.g. --set entities.backend=none (VALUE read as JSON when "
                   "it is JSON, else as text; repeatable)")
    g.add_argument("--user-dict", action="append", default=[], metavar="FILE",
                   help="entity user dictionary (one 'name<TAB>LABEL' per line; repeatable); "
                   "same as --set entities.user_dicts=[...]")
    g.add_argument("--disable", default=disable_default, metavar="STAGES", help="comma-separated stages to leave out")
    g.add_argument("--themes", metavar="DIR", help="theme model folder (default: the shipped model)")
    g.add_argument("--max-chars", type=int, default=None, metavar="N", help="reject documents longer than N characters")
    g.add_argument("--strict", action="store_true",
                   help="a document fails when any stage fails on it (default: the stage is skipped and "
                   "named in the record's warnings)")


def parse_settings(items: list[str]) -> dict[str, dict[str, Any]]:
    """``["entities.backend=none", "dedup.mode=\\"mark\\""]`` -> ``{"entities": {"backend": "none"}, ...}``."""
    import json

    out: dict[str, dict[str, Any]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        stage, dot, name = key.strip().partition(".")
        if not sep or not dot or not stage or not name:
            raise UsageError(Errors.E212.format(item=item))
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        out.setdefault(stage, {})[name] = value
    return out


def build_pipeline(args: argparse.Namespace, stages: list[str] | None = None) -> Any:
    """The pipeline the options describe: ``--pipeline DIR`` or the shipped stages, with
    ``--disable``, ``--set``, ``--user-dict``, ``--themes``, ``--max-chars`` and ``--strict``.
    Raises :class:`UsageError` for an unknown stage or setting, or a missing folder or file."""
    from .. import load
    from ..pipeline import DEFAULT_MAX_CHARS, Pipeline

    disable = [s.strip() for s in (args.disable or "").split(",") if s.strip()]
    settings = parse_settings(args.settings)
    if args.user_dict:
        for f in args.user_dict:
            if not Path(f).is_file():
                raise UsageError(Errors.E213.format(path=f))
        settings.setdefault("entities", {}).setdefault("user_dicts", []).extend(args.user_dict)
    if args.themes:
        settings.setdefault("themes", {})["model"] = str(args.themes)
    try:
        if args.pipeline:
            if not Path(args.pipeline, "pipeline.json").is_file():
                raise UsageError(Errors.E214.format(path=args.pipeline))
            nlp = Pipeline.from_disk(args.pipeline)
            for name in disable:
                nlp.remove_stage(name)
            if stages is not None:
                for name in [n for n in nlp.stage_names if n not in stages]:
                    nlp.remove_stage(name)
            for name, cfg in settings.items():
                if name in nlp.stage_names:
                    nlp.configure(name, **cfg)
                else:
                    raise UsageError(Errors.E215.format(name=name, stages=nlp.stage_names))
            if args.max_chars:
                nlp.max_chars = nlp.nlp.max_length = args.max_chars
            nlp.strict = nlp.strict or args.strict
            return nlp
        unknown_set = [n for n in settings if n in disable]
        if unknown_set:
            raise UsageError(Errors.E216.format(stages=", ".join(unknown_set)))
        return load(stages, disable=disable, config=settings, max_chars=args.max_chars or DEFAULT_MAX_CHARS,
                    strict=args.strict)
    except KeyError as exc:
        raise UsageError(str(exc.args[0] if exc.args else exc)) from None
    except (ValueError, FileNotFoundError, TypeError) as exc:
        if isinstance(exc, UsageError):
            raise
        raise UsageError(str(exc)) from None
