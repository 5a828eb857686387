"""Remnants inside text: HTML tags and entities, markdown images, entities escaped twice, small forms.

HTML tags and entities are recognised and decoded by :mod:`policytext.stages.html_markup` (the
rule the ``html`` stage uses on plain text too): ``<li id="44aaa"><tt id="44aaa"></tt></li>``,
``&nbsp;`` (an ordinary space), ``&amp;``, ``&#8220;``. Only tags with a known name are touched,
so ``<5%`` or ``a<b`` stay. This module adds what only text shows: markdown images and entities
escaped more than once (``&amp;amp;nbsp;``).
"""

from __future__ import annotations

import re

from ...alignment import Edit
from ..html_markup import decode_entity, find_remnant_edits

__all__ = ["find_html_remnants", "find_markdown_remnants", "find_small_forms"]

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
        spans += [(m.start(), m.end(), decode_entity("&" + m.group(1)), "html_entity") for m in _DOUBLE_ENTITY.finditer(text)]
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
    """HTML remnants (:func:`~policytext.stages.html_markup.find_remnant_edits`), markdown images
    and entities escaped more than once, as non-overlapping edits left to right."""
    markdown = [Edit(s, e, rep, kind=kind, confidence=0.99,
                     note=f"{'markdown' if kind.startswith('markdown') else 'HTML'} remnant {text[s:e][:40]!r}")
                for s, e, rep, kind in find_markdown_remnants(text)]
    if not markdown:
        return find_remnant_edits(text)
    edits: list[Edit] = []
    last = 0
    for e in sorted(markdown + find_remnant_edits(text), key=lambda e: (e.start, -e.end)):
        if e.start >= last:
            edits.append(e)
            last = e.end
    return edits
