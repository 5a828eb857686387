"""The clean text with what happened to it: edits highlighted, removals marked, entities in
displaCy's colours and markup, claims underlined, paragraph themes as bars, long texts folded."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from .document import ReportDoc
from .fmt import attr, claim_tip, css_name, fold, number, pages, removal_tip, row_cuts, shown, text
from .layers import render_rows
from .marks import EditMarks

__all__ = ["clean_rows", "more_note", "text_view", "claims_table", "removals_list", "MAX_ROW_CHARS"]

#: A row (a paragraph, or a piece of a long one) is cut at a line break past this length.
MAX_ROW_CHARS = 3000
_CLAIMS, _ENTITIES, _EDITS = 0, 1, 2
_FOLD_LIST = 30  # lists longer than this start folded


def _removal_marker(prefix: str, removed: list[dict[str, Any]], k: int) -> str:
    return (f'<a class="rm" href="#{prefix}-r{k}" data-r="{k}" title="{attr(removal_tip(removed[k]))}">'
            f"<span>✂</span></a>")


def _points(prefix: str, marks: EditMarks, removed: list[dict[str, Any]], n: int) -> dict[int, str]:
    """Markers of zero-width edits and of removals, by clean position."""
    out = marks.points(((e["start"], k) for k, e in enumerate(marks.edits)
                        if isinstance(e.get("start"), int) and e.get("start") == e.get("end")), n)
    for k, r in enumerate(removed):
        s = r.get("start")
        if isinstance(s, int) and 0 <= s <= n:
            out[s] = out.get(s, "") + _removal_marker(prefix, removed, k)
    return out


def _theme_bars(themes: dict[str, Any]) -> str:
    parts = []
    for label, score in sorted(themes.items(), key=lambda kv: -float(kv[1] or 0)):
        s = float(score or 0)
        parts.append(f'<div class="tb"><meter min="0" max="1" value="{s:.3f}"></meter> '
                     f'<span>{text(label)} {s:.2f}</span></div>')
    return "".join(parts)


def clean_rows(doc: ReportDoc, max_chars: int | None = None) -> tuple[list[int], int]:
    """Row cuts of the clean text (paragraphs, long ones cut) and where the shown part ends:
    the first cut at or past ``max_chars`` (the whole text when None)."""
    full = doc.text
    paragraphs = [p for p in doc.record.get("paragraphs") or [] if isinstance(p.get("start"), int)]
    cuts = row_cuts(full, (p["start"] for p in paragraphs), MAX_ROW_CHARS)
    if max_chars is None or max_chars >= len(full):
        return cuts, len(full)
    k = next(i for i, c in enumerate(cuts) if c >= max_chars)
    return cuts[: k + 1], cuts[k]


def more_note(doc: ReportDoc, shown_to: int) -> str:
    """What a shortened view leaves out, and how to see it."""
    rest = len(doc.text) - shown_to
    if rest <= 0:
        return ""
    return (f'<p class="more">{number(rest)} more characters not shown here: save the full report with '
            '<code>result.show().save("report.html")</code> or <code>policytext show</code>.</p>')


def text_view(doc: ReportDoc, prefix: str, marks: EditMarks, page_chars: int = 20_000,
              max_chars: int | None = None, lazy: bool = False) -> str:
    """The clean text, cut into paragraph rows with their theme bars, in folded pages.

    ``max_chars``: show only about that many characters (the rest is named, not shown);
    ``lazy``: pages after the first wait unparsed until opened (for very long documents)."""
    rec = doc.record
    full = doc.text
    edits, removed = rec.get("edits") or [], rec.get("removed") or []
    entities, claims = rec.get("entities") or [], rec.get("claims") or []
    paragraphs = [p for p in rec.get("paragraphs") or [] if isinstance(p.get("start"), int)]
    cuts, shown_to = clean_rows(doc, max_chars)
    body = full[:shown_to]
    spans = [(c["start"], c["end"], _CLAIMS, k) for k, c in enumerate(claims)]
    spans += [(e["start"], e["end"], _ENTITIES, k) for k, e in enumerate(entities)]
    spans += [(e["start"], e["end"], _EDITS, k) for k, e in enumerate(edits)
              if isinstance(e.get("start"), int) and isinstance(e.get("end"), int) and e["start"] < e["end"]]

    def open_claim(keys: tuple[int, ...]) -> str:
        tip = "\n\n".join(claim_tip(claims[k]) for k in keys[:3])
        return f'<u class="cl" data-c="{" ".join(map(str, keys))}" title="{attr(tip)}">'

    def open_entity(keys: tuple[int, ...]) -> str:
        label = entities[keys[0]].get("label", "")
        return f'<mark class="entity e-{css_name(label)}" data-n="{" ".join(map(str, keys))}" data-label="{attr(label)}">'

    def close_entity(keys: tuple[int, ...], pos: int) -> str:
        ends = [k for k in keys if entities[k].get("end") == pos]
        chip = "".join(f'<span class="lbl">{text(entities[k].get("label", ""))}</span>' for k in ends)
        return chip + "</mark>"

    rows = render_rows(
        body, cuts, spans,
        [open_claim, open_entity, marks.open],
        [lambda keys, pos: "</u>", close_entity, lambda keys, pos: "</span>"],
        _points(prefix, marks, removed, shown_to),
    )
    themes_of_row: dict[int, dict[str, Any]] = {}  # a paragraph's bars go beside the row it starts in
    for p in paragraphs:
        if p.get("themes") and p["start"] < shown_to:
            themes_of_row.setdefault(bisect_right(cuts, p["start"]) - 1, {}).update(p["themes"])
    row_html = [
        f'<div class="r" data-s="{a}" data-end="{b}"><div class="tx">{html}</div>'
        f'<div class="th">{_theme_bars(themes_of_row.get(i, {}))}</div></div>'
        for i, (a, b, html) in enumerate(zip(cuts, cuts[1:], rows))
    ]
    groups = pages([b - a for a, b in zip(cuts, cuts[1:])], page_chars)
    out = []
    for i, (r0, r1) in enumerate(groups):
        a, b = cuts[r0], cuts[r1]
        label = f"characters {number(a)}–{number(b)}" + (f" · page {i + 1} of {len(groups)}" if len(groups) > 1 else "")
        out.append(fold(label, f'<div class="rows">{"".join(row_html[r0:r1])}</div>', open_=i == 0,
                        lazy=lazy, cls="pg"))
    out.append(more_note(doc, shown_to))
    return f'<div class="tv">{"".join(out)}</div>'


def _left_out(n: int, what: str) -> str:
    return f'<p class="more">{number(n)} more {what} in the part not shown.</p>' if n else ""


def claims_table(doc: ReportDoc, upto: int | None = None, lazy: bool = False) -> str:
    """The claims (those starting before ``upto``, when given) as a table; ``lazy``: a folded
    table waits unparsed until opened."""
    claims = doc.record.get("claims") or []
    if not claims:
        return ""
    limit = len(doc.text) if upto is None else upto
    head = "".join(f"<th>{h}</th>" for h in ("#", "claim", "subject", "value", "unit", "qualifier", "kind",
                                               "modality", "time", "reference", "offsets"))
    rows = []
    for k, c in enumerate(claims):
        if isinstance(c.get("start"), int) and c["start"] >= limit:
            continue
        v = c.get("value")
        cells = [str(k), text(c.get("text", "")), text(c.get("subject") or ""),
                 f"{v:g}" if isinstance(v, (int, float)) else text(v if v is not None else ""),
                 text(c.get("unit") or ""), text(c.get("qualifier") or ""), text(c.get("kind") or ""),
                 text(c.get("modality") or ""), text(c.get("time") or ""), text(c.get("reference") or ""),
                 f'{c.get("start")}–{c.get("end")}']
        rows.append(f'<tr data-c="{k}">' + "".join(f"<td>{x}</td>" for x in cells) + "</tr>")
    table = f'<table class="claims"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return fold(f"Claims ({number(len(claims))})", table + _left_out(len(claims) - len(rows), "claims"),
                open_=len(claims) <= _FOLD_LIST, lazy=lazy, cls="sec")


def _raw_context(raw: str, a: int, b: int, width: int = 40, inner: int = 300) -> str:
    before, after = raw[max(0, a - width):a], raw[b:b + width]
    mid = raw[a:b]
    if len(mid) > inner:
        mid_html = (f"{text(mid[: inner // 2])}<i> … {number(len(mid) - inner // 2 - inner // 4)} characters … </i>"
                    f"{text(mid[-(inner // 4):])}")
    else:
        mid_html = text(mid)
    return f'<span class="ctx">{text(before)}</span><del>{mid_html}</del><span class="ctx">{text(after)}</span>'


def removals_list(doc: ReportDoc, prefix: str, upto: int | None = None, lazy: bool = False) -> str:
    """Every removal (at a clean position before ``upto``, when given) with its reason, raw
    offsets and raw context; ``lazy``: a folded list waits unparsed until opened."""
    removed = doc.record.get("removed") or []
    if not removed:
        return ""
    raw = doc.raw
    limit = len(doc.text) if upto is None else upto
    items = []
    for k, r in enumerate(removed):
        if isinstance(r.get("start"), int) and r["start"] > limit:
            continue
        a, b = r.get("raw_start"), r.get("raw_end")
        reason = text(r.get("note") or r.get("kind") or "")
        dup = r.get("duplicate_of")
        if isinstance(dup, dict):
            reason += f" (duplicate of clean {dup.get('start')}–{dup.get('end')})"
        if raw is not None and isinstance(a, int) and isinstance(b, int) and 0 <= a <= b <= len(raw):
            ctx = _raw_context(raw, a, b)
        elif r.get("text") is not None:
            ctx = f"<del>{text(shown(r['text'], 300))}</del>"
        else:
            ctx = '<span class="ctx">(raw text not available)</span>'
        items.append(
            f'<li id="{prefix}-r{k}" data-r="{k}" data-raw="{attr(a)}-{attr(b)}"><b>{text(r.get("stage", "?"))} · '
            f'{text(r.get("kind", "?"))}</b> raw {attr(a)}–{attr(b)}: {reason}<div class="rc">{ctx}</div></li>')
    return fold(f"Removed ({number(len(removed))})", f'<ol class="removed" start="0">{"".join(items)}</ol>'
                + _left_out(len(removed) - len(items), "removals"), open_=len(removed) <= _FOLD_LIST, lazy=lazy, cls="sec")
