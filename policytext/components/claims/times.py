"""Time expressions of numeric claims: find them in a sentence and resolve them against the
document date to ISO-like strings (``2024``, ``2024-06``, ``2024-Q3``, ``2024-H1``,
``2024-01/2024-09``, ``2016/2020``).

A time is a year (absolute ``2024年`` or relative ``今年``/``上年``/...) followed by an optional
period (a month, a half, a quarter, the first N months, a month range), or a period alone (whose
year is the document's last completed one), or a plan period (``“十三五”期间``), ``过去五年``,
``目前``. The periods are one table, :data:`PERIODS`, shared by every year form, so ``今年第四季度``
and ``2024年第四季度`` resolve alike.
"""

from __future__ import annotations

import bisect
import re

from .numbers import CN_DIGITS, parse_number_ex

__all__ = ["PERIODS", "find_times", "resolve_time", "period_end", "after_document_date"]

_CN_NUM = "[一二三四五六七八九十]{1,3}"
_MONTH_NUM = rf"(?:1[0-2]|0?[1-9]|{_CN_NUM})"

#: Named periods of a year -> the ISO suffix (``H1``...) or the month range they cover.
PERIODS: dict[str, str] = {
    "上半年": "H1", "下半年": "H2",
    "一季度": "Q1", "第一季度": "Q1", "1季度": "Q1", "二季度": "Q2", "第二季度": "Q2", "2季度": "Q2",
    "三季度": "Q3", "第三季度": "Q3", "3季度": "Q3", "四季度": "Q4", "第四季度": "Q4", "4季度": "Q4",
    "前三季度": "01/09", "前两个月": "01/02", "前2个月": "01/02",
}
_NAMED = "|".join(sorted(map(re.escape, PERIODS), key=len, reverse=True))
_QUARTER_END = {"H1": 6, "H2": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}

# a period after a year (or alone): a named period, the first N months, a month range, one month
_PERIOD = (
    rf"(?:(?P<p>{_NAMED})"
    rf"|前(?P<n>{_MONTH_NUM})个月"
    rf"|(?P<m1>{_MONTH_NUM})(?:月(?:份)?)?\s*(?:[—\-~～–]|至|到)\s*(?P<m2>{_MONTH_NUM})月(?:份)?(?:累计)?"
    rf"|(?P<m>{_MONTH_NUM})月(?:份)?(?:底|末|初|中旬|下旬|上旬)?(?![\d日号])"
    r")"
)
_REL_YEARS = {"今年": 0, "本年": 0, "当年": 0, "本年度": 0, "今年度": 0, "去年": -1, "上年": -1, "上一年": -1,
              "前年": -2, "明年": 1}
_REL = "|".join(sorted(map(re.escape, _REL_YEARS), key=len, reverse=True))

#: (regex, kind), tried in order; a later match overlapping an earlier one is dropped.
TIME_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(rf"(?P<y1>(?:19|20)\d\d)年(?P<m1>{_MONTH_NUM})月(?:份)?\s*(?:[—\-~～–]|至|到)\s*"
                rf"(?P<y2>(?:19|20)\d\d)年(?P<m2>{_MONTH_NUM})月(?:份)?"), "year-month range"),
    (re.compile(r"(?P<y1>(?:19|20)\d\d)年?\s*(?:[—\-~～–]|至|到)\s*(?P<y2>(?:19|20)\d\d)年(?!\d|[一二三四五六七八九十]{1,2}月|前|上半|下半|第|[一二三四]季)"),
     "year range"),
    (re.compile(rf"(?P<y>(?:19|20)\d\d)年(?:的)?{_PERIOD}"), "year+period"),
    (re.compile(rf"(?P<y>(?:19|20)\d\d)(?:的)?(?P<p>{_NAMED})"), "year+period"),  # 2024上半年
    (re.compile(r"(?P<y>(?:19|20)\d\d)(?:年)?(?:底|末|初|年底|年末|年初|全年|年度|年)"), "year"),
    (re.compile(rf"(?P<rel>{_REL})(?:的)?{_PERIOD}"), "rel+period"),
    (re.compile(rf"(?P<rel>{_REL})(?:底|末|初|年底|年末|年初|以来)?"), "rel"),
    (re.compile(rf"(?:截至|截止|截止到|到)(?P<m>{_MONTH_NUM})月(?:份)?(?:底|末)"), "month"),
    (re.compile(r"(?<![年\d])(?P<m>\d{1,2})月(?:底|末)"), "month"),
    (re.compile(r"(?<![年\d第])(?P<p>上半年|下半年|前三季度|第[一二三四]季度|[一二三四]季度)"), "period"),
    (re.compile(rf"(?<![年\d])前(?P<n>{_MONTH_NUM})个月"), "period"),
    (re.compile(rf"(?<![年\d\-—~至到])(?P<m1>1|一)(?:月(?:份)?)?\s*(?:[—\-~～–]|至|到)\s*(?P<m2>{_MONTH_NUM})月(?:份)?(?![\d日号])"),
     "period"),
    (re.compile(r"“十(?P<fyp>[一二三四五六七八九])五”(?:时期|期间|以来|末|规划期)"), "plan"),
    (re.compile(r"过去(?P<n>一|五|十|两|三|\d+)年"), "past"),
    (re.compile(r"目前|当前|现阶段"), "now"),
]


def _int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    v, _ = parse_number_ex(s)
    return int(v) if v is not None else None


def _period_of(gd: dict, y: int) -> str | None:
    """The period groups of a match (``p``, ``n``, ``m1``/``m2``, ``m``) in year ``y``; None
    when the match holds no period or an impossible month."""
    if gd.get("p"):
        code = PERIODS[gd["p"]]
        if "/" in code:
            a, b = code.split("/")
            return f"{y}-{a}/{y}-{b}"
        return f"{y}-{code}"
    if gd.get("n"):
        n = _int(gd["n"])
        return f"{y}-01/{y}-{n:02d}" if n and 1 <= n <= 12 else None
    if gd.get("m1"):
        a, b = _int(gd["m1"]), _int(gd["m2"])
        if not a or not b or not 1 <= a < b <= 12:
            return None
        return f"{y}-{a:02d}/{y}-{b:02d}"
    if gd.get("m"):
        mo = _int(gd["m"])
        return f"{y}-{mo:02d}" if mo and 1 <= mo <= 12 else None
    return None


def period_end(time: str) -> tuple[int, int] | None:
    """``(year, month)`` in which a resolved time ends (``2024-Q3`` -> (2024, 9); ``2024-01/2024-09``
    -> (2024, 9)); None for a whole year or several years (their end is not a month)."""
    last = time.split("/")[-1]
    m = re.fullmatch(r"(\d{4})-(\d{2}|H[12]|Q[1-4])", last)
    if not m:
        return None
    part = m.group(2)
    return int(m.group(1)), (_QUARTER_END[part] if part in _QUARTER_END else int(part))


def _doc_year_month(doc_date: str | None) -> tuple[int | None, int | None]:
    dd = re.match(r"(\d{4})(?:-(\d{1,2}))?", doc_date or "")
    if not dd:
        return None, None
    return int(dd.group(1)), (int(dd.group(2)) if dd.group(2) else None)


def after_document_date(time: str | None, doc_date: str | None) -> bool:
    """``time`` has not ended when the document was written: a later year, or a month, quarter,
    half or month range of the document's year that ends after the document's month. (A whole
    year of the document's own year is not: ``今年以来`` is that year too.)"""
    if not time or not doc_date:
        return False
    dy, dm = _doc_year_month(doc_date)
    m = re.match(r"\d{4}", time)
    if dy is None or not m:
        return False
    if int(m.group()) > dy:
        return True
    end = period_end(time)
    return end is not None and dm is not None and end > (dy, dm)


def resolve_time(m: re.Match, kind: str, doc_date: str | None) -> str | None:
    """Normalise one matched time expression (of :data:`TIME_PATTERNS`) against the document date
    (``YYYY-MM-DD``, ``YYYY-MM`` or None). Relative years and bare periods need the date."""
    dy, dm = _doc_year_month(doc_date)
    gd = m.groupdict()
    if kind == "year+period":
        return _period_of(gd, int(gd["y"]))
    if kind == "year":
        return gd["y"]
    if kind == "year-month range":
        (y1, y2), (m1, m2) = (int(gd["y1"]), int(gd["y2"])), (_int(gd["m1"]), _int(gd["m2"]))
        if not m1 or not m2 or (y1, m1) >= (y2, m2):
            return None
        return f"{y1}-{m1:02d}/{y2}-{m2:02d}"
    if kind == "year range":
        y1, y2 = int(gd["y1"]), int(gd["y2"])
        return f"{y1}/{y2}" if y1 < y2 else None
    if kind == "plan":
        start = 1966 + 5 * (10 + CN_DIGITS[gd["fyp"]] - 3)  # 3rd plan 1966-70 ... 14th 2021-25
        return str(start + 4) if m.group(0).endswith("末") else f"{start}/{start + 4}"
    if dy is None:
        return None
    if kind == "rel+period":
        return _period_of(gd, dy + _REL_YEARS[gd["rel"]])
    if kind == "rel":
        return str(dy + _REL_YEARS[gd["rel"]])
    if kind == "month":
        mo = _int(gd["m"])
        if not mo or mo > 12:
            return None
        return f"{dy if dm is None or mo <= dm else dy - 1}-{mo:02d}"
    if kind == "period":
        # no year: the document's year; a stretch counted from January (上半年, 前三季度, 前N个月,
        # 1-N月) that has not ended by the document's month is last year's (the latest figures)
        this_year = _period_of(gd, dy)
        end = period_end(this_year) if this_year else None
        from_january = this_year is not None and ("-01/" in this_year or this_year.endswith("-H1"))
        if from_january and end is not None and dm is not None and end[1] >= dm:
            return _period_of(gd, dy - 1)
        return this_year
    if kind == "now":
        return f"{dy}-{dm:02d}" if dm else str(dy)
    if kind == "past":
        n = _int(gd["n"])
        if not n:
            return None
        return str(dy - 1) if n == 1 else f"{dy - n}/{dy - 1}"
    return None


def find_times(sent: str, doc_date: str | None) -> list[tuple[int, int, str]]:
    """``(start, end, time)`` of the time expressions in ``sent`` (half-width digits), in order,
    not overlapping (the first pattern of :data:`TIME_PATTERNS` to match a stretch wins)."""
    found: list[tuple[int, int, str]] = []  # kept sorted; overlap test by bisection (linear overall)
    for rx, kind in TIME_PATTERNS:
        for m in rx.finditer(sent):
            ms, me = m.start(), m.end()
            k = bisect.bisect_right(found, (ms, 1 << 60))
            if any(a <= ms < b or a < me <= b for a, b, _ in found[max(0, k - 2):k + 2]):
                continue
            v = resolve_time(m, kind, doc_date)
            if v:
                found.insert(k, (ms, me, v))
    return found
