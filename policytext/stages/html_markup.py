"""HTML tags and character entities, recognised and decoded in one place (issue #22).

Both HTML jobs use this module: the ``html`` stage reads whole pages (and calls
:func:`find_remnant_edits` on plain text that carries tag remnants), and the ``repair`` stage's
first step calls :func:`find_remnant_edits` on the text it gets (the ``html`` stage switched off,
or text with a single stray tag, below the ``html`` stage's ``min_tags``). So a tag or an entity
gives the same edit whichever stage meets it.

Decoding: :func:`decode_entity` is :func:`html.unescape` (HTML5 names, numeric references, the
bare legacy forms ``&nbsp`` ``&amp`` ``&lt`` ``&gt`` ``&quot`` without ``;``), except that ``&nbsp;``
becomes an ordinary space ``" "``, not U+00A0: in Chinese text a no-break space is layout, and
a page's source whitespace collapses to ``" "`` too.
"""

from __future__ import annotations

import html
import re

from ..alignment import Edit

__all__ = ["ENTITY", "KNOWN_TAGS", "MAX_TAG_CHARS", "TAG", "decode_entities", "decode_entity", "find_remnant_edits",
           "iter_tags"]

#: Longest tag looked for (attributes included). Every pattern that scans for a tag's closing ``>``
#: is bounded by it, so markup that never closes (``<a "<a "…``, ``<p<p…``) costs linear time, not
#: quadratic (issue #18); a longer tag is left as text.
MAX_TAG_CHARS = 8192
# no "<" outside quotes inside a tag: a tag that never closes stops at the next "<" (linear time)
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9:-]*)\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*/?>")
_TAG_START = re.compile(r"</?[A-Za-z]")
#: A character reference: ``&name;``, ``&#123;``, ``&#x4e2d;``, or a bare ``&nbsp`` ``&amp`` ``&lt``
#: ``&gt`` ``&quot`` not followed by a letter or digit (``R&D``, ``&ampx`` stay).
ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
                    r"|&(?:nbsp|amp|lt|gt|quot)(?![;A-Za-z0-9])")

#: Tag names removed from plain text. A tag with another name is removed only when it is plainly
#: markup: a namespaced name (Word's ``<st1:chsdate>``, ``<o:p>``) or an attribute
#: (``<ucapcontent id="x">``); ``<Python>``, ``<abc>`` are text.
KNOWN_TAGS = frozenset({
    "br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul", "ol",
    "a", "span", "b", "i", "u", "em", "strong", "font", "img", "tt", "td", "th", "tbody", "thead", "center",
    "sup", "sub", "small", "big", "label", "input", "button", "form", "iframe", "meta", "link", "head",
    "body", "html", "title", "header", "footer", "nav", "aside", "main", "figure", "figcaption", "dl", "dt",
    "dd", "hr", "pre", "code", "blockquote", "o:p", "wbr", "nobr", "style", "script", "noscript", "select",
    "option", "textarea", "video", "audio", "source", "svg", "path", "col", "colgroup", "caption", "abbr",
})
# a tag named in prose: <script>标签, “<img>”元素, the <br> tag
_MENTION_AFTER = re.compile(r"[”’\"')）]?\s*(?:标签|元素|属性|标记|tags?\b|elements?\b)", re.IGNORECASE)
_CODE_BLOCKS = {name: re.compile(rf"<{name}\b[^<>]{{0,{MAX_TAG_CHARS}}}>.*?</{name}\s*>", re.S | re.I)
                for name in ("script", "style")}
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def iter_tags(text: str):
    """Matches of a tag (``<p class="x">``, ``</a>``) left to right, each at most
    :data:`MAX_TAG_CHARS` long: ``TAG.finditer`` tried every ``<`` to the end of the text when
    no ``>`` closed it (quadratic time)."""
    pos, n = 0, len(text)
    while True:
        start = _TAG_START.search(text, pos)
        if start is None:
            return
        p = start.start()
        m = TAG.match(text, p, min(n, p + MAX_TAG_CHARS))
        if m is not None:
            yield m
            pos = m.end()
        else:
            pos = p + 1


def decode_entity(entity: str) -> str:
    """The text of one character reference (``&amp;`` -> ``&``, ``&#8220;`` -> ``“``,
    ``&nbsp;`` and ``&nbsp`` -> ``" "``); an unknown name stays as it is."""
    value = html.unescape(entity if entity.endswith(";") else entity + ";")
    return " " if value == "\u00a0" else value


def decode_entities(text: str) -> str:
    """``text`` with every character reference decoded by :func:`decode_entity`."""
    return ENTITY.sub(lambda m: decode_entity(m.group()), text) if "&" in text else text


def _closed_blocks(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of closed comments and script/style elements. An opening after the
    last closing cannot close: the search stops there, so runs of unclosed ``<!--`` or
    ``<script>`` cost linear time (issue #18)."""
    out = []
    lower = text.lower() if "<s" in text.lower() else ""
    closings = [(_CODE_BLOCKS[n], "html_block", lower.rfind(f"</{n}")) for n in _CODE_BLOCKS] + [
        (_COMMENT, "html_comment", text.rfind("-->"))]
    for pattern, kind, last in closings:
        if last < 0:
            continue
        end = text.find(">", last)
        out += [(m.start(), m.end(), kind) for m in pattern.finditer(text, 0, len(text) if end < 0 else end + 1)]
    return out


_ATTRIBUTE = re.compile(r"\s[A-Za-z_:][\w:.-]*\s*=")


def _is_markup(tag: re.Match, name: str) -> bool:
    return name in KNOWN_TAGS or ":" in name or _ATTRIBUTE.search(tag.group()) is not None


def find_remnant_edits(text: str) -> list[Edit]:
    """Edits that remove HTML remnants from plain text, left to right, never overlapping.

    Closed comments and ``<script>``/``<style>`` elements go whole (``html_comment``,
    ``html_block``); a tag of a :data:`KNOWN_TAGS` name, a namespaced tag or a tag with an
    attribute goes (``html_tag``; ``<br>`` becomes a line break); character references are decoded (``html_entity``). An unclosed ``<script>``
    is only a tag: plain text after it is never dropped. A tag named in prose stays
    (``过滤<script>标签``, ``“<img>”元素``); so do ``<5%``, ``a<b``, ``R&D``.
    """
    if "<" not in text and "&" not in text:
        return []
    spans: list[tuple[int, int, str, str]] = []
    if "<" in text:
        spans += [(s, e, "", kind) for s, e, kind in _closed_blocks(text)]
        opened: set[str] = set()  # other names seen as markup (with an attribute): their closing tags go too
        for m in iter_tags(text):
            name = m.group(1).lower()
            if name in opened or _is_markup(m, name):
                opened.add(name)
            else:
                continue
            if _MENTION_AFTER.match(text, m.end()):
                continue
            spans.append((m.start(), m.end(), "\n" if name == "br" else "", "html_tag"))
    if "&" in text:
        for m in ENTITY.finditer(text):
            value = decode_entity(m.group())
            if value != m.group():
                spans.append((m.start(), m.end(), value, "html_entity"))
    spans.sort(key=lambda x: (x[0], -x[1]))
    edits: list[Edit] = []
    last = 0
    for s, e, rep, kind in spans:
        if s < last:
            continue  # inside a block, a comment or a tag's attributes
        edits.append(Edit(s, e, rep, kind=kind, confidence=0.99, note=f"HTML remnant {text[s:e][:40]!r}"))
        last = e
    return edits
