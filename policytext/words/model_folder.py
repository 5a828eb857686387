"""Validation of a word-segmentation model folder before anything in it is read.

spacy-pkuseg's own loader falls back to ``pickle.load`` on ``features.pkl`` when
``features.msgpack`` is missing, so a folder from an untrusted place could run code. We never call
that loader: :func:`validate_model_folder` checks the folder against an allow-list first, and the
files are then read with ``srsly.read_msgpack`` and ``numpy.load(allow_pickle=False)``.

This is deliberately one small function with no dependencies on the rest of the package, so that it
can be replaced by a project-wide model-folder validator later.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = ["ModelFolderError", "validate_model_folder", "PKUSEG_REQUIRED", "PKUSEG_ALLOWED"]

#: Files a pkuseg model folder must hold.
PKUSEG_REQUIRED = frozenset({"features.msgpack", "weights.npz"})
#: Files it may hold (the required ones and documentation).
PKUSEG_ALLOWED = PKUSEG_REQUIRED | {"meta.json", "README.md", "LICENSE", "train_log.txt"}
#: Suffixes that can execute code when loaded; named in the error even when not on the allow-list.
_EXECUTABLE_SUFFIXES = (".pkl", ".pickle", ".joblib", ".pt", ".pth", ".bin", ".npy", ".dill", ".sav")


class ModelFolderError(ValueError):
    """A model folder that is missing, incomplete or holds a file we refuse to load."""


def validate_model_folder(path: str | Path, required: Iterable[str] = PKUSEG_REQUIRED,
                          allowed: Iterable[str] = PKUSEG_ALLOWED) -> Path:
    """Return ``path`` as a :class:`Path` if it is a folder holding every ``required`` file and no
    file outside ``allowed``; raise :class:`ModelFolderError` naming the offending file otherwise.

    Sub-folders, links and pickles (``*.pkl`` and other executable formats) are refused.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise ModelFolderError(f"word model folder not found: {folder}")
    allowed_set, required_set = set(allowed), set(required)
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if name.lower().endswith(_EXECUTABLE_SUFFIXES):
            raise ModelFolderError(f"refusing to load {entry}: pickled/executable model files are not loaded "
                                   f"(convert it to features.msgpack + weights.npz)")
        if entry.is_symlink() or not entry.is_file():
            raise ModelFolderError(f"refusing to load model folder {folder}: {name!r} is not a plain file")
        if name not in allowed_set:
            raise ModelFolderError(f"refusing to load model folder {folder}: unexpected file {name!r} "
                                   f"(allowed: {', '.join(sorted(allowed_set))})")
    missing = sorted(required_set - {p.name for p in folder.iterdir()})
    if missing:
        raise ModelFolderError(f"word model folder {folder} lacks {', '.join(missing)}")
    return folder
