"""Line one metric up across documents and dates.

    >>> from policytext.components.claims import timeline
    >>> rows = timeline([("2024年初，我国日均Token的消耗量为1千亿。", "2024-03-01"),
    ...                  ("截至6月底，日均Token消耗量已突破30万亿。", "2025-08-14")], "日均Token", as_frame=False)
    >>> [(r["when"], r["value"], r["qualifier"]) for r in rows]
    [('2024', 100000000000.0, '='), ('2025-06', 30000000000000.0, '>')]

Inputs may be texts, ``(text, date)`` pairs, dicts with ``text`` (and ``date``/``id``/``source``),
contract records (dicts with ``claims``), pipeline results (anything with ``to_dict()``) or spaCy
``Doc`` objects with ``doc._.claims``.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

from policytext.dates import find_document_date

from .extract import extract_claims
from ...errors import Errors

__all__ = ["timeline", "claims_of", "time_key", "COLUMNS"]

COLUMNS = ["when", "time", "doc_date", "value", "unit", "qualifier", "kind", "modality", "subject", "reference",
           "doc_id", "source", "text", "n_sources"]


def claims_of(item: Any, index: int = 0) -> tuple[dict, list[dict]]:
    """``(info, claims)`` for one input: info has ``doc_id``, ``source``, ``doc_date``."""
    if isinstance(item, str):
        date = find_document_date(item)
        return {"doc_id": str(index), "source": None, "doc_date": date}, extract_claims(item, date)
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str):
        text, date = item
        return {"doc_id": str(index), "source": None, "doc_date": date}, extract_claims(text, date)
    if hasattr(item, "_") and hasattr(item, "text") and hasattr(item._, "claims"):  # spaCy Doc
        info = {"doc_id": getattr(item._, "doc_id", None) or str(index), "source": getattr(item._, "source", None),
                "doc_date": item._.doc_date}
        claims = item._.claims
        if claims is None:
            claims = extract_claims(item.text, item._.doc_date)
        return info, claims
    if hasattr(item, "to_dict"):
        item = item.to_dict()
    if isinstance(item, dict):
        info = {"doc_id": str(item.get("id") if item.get("id") is not None else index), "source": item.get("source"),
                "doc_date": item.get("date") or item.get("doc_date")}
        if item.get("claims") is not None:
            return info, list(item["claims"])
        text = item.get("text") or ""
        if not info["doc_date"]:
            info["doc_date"] = find_document_date(text)
        return info, extract_claims(text, info["doc_date"])
    raise TypeError(Errors.E607.format(type=type(item).__name__))


_PERIOD_MONTH = {"H1": 1, "H2": 7, "Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10}


def time_key(when: str | None) -> tuple:
    """Sort key for ISO-like times: ``2024`` < ``2024-H1`` = ``2024-01`` < ``2024-06`` < ``2025``."""
    if not when:
        return (9999, 99, when or "")
    start = when.split("/")[0]
    m = re.match(r"(\d{4})(?:-(\d{2}|H[12]|Q[1-4]))?", start)
    if not m:
        return (9999, 99, when)
    year = int(m.group(1))
    part = m.group(2)
    month = 0 if part is None else (_PERIOD_MONTH[part] if part in _PERIOD_MONTH else int(part))
    return (year, month, when)


def _norm(s: str) -> str:
    return re.sub(r"[\s的“”\"']", "", s).lower()


def _matcher(metric: str | re.Pattern | Callable[[str], bool]) -> Callable[[str | None], bool]:
    if callable(metric) and not isinstance(metric, re.Pattern):
        return lambda s: bool(s) and bool(metric(s))
    if isinstance(metric, re.Pattern):
        return lambda s: bool(s) and bool(metric.search(s))
    key = _norm(metric)
    return lambda s: bool(s) and key in _norm(s)


def timeline(results_or_texts: Iterable[Any], metric: str | re.Pattern | Callable[[str], bool], *,
             kinds: Iterable[str] | None = ("level",), dedupe: bool = True, as_frame: bool | None = None):
    """Claims whose subject matches ``metric`` across documents, in time order.

    ``metric`` is a substring of the subject (spaces, quotes and 的 ignored: ``日均Token`` matches
    ``日均Token消耗量`` and ``日均Token的消耗量``), a compiled regex or a predicate. ``when`` is the
    claim's ``time``, else the document date's month. ``kinds`` keeps only those kinds (default:
    levels; ``None`` for all). ``dedupe`` folds the same statement repeated by several documents into
    one row (``n_sources`` counts them). Returns a pandas ``DataFrame`` when pandas is installed
    (``as_frame=None`` or ``True``), else a list of dicts with :data:`COLUMNS`.
    """
    match = _matcher(metric)
    kinds = set(kinds) if kinds is not None else None
    rows: list[dict] = []
    for i, item in enumerate(results_or_texts):
        info, claims = claims_of(item, i)
        for c in claims:
            if not match(c.get("subject")) or (kinds is not None and c.get("kind") not in kinds):
                continue
            when = c.get("time") or (info["doc_date"][:7] if info.get("doc_date") else None)
            rows.append({"when": when, "time": c.get("time"), "doc_date": info.get("doc_date"), "value": c["value"],
                         "unit": c.get("unit"), "qualifier": c.get("qualifier"), "kind": c.get("kind"),
                         "modality": c.get("modality"), "subject": c.get("subject"), "reference": c.get("reference"),
                         "doc_id": info.get("doc_id"), "source": info.get("source"), "text": c.get("text"),
                         "n_sources": 1})
    rows.sort(key=lambda r: (time_key(r["when"]), r["doc_date"] or "", r["doc_id"] or ""))
    if dedupe:
        seen: dict[tuple, dict] = {}
        out = []
        for r in rows:
            k = (r["when"], r["value"], r["unit"], r["qualifier"], r["kind"], r["modality"])
            if k in seen:
                seen[k]["n_sources"] += 1
                continue
            seen[k] = r
            out.append(r)
        rows = out
    if as_frame is False:
        return rows
    try:
        import pandas as pd
    except ImportError:
        if as_frame:
            raise
        return rows
    return pd.DataFrame(rows, columns=COLUMNS)
