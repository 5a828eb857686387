"""Paragraph spans of cleaned text (placeholder until the normalize stage lands its version)."""

from __future__ import annotations

import re

__all__ = ["paragraph_spans"]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Blocks separated by blank lines; without blank lines, one paragraph per non-empty line."""
    sep = r"\n[ \t\u3000]*\n\s*" if re.search(r"\n[ \t\u3000]*\n", text) else r"\n"
    spans = []
    pos = 0
    for m in list(re.finditer(sep, text)) + [None]:
        end = m.start() if m else len(text)
        chunk = text[pos:end]
        s = len(chunk) - len(chunk.lstrip())
        e = len(chunk.rstrip())
        if e > s:
            spans.append((pos + s, pos + e))
        if m:
            pos = m.end()
    return spans
