"""Where shipped models live: the folder named by ``POLICYTEXT_MODELS``, else ``policytext/models/``
inside an installed wheel (the build copies the repository's ``models/`` there), else ``models/``
at the repository root (editable installs)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["models_dir", "model_path"]


def models_dir() -> Path | None:
    """The models folder, or None if there is none."""
    env = os.environ.get("POLICYTEXT_MODELS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here / "models", here.parent / "models"):
        if candidate.is_dir():
            return candidate
    return None


def model_path(name: str) -> Path | None:
    """``models/<name>`` if it exists."""
    root = models_dir()
    if root is None or not (root / name).exists():
        return None
    return root / name
