"""Side by side: the raw input on the left, the clean text on the right, row by row.

Rows are the clean text's paragraphs (long ones cut at line breaks); the raw side of a row runs
from the raw position of the row's first clean character to that of the next row's, as the
alignment maps them, so everything the cleaning dropped between two paragraphs (markup, page
furniture, duplicate sections) sits in the row before the paragraph that follows it. On the raw
side each edit and removal is marked on the raw span it replaced; on the clean side each edit on
what it became.
"""

from __future__ import annotations


from .document import ReportDoc
from .fmt import attr, fold, number, pages, removal_tip
from .highlight import _points, clean_rows, more_note
from .layers import render_rows
from .marks import EditMarks
from ..errors import Errors

__all__ = ["diff_view", "raw_cuts"]

_REMOVALS, _EDITS = 0, 1


def raw_cuts(doc: ReportDoc, cuts: list[int]) -> list[int]:
    """Raw row boundaries matching the clean ``cuts``: 0, the raw position of each inner cut
    (never decreasing), the raw length."""
    assert doc.raw is not None
    n = len(doc.raw)
    out = [0]
    for c in cuts[1:-1]:
        out.append(min(n, max(out[-1], doc.raw_boundary(c))))
    out.append(n)
    return out


def diff_view(doc: ReportDoc, prefix: str, marks: EditMarks, page_chars: int = 20_000, lazy: bool = False,
              max_chars: int | None = None) -> str:
    """The side-by-side table, in folded pages of about ``page_chars`` characters a side
    (``max_chars``: only the rows of about that many clean characters)."""
    if doc.raw is None or doc.alignment is None:
        raise ValueError(Errors.E611)
    rec, raw, clean = doc.record, doc.raw, doc.text
    edits, removed = rec.get("edits") or [], rec.get("removed") or []
    cuts, shown_to = clean_rows(doc, max_chars)
    rcuts = raw_cuts(doc, cuts + ([len(clean)] if shown_to < len(clean) else [])) if clean else [0, len(raw)]
    if shown_to < len(clean):
        rcuts = rcuts[:-1]
        raw, clean = raw[: rcuts[-1]], clean[:shown_to]

    raw_spans = [(r["raw_start"], r["raw_end"], _REMOVALS, k) for k, r in enumerate(removed)
                 if isinstance(r.get("raw_start"), int) and isinstance(r.get("raw_end"), int)]
    raw_spans += [(e["raw_start"], e["raw_end"], _EDITS, k) for k, e in enumerate(edits)
                  if isinstance(e.get("raw_start"), int) and isinstance(e.get("raw_end"), int)]

    def open_removal(keys: tuple[int, ...]) -> str:
        tip = "\n\n".join(removal_tip(removed[k]) for k in keys[:3])
        return (f'<del class="rmv" data-r="{" ".join(map(str, keys))}" title="{attr(tip)}">')

    raw_points = marks.points(((e["raw_start"], k) for k, e in enumerate(edits)
                               if isinstance(e.get("raw_start"), int) and e.get("raw_start") == e.get("raw_end")), len(raw))
    left = render_rows(raw, rcuts, raw_spans, [open_removal, marks.open],
                       [lambda keys, pos: "</del>", lambda keys, pos: "</span>"], raw_points)
    clean_spans = [(e["start"], e["end"], 0, k) for k, e in enumerate(edits)
                   if isinstance(e.get("start"), int) and isinstance(e.get("end"), int) and e["start"] < e["end"]]
    right = render_rows(clean, cuts, clean_spans, [marks.open],
                        [lambda keys, pos: "</span>"], _points(prefix, marks, removed, len(clean)))
    if len(left) != len(right):  # an empty clean text: one row holding all of the raw text
        right = right + [""] * (len(left) - len(right))
        cuts = cuts + [cuts[-1]] * (len(left) + 1 - len(cuts))
    row_html = [
        f'<tr><td class="ln">{ra}</td><td class="raw">{lh}</td><td class="ln">{ca}</td><td class="cln">{rh}</td></tr>'
        for ra, ca, lh, rh in zip(rcuts, cuts, left, right)
    ]
    weights = [max(rb - ra, cb - ca) for ra, rb, ca, cb in zip(rcuts, rcuts[1:], cuts, cuts[1:])]
    groups = pages(weights, page_chars)
    head = ('<colgroup><col class="lnc"><col><col class="lnc"><col></colgroup>'
            "<thead><tr><th></th><th>raw input</th><th></th><th>clean text</th></tr></thead>")
    out = []
    for i, (r0, r1) in enumerate(groups):
        label = (f"raw {number(rcuts[r0])}–{number(rcuts[r1])} · clean {number(cuts[r0])}–{number(cuts[r1])}"
                 + (f" · page {i + 1} of {len(groups)}" if len(groups) > 1 else ""))
        out.append(fold(label, f'<table class="diff">{head}<tbody>{"".join(row_html[r0:r1])}</tbody></table>',
                        open_=i == 0, lazy=lazy, cls="pg"))
    out.append(more_note(doc, shown_to))
    return f'<div class="dv">{"".join(out)}</div>'
