"""Assembling reports: one document's section, the notebook fragment, and the self-contained
HTML page of a batch (table of contents, batch counters, one section per document).

The page loads nothing: style and script are inline, and its Content-Security-Policy allows only
that one script (by hash), inline styles and no network at all, so even a text that slipped
past escaping could neither run script nor fetch anything.
"""

from __future__ import annotations

import shutil
import tempfile
from typing import Any, Iterable, TextIO

from .assets import SCRIPT, css, script_hash
from .diff import diff_view
from .document import ReportDoc, as_report_doc
from .fmt import attr, fold, number, text
from .highlight import claims_table, clean_rows, removals_list, text_view
from .marks import EditMarks
from .summary import Counts, batch_html, doc_counts, summary_html
from ..errors import Errors

__all__ = ["VIEWS", "doc_section", "fragment", "standalone", "write_report", "LAZY_FROM_CHARS", "PAGE_CHARS"]

VIEWS = ("text", "diff", "both")
#: Characters per folded page of a view.
PAGE_CHARS = 20_000
#: Documents at least this long keep their folded pages unparsed until opened.
LAZY_FROM_CHARS = 100_000


def _legend() -> str:
    return ('<p class="legend"><span><span class="ed st-html">html</span> <span class="ed st-repair">repair</span> '
            '<span class="ed st-normalize">normalize</span> <span class="ed st-dedup">dedup</span> edits '
            '(hover or click for details; <span class="ed pt"></span> text deleted here)</span>'
            '<span><a class="rm"><span>✂</span></a> removed content</span>'
            '<span><u class="cl">claims</u></span><span>entities in displaCy colours</span></p>')


def doc_section(item: Any, index: int = 0, view: str = "text", page_chars: int = PAGE_CHARS,
                max_chars: int | None = None, lazy: bool | None = None, inline_tips: bool | None = None) -> str:
    """The ``<section>`` of one document: summary, the chosen view(s), claims, removals.

    ``lazy``: folded pages wait unparsed until opened (default: for documents of at least
    :data:`LAZY_FROM_CHARS` characters); ``inline_tips``: edit details as ``title`` attributes
    (default: up to :data:`~policytext.report.marks.INLINE_TIPS` edits) or in a JSON table."""
    if view not in VIEWS:
        raise ValueError(Errors.E610.format(view=view, views=VIEWS))
    doc = as_report_doc(item)
    rec = doc.record
    prefix = f"d{index}"
    if lazy is None:
        lazy = max(len(doc.text), len(doc.raw or "")) >= LAZY_FROM_CHARS
    title = text(rec.get("id") or f"document {index + 1}")
    parts = [f'<section class="doc" id="{prefix}"><h2>{title}</h2>', summary_html(doc)]
    if not rec.get("error"):
        parts.append(_legend())
        can_diff = doc.raw is not None and doc.alignment is not None
        marks = EditMarks(rec.get("edits") or [], inline_tips)
        upto = clean_rows(doc, max_chars)[1] if max_chars is not None else None
        if view in ("text", "both"):
            parts.append(f"<h3>Clean text</h3>{text_view(doc, prefix, marks, page_chars, max_chars, lazy)}")
        if view in ("diff", "both"):
            if can_diff:
                body = diff_view(doc, prefix, marks, page_chars, lazy, max_chars)
                parts.append(fold("Side by side: raw input and clean text", body, open_=view == "diff", cls="sec")
                             if view == "both" else f"<h3>Side by side: raw input and clean text</h3>{body}")
            elif view == "diff":
                raise ValueError(Errors.E611)
        parts.append(claims_table(doc, upto, lazy))
        parts.append(removals_list(doc, prefix, upto, lazy))
        parts.append(marks.table(upto))
    parts.append('<div class="info" hidden></div></section>')
    return "".join(parts)


def fragment(item: Any, view: str = "text", page_chars: int = PAGE_CHARS, max_chars: int | None = None) -> str:
    """One document as an HTML fragment for a notebook (style scoped to ``.ptx``; pages are
    folded, not lazy, so the view works where notebook outputs run no script)."""
    return (f'<div class="ptx"><style>{css()}</style>{doc_section(item, 0, view, page_chars, max_chars, lazy=False)}'
            f"<script>{SCRIPT}</script></div>")


def _head(title: str) -> str:
    csp = f"default-src 'none'; style-src 'unsafe-inline'; script-src {script_hash()}; img-src data:"
    return (f'<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{attr(csp)}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{text(title)}</title><style>body{{margin:1em auto;max-width:1400px;padding:0 1em}}{css()}</style>"
            f'</head><body class="ptx"><h1>{text(title)}</h1>')


def _tail() -> str:
    return f"<script>{SCRIPT}</script></body></html>"


def standalone(item: Any, view: str = "text", title: str = "policytext report", page_chars: int = PAGE_CHARS) -> str:
    """One document as a complete, self-contained HTML page."""
    return _head(title) + doc_section(item, 0, view, page_chars) + _tail()


def _toc_entry(i: int, doc: ReportDoc, c: Counts) -> str:
    rec = doc.record
    name = text(rec.get("id") or f"document {i + 1}")
    src = f' <span class="meta">{text(rec.get("source"))}</span>' if rec.get("source") else ""
    if rec.get("error"):
        return f'<li><a href="#d{i}" class="bad">{name}</a>{src} — failed</li>'
    return (f'<li><a href="#d{i}">{name}</a>{src} — {_count(c.clean_chars, "character")}, '
            f"{_count(sum(c.edits.values()), 'edit')}, {_count(sum(c.removed.values()), 'removal')}"
            + (f', <span class="bad">{_count(c.warnings, "warning")}</span>' if c.warnings else "") + "</li>")


def _count(n: int, noun: str) -> str:
    return f"{number(n)} {noun}{'' if n == 1 else 's'}"


def write_report(items: Iterable[Any], out: TextIO, view: str = "both", title: str = "policytext report",
                 page_chars: int = PAGE_CHARS, on_document: Any = None) -> Counts:
    """Write the self-contained report page of ``items`` (Results or records) to ``out``.

    Documents are rendered one at a time into a temporary file, so memory holds one document;
    the batch counters and table of contents, known at the end, are written first. Returns the
    batch counters. ``on_document(record)`` is called after each document."""
    total = Counts()
    toc: list[str] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as body:
        for i, item in enumerate(items):
            doc = as_report_doc(item)
            c = doc_counts(doc)
            total += c
            toc.append(_toc_entry(i, doc, c))
            try:
                section = doc_section(doc, i, view if doc.raw is not None else "text", page_chars)
            except Exception as exc:  # noqa: BLE001 - one document that cannot be shown never stops the page
                section = (f'<section class="doc" id="d{i}"><h2>{text(doc.record.get("id"))}</h2>'
                           f'<div class="err">could not render this document: {text(type(exc).__name__)}: {text(exc)}</div></section>')
            body.write(section)
            if on_document is not None:
                on_document(doc.record)
        out.write(_head(title))
        out.write(batch_html(total))
        out.write(f'<nav class="toc"><h2>Documents</h2><ol start="1">{"".join(toc)}</ol></nav>')
        body.seek(0)
        shutil.copyfileobj(body, out)
        out.write(_tail())
    return total
