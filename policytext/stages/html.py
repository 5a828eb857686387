"""HTML to text, as edits: markup deleted, block elements become line breaks, entities decoded.

Runs on documents marked as HTML (``.html`` files, ``html`` JSON fields) and, in ``auto`` mode,
on plain text that carries tag remnants (scraped list items, ``<br>``): there only the tags and
entities go (:func:`policytext.stages.html_markup.find_remnant_edits`, the rule the ``repair``
stage uses too), and the text's own line breaks stay. Tags and entities are recognised and
decoded by :mod:`policytext.stages.html_markup`.
"""

from __future__ import annotations

import re
import unicodedata

from ..alignment import Edit
from ..errors import Warnings
from ..state import TextState
from .base import TextStage, register_text_stage
from .html_markup import ENTITY, MAX_TAG_CHARS, TAG, decode_entities, decode_entity, find_remnant_edits, iter_tags

__all__ = ["HtmlStage", "find_html_edits"]

_T = f"{{0,{MAX_TAG_CHARS}}}"
_DROP_START = re.compile(
    r"<(script|style|noscript|template|head|svg|iframe|select|button|textarea|object|nav)\b"
    r"|<!--|<!DOCTYPE|<\?xml", re.IGNORECASE)
_OPEN_TAG_REST = re.compile(rf"[^<>]{_T}>")
_XML_REST = re.compile(rf"[^<>]{_T}\?>")
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
    "article", "header", "footer", "blockquote", "title", "dd", "dt", "dl", "pre", "hr", "nav", "aside",
    "main", "figure", "figcaption", "form", "tbody", "thead", "body", "html",
}
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0]{2,}|[\t\r\n\f\v\u00a0]")
_TAG_HINT = re.compile(r"</?(?:p|div|br|li|ul|span|a|table|tr|td|tt|body|html|h[1-6]|img|strong|em|b|i|font)\b"
                       r"(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>", re.IGNORECASE)


_OPEN_CODE = re.compile(rf"<(script|style)\b[^<>]{_T}>", re.IGNORECASE)
_CELL = {"td", "th"}
_NEXT_LINK = re.compile(r"[ \t\r\n]*<a\b", re.IGNORECASE)
_LIST = re.compile(rf"<(ul|ol)\b[^<>]{_T}>((?:(?!<(?:ul|ol)\b).)*?)</\1\s*>", re.IGNORECASE | re.DOTALL)
_LI_SPLIT = re.compile(rf"<li\b[^<>]{_T}>", re.IGNORECASE)
_LINK = re.compile(r"<a\b", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")
_SENTENCE_MARK = re.compile(r"[。，；！？,;!?]")


def _link_lists(text: str) -> list[tuple[int, int]]:
    """Spans of innermost lists whose items are all short links (navigation menus).

    Their items go on one line (``首页 政策 新闻 互动``) instead of one line each, so the
    ``repair`` stage's furniture step recognises and removes the menu as one recorded line.
    """
    if "<li" not in text and "<LI" not in text:
        return []
    out = []
    for m in _LIST.finditer(text):
        items = [x for x in _LI_SPLIT.split(m.group(2))[1:]]
        if len(items) < 3:
            continue
        ok = True
        for it in items:
            label = decode_entities(_ANY_TAG.sub("", it)).strip()
            if not label:
                continue
            if not _LINK.search(it) or len(label) > 10 or _SENTENCE_MARK.search(label):
                ok = False
                break
        if ok:
            out.append((m.start(), m.end()))
    return out


_PAGE_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+html|<html\b)", re.IGNORECASE | re.DOTALL)


def looks_like_page(text: str) -> bool:
    """True when ``text`` is a whole HTML page (a scraped page saved as ``.txt`` or sent as ``text``)."""
    return bool(_PAGE_START.match(text[:4000])) and bool(re.search(r"</(?:body|html|p|div)\s*>", text, re.IGNORECASE))


def looks_like_html(text: str, min_tags: int = 2) -> bool:
    """True when ``text`` holds at least ``min_tags`` common HTML tags."""
    count = 0
    for _ in _TAG_HINT.finditer(text):
        count += 1
        if count >= min_tags:
            return True
    return False


def _drop_spans(text: str) -> list[tuple[int, int]]:
    """Spans of elements dropped whole (script, style, nav…, comments, doctype, XML declaration),
    left to right. Each closing is searched once per kind: once a kind has no closing after some
    point, later openings of that kind are not searched again (linear time on ``<!--`` runs)."""
    out: list[tuple[int, int]] = []
    unclosed: set[str] = set()
    pos = 0
    while True:
        m = _DROP_START.search(text, pos)
        if m is None:
            return out
        start, opener = m.start(), m.group().lower()
        end = None
        if opener == "<!--":
            if "--" not in unclosed:
                k = text.find("-->", m.end())
                if k < 0:
                    unclosed.add("--")
                else:
                    end = k + 3
        elif opener == "<!doctype":
            t = _OPEN_TAG_REST.match(text, m.end())
            end = t.end() if t else None
        elif opener == "<?xml":
            t = _XML_REST.match(text, m.end())
            end = t.end() if t else None
        else:
            name = m.group(1).lower()
            t = _OPEN_TAG_REST.match(text, m.end())
            if t is not None and name not in unclosed:
                close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(text, t.end())
                if close is None:
                    unclosed.add(name)
                else:
                    end = close.end()
        if end is None:
            pos = m.end()
        else:
            out.append((start, end))
            pos = end


def find_html_edits(text: str, document: bool) -> list[Edit]:
    """Edits that turn ``text`` into plain text.

    ``document=True`` treats the text as an HTML page (source whitespace collapses, block elements
    end lines); ``False`` removes tag remnants and entities only (:func:`find_remnant_edits`).
    """
    if not document:
        return find_remnant_edits(text)
    edits: list[Edit] = []
    taken: list[tuple[int, int]] = []
    for start, end in _drop_spans(text):
        edits.append(Edit(start, end, "", "html_element_dropped", note=text[start:start + 20]))
        taken.append((start, end))
    # a <script> or <style> never closed (a truncated page): code to the end of the text
    for m in _OPEN_CODE.finditer(text, taken[-1][1] if taken else 0):
        if not re.compile(rf"</{m.group(1)}\s*>", re.IGNORECASE).search(text, m.end()):
            edits.append(Edit(m.start(), len(text), "", "html_element_dropped", note=m.group()[:20] + " (unclosed)"))
            taken.append((m.start(), len(text)))
            break
    drop_idx = 0

    def inside_drop(pos: int) -> bool:
        nonlocal drop_idx
        while drop_idx < len(taken) and taken[drop_idx][1] <= pos:
            drop_idx += 1
        return drop_idx < len(taken) and taken[drop_idx][0] <= pos

    menus = _link_lists(text)
    mi = 0
    for m in iter_tags(text):
        if inside_drop(m.start()):
            continue
        name = m.group(1).lower()
        block = name in _BLOCK
        repl = "\n" if block else ""
        while mi < len(menus) and menus[mi][1] <= m.start():
            mi += 1
        if name in _CELL:
            repl = " "  # table cells: keep the cells of a row apart, on one line
        elif name == "li" and mi < len(menus) and menus[mi][0] < m.start():
            repl = " "  # a list of short links is a menu: one line, for the furniture step
        elif name == "a" and m.group().startswith("</") and _NEXT_LINK.match(text, m.end()):
            repl = " "  # adjacent links (<a>首页</a><a>新闻</a>) are separate words
        edits.append(Edit(m.start(), m.end(), repl, "html_tag"))
    drop_idx = 0
    tag_spans = sorted((e.start, e.end) for e in edits)
    ti = 0
    for m in ENTITY.finditer(text):
        while ti < len(tag_spans) and tag_spans[ti][1] <= m.start():
            ti += 1
        if ti < len(tag_spans) and tag_spans[ti][0] <= m.start():
            continue
        value = decode_entity(m.group())
        if value != m.group():
            edits.append(Edit(m.start(), m.end(), value, "html_entity"))
    covered = sorted((e.start, e.end) for e in edits)
    ci = 0
    for m in _SPACE_RUN.finditer(text):
        while ci < len(covered) and covered[ci][1] <= m.start():
            ci += 1
        if ci < len(covered) and covered[ci][0] < m.end():
            continue
        if _between_wide(text, m.start(), m.end()) and _SEGMENT_BREAK.search(m.group()):
            # CSS Text 3 segment break transformation: a line break in the source between two
            # Chinese characters renders as nothing (所作的\n政府工作报告 -> 所作的政府工作报告)
            edits.append(Edit(m.start(), m.end(), "", "html_whitespace", note="line break between wide characters"))
        else:
            edits.append(Edit(m.start(), m.end(), " ", "html_whitespace"))
    # The finders above each see the raw markup; on broken markup their matches can overlap
    # ('<o<!---->': a tag swallowing a comment). Keep the first of overlapping edits, the longest
    # at one position, so the stage always applies (issue #18).
    kept = {id(e) for e in _merge_overlaps(edits)}
    return [e for e in edits if id(e) in kept]


_SEGMENT_BREAK = re.compile(r"[\r\n]")
_TAG_BEFORE = re.compile(r"<[^<>]*>\Z")


def _is_wide(c: str) -> bool:
    """East Asian wide, full-width or half-width, not Hangul (the CSS Text 3 definition)."""
    o = ord(c)
    if 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F or 0xAC00 <= o <= 0xD7AF or 0xFFA0 <= o <= 0xFFDC:
        return False
    return unicodedata.east_asian_width(c) in ("W", "F", "H")


def _between_wide(text: str, start: int, end: int) -> bool:
    """Whether the nearest characters before ``start`` and from ``end`` outside tags are wide."""
    i = start
    while i > 0 and text[i - 1] == ">":
        m = _TAG_BEFORE.search(text, max(0, i - 400), i)
        if m is None or not TAG.fullmatch(m.group()):
            break
        i = m.start()
    j = end
    while j < len(text) and text[j] == "<":
        m = TAG.match(text, j, min(len(text), j + MAX_TAG_CHARS))
        if m is None:
            break
        j = m.end()
    return 0 < i and j < len(text) and _is_wide(text[i - 1]) and _is_wide(text[j])


@register_text_stage("html", default_config={"mode": "auto", "min_tags": 2})
class HtmlStage(TextStage):
    """Strip markup. ``mode``: ``auto`` (HTML inputs as pages; tag remnants in text removed),
    ``document`` (always treat as a page), ``remnants`` (tags/entities only) or ``off``."""

    def __call__(self, state: TextState) -> None:
        mode = self.config["mode"]
        if mode == "off":
            return
        had_content = _CONTENT.search(state.text) is not None
        if mode == "document" or (mode == "auto" and (state.meta.get("is_html") or looks_like_page(state.text))):
            state.apply(find_html_edits(state.text, document=True), stage=self.name)
            # A page's line structure comes from its block elements: trim the spaces around them.
            state.apply(_trim_line_spaces(state.text), stage=self.name)
        elif looks_like_html(state.text, self.config["min_tags"]) or ENTITY.search(state.text):
            state.apply(find_html_edits(state.text, document=False), stage=self.name)
        if had_content and _CONTENT.search(state.text) is None:
            state.warn(Warnings.W401.format(stage=self.name))


_CONTENT = re.compile(r"[^\W_]")  # a letter or digit of any script


def _trim_line_spaces(text: str) -> list[Edit]:
    """Spaces around line breaks, runs of blank lines, and leading/trailing whitespace."""
    edits = []
    for m in re.finditer(r"\A[ \n]+|[ \n]+\Z| +(?=\n)|(?<=\n) +|\n{3,}", text):
        inner = m.start() > 0 and m.end() < len(text)
        edits.append(Edit(m.start(), m.end(), "\n\n" if inner and m.group().startswith("\n") else "", "html_whitespace"))
    return _merge_overlaps(edits)


def _merge_overlaps(edits: list[Edit]) -> list[Edit]:
    """``edits`` sorted, without those that overlap an earlier (or, at one start, a longer) edit."""
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, -e.end)):
        if out and e.start < out[-1].end:
            continue
        out.append(e)
    return out
