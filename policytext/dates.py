"""Finding a document's date in its text (datelines such as ``2025-08-15 10:30`` or
``2025年8月14日``) and normalising user-given dates to ``YYYY-MM-DD``."""

from __future__ import annotations

import re
from datetime import date

__all__ = ["find_document_date", "normalize_date"]

_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_ZH = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _valid(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def normalize_date(value: str | None) -> str | None:
    """``2025-8-14``, ``2025/08/14``, ``20250814``, ``2025年8月14日`` or an ISO datetime -> ``2025-08-14``.

    Raises ``ValueError`` for a value that is not a date.
    """
    if value is None or str(value).strip() == "":
        return None
    s = str(value).strip()
    for rx in (_ISO, _ZH, _COMPACT):
        m = rx.search(s) if rx is not _COMPACT else rx.match(s)
        if m:
            iso = _valid(*m.groups())
            if iso:
                return iso
    raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD)")


def find_document_date(text: str, head_lines: int = 30) -> str | None:
    """The date of a dateline near the top of ``text``: a short line that is mostly a date.

    Only lines of at most 40 characters among the first ``head_lines`` non-empty lines count, so
    dates inside sentences (``2024年初``, ``截至2025年6月底``) are not taken for the document's date.
    """
    seen = 0
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        seen += 1
        if seen > head_lines:
            break
        if len(s) > 40:
            continue
        for rx in (_ISO, _ZH):
            m = rx.search(s)
            if m and len(m.group()) >= len(s) * 0.35:
                iso = _valid(*m.groups())
                if iso:
                    return iso
    return None
