"""Checking a model folder before anything loads it: model folders are untrusted input.

A spaCy model folder can make ``spacy.load`` run code: its ``config.cfg`` picks the tokenizer and
the components, and spaCy's Chinese tokenizer with the pkuseg segmenter lets ``spacy-pkuseg``
``pickle.load`` a file from ``tokenizer/pkuseg_model/``. :func:`check_spacy_model_folder` refuses
such a folder *before* spaCy sees it; :func:`check_folder_files` is the generic part (an allow-list
of plain files, no links, no special files, no pickles) that any stage loading a model folder can
call. A refused folder raises :class:`UnsafeModelFolder` naming the offending file; callers never
fall back silently to something else.

    >>> from policytext.model_folders import check_spacy_model_folder
    >>> check_spacy_model_folder("models/ner")      # returns the folder, or raises UnsafeModelFolder
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path
from typing import Any, Iterable

from .errors import Errors

__all__ = ["UnsafeModelFolder", "PickleFileRefused", "check_folder_files", "check_regular_file", "check_spacy_model_folder",
           "SPACY_TOKENIZERS", "SPACY_FACTORIES", "PICKLE_SUFFIXES"]

#: Tokenizers a policytext spaCy model may name (our own, registered by policytext; no segmenter models).
SPACY_TOKENIZERS = frozenset({"policytext.ner_char_tokenizer.v1"})
#: Component factories a policytext spaCy model may hold.
SPACY_FACTORIES = frozenset({"tok2vec", "ner"})
#: Suffixes of executable serialisation formats: never allowed in a model folder, whatever the allow-list.
PICKLE_SUFFIXES = frozenset({".pkl", ".pickle", ".pck", ".joblib", ".dill", ".pt", ".pth", ".bin.pkl", ".sav"})
# Registries whose functions a spaCy model's config may name (by spaCy's or our own name). Callbacks
# (``@callbacks``: before/after creation hooks, copy_from_base_model) are refused outright.
_SPACY_REGISTRIES = frozenset({"@architectures", "@layers", "@vectors", "@tokenizers", "@readers", "@optimizers",
                               "@schedules", "@loggers", "@batchers", "@scorers", "@initializers"})
_SPACY_FUNCTION_PREFIXES = ("spacy.", "policytext.")
# Optimiser and schedule names in a trained model's [training] block (thinc's, never resolved at load time).
_THINC_TRAINING_FUNCTIONS = frozenset({"Adam.v1", "RAdam.v1", "SGD.v1", "compounding.v1", "warmup_linear.v1",
                                       "constant.v1", "decaying.v1", "slanted_triangular.v1", "cyclic_triangular.v1"})
_SPACY_TOP_FILES = ("config.cfg", "meta.json", "README.md", "LICENSE", "LICENSE.*", "*.md")
_SPACY_VOCAB_FILES = ("vocab/strings.json", "vocab/vectors", "vocab/vectors.cfg", "vocab/key2row", "vocab/lookups.bin")
_SPACY_COMPONENT_FILES = ("cfg", "model", "moves")


class UnsafeModelFolder(Exception):
    """A model folder that policytext refuses to load; the message names the file and the reason.

    Deliberately not a ``ValueError``/``OSError``: code that falls back to rules when a model is
    *missing* must not fall back when a model is *refused*."""


class PickleFileRefused(UnsafeModelFolder):
    """The folder holds a pickle-type file (:data:`PICKLE_SUFFIXES`)."""


def check_regular_file(path: str | Path, what: str = "file") -> Path:
    """``path`` if it is a plain file (after following links); raises :class:`UnsafeModelFolder`
    for a FIFO, device, socket or folder (reading those hangs or never ends) and
    ``FileNotFoundError`` for a missing path."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise FileNotFoundError(Errors.E301.format(what=what, path=path)) from None
    if not stat.S_ISREG(mode):
        raise UnsafeModelFolder(Errors.E302.format(what=what, path=path, kind=_kind(mode)))
    return path


def check_folder_files(folder: str | Path, allowed: Iterable[str], *, max_bytes: int | None = None) -> list[Path]:
    """Every file under ``folder``, checked against ``allowed`` (glob patterns of paths relative to
    the folder, ``/``-separated). Refuses (raises :class:`UnsafeModelFolder` naming the file):
    symbolic links, FIFOs, devices and sockets, pickle-like files (:data:`PICKLE_SUFFIXES`),
    files matching no pattern, and files over ``max_bytes``. Returns the files, sorted."""
    root = Path(folder)
    try:
        mode = os.lstat(root).st_mode
    except FileNotFoundError:
        raise FileNotFoundError(Errors.E301.format(what="model folder", path=root)) from None
    if stat.S_ISLNK(mode):
        mode = os.stat(root).st_mode  # the folder itself may be named through a link
    if not stat.S_ISDIR(mode):
        raise UnsafeModelFolder(Errors.E303.format(path=root))
    patterns = list(allowed)
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISDIR(mode):
                continue
            if stat.S_ISLNK(mode):
                raise UnsafeModelFolder(Errors.E304.format(root=root, rel=rel))
            if not stat.S_ISREG(mode):
                raise UnsafeModelFolder(Errors.E305.format(root=root, rel=rel, kind=_kind(mode)))
            if any(rel.lower().endswith(s) for s in PICKLE_SUFFIXES):
                raise PickleFileRefused(Errors.E306.format(root=root, rel=rel))
            if not any(fnmatch.fnmatchcase(rel, p) for p in patterns):
                raise UnsafeModelFolder(Errors.E307.format(root=root, rel=rel, allowed=", ".join(patterns)))
            if max_bytes is not None and os.lstat(path).st_size > max_bytes:
                raise UnsafeModelFolder(Errors.E308.format(root=root, rel=rel, limit=max_bytes))
            found.append(path)
    return sorted(found)


def check_spacy_model_folder(folder: str | Path, *, tokenizers: Iterable[str] = SPACY_TOKENIZERS,
                             factories: Iterable[str] = SPACY_FACTORIES) -> Path:
    """``folder`` if spaCy may load it; raises :class:`UnsafeModelFolder` naming the file otherwise.

    Checked before ``spacy.load``: ``config.cfg`` names one of ``tokenizers`` (default: policytext's
    own character tokenizer, which reads no files), only ``factories`` as components (no
    ``source``), no callbacks, and only spaCy's or policytext's registered functions; the folder holds
    only the files such a model writes (``config.cfg``, ``meta.json``, ``vocab/…``, ``<component>/cfg|model|moves``,
    documentation): no ``tokenizer/`` folder, no pickles, no links or special files."""
    root = Path(folder)
    config_path = check_regular_file(root / "config.cfg", "model config")
    config = _read_config(config_path)
    tokenizers, factories = frozenset(tokenizers), frozenset(factories)
    nlp = config.get("nlp") or {}
    if not isinstance(nlp, dict):
        raise UnsafeModelFolder(Errors.E309.format(config=config_path))
    tok = nlp.get("tokenizer")
    tok_name = tok.get("@tokenizers") if isinstance(tok, dict) else None
    if tok_name not in tokenizers:
        raise UnsafeModelFolder(Errors.E310.format(config=config_path, name=tok_name, allowed=sorted(tokenizers)))
    for hook in ("before_creation", "after_creation", "after_pipeline_creation"):
        if nlp.get(hook) not in (None, "null", ""):
            raise UnsafeModelFolder(Errors.E311.format(config=config_path, hook=hook))
    pipeline = nlp.get("pipeline") or []
    components = config.get("components") or {}
    if not isinstance(pipeline, list) or not isinstance(components, dict):
        raise UnsafeModelFolder(Errors.E312.format(config=config_path))
    for name in pipeline:
        comp = components.get(name)
        if not isinstance(name, str) or not isinstance(comp, dict):
            raise UnsafeModelFolder(Errors.E313.format(config=config_path, name=name))
        if "source" in comp:
            raise UnsafeModelFolder(Errors.E314.format(config=config_path, name=name))
        if comp.get("factory") not in factories:
            raise UnsafeModelFolder(Errors.E315.format(config=config_path, name=name, factory=comp.get("factory"),
                                                       allowed=sorted(factories)))
    for section, key, value in _registry_refs(config):
        if key not in _SPACY_REGISTRIES:
            raise UnsafeModelFolder(Errors.E316.format(config=config_path, section=section, key=key, value=value))
        if key == "@tokenizers" and value not in tokenizers:
            raise UnsafeModelFolder(Errors.E317.format(config=config_path, section=section, value=value))
        if not (isinstance(value, str) and (value.startswith(_SPACY_FUNCTION_PREFIXES)
                                            or value in _THINC_TRAINING_FUNCTIONS)):
            raise UnsafeModelFolder(Errors.E318.format(config=config_path, section=section, key=key, value=value))
    allowed = list(_SPACY_TOP_FILES) + list(_SPACY_VOCAB_FILES)
    allowed += [f"{name}/{f}" for name in pipeline for f in _SPACY_COMPONENT_FILES]
    check_folder_files(root, allowed)
    return root


def _read_config(path: Path) -> dict[str, Any]:
    from thinc.api import Config

    try:
        text = path.read_text(encoding="utf-8")
        return dict(Config().from_str(text, interpolate=False))
    except UnsafeModelFolder:
        raise
    except Exception as exc:  # noqa: BLE001 - any parse failure is a refusal naming the file
        raise UnsafeModelFolder(Errors.E319.format(config=path, detail=f"{type(exc).__name__}: {exc}")) from None


def _registry_refs(config: dict[str, Any], prefix: str = "") -> Iterable[tuple[str, str, Any]]:
    for key, value in config.items():
        if isinstance(value, dict):
            yield from _registry_refs(value, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(key, str) and key.startswith("@"):
            yield prefix, key, value


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"
