"""The cleaning stages on one raw text, for the web-cleaning tests."""

from __future__ import annotations

import policytext.stages.html  # noqa: F401 - registers the stage
import policytext.stages.normalize  # noqa: F401 - registers the stage
from policytext.stages.base import create_text_stage
from policytext.stages.repair import RepairStage
from policytext.state import TextState


def repair(text: str, **cfg) -> TextState:
    """The repair stage alone (``cfg``: its settings)."""
    st = TextState(raw=text)
    RepairStage(**cfg)(st)
    return st


def clean(text: str) -> TextState:
    """``html`` + ``repair`` + ``normalize``, in the pipeline's order."""
    st = TextState(raw=text)
    for name in ("html", "repair", "normalize"):
        create_text_stage(name)(st)
    return st
