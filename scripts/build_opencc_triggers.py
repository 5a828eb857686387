"""Build ``policytext/data/opencc_triggers.json`` from the installed OpenCC's dictionaries.

    python scripts/build_opencc_triggers.py

The normalize stage runs OpenCC only on the lines that hold a character OpenCC could change
(its "trigger" characters). Per supported configuration, the file lists:

* ``alone``: every character the converter changes on its own (all code points U+0001 to
  U+3FFFE are asked of the converter itself);
* ``phrases``: the phrases that change although none of their characters changes alone
  (``沈浸``→``沉浸``, ``瞭解``→``了解``, ``覆信``→``复信``, ``捏坏``→``捏坯``), with what
  OpenCC makes of them. Found by reading every dictionary of the configuration with OpenCC's
  own ``opencc_dict`` tool (shipped in the OpenCC wheel).

A line that holds none of the ``alone`` characters and none of the ``phrases`` comes out of
OpenCC unchanged (phrases never cross a line).
:mod:`policytext.stages.normalize.script` uses the file only with the OpenCC version recorded
in it; with any other version it converts every line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "policytext" / "data" / "opencc_triggers.json"
CONFIGS = ("t2s", "hk2s", "tw2s")


def _clib() -> Path:
    return Path(opencc.__file__).resolve().parent / "clib"


def _phrase_files(config: str) -> list[str]:
    """The ``.ocd2`` dictionaries named in an OpenCC configuration file (all of them)."""
    spec = json.loads((_clib() / "share" / "opencc" / f"{config}.json").read_text(encoding="utf-8"))
    files: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ocd2" and "file" in node:
                files.append(str(node["file"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return sorted(set(files))


def _dump(name: str, tmp: Path) -> list[str]:
    """Keys of one ``.ocd2`` dictionary, via ``opencc_dict -t text``."""
    clib = _clib()
    out = tmp / f"{name}.txt"
    env = dict(os.environ, LD_LIBRARY_PATH=str(clib / "lib64"))
    subprocess.run(
        [str(clib / "bin" / "opencc_dict"), "-i", str(clib / "share" / "opencc" / name), "-o", str(out),
         "-f", "ocd2", "-t", "text"],
        check=True, env=env,
    )
    return [line.split("\t")[0] for line in out.read_text(encoding="utf-8").splitlines() if line]


def phrase_triggers(config: str, tmp: Path) -> dict[str, str]:
    """Phrases that OpenCC ``config`` changes although none of their characters changes alone."""
    converter = opencc.OpenCC(config)
    keys = {k for name in _phrase_files(config) for k in _dump(name, tmp) if len(k) > 1}
    chars = sorted({c for k in keys for c in k})
    alone = dict(zip(chars, converter.convert("\n".join(chars)).split("\n")))
    triggers: dict[str, str] = {}
    for key in sorted(keys):
        if any(alone[c] != c for c in key):
            continue  # the key already holds a character that changes alone
        out = converter.convert(key)
        if out != key:
            triggers[key] = out
    return triggers


def alone_triggers(config: str) -> str:
    """Characters (U+0001..U+3FFFE, but "\\n") that OpenCC ``config`` changes on their own."""
    cps = [c for c in range(0x3FFFF) if c not in (0x00, 0x0A) and not 0xD800 <= c <= 0xDFFF]
    out = opencc.OpenCC(config).convert("\n".join(map(chr, cps))).split("\n")
    if len(out) != len(cps):
        raise RuntimeError(f"OpenCC {config} changed the line structure")
    return "".join(chr(c) for c, o in zip(cps, out) if o != chr(c))


def main() -> int:
    with tempfile.TemporaryDirectory() as d:
        data = {
            "opencc_version": opencc.__version__,
            "about": "characters OpenCC may change, per configuration; built by scripts/build_opencc_triggers.py",
            "configs": {c: {"alone": alone_triggers(c), "phrases": phrase_triggers(c, Path(d))} for c in CONFIGS},
        }
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for c, sets in data["configs"].items():
        print(f"{c}: {len(sets['alone'])} characters change alone; {len(sets['phrases'])} phrases change without them")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
