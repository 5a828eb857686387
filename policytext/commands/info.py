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
    p.set_defaults(func=run)


def find_models() -> list[dict[str, Any]]:
    """Model folders shipped in the repository's ``models/`` (with their meta files, if any)."""
    from ..models import models_dir

    root = models_dir()
    found = []
    if root is None:
        return found
    for child in sorted(p for p in root.iterdir() if p.is_dir()):
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


def run(args: argparse.Namespace) -> int:
    from .. import __version__, load

    nlp = load()
    info = {"version": __version__, "python": sys.version.split()[0], "stages": nlp.describe(),
            "missing_stages": nlp.missing, "models": find_models()}
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"policytext {info['version']} (Python {info['python']})")
    print("stages, in order:")
    for i, st in enumerate(info["stages"], 1):
        settings = ", ".join(f"{k}={v!r}" for k, v in st["config"].items())
        print(f"  {i}. {st['name']:<10} [{st['kind']}] {st['factory']}  {settings}")
    if info["missing_stages"]:
        print(f"stages not installed: {', '.join(info['missing_stages'])}")
    print("models:")
    for m in info["models"] or []:
        print(f"  {m['name']:<10} {m['bytes'] / 1e6:.1f} MB  {m['path']}")
    if not info["models"]:
        print("  (none found)")
    return 0
