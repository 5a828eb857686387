"""Validation of a word-segmentation model folder before anything in it is read.

spacy-pkuseg's own loader falls back to ``pickle.load`` on ``features.pkl`` when
``features.msgpack`` is missing, so a folder from an untrusted place could run code. We never call
that loader: :func:`validate_model_folder` checks the folder against an allow-list first, and the
files are then read with ``srsly.read_msgpack`` and ``numpy.load(allow_pickle=False)``.

The generic checks (plain files only, no links, FIFOs or pickles, an allow-list) are
:func:`policytext.model_folders.check_folder_files`, shared with every other model folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import Errors
from ..model_folders import PickleFileRefused, UnsafeModelFolder, check_folder_files

__all__ = ["ModelFolderError", "validate_model_folder", "PKUSEG_REQUIRED", "PKUSEG_ALLOWED"]

#: Files a pkuseg model folder must hold.
PKUSEG_REQUIRED = frozenset({"features.msgpack", "weights.npz"})
#: Files it may hold (the required ones and documentation).
PKUSEG_ALLOWED = PKUSEG_REQUIRED | {"meta.json", "README.md", "LICENSE", "train_log.txt"}


class ModelFolderError(UnsafeModelFolder):
    """A word model folder that is missing, incomplete or holds a file we refuse to load (an
    :class:`~policytext.model_folders.UnsafeModelFolder`: never a reason to fall back silently)."""


def validate_model_folder(path: str | Path, required: Iterable[str] = PKUSEG_REQUIRED,
                          allowed: Iterable[str] = PKUSEG_ALLOWED) -> Path:
    """Return ``path`` as a :class:`Path` if it is a folder holding every ``required`` file and no
    file outside ``allowed``; raise :class:`ModelFolderError` naming the offending file otherwise.

    Sub-folders, links and pickles (``*.pkl`` and other executable formats) are refused.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise ModelFolderError(Errors.E330.format(path=folder))
    allowed_set, required_set = set(allowed), set(required)
    try:
        files = check_folder_files(folder, sorted(allowed_set))
    except UnsafeModelFolder as exc:
        hint = " (convert it to features.msgpack + weights.npz)" if isinstance(exc, PickleFileRefused) else ""
        raise ModelFolderError(Errors.E331.format(detail=exc, hint=hint)) from None
    missing = sorted(required_set - {f.name for f in files})
    if missing:
        raise ModelFolderError(Errors.E332.format(path=folder, missing=", ".join(missing)))
    return folder
