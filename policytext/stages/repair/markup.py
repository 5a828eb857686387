"""HTML remnants inside text: stray tags, comments, script/style blocks and character entities.

The ``html`` stage extracts the main text of HTML inputs; this handles what is left inside
plain text (``<li id="44aaa"><tt id="44aaa"></tt></li>``, ``&nbsp;``, ``&amp;``, ``&#8220;``).
Only well-formed tags with a Latin tag name are touched, so ``<5%`` or ``a<b`` stay.
"""

from __future__ import annotations

import html
import re

from ...alignment import Edit

__all__ = ["find_html_remnants", "find_markdown_remnants", "find_small_forms"]

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


# markdown images left in scraped text (``![图片](a.png)``, also inside table cells: the cell
# bars left alone on a line are taken by the furniture step). Headings, emphasis and links are
# left: markdown documents (the law corpus) use them as structure.
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)")
# entities escaped twice or more (``&amp;amp;nbsp;``): unescaped in one go
_DOUBLE_ENTITY = re.compile(r"&(?:amp;){1,5}(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[a-zA-Z][a-zA-Z0-9]{1,31};)")
# small-form punctuation (U+FE50-FE6B) in Chinese text
_SMALL_FORMS = {"﹐": "，", "﹑": "、", "﹔": "；", "﹕": "：", "﹖": "？", "﹗": "！", "﹙": "（", "﹚": "）", "﹛": "｛",
                "﹜": "｝", "﹝": "〔", "﹞": "〕", "﹟": "＃", "﹠": "＆", "﹡": "＊", "﹢": "＋", "﹣": "－", "﹤": "＜",
                "﹥": "＞", "﹦": "＝", "﹨": "＼", "﹩": "＄", "﹪": "％", "﹫": "＠"}
_SMALL = re.compile("[\ufe50-\ufe6b]")


def find_markdown_remnants(text: str) -> list[tuple[int, int, str, str]]:
    """``(start, end, replacement, kind)`` of markdown images and entities escaped more than once."""
    spans: list[tuple[int, int, str, str]] = []
    if "![" in text:
        spans += [(m.start(), m.end(), "", "markdown_image") for m in _MD_IMAGE.finditer(text)]
    if "&amp;" in text:
        spans += [(m.start(), m.end(), html.unescape("&" + m.group(1)), "html_entity") for m in _DOUBLE_ENTITY.finditer(text)]
    return spans


def find_small_forms(text: str) -> list[Edit]:
    """Small-form punctuation (``﹐﹔﹒``) as the full-width marks of Chinese text. Runs after the
    mojibake steps: in Big5 read as GBK (and back) these code points are bytes to be reversed."""
    spans = []
    for m in _SMALL.finditer(text):
        ch = m.group()
        if ch == "﹒":
            prev = text[m.start() - 1 : m.start()]
            rep = "。" if prev and "\u4e00" <= prev <= "\u9fff" else "."
        else:
            rep = _SMALL_FORMS.get(ch, ch)
        if rep != ch:
            spans.append(Edit(m.start(), m.end(), rep, kind="small_form_punct", confidence=0.95,
                              note=f"small-form punctuation {ch!r} -> {rep!r}"))
    return spans


def find_html_remnants(text: str) -> list[Edit]:
    spans: list[tuple[int, int, str, str]] = find_markdown_remnants(text)
    if "<" not in text and "&" not in text and not spans:
        return []
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
    spans.sort(key=lambda x: (x[0], -x[1]))
    edits: list[Edit] = []
    last = 0
    for s, e, rep, kind in spans:
        if s < last:
            continue
        what = "markdown remnant" if kind.startswith("markdown") else "small-form punctuation" \
            if kind == "small_form_punct" else "HTML remnant"
        edits.append(Edit(s, e, rep, kind=kind, confidence=0.99, note=f"{what} {text[s:e][:40]!r}"))
        last = e
    return edits
