"""Paragraph spans of a cleaned text (the contract's ``paragraphs``).

A paragraph is a block of lines separated from the next by at least one blank line (a line that
is empty or holds only whitespace). A text without any blank line between two non-empty lines
uses single line breaks as paragraph breaks instead, so every non-empty line is a paragraph.

Scraped pages often mix the two: sample 001 separates its ~220 paragraphs by single line breaks
and has five stray blank lines, which would otherwise make five giant "paragraphs". So the
rule is decided by the majority: when single line breaks between non-empty lines outnumber the
blank-line breaks, every non-empty line is a paragraph; otherwise blank lines separate blocks.

Each span is stripped of the whitespace around it; offsets are code-point offsets into
``text``, end exclusive.
"""

from __future__ import annotations

import re

__all__ = ["paragraph_spans"]

_LINE_RE = re.compile(r"[^\n]*(?:\n|$)")


def _lines(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, blank) for every line, end excluding the newline."""
    out = []
    for m in _LINE_RE.finditer(text):
        s, e = m.span()
        if s == e and s == len(text) and out:
            break  # the empty match after a final newline
        content_end = e - 1 if text[s:e].endswith("\n") else e
        out.append((s, content_end, text[s:content_end].strip() == ""))
        if e == len(text):
            break
    return out


def _strip_span(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every paragraph of ``text`` (see module docstring)."""
    lines = _lines(text)
    spans: list[tuple[int, int]] = []
    filled = [k for k, (_, _, blank) in enumerate(lines) if not blank]
    if not filled:
        return spans
    inner = lines[filled[0] : filled[-1] + 1]
    single = sum(1 for k in range(1, len(inner)) if not inner[k][2] and not inner[k - 1][2])
    blank_breaks = sum(1 for k in range(1, len(inner)) if not inner[k][2] and inner[k - 1][2])
    if blank_breaks == 0 or single > blank_breaks:  # one paragraph per non-empty line
        for s, e, _ in lines:
            span = _strip_span(text, s, e)
            if span:
                spans.append(span)
        return spans
    block_start: int | None = None
    block_end = 0
    for s, e, blank in lines:
        if blank:
            if block_start is not None:
                span = _strip_span(text, block_start, block_end)
                if span:
                    spans.append(span)
                block_start = None
        else:
            if block_start is None:
                block_start = s
            block_end = e
    if block_start is not None:
        span = _strip_span(text, block_start, block_end)
        if span:
            spans.append(span)
    return spans
