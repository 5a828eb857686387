"""Small markup helpers shared by the views: escaping, tooltips, class names, folding pages."""

from __future__ import annotations

import re
import unicodedata
from html import escape
from typing import Any, Iterable, Sequence
from ..errors import Errors

__all__ = [
    "attr", "text", "shown", "css_name", "edit_tip", "edits_tip", "removal_tip", "claim_tip", "fold", "pages",
    "row_cuts", "number", "TIP_EDITS", "PAGE_SCRIPT_TYPE",
]

#: The type of the inert ``<script>`` holding a folded page's markup until it is opened.
PAGE_SCRIPT_TYPE = "text/x-policytext-page"
_MAX_SHOWN = 60
#: An element lists the details of at most this many edits (point markers are split to fit).
TIP_EDITS = 5
_CSS_NAME = re.compile(r"[^A-Za-z0-9_-]")
_SCRIPT_END = re.compile(r"</script|<!--", re.IGNORECASE)


def attr(value: Any) -> str:
    """``value`` escaped for a double-quoted attribute."""
    return escape(str(value), quote=True)


def text(value: Any) -> str:
    """``value`` escaped for element content."""
    return escape(str(value), quote=False)


def number(n: int | float) -> str:
    return f"{n:,}" if isinstance(n, int) else f"{n:,.3g}"


def _visible(ch: str) -> str:
    if ch == " ":
        return ch
    cat = unicodedata.category(ch)
    if cat[0] in "CZ":  # controls, format characters, private use, separators: show the code point
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch, f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return ch


def shown(s: str | None, limit: int = _MAX_SHOWN) -> str:
    """A short, quoted form of ``s`` in which invisible characters are written as code points."""
    if s is None:
        return "∅"
    if len(s) > limit:
        s = s[: limit - 21] + "…" + s[-20:]
    return "“" + "".join(_visible(c) for c in s) + "”"


def css_name(value: Any) -> str:
    """``value`` reduced to the characters a class name may hold."""
    return _CSS_NAME.sub("_", str(value))[:40] or "_"


def edit_tip(e: dict[str, Any]) -> str:
    conf = e.get("confidence")
    lines = [f"{e.get('stage', '?')} · {e.get('kind', '?')}",
             f"{shown(e.get('before'))} → {shown(e.get('after'))}",
             f"confidence {conf:g} · raw {e.get('raw_start')}–{e.get('raw_end')} · clean {e.get('start')}–{e.get('end')}"
             if isinstance(conf, (int, float)) else
             f"raw {e.get('raw_start')}–{e.get('raw_end')} · clean {e.get('start')}–{e.get('end')}"]
    if e.get("note"):
        lines.append(f"note: {shown(str(e['note']), 120)}")
    return "\n".join(lines)


def edits_tip(edits: Sequence[dict[str, Any]], keys: Iterable[int]) -> str:
    """Tooltip of an element over several edits (the first few listed)."""
    keys = list(keys)
    tips = [f"edit {k}: " + edit_tip(edits[k]) for k in keys[:TIP_EDITS]]
    if len(keys) > TIP_EDITS:
        tips.append(f"… and {len(keys) - TIP_EDITS} more edits here")
    return "\n\n".join(tips)


def removal_tip(r: dict[str, Any]) -> str:
    lines = [f"removed · {r.get('stage', '?')} · {r.get('kind', '?')}", f"raw {r.get('raw_start')}–{r.get('raw_end')}"]
    if r.get("note"):
        lines.append(f"note: {shown(str(r['note']), 120)}")
    if r.get("duplicate_of"):
        d = r["duplicate_of"]
        lines.append(f"duplicate of clean {d.get('start')}–{d.get('end')}" if isinstance(d, dict) else f"duplicate of {d}")
    return "\n".join(lines)


def claim_tip(c: dict[str, Any]) -> str:
    v = c.get("value")
    value = f"{v:g}" if isinstance(v, (int, float)) else "?"
    lines = [f"claim · {c.get('kind')} · {c.get('modality')}",
             f"{c.get('subject') or '?'} {c.get('qualifier') or ''} {value} {c.get('unit') or ''}".rstrip()]
    when = [f"time {c['time']}"] if c.get("time") else []
    when += [f"reference {c['reference']}"] if c.get("reference") else []
    if when:
        lines.append(" · ".join(when))
    return "\n".join(lines)


def row_cuts(text_: str, starts: Iterable[int], max_row: int) -> list[int]:
    """Row boundaries of ``text_``: 0, the given starts (paragraphs), ``len(text_)``; a row
    longer than ``max_row`` is cut again at a line break (else anywhere)."""
    n = len(text_)
    if n == 0:
        return [0, 0]
    base = [0] + sorted({s for s in starts if 0 < s < n}) + [n]
    cuts = [0]
    for a, b in zip(base, base[1:]):
        while b - a > max_row:
            nl = text_.rfind("\n", a + max_row // 2, a + max_row)
            a = nl + 1 if nl >= 0 else a + max_row
            cuts.append(a)
        cuts.append(b)
    return cuts


def pages(weights: Sequence[int], page_chars: int) -> list[tuple[int, int]]:
    """Rows grouped into pages of about ``page_chars``: ``(first_row, end_row)`` pairs."""
    out: list[tuple[int, int]] = []
    first, size = 0, 0
    for i, w in enumerate(weights):
        size += w
        if size >= page_chars:
            out.append((first, i + 1))
            first, size = i + 1, 0
    if first < len(weights) or not out:
        out.append((first, len(weights)))
    return out


def fold(summary_html: str, body_html: str, open_: bool = False, lazy: bool = False, cls: str = "") -> str:
    """A ``<details>`` block. ``lazy``: the body waits in an inert ``<script>`` (raw text the
    parser skips over) until the reader opens it; the page's script then inserts it."""
    classes = " ".join(c for c in (cls, "lazy" if lazy else "") if c)
    head = f'<details class="{classes}"{" open" if open_ else ""}><summary>{summary_html}</summary>'
    if lazy and not open_:
        if _SCRIPT_END.search(body_html):  # cannot happen: every text in it is escaped
            raise ValueError(Errors.E614)
        return f'{head}<script type="{PAGE_SCRIPT_TYPE}">{body_html}</script></details>'
    return f"{head}{body_html}</details>"
