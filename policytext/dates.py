"""Finding a document's date in its text (datelines such as ``2025-08-15 10:30`` or
``2025年8月14日``) and normalising user-given dates to ``YYYY-MM-DD``."""

from __future__ import annotations

import re
from datetime import date
from .errors import Errors

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
    raise ValueError(Errors.E016.format(value=value))


#: A dateline's date: a year 1900-2099 with month and day (``2025-08-15``, ``2025/8/15``,
#: ``2025年8月14日``, spaces allowed around the parts).
_DATELINE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"
                       r"|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)")
_LINE_LEAD = re.compile(r"[\W_]*")  # punctuation before a date that opens its line (——, 【, （)
_SENTENCE_MARK = re.compile(r"[，,。；;！？!?]")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９－／．", "0123456789-/.")


def find_document_date(text: str, head_lines: int = 30, max_line_chars: int = 40) -> str | None:
    """The date of a dateline near the top of ``text``, as ``YYYY-MM-DD``, or None.

    The one rule for a document's date in the text (the pipeline and the claims stage both use
    it): among the first ``head_lines`` non-empty lines, the first short line (at most
    ``max_line_chars`` characters) whose date either opens the line (after punctuation only:
    ``——2024年3月5日在第十四届全国人民代表大会第二次会议上``; a sentence that opens with a date,
    ``2025年6月30日，……。``, does not count) or makes up at least 35% of it
    (``2025-08-15 10:30``, ``发布时间：2025年8月14日``). Full-width digits count. Dates inside
    sentences (``截至2025年6月30日，……``, ``2024年初``) are not the document's date.
    """
    seen = 0
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        seen += 1
        if seen > head_lines:
            break
        if len(s) > max_line_chars:
            continue
        s = s.translate(_FULLWIDTH_DIGITS)
        m = _DATELINE.search(s)
        if m is None:
            continue
        opens_line = m.start() == _LINE_LEAD.match(s).end() and not _SENTENCE_MARK.search(s, m.end())
        if opens_line or len(m.group()) >= len(s) * 0.35:
            year, month, day = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
            iso = _valid(year, month, day)
            if iso:
                return iso
    return None
