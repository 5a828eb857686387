"""Reading a saved pipeline (``pipeline.json``, written by :meth:`Pipeline.to_disk`): JSON only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .model_folders import check_regular_file
from .errors import Errors

__all__ = ["read_pipeline_file", "check_spec"]


def check_spec(spec: Any, where: Any = "the pipeline spec") -> None:
    """``ValueError`` unless ``spec`` is a dict with a ``stages`` list."""
    if not isinstance(spec, dict) or not isinstance(spec.get("stages"), list):
        raise ValueError(Errors.E113.format(path=where, detail="no 'stages' list"))


def read_pipeline_file(path: Path) -> dict[str, Any]:
    """The pipeline spec in ``path`` (a plain file); ``ValueError`` for anything else."""
    spec_path = check_regular_file(path, "pipeline file")
    try:
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as exc:  # bad UTF-8/JSON, huge integers, deep nesting
        raise ValueError(Errors.E113.format(path=spec_path, detail=f"{type(exc).__name__}: {exc}")) from None
    check_spec(spec, spec_path)
    return spec
