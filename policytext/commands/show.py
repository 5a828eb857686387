"""``policytext show``: one self-contained HTML report of what the pipeline did to each document."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..errors import Errors
from ._common import UsageError, add_progress_argument, progress_enabled, resolve_input_paths, usage_error

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "show",
        help="write a visual HTML report of the documents (edits, removals, entities, claims, themes)",
        description="Process documents and write one self-contained HTML page (no server, no network, "
        "no external files) with a table of contents, the batch's counters and, per document, its "
        "figures, the clean text with every edit, entity, claim and theme marked, and raw and clean "
        "side by side. INPUT is read as by 'policytext tag'.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.add_argument("-o", "--output", help="the HTML file to write (default: standard output)")
    p.add_argument("--view", choices=("text", "diff", "both"), default="both",
                   help="clean text, raw and clean side by side, or both (default)")
    p.add_argument("--title", default="policytext report", help="the page title")
    p.add_argument("--page-chars", type=int, default=20_000, metavar="N",
                   help="characters per folded page of a long document (default 20000)")
    p.add_argument("--workers", type=int, default=1, metavar="N", help="worker processes (default 1)")
    p.add_argument("--disable", default="", metavar="STAGES", help="comma-separated stages to leave out")
    p.add_argument("--themes", metavar="DIR", help="theme model folder (default: the shipped model)")
    p.add_argument("--max-chars", type=int, default=None, metavar="N", help="reject documents longer than N characters")
    p.add_argument("--strict", action="store_true", help="a document fails when any stage fails on it")
    add_progress_argument(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .. import load
    from ..inputs import iter_inputs
    from ..pipeline import DEFAULT_MAX_CHARS
    from ..report import write_report

    if args.workers < 1:
        return usage_error("show", Errors.E211.format(option="--workers", minimum=1))
    if args.page_chars < 100:
        return usage_error("show", Errors.E211.format(option="--page-chars", minimum=100))
    try:
        paths = resolve_input_paths(args.inputs, args.output)
    except UsageError as exc:
        return usage_error("show", str(exc))
    disable = [s.strip() for s in args.disable.split(",") if s.strip()]
    try:
        nlp = load(disable=disable, themes=args.themes, max_chars=args.max_chars or DEFAULT_MAX_CHARS,
                   strict=args.strict)
    except (ValueError, FileNotFoundError) as exc:
        return usage_error("show", str(exc))
    show = progress_enabled(args)
    bar = tqdm(total=None, unit="doc", file=sys.stderr, disable=not show, desc="policytext show")
    results = nlp.pipe(iter_inputs(paths), batch_size=4, n_process=args.workers)
    try:
        if args.output:
            with open(args.output, "w", encoding="utf-8", errors="replace") as out:
                counts = write_report(results, out, args.view, args.title, args.page_chars, lambda rec: bar.update(1))
        else:
            counts = write_report(results, sys.stdout, args.view, args.title, args.page_chars, lambda rec: bar.update(1))
            sys.stdout.flush()
    except OSError as exc:
        bar.close()
        return usage_error("show", Errors.E218.format(detail=exc)) if args.output else 2
    bar.close()
    where = f" -> {args.output}" if args.output else ""
    if counts.failed or show or args.output:
        print(f"policytext show: {counts.documents} document(s), {counts.failed} failed{where}", file=sys.stderr)
    return 1 if counts.failed else 0
