"""Pieces shared by the subcommands: the progress option, usage errors, input-path checks.

No ``register`` here, so the CLI's discovery skips this module."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

__all__ = ["UsageError", "add_progress_argument", "progress_enabled", "resolve_input_paths", "usage_error"]


class UsageError(ValueError):
    """A command-line mistake: reported on standard error with exit status 2."""


def add_progress_argument(parser: Any) -> None:
    parser.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                        help="progress bar on standard error (auto: when it is a terminal)")


def progress_enabled(args: argparse.Namespace) -> bool:
    """Whether to draw the progress bar: forced, or auto when standard error is a terminal."""
    return args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())


def usage_error(command: str, message: str) -> int:
    print(f"policytext {command}: error: {message}", file=sys.stderr)
    return 2


def resolve_input_paths(inputs: list[str], output: str | None) -> list[str]:
    """The files to read (directories expanded); raises :class:`UsageError` for a missing path,
    standard input named twice, or an output file that is also an input."""
    from ..inputs import InputPathError, expand_paths

    if inputs.count("-") > 1:
        raise UsageError("standard input ('-') can be named only once")
    try:
        paths = expand_paths(inputs)
    except InputPathError as exc:
        raise UsageError(str(exc)) from exc
    if output and Path(output).resolve() in {Path(p).resolve() for p in paths if p != "-"}:
        raise UsageError(f"the output file {output} is also an input")
    return paths
