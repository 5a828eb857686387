"""HTML to text, as edits: markup deleted, block elements become line breaks, entities decoded.

Runs on documents marked as HTML (``.html`` files, ``html`` JSON fields) and, in ``auto`` mode,
on plain text that carries tag remnants (scraped list items, ``<br>``): there only the tags and
entities go, and the text's own line breaks stay.
"""

from __future__ import annotations

import html
import re

from ..alignment import Edit
from ..state import TextState
from .base import TextStage, register_text_stage

__all__ = ["HtmlStage", "find_html_edits"]

_DROP_ELEMENTS = re.compile(
    r"<(script|style|noscript|template|head|svg|iframe)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!DOCTYPE[^>]*>|<\?xml[^>]*\?>",
    re.IGNORECASE | re.DOTALL,
)
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "title", "dd", "dt", "dl", "pre", "hr", "nav", "aside",
    "main", "figure", "figcaption", "form", "tbody", "thead", "body", "html",
}
_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*/?>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0]{2,}|[\t\r\n\f\v\u00a0]")
_TAG_HINT = re.compile(r"</?(?:p|div|br|li|ul|span|a|table|tr|td|tt|body|html|h[1-6]|img|strong|em|b|i|font)\b[^>]*>", re.IGNORECASE)


def looks_like_html(text: str, min_tags: int = 2) -> bool:
    """True when ``text`` holds at least ``min_tags`` common HTML tags."""
    count = 0
    for _ in _TAG_HINT.finditer(text):
        count += 1
        if count >= min_tags:
            return True
    return False


def find_html_edits(text: str, document: bool) -> list[Edit]:
    """Edits that turn ``text`` into plain text.

    ``document=True`` treats the text as an HTML page (source whitespace collapses, block elements
    end lines); ``False`` removes tags and entities only.
    """
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []
    for m in _DROP_ELEMENTS.finditer(text):
        edits.append(Edit(m.start(), m.end(), "", "html_element_dropped", note=m.group()[:20]))
        taken.append((m.start(), m.end()))
    drop_idx = 0

    def inside_drop(pos: int) -> bool:
        nonlocal drop_idx
        while drop_idx < len(taken) and taken[drop_idx][1] <= pos:
            drop_idx += 1
        return drop_idx < len(taken) and taken[drop_idx][0] <= pos

    for m in _TAG.finditer(text):
        if inside_drop(m.start()):
            continue
        name = m.group(1).lower()
        block = name in _BLOCK
        edits.append(Edit(m.start(), m.end(), "\n" if (block and document) else "", "html_tag"))
    drop_idx = 0
    tag_spans = sorted((e.start, e.end) for e in edits)
    ti = 0
    for m in _ENTITY.finditer(text):
        while ti < len(tag_spans) and tag_spans[ti][1] <= m.start():
            ti += 1
        if ti < len(tag_spans) and tag_spans[ti][0] <= m.start():
            continue
        value = html.unescape(m.group())
        if value != m.group():
            edits.append(Edit(m.start(), m.end(), " " if value == "\u00a0" else value, "html_entity"))
    if document:
        covered = sorted((e.start, e.end) for e in edits)
        ci = 0
        for m in _SPACE_RUN.finditer(text):
            while ci < len(covered) and covered[ci][1] <= m.start():
                ci += 1
            if ci < len(covered) and covered[ci][0] < m.end():
                continue
            edits.append(Edit(m.start(), m.end(), " ", "html_whitespace"))
    return edits


@register_text_stage("html", default_config={"mode": "auto", "min_tags": 2})
class HtmlStage(TextStage):
    """Strip markup. ``mode``: ``auto`` (HTML inputs as pages; tag remnants in text removed),
    ``document`` (always treat as a page), ``remnants`` (tags/entities only) or ``off``."""

    def __call__(self, state: TextState) -> None:
        mode = self.config["mode"]
        if mode == "off":
            return
        if mode == "document" or (mode == "auto" and state.meta.get("is_html")):
            state.apply(find_html_edits(state.text, document=True), stage=self.name)
            # A page's line structure comes from its block elements: trim the spaces around them.
            state.apply(_trim_line_spaces(state.text), stage=self.name)
        elif looks_like_html(state.text, self.config["min_tags"]) or _ENTITY.search(state.text):
            state.apply(find_html_edits(state.text, document=False), stage=self.name)


def _trim_line_spaces(text: str) -> list[Edit]:
    """Spaces around line breaks, runs of blank lines, and leading/trailing whitespace."""
    edits = []
    for m in re.finditer(r"\A[ \n]+|[ \n]+\Z| +(?=\n)|(?<=\n) +|\n{3,}", text):
        inner = m.start() > 0 and m.end() < len(text)
        edits.append(Edit(m.start(), m.end(), "\n\n" if inner and m.group().startswith("\n") else "", "html_whitespace"))
    return _merge_overlaps(edits)


def _merge_overlaps(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if out and e.start < out[-1].end:
            continue
        out.append(e)
    return out
