"""Candidate numbers in half-width text: :func:`find_numbers` reads every numeral (Arabic,
Chinese, mixed, percentages, fractions, 翻番, 成) with its unit and trailing qualifier, folding
magnitude words into the value, and merges ranges (``3万-5万``)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from policytext.numbers.tables import CAPITAL_WORD_CHARS, CURRENCY_BEFORE, MONEY_SUBUNITS

from .numbers import CN_DIGITS, numeral_view, parse_number_ex, parse_range
from .tables import (QUAL_AFTER, _LATIN_UNITS, _QUAL_AFTER_DICT, _QUAL_AFTER_RE, _RUN_RE, _SPECIAL_RE, _UNIT_RE,
                     _re)

__all__ = ["Candidate", "find_numbers"]

@dataclass
class Candidate:
    start: int  # number start (incl. prefix such as 几/数/上)
    end: int  # end of number, unit and trailing qualifier
    num_text: str
    value: float
    unit: str | None
    approx: bool  # 多/余/几 inside
    num_end: int  # end of the numeral itself
    unit_end: int
    after_qual: str | None = None
    value_max: float | None = None
    special: str | None = None  # frac / pct / fan / cheng / rank
    extra: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- number finding
def _read_unit(t: str, i: int) -> tuple[str | None, int]:
    """Unit starting at i (after optional 多/余 and one space)."""
    j = i
    if j < len(t) and t[j] == " " and j + 1 < len(t) and t[j + 1].isascii() and t[j + 1].isalpha():
        j += 1
    m = _UNIT_RE.match(t, j)
    if not m:
        return None, i
    u = m.group()
    end = m.end()
    if u in _LATIN_UNITS:
        # a Latin unit must end the Latin word: 5GB ok, 5Gbit no
        if end < len(t) and t[end].isascii() and t[end].isalpha():
            return None, i
        if u in ("token", "tokens", "Token", "Tokens"):
            u = "Token"
    # composite rate units: 元/吨, 元/千瓦时
    if end < len(t) and t[end] == "/":
        m2 = _UNIT_RE.match(t, end + 1)
        if m2:
            u = u + "/" + m2.group()
            end = m2.end()
    return u, end


def _magnitude_backoff(t: str, s: int, e: int) -> int:
    """Give back a trailing 千/百/兆 that starts a unit (3万千瓦 -> 3万 + 千瓦, 1万亿千瓦时, 5兆瓦),
    trailing spaces, and a 两 after a digit that is the weight unit (二两)."""
    while e - 1 > s:
        ch = t[e - 1]
        if ch in "千百兆":
            u = _UNIT_RE.match(t, e - 1)
            if u and len(u.group()) > 1 and u.group()[0] == ch:
                e -= 1
                continue
        elif ch in " \u3000":
            e -= 1
            continue
        elif ch == "两" and t[e - 2] in _DIGIT_CHARS + "十百千万亿" and t[e - 2] != "一":
            # 二两, 四十两: the weight; 一两 stays a pair (一两个, 一两年, 一两点钟: one or two)
            e -= 1
            continue
        break
    return e


_DIGIT_CHARS = "零〇○一二三四五六七八九0123456789"
_UNIT_ALIASES = {"圆": "元", "元人民币": "元", "块钱": "元", "港币": "港元", "美金": "美元"}
_UNIT_WORD_AFTER_GE = re.compile("万一|万物|万事|亿万")
_JIAO = "".join(k for k, v in MONEY_SUBUNITS.items() if v == 0.1)  # 角 毛
_FEN = "".join(k for k, v in MONEY_SUBUNITS.items() if v == 0.01)  # 分
_MONEY_SUB_RE = re.compile(rf"(?:(?P<jiao>[0-9一二两三四五六七八九])[{_JIAO}](?:零?(?P<fen1>[0-9一二两三四五六七八九])[{_FEN}](?!钟|之))?"
                           rf"|零?(?P<fen>[0-9一二两三四五六七八九])[{_FEN}](?!钟|之))")
_CURRENCY_RE = re.compile("(?:" + "|".join(sorted(map(re.escape, CURRENCY_BEFORE), key=len, reverse=True)) + r")[ ]?$")
_CHAIN_GAP, _CHAIN_MAX = 2, 8  # a number within 2 characters of the previous one extends a chain
_MAX_NUMERAL = 40  # a longer run is not a numeral (adversarial or a code): skipped whole


def _cn_digit(ch: str) -> int:
    return int(ch) if ch.isdigit() else CN_DIGITS[ch]


def find_numbers(text: str) -> list[Candidate]:
    """All candidate numbers (before rejection), with value and unit read."""
    t = numeral_view(text)  # capital numerals as ordinary ones; same length as ``text``
    out: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for m in _SPECIAL_RE.finditer(t):
        s, e = m.span()
        if m.group("frac"):
            den, _ = parse_number_ex(m.group("den"))
            num, _ = parse_number_ex(m.group("numer"))
            if not den or num is None:
                continue
            share = num / den * 100
            share = float(f"{share:.12g}") if den in (100, 1000, 10000) else round(share, 2)
            c = Candidate(s, e, m.group(), share, "%", False, e, e, special="frac")
        elif m.group("slash"):
            num, den = int(m.group("snum")), int(m.group("sden"))
            if num >= den:
                continue
            c = Candidate(s, e, m.group(), round(num / den * 100, 2), "%", False, e, e, special="frac")
        elif m.group("pct"):
            v, _ = parse_number_ex(m.group("pnum"))
            if v is None:
                continue
            c = Candidate(s, e, m.group(), v, "%", False, e, e, special="pct")
        elif m.group("fan"):
            n = {"一": 1, "两": 2, "三": 3, "四": 4}.get(m.group("fannum")) or int(m.group("fannum"))
            c = Candidate(s, e, m.group(), float(2 ** n), "倍", bool(m.group("fanmore")), e, e, special="fan")
        else:
            c = Candidate(s, e, m.group(), CN_DIGITS[m.group("cnum") or m.group("cnum2")] * 10.0, "%", False, e, e,
                          special="cheng")
        for w, q in QUAL_AFTER:
            if w not in ("多", "余") and t.startswith(w, e):
                c.after_qual, c.end = q, e + len(w)
                break
        out.append(c)
        taken.append((s, e))
    # ``taken`` is sorted and non-overlapping (finditer order): overlap test by bisection, not a scan.
    taken_starts = [a for a, _ in taken]
    consumed = 0  # end of the last money sub-unit read (5元3角: 3 is not a number of its own)
    chain, last_end = 0, -10
    for m in _RUN_RE.finditer(t):
        s, e = m.span()
        # runs packed one after another (1%1%1%…, 1至1至…) are noise, not prose: past a few, skipped
        # before parsing, so that the stage stays linear and cheap on them
        chain = chain + 1 if s - last_end <= _CHAIN_GAP else 0
        last_end = e
        if e - s > _MAX_NUMERAL or s < consumed or chain >= _CHAIN_MAX:
            continue
        i = bisect.bisect_left(taken_starts, e) - 1
        if i >= 0 and taken[i][1] > s:
            continue
        e = _magnitude_backoff(t, s, e)
        if e - s == 1 and text[s] in CAPITAL_WORD_CHARS:
            continue  # a capital numeral alone is a word: 大陆, 水陆两路, 队伍, 收拾
        raw = t[s:e]
        # a leading 几/数/上 marks approximation: 上千万, 数百万
        pre = s
        if s > 0 and t[s - 1] in "数上" and raw[0] in "十百千万亿":
            pre = s - 1
        num_text = t[pre:e]
        value, approx = parse_number_ex(num_text)
        value_max = None
        unit, ue = _read_unit(t, e)
        if value is None:
            # an estimate: 八九亿, 七八十个, 三五年, 一两个
            rng = parse_range(num_text, bare=unit is not None)
            if not rng:
                continue
            value, value_max, approx = rng[0], rng[1], True
        if unit is None and t.startswith("年", e) and not _re(r"年[月底初末前后来以间内度代份级中均]").match(t[e:e + 2]) and (
                "." in raw or (value <= 100 and _re(r"(?:从|提高到|提高至|延长到|延长至|增加到|达到|年限|寿命|期限为)$").search(t[max(0, pre - 6):pre]))):
            unit, ue = "年", e + 1  # durations: 受教育年限从13.5年提高到14年
        if unit == "个" and ue < len(t) and t[ue] in "亿万" and not _UNIT_WORD_AFTER_GE.match(t, ue):
            value *= 1e8 if t[ue] == "亿" else 1e4  # 两个亿, 三个亿美元: 个 before the magnitude
            e = ue + 1
            unit, ue = _read_unit(t, e)
        elif unit == "个" and t.startswith("半", ue):  # 一个半小时 = 1.5 小时, 两个半月 = 2.5 个月
            value += 0.5
            u2, ue2 = _read_unit(t, ue + 1)
            if u2 is None and t.startswith("月", ue + 1):
                u2, ue2 = "个月", ue + 2
            unit, ue = (u2, ue2) if u2 else ("个", ue + 1)
        elif unit == "块" and (t.startswith("钱", ue) or _MONEY_SUB_RE.match(t, ue)):
            unit, ue = "元", ue + (1 if t.startswith("钱", ue) else 0)  # 100块钱, 九十八块三毛
        elif unit == "毛钱":
            value, unit = round(value * 0.1, 2), "元"  # 5毛钱 = 0.5 元
        unit = _UNIT_ALIASES.get(unit, unit)
        if unit == "元":  # 123元1角1分, 五元三毛, 玖仟陆佰陆拾伍圆壹角捌分
            mm = _MONEY_SUB_RE.match(t, ue)
            if mm and value_max is None:
                jiao, fen = mm.group("jiao"), mm.group("fen1") or mm.group("fen")
                value = round(value + (_cn_digit(jiao) * 0.1 if jiao else 0) + (_cn_digit(fen) * 0.01 if fen else 0), 2)
                ue = consumed = mm.end()
        if pre > 0 and (unit is None or unit == "元") and t[pre - 1] in "￥¥$€£BYDRP币 ":
            cm = _CURRENCY_RE.search(t, max(0, pre - 5), pre)
            if cm and (unit is None or CURRENCY_BEFORE[cm.group().strip()] == "元"):
                unit = CURRENCY_BEFORE[cm.group().strip()]
                if not cm.group().startswith("人民币"):
                    pre = cm.start()
        # 1200多类 / 300多倍 are read inside the run; 5倍多 / 3个多月 after the unit
        end = ue
        after_qual = None
        mq = _QUAL_AFTER_RE.match(t, end)
        if mq and not (mq.group() in ("多", "余") and unit is None):
            after_qual = _QUAL_AFTER_DICT[mq.group()]
            end = mq.end()
            if mq.group() in ("多", "余"):
                u2, ue2 = _read_unit(t, end)
                if u2 and unit == "个":  # 3个多月
                    unit, end = "个" + u2 if u2 == "月" else u2, ue2
        c = Candidate(pre, end, t[pre:e], value, unit, approx, e, ue, after_qual, value_max=value_max)
        if value_max is not None:
            c.extra["estimate"] = True
        out.append(c)
    out.sort(key=lambda c: c.start)
    return _merge_ranges(t, out)


_RANGE_SEP = re.compile(r"\s*(?:--|——|[~\-—–]|至|到)\s*")
_BIG = "万亿兆"
_SMALL = "十百千"


def _low_end_magnitude(a_text: str, b_text: str, lo: float, hi: float) -> float:
    """The low end of a range takes the magnitude written once on the high end:
    3-5万 -> 3万, 一百二十到一百五十万 -> 120万, 七千到九千亿 -> 7000亿, 3-5千亿 -> 3千亿."""
    if any(ch in _BIG for ch in a_text):
        return lo
    tail = _re(r"[十百千万亿兆]+$").search(b_text.rstrip("多余"))
    if not tail:
        return lo
    run = tail.group()
    big = run.lstrip(_SMALL)
    options = [big] if any(ch in _SMALL for ch in a_text) else [run, big]
    for suffix in options:
        if not suffix:
            continue
        mv, _ = parse_number_ex("1" + suffix)
        if mv and lo * mv <= hi:
            return lo * mv
    return lo


def _merge_ranges(t: str, cands: list[Candidate]) -> list[Candidate]:
    """3~5个, 3至5个, 3%-5%, 3-5万元: one candidate with value (low) and value_max (high)."""
    out: list[Candidate] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        if i + 1 < len(cands) and a.special is None and a.value_max is None:
            b = cands[i + 1]
            gap = t[a.unit_end:b.start]
            if (b.special is None and b.value_max is None and len(gap) <= 5 and _RANGE_SEP.fullmatch(gap)
                    and a.after_qual is None and (a.unit is None or a.unit == b.unit)
                    and not _re(r"(?:19|20)\d\d").fullmatch(a.num_text)):
                lo, hi = a.value, b.value
                if a.unit is None:
                    lo = _low_end_magnitude(a.num_text, b.num_text, lo, hi)
                if lo <= hi:
                    out.append(Candidate(a.start, b.end, t[a.start:b.num_end], lo, b.unit, a.approx or b.approx,
                                         b.num_end, b.unit_end, b.after_qual, value_max=hi,
                                         extra={"range": True, "first_end": a.num_end}))
                    i += 2
                    continue
        out.append(a)
        i += 1
    return out
