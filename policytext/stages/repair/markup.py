"""HTML remnants inside text: stray tags, comments, script/style blocks and character entities.

The ``html`` stage extracts the main text of HTML inputs; this handles what is left inside
plain text (``<li id="44aaa"><tt id="44aaa"></tt></li>``, ``&nbsp;``, ``&amp;``, ``&#8220;``).
Only well-formed tags with a Latin tag name are touched, so ``<5%`` or ``a<b`` stay.
"""

from __future__ import annotations

import html
import re

from ...alignment import Edit

__all__ = ["find_html_remnants"]

_BLOCKS = {name: re.compile(rf"<{name}\b[^<>]*>.*?</{name}\s*>", re.S | re.I) for name in ("script", "style")}
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9:-]{0,20})(?:\s+[^<>\n]{0,400}?)?\s*/?>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});|&(?:nbsp|amp|lt|gt|quot)(?![;a-zA-Z0-9])")
_BREAK_TAGS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul", "ol"}
_KNOWN_TAGS = _BREAK_TAGS | {
    "a", "span", "b", "i", "u", "em", "strong", "font", "img", "tt", "td", "th", "tbody", "thead", "center",
    "sup", "sub", "small", "big", "label", "input", "button", "form", "iframe", "meta", "link", "head",
    "body", "html", "title", "header", "footer", "nav", "aside", "main", "figure", "figcaption", "dl", "dt",
    "dd", "hr", "pre", "code", "blockquote", "o:p", "wbr", "nobr", "style", "script", "noscript", "select",
    "option", "textarea", "video", "audio", "source", "svg", "path", "col", "colgroup", "caption", "abbr",
}


def find_html_remnants(text: str) -> list[Edit]:
    if "<" not in text and "&" not in text:
        return []
    spans: list[tuple[int, int, str, str]] = []
    if "<" in text:
        # an opening after the last closing cannot close: searching stops there, so runs of
        # unclosed "<!--" or "<script>" cost linear time, not quadratic (issue #18)
        lower = text.lower() if "<s" in text.lower() else ""
        closings = [(_BLOCKS[n], "html_block", lower.rfind(f"</{n}")) for n in _BLOCKS] + [
            (_COMMENT, "html_comment", text.rfind("-->"))]
        for pat, kind, last in closings:
            if last < 0:
                continue
            end = text.find(">", last)
            for m in pat.finditer(text, 0, len(text) if end < 0 else end + 1):
                spans.append((m.start(), m.end(), "", kind))
        for m in _TAG.finditer(text):
            name = m.group(1).lower()
            if name not in _KNOWN_TAGS:
                continue
            repl = ""
            if name in _BREAK_TAGS and name != "br":
                repl = ""
            if name == "br":
                repl = "\n"
            spans.append((m.start(), m.end(), repl, "html_tag"))
    if "&" in text:
        for m in _ENTITY.finditer(text):
            ent = m.group()
            rep = html.unescape(ent if ent.endswith(";") else ent + ";")
            if rep != ent:
                spans.append((m.start(), m.end(), rep, "html_entity"))
    spans.sort()
    edits: list[Edit] = []
    last = 0
    for s, e, rep, kind in spans:
        if s < last:
            continue
        edits.append(Edit(s, e, rep, kind=kind, confidence=0.99, note=f"HTML remnant {text[s:e][:40]!r}"))
        last = e
    return edits
