"""Edit elements: their classes, and their details either inline (a ``title``, shown on hover
without script) or, for documents with many edits, in one compact JSON table per document that
the page's script turns into the same tooltip on hover or click (so a document with hundreds of
thousands of edits does not carry a paragraph of markup per character)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any, Iterable

from .fmt import TIP_EDITS, attr, css_name, edits_tip

__all__ = ["EditMarks", "INLINE_TIPS", "EDITS_SCRIPT_TYPE"]

#: Up to this many edits a document's edit elements carry their details inline.
INLINE_TIPS = 3000
EDITS_SCRIPT_TYPE = "application/json"


class EditMarks:
    """Markup of the edit elements of one document."""

    def __init__(self, edits: list[dict[str, Any]], inline: bool | None = None):
        self.edits = edits
        self.inline = len(edits) <= INLINE_TIPS if inline is None else inline
        self._classes: dict[tuple[str, bool], str] = {}

    def classes(self, keys: tuple[int, ...]) -> str:
        """``ed``, the stage(s) as ``st-…``, ``lc`` when a confidence is below 1."""
        edits = self.edits
        if len(keys) == 1:
            e = edits[keys[0]]
            conf = e.get("confidence")
            key = (str(e.get("stage")), isinstance(conf, (int, float)) and conf < 1)
            cls = self._classes.get(key)
            if cls is None:
                cls = self._classes[key] = f"ed st-{css_name(key[0])}" + (" lc" if key[1] else "")
            return cls
        stages = sorted({css_name(edits[k].get("stage")) for k in keys})
        low = any(isinstance(edits[k].get("confidence"), (int, float)) and edits[k]["confidence"] < 1 for k in keys)
        return " ".join(["ed"] + [f"st-{s}" for s in stages] + (["lc"] if low else []))

    def open(self, keys: tuple[int, ...], point: bool = False) -> str:
        """The opening tag of an element over the edits ``keys`` (a closed, empty one for a point)."""
        cls = self.classes(keys) + (" pt" if point else "")
        ids = " ".join(map(str, keys))
        tag = (f'<span class="{cls}" data-e="{ids}" title="{attr(edits_tip(self.edits, keys))}">' if self.inline
               else f'<span class="{cls}" data-e="{ids}">')
        return tag + "</span>" if point else tag

    def points(self, positions: Iterable[tuple[int, int]], n: int) -> dict[int, str]:
        """Point markers of zero-width edits, ``(position, edit)`` pairs, grouped by position
        (a group is split so that every element can list the details of all its edits)."""
        at: dict[int, list[int]] = defaultdict(list)
        for p, k in positions:
            if 0 <= p <= n:
                at[p].append(k)
        return {p: "".join(self.open(tuple(ks[i:i + TIP_EDITS]), point=True) for i in range(0, len(ks), TIP_EDITS))
                for p, ks in at.items()}

    def table(self, upto: int | None = None) -> str:
        """The details table (empty when details are inline): stage and kind names, and per edit
        ``[stage, kind, raw_start, raw_end, start, end, before, after, confidence, note]``
        (null for an edit past clean position ``upto``, when given: a shortened view)."""
        if self.inline or not self.edits:
            return ""
        limit = float("inf") if upto is None else upto
        stages: dict[str, int] = {}
        kinds: dict[str, int] = {}
        rows = [[stages.setdefault(str(e.get("stage")), len(stages)), kinds.setdefault(str(e.get("kind")), len(kinds)),
                 e.get("raw_start"), e.get("raw_end"), e.get("start"), e.get("end"), e.get("before"), e.get("after"),
                 e.get("confidence"), e.get("note")]
                if not isinstance(e.get("start"), int) or e["start"] <= limit else None for e in self.edits]
        data = json.dumps({"s": list(stages), "k": list(kinds), "e": rows}, ensure_ascii=False, separators=(",", ":"))
        # "<" never appears raw, so the JSON cannot end its script element
        data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
        return f'<script type="{EDITS_SCRIPT_TYPE}" class="edits">{data}</script>'
