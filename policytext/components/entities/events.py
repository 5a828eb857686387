"""Events composed from names: a body or place + a meeting word (上海合作组织峰会), places +
地震 (四川芦山地震), a place + 奥运会/亚运会 (东京奥运会). Each function returns
``(start, end, "EVENT")`` candidates for :mod:`.combine`.
"""

from __future__ import annotations

import re

from .gazetteer import gpe_names

__all__ = ["events_after_names", "sport_events_after"]

_EVENT_FILLERS = ("领导人", "合作", "国际", "数字经济", "新闻局", "首次")
_EVENT_WORDS = re.compile(r"领导人非正式会议|领导人会晤|领导人峰会|领导人会议|非正式会议|系列会议|部长级会议|高级别会议"
                          r"|首脑会议|例行新闻发布会|新闻发布会|例会|峰会|会晤|论坛(?:部长级会议|峰会|年会)?|博览会")
# a date between a body and its meeting: 交通运输部8月例行新闻发布会, 人社部2020年一季度新闻发布会
_EVENT_DATE = re.compile(r"(?:\d{4}年)?(?:(?:1[0-2]|[1-9])月|第?[一二三四1-4]季度|[上下]半年)|\d{4}年")
_DISASTER = re.compile(r"(?:特大)?(?:地震|洪灾)(?![局台站所部办中心带区])")


_SPORT_EVENTS = re.compile(r"冬残奥会|残奥会|冬奥会|奥运会|亚运会|世博会|大运会|世运会")


def sport_events_after(text: str, places: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A place the model found + 奥运会/残奥会/亚运会… is one EVENT (东京奥运会, 里约奥运会)."""
    out = []
    for s, e, _lab in places:
        m = _SPORT_EVENTS.match(text, e)
        if m:
            out.append((s, m.end(), "EVENT"))
    return out


def _filler_stops(text: str, pos: int) -> list[int]:
    """Positions reached by skipping filler words from ``pos`` (``pos`` first, furthest last)."""
    stops = [pos]
    changed = True
    while changed:
        changed = False
        for w in _EVENT_FILLERS:
            if text.startswith(w, pos):
                pos += len(w)
                stops.append(pos)
                changed = True
    return stops


def _event_word_after(text: str, pos: int) -> re.Match | None:
    """A meeting word after ``pos`` and any fillers (a filler may begin the word: 领导人会议), or
    after a date (交通运输部8月例行新闻发布会)."""
    for p in reversed(_filler_stops(text, pos)):
        m = _EVENT_WORDS.match(text, p)
        if m:
            return m
    d = _EVENT_DATE.match(text, pos)
    if d:
        m = _EVENT_WORDS.match(text, d.end())
        if m and m.group() != "例会":
            return m
    return None


def events_after_names(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A body or place name followed by a meeting word is an EVENT (上海合作组织峰会,
    二十国集团领导人杭州峰会, 国务院新闻办新闻发布会); a run of places + 地震 is an EVENT
    (四川芦山地震). Only a few filler words (领导人, 合作, 国际…) and one more name may stand
    between: after fillers (…领导人杭州峰会), after a dash (澜沧江－湄公河合作首次领导人会议) or right after a
    one-character place (中非合作论坛部长级会议, 亚欧首脑会议); so 北京举行新闻发布会 is not an event."""
    out = []
    spans = sorted(spans)
    starts = {s: (e, lab) for s, e, lab in spans}
    gpes = gpe_names()
    # where a run of adjacent GPE names starting at a position ends (甘肃 + 岷县 + 漳县), computed once
    # from the right so a long run costs linear time, not one walk per name
    gpe_run_end: dict[int, int] = {}
    for pos in sorted(starts, reverse=True):
        nxt_end, nxt_lab = starts[pos]
        gpe_run_end[pos] = gpe_run_end.get(nxt_end, nxt_end) if nxt_lab == "GPE" else pos
    for s, e, lab in spans:
        if lab not in ("ORG", "GPE", "LOC"):
            continue
        pos = _filler_stops(text, e)[-1]
        dash = pos == e and text[e : e + 1] in "－—-" and (e + 1) in starts
        if dash:
            pos = e + 1
        nxt = starts.get(pos)
        if nxt and nxt[1] in ("GPE", "LOC", "ORG") and (pos > e or e - s == 1):
            pos = nxt[0]
        else:
            pos = e
        m = _event_word_after(text, pos)
        if m:
            out.append((s, m.end(), "EVENT"))
            continue
        if lab == "GPE":
            end = gpe_run_end.get(e, e)  # 甘肃 + 岷县 + 漳县 + 地震; 四川 + 芦山 + 地震 (芦山 may be unlisted)
            for extra in (0, 2, 3):
                m = _DISASTER.match(text, end + extra)
                if m and (extra == 0 or text[end : end + extra] in gpes or "\u4e00" <= text[end] <= "\u9fff"):
                    chunk = text[end : end + extra]
                    if not any(c in "的在和与及、，。,." for c in chunk):
                        out.append((s, m.end(), "EVENT"))
                    break
    return out
