"""``policytext info``: version, stages with their settings, and the models found."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["register", "run", "find_models"]


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("info", help="show the version, the stages with their settings, and the models found")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--load", action="store_true",
                   help="build the pipeline (loads every model) and show its actual settings; default: the "
                   "registered default settings, without loading any model (fast)")
    p.set_defaults(func=run)


def find_models() -> list[dict[str, Any]]:
    """Model folders shipped in the repository's ``models/`` (with their meta files, if any); a
    spaCy model folder is checked as :func:`policytext.model_folders.check_spacy_model_folder`
    does before any load (raises ``UnsafeModelFolder``)."""
    from ..models import models_dir

    root = models_dir()
    found = []
    if root is None:
        return found
    from ..model_folders import check_spacy_model_folder

    for child in sorted(p for p in root.iterdir() if p.is_dir()):
        if (child / "config.cfg").exists():
            check_spacy_model_folder(child)  # checked (never loaded): an unsafe folder is refused, exit 2
        meta: dict[str, Any] = {}
        for name in ("meta.json", "model_card.json", "card.json"):
            if (child / name).is_file():  # a plain file: a FIFO named meta.json would hang
                try:
                    meta = json.loads((child / name).read_text(encoding="utf-8"))
                except (ValueError, RecursionError, OSError):  # bad JSON, huge ints, deep nesting, FIFO
                    meta = {"error": f"unreadable {name}"}
                break
        size = sum(f.stat().st_size for f in child.rglob("*") if f.is_file())
        found.append({"name": child.name, "path": str(child), "bytes": size,
                      "meta": {k: meta[k] for k in list(meta)[:8]} if isinstance(meta, dict) else {}})
    return found


def default_stages() -> list[dict[str, Any]]:
    """The shipped stages with their registered default settings, found without building any
    stage (no model is loaded)."""
    from ..stage_registry import DEFAULT_STAGES, default_settings

    return [{"name": s.name, "kind": s.kind, "factory": s.factory, "config": default_settings(s)}
            for s in DEFAULT_STAGES]


def run(args: argparse.Namespace) -> int:
    from .. import __version__

    if args.load:
        from .. import load

        nlp = load()
        stages = nlp.describe()
    else:
        stages = default_stages()
    info = {"version": __version__, "python": sys.version.split()[0], "stages": stages, "models": find_models(),
            "settings": "loaded" if args.load else "defaults"}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"policytext {info['version']} (Python {info['python']})")
    print("stages, in order" + ("" if args.load else " (default settings; --load builds the pipeline)") + ":")
    for i, st in enumerate(info["stages"], 1):
        settings = ", ".join(f"{k}={v!r}" for k, v in st["config"].items())
        print(f"  {i}. {st['name']:<10} [{st['kind']}] {st['factory']}  {settings}")
    print("models:")
    for m in info["models"] or []:
        print(f"  {m['name']:<10} {m['bytes'] / 1e6:.1f} MB  {m['path']}")
    if not info["models"]:
        print("  (none found)")
    return 0
