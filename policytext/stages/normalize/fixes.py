"""User-supplied character and phrase fixes (the ``extra_fixes`` setting)."""

from __future__ import annotations

import re
from functools import lru_cache

from ...alignment import Edit
from ...errors import Errors

__all__ = ["fix_edits", "compile_fixes"]


@lru_cache(maxsize=32)
def _compile(items: tuple[tuple[str, str], ...]) -> re.Pattern | None:
    keys = sorted((k for k, _ in items if k), key=len, reverse=True)  # longest match first
    if not keys:
        return None
    return re.compile("|".join(re.escape(k) for k in keys))


def compile_fixes(fixes: dict[str, str] | None) -> tuple[re.Pattern | None, dict[str, str]]:
    """Validate ``{"wrong": "right"}`` and build its matcher."""
    fixes = dict(fixes or {})
    for k, v in fixes.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise ValueError(Errors.E111.format(key=k, value=v))
    return _compile(tuple(sorted(fixes.items()))), fixes


def fix_edits(text: str, fixes: dict[str, str] | None) -> list[Edit]:
    """One ``user_fix`` edit per (non-overlapping, longest-first) occurrence of a key."""
    pattern, table = compile_fixes(fixes)
    if pattern is None:
        return []
    return [
        Edit(m.start(), m.end(), table[m.group()], "user_fix", note="extra_fixes")
        for m in pattern.finditer(text)
        if table[m.group()] != m.group()
    ]
