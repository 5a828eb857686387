"""Result records as tidy pandas DataFrames, keyed by document id (``to_frames``)."""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import pandas as pd
from .errors import Errors

__all__ = ["to_frames", "FRAME_COLUMNS"]

#: The columns of each frame, in order; a frame with no rows still has them.
FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "source", "date", "chars", "edits", "removed", "sentences", "entities", "claims",
                  "top_theme", "top_theme_score", "warnings", "error"),
    "entities": ("id", "start", "end", "text", "label"),
    "claims": ("id", "start", "end", "text", "subject", "value", "unit", "qualifier", "kind", "modality",
               "time", "reference"),
    "paragraphs": ("id", "paragraph", "start", "end", "text", "theme", "score"),
    "themes": ("id", "theme", "score"),
}


def _as_record(item: Any) -> Mapping[str, Any]:
    """A record dict from a record or a ``Result`` (anything with ``to_dict``)."""
    if isinstance(item, Mapping):
        return item
    to_dict = getattr(item, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(Errors.E606.format(type=type(item).__name__))


def _top_theme(themes: Mapping[str, float]) -> tuple[str | None, float | None]:
    if not themes:
        return None, None
    label = max(themes, key=lambda k: themes[k])
    return label, float(themes[label])


def _document_row(rec: Mapping[str, Any]) -> dict[str, Any]:
    top, score = _top_theme(rec.get("themes") or {})
    return {
        "id": rec.get("id"), "source": rec.get("source"), "date": rec.get("date"),
        "chars": len(rec.get("text") or ""), "edits": len(rec.get("edits") or []),
        "removed": len(rec.get("removed") or []), "sentences": len(rec.get("sentences") or []),
        "entities": len(rec.get("entities") or []), "claims": len(rec.get("claims") or []),
        "top_theme": top, "top_theme_score": score,
        "warnings": "\n".join(rec.get("warnings") or []), "error": rec.get("error"),
    }


def _paragraph_rows(rec: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per (paragraph, assigned theme); a paragraph with no theme scores gets one row with None."""
    text = rec.get("text") or ""
    rows = []
    for index, para in enumerate(rec.get("paragraphs") or []):
        base = {"id": rec.get("id"), "paragraph": index, "start": para.get("start"), "end": para.get("end"),
                "text": text[para.get("start", 0):para.get("end", 0)]}
        themes = para.get("themes") or {}
        if not themes:
            rows.append({**base, "theme": None, "score": None})
        for theme, score in sorted(themes.items(), key=lambda kv: -kv[1]):
            rows.append({**base, "theme": theme, "score": float(score)})
    return rows


def _frame(rows: list[dict[str, Any]], name: str) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS[name]))


def to_frames(records: Iterable[Any]) -> dict[str, pd.DataFrame]:
    """Tidy DataFrames of result records, each keyed by the document ``id``.

    ``documents``: one row per document (counts, top theme, warnings joined by newlines, error);
    ``entities`` and ``claims``: one row per entity / claim; ``paragraphs``: one row per paragraph
    and assigned theme (long form, with the paragraph's text); ``themes``: one row per document
    theme. Records are dicts as written by ``policytext tag`` (JSON Lines) or ``Result`` objects.
    """
    docs, ents, claims, paras, themes = [], [], [], [], []
    for item in records:
        rec = _as_record(item)
        doc_id = rec.get("id")
        docs.append(_document_row(rec))
        ents.extend({"id": doc_id, **{k: e.get(k) for k in FRAME_COLUMNS["entities"][1:]}}
                    for e in rec.get("entities") or [])
        claims.extend({"id": doc_id, **{k: c.get(k) for k in FRAME_COLUMNS["claims"][1:]}}
                      for c in rec.get("claims") or [])
        paras.extend(_paragraph_rows(rec))
        themes.extend({"id": doc_id, "theme": t, "score": float(s)} for t, s in (rec.get("themes") or {}).items())
    return {"documents": _frame(docs, "documents"), "entities": _frame(ents, "entities"),
            "claims": _frame(claims, "claims"), "paragraphs": _frame(paras, "paragraphs"),
            "themes": _frame(themes, "themes")}
