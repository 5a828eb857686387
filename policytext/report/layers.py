"""Marked-up text with overlapping layers, cut into rows: the engine under both text views.

A text carries spans on a few layers (outermost first: claims, entities, edits on the clean side;
removals, edits on the raw side). Spans of one layer may overlap, spans of different layers may
cross. The text is cut at every span boundary into segments; each segment knows the spans over
it per layer, and the markup opens and closes elements only where that set changes, closing
inner layers before outer ones so that the result always nests. A span cut by a row boundary
or by an outer span becomes several elements carrying the same keys. Zero-width spans (an
insertion or deletion point) are rendered as point markers by the caller. Linear in the text
and the spans (plus sorting the boundaries).
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from typing import Callable, Sequence

__all__ = ["render_rows"]

Keys = tuple[int, ...]
Opener = Callable[[Keys], str]
Closer = Callable[[Keys, int], str]


def render_rows(
    text: str,
    cuts: Sequence[int],
    spans: Sequence[tuple[int, int, int, int]],
    openers: Sequence[Opener],
    closers: Sequence[Closer],
    points: dict[int, str] | None = None,
) -> list[str]:
    """HTML of each row ``[cuts[i], cuts[i+1])`` of ``text``.

    ``spans`` are ``(start, end, layer, key)`` with ``start < end``; ``openers[layer](keys)``
    gives the opening tag for the keys over a segment, ``closers[layer](keys, pos)`` the closing
    markup at ``pos``. ``points`` maps a position to markup placed there (between the edit
    elements, inside outer ones); a point at a row cut opens the next row. ``cuts`` are increasing,
    start at 0 and end at ``len(text)``; an empty text is one row."""
    n = len(text)
    points = points or {}
    nlayers = len(openers)
    starts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    ends: dict[int, list[tuple[int, int]]] = defaultdict(list)
    bounds = set(cuts)
    for s, e, layer, key in spans:
        if s < 0:
            s = 0
        if e > n:
            e = n
        if s >= e:
            continue
        starts[s].append((layer, key))
        ends[e].append((layer, key))
    bounds.update(starts)
    bounds.update(ends)
    bounds.update(p for p in points if 0 <= p <= n)
    order = sorted(bounds)
    cut_set = set(cuts)
    active: list[dict[int, None]] = [{} for _ in range(nlayers)]
    state: list[Keys] = [()] * nlayers  # keys over the current segment, per layer
    opened: list[Keys] = []  # keys of the open elements, outermost first
    rows: list[str] = []
    out: list[str] = []
    append = out.append

    def close_from(level: int, pos: int) -> None:
        while len(opened) > level:
            layer = len(opened) - 1
            keys = opened.pop()
            if keys:
                append(closers[layer](keys, pos))

    if n == 0:
        return [points.get(0, "")]
    empty: tuple = ()
    for i, p in enumerate(order):
        changed = nlayers
        for layer, key in ends.get(p, empty):
            del active[layer][key]
            changed = min(changed, layer)
        for layer, key in starts.get(p, empty):
            active[layer][key] = None
            changed = min(changed, layer)
        if changed < nlayers:
            for layer in range(changed, nlayers):
                a = active[layer]
                state[layer] = tuple(a) if len(a) < 2 else tuple(sorted(a))
        if p in cut_set and 0 < p < n:
            close_from(0, p)
            rows.append("".join(out))
            out.clear()
        if p in points:
            close_from(nlayers - 1, p)
            append(points[p])
        if p >= n:
            break
        level = 0
        while level < len(opened) and opened[level] == state[level]:
            level += 1
        if level < nlayers:
            close_from(level, p)
            for layer in range(level, nlayers):
                keys = state[layer]
                opened.append(keys)
                if keys:
                    append(openers[layer](keys))
        seg = text[p:order[i + 1]]
        if "<" in seg or ">" in seg or "&" in seg:
            seg = escape(seg, quote=False)
        append(seg)
    close_from(0, n)
    rows.append("".join(out))
    return rows
