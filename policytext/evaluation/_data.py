"""Where the evaluation commands find their data, and the error when it is not there.

The evaluation commands read the repository's ``corpora/`` (our gold sets and labels) and the
third-party corpora in ``../shared/data`` beside the repository; neither ships with the package,
and the wheel leaves ``policytext.evaluation`` out. They run from a checkout
(``git clone``; ``pip install -e .``), from its root.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable
from ..errors import Errors

__all__ = ["REPO_ROOT", "CORPORA", "SHARED_DATA", "MissingEvaluationData", "require", "run"]

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPORA = REPO_ROOT / "corpora"
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


class MissingEvaluationData(FileNotFoundError):
    """A file or folder an evaluation needs is not there; the message names it."""


def require(path: Path | str, what: str) -> Path:
    """``path`` if it exists; otherwise :class:`MissingEvaluationData` naming it and saying where
    evaluation data comes from."""
    path = Path(path)
    if path.exists():
        return path
    inside = path.resolve().is_relative_to(CORPORA.resolve())
    where = ("the repository's corpora/ folder: evaluation runs from a checkout of the repository "
             "(git clone; pip install -e .), not from an installed wheel" if inside else
             "the third-party corpora beside the repository (../shared/data, each with its SOURCE.md); "
             "pass another folder with the command's data option")
    raise MissingEvaluationData(Errors.E701.format(what=what, path=path, where=where))


def run(main: Callable[[], int]) -> int:
    """``main()``, printing a missing-data error as one line on standard error (exit status 2)."""
    try:
        return main()
    except MissingEvaluationData as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
