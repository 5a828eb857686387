"""Pure-function numeric claim extraction (contract section 5).

``extract_claims(text, doc_date=None) -> list[dict]``: every number in ``text`` that asserts
something (a level, a change, a multiple, a share or a rank), with its value folded into base
units, unit, qualifier, kind, modality, subject, time and comparison reference.

The extractor is rule based and explains itself in code: :func:`find_numbers`
(:mod:`.candidates`) finds candidate numbers, :func:`reject_reason` (:mod:`.negatives`) says why a
candidate is not a claim (a table of negatives), :mod:`.times` reads time expressions, the rule
tables are data in :mod:`.tables`, and one helper per field here fills it (``_qualifier``, ``_claim_kind``, ``_modality``, ``_claim_time``,
``_claim_reference``, ``_claim_subject``), reading the sentence context read once per sentence.
Works on normalised (simplified, Chinese punctuation) text and on raw text with ASCII
punctuation or full-width digits.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Iterator

from policytext.components.sentences import split_sentences

from .candidates import _CHAIN_GAP, _CHAIN_MAX, Candidate, find_numbers
from .negatives import is_rank, reject_reason
from .numbers import to_halfwidth
from .tables import (CLAIM_END_MARKS, FORECAST_CUES, TARGET_CUES, UNITS, _FILLER_END, _LEAD_STRIP,
                     _LEVEL_AFTER_VERB, _MODAL_END, _QB_DICT, _QB_END, _QB_LONGEST, _REF_PATTERNS, _TRAIL_STRIP, _re)
from .times import after_document_date, find_times, resolve_time

__all__ = ["extract_claims", "find_numbers", "is_rank", "reject_reason", "resolve_time", "Candidate", "UNITS",
           "CLAIM_END_MARKS"]


# --------------------------------------------------------------------------- fields
def _qualifier(t: str, c: Candidate, cue_start: int) -> tuple[str, int]:
    """Qualifier and the start of the cue word before the number."""
    q_before = None
    k = c.start
    # skip fillers right before the number: 已突破, 突破了, 增长了约
    for _ in range(3):
        m = _FILLER_END.search(t, max(cue_start, k - 3), k)
        if m:
            k = m.start()
        m = _QB_END.search(t, max(cue_start, k - _QB_LONGEST), k)
        if m is None:
            continue
        q = _QB_DICT[m.group()]
        if q_before is None or (q_before == "=" and q != "="):
            q_before = q
        k = m.start()
    if q_before is None:
        # a qualifier before the verb: 至少降低30%, 近翻一番 -> read through the verb
        m = _re(r"(至少|最少|不少于|不低于|最多|至多|不超过|超过|近|约|接近|将近)(?:降低|提高|增长|下降|减少|增加|提升|压减|压缩|缩短|扩大)(?:了)?$").search(t[max(cue_start, k - 8):k])
        if m:
            q_before = _QB_DICT[m.group(1)]
    if c.special == "rank":
        return "=", k
    if c.extra.get("estimate"):
        return "~", k  # 八九亿: an estimate
    if c.value_max is not None:
        return ">=", k
    if q_before and q_before != "=":
        return q_before, k
    if c.after_qual:
        return c.after_qual, k
    if c.approx:
        return ">", k
    return "=", k


def _kind(t: str, c: Candidate, clause_prefix: str, rest: str) -> str:
    if c.special == "rank":
        return "rank"
    if c.unit == "倍":
        return "multiple"
    p = _re(r"(?:了|已经|已|均|分别|约|近|超过|超|突破|逾|接近|将近|不到|不足|达|达到|为|年均|平均)+$").sub("", clause_prefix)
    change_before = _re(r"(?:下降|减少|降低|增长|增加|提高|提升|上升|压减|缩短|压缩)(?:了)?(?:超过|超|近|约|逾)?$").search(clause_prefix)
    share = c.unit in ("%", "‰") and (
        _re(r"占[^，,。；;]{0,20}$").search(clause_prefix) or _re(r"(?:比重|占比|份额|之)(?:为|达到|达|超过|约|近|从|由)?$").search(p)
        or (c.special == "frac" and not change_before) or (c.special == "cheng" and not _re(r"(?:下降|减少|降低|增长|增加|提高|提升|上升)(?:了)?(?:超过|超|近|约|逾)?$").search(clause_prefix)))
    if share:
        return "share"
    if _LEVEL_AFTER_VERB.search(clause_prefix[-6:]):
        return "level"
    if c.unit in ("个百分点", "百分点", "个基点", "基点"):
        return "change"
    if _re(r"(?:增长|增加|下降|减少|提高|提升|降低|上升|上涨|回落|下滑|扩大|缩小|缩减|压减|削减|减|增|降|涨|跌|升|高出|低出|多|少|高|低)$").search(p) and not _re(r"(?:新增|净增|年增|增值|降水|提高到|增长到)$").search(p):
        if _re(r"(?<![降减提增])(?:多|少|高|低)$").search(p) and not _re(r"(?:比|较)[^，,。；;]{1,16}(?:多|少|高|低)$").search(p):
            return "level"
        return "change"
    if _re(r"(?:增速|增幅|涨幅|降幅|跌幅|增长率|增长速度|上涨率)(?:为|达到|达|是)?$").search(p):
        return "change"
    if c.unit in ("%", "‰") and _re(r"(?:同比|环比)$").search(p):
        return "change"  # CPI同比-0.3%: a rate of change with no verb
    return "level"


def _reference_spans(sent: str) -> list[tuple[int, int, str]]:
    out = []
    for rx in _REF_PATTERNS:
        for m in rx.finditer(sent):
            ref = m.group("ref").strip()
            if ref.startswith(("上年", "去年")) and len(ref) <= 3:
                ref = ref[:2]
            ym = _re(r"((?:19|20)\d\d)年?").fullmatch(ref)
            if ym:
                ref = ym.group(1)
            out.append((m.start(), m.end(), ref))
    out.sort()
    return out


def _clean_subject(s: str, refs: list[tuple[int, int, str]] | None = None) -> str:
    s = _re(r"与[^，,。；;：:]{1,20}?相比").sub("", s)
    s = _re(r"(?:相比|比|较之|较)(?:上年|去年|上年同期|去年同期|同期|(?:19|20)\d\d年?(?:底|末)?|“十[一二三四五六七八九]五”(?:末|期间|时期)?)").sub("", s)
    s = _re(r"同比|环比").sub("", s)
    s = _re(r"占[^，,。；;]*$").sub("", s)
    s = _re(r"相当于[^，,。；;]*$").sub("", s)
    s = _re(r"(?:排名)?从$").sub("", s)
    k = s.rfind("从")
    if k >= 2:  # 电子政务排名从2012年的 -> 电子政务排名
        s = s[:k]
    s = _re(r"由(?:[^，,。；;]{0,12})$").sub("", s) if _re(r"由(?:\d|[一二三四五六七八九十])").search(s) else s
    for _ in range(4):
        s2 = _TRAIL_STRIP.sub("", s)
        s2 = _LEAD_STRIP.sub("", s2)
        s2 = s2.strip(" \u3000\t—-·《》、")
        if s2 == s:
            break
        s = s2
    s = _MODAL_END.sub("", s)  # once, after the loop: 经济增长预期 -> 经济增长, not 经济
    s2 = _re(r"^(?:建设|建成|培育|打造|认定|发布|推出|出台|制定|实施|开展|形成|拥有|惠及|带动|吸引|新建|建立|组建|部署|上线|开通|累计建成|覆盖|发行|安排|增发|下达|投入|综合提升|提升|提高|降低|减少|增加|布局了|布局|推出了|集聚)").sub("", s)
    if len(s2) >= 2:
        s = s2
    if len(_re(r"[\W\d_]").sub("", s)) < 2:
        return ""
    return s


_COUNT_UNITS = {"个", "户", "家", "项", "件", "名", "位", "所", "座", "台", "套", "条", "种", "类", "篇", "部", "份", "辆", "架",
                "艘", "颗", "批", "款", "个新型", "人", "人次"}
_MEASURE_NOUN_END = r"(?:量|数|额|规模|率|值|人数|里程|面积|容量|用户|主体|企业|数据集|总数|总量|投资|产品|就业|收入|支出|债券|国债|小区|住房|危房|农田|公路|项目|资金|人口|居民)$"
_VERB_SUBJECTS = {"上架", "增发", "发行", "新增", "惠及", "安排", "带动", "吸引", "帮助", "培训", "支持", "建成", "建设", "完成",
                  "实现", "达到", "突破", "超过"}


_CONTEXT = 120  # characters of clause before a number read for its kind and subject
_SUBJ_BOUND_NOQUOTE = re.compile(r"[。！？!?\n，,；;：:【】]")


def _inside(refs: list[tuple[int, int, str]], pos: int) -> bool:
    return any(ra <= pos < rb for ra, rb, _ in refs)


def _without_refs(t: str, start: int, end: int, ss: int, refs: list[tuple[int, int, str]],
                  ref_starts: list[int]) -> str:
    """``t[start:end]`` without the comparison bases (与上年相比) in it; ``refs`` are sentence-relative."""
    out, pos = [], start
    k = max(0, bisect.bisect_right(ref_starts, start - ss) - 1)
    # refs may nest (one pattern inside another's span): walk them in order and skip what they cover
    while k < len(refs) and refs[k][0] + ss < end:
        ra, rb = refs[k][0] + ss, refs[k][1] + ss
        if rb > pos:
            if ra > pos:
                out.append(t[pos:ra])
            pos = max(pos, rb)
        k += 1
    if pos < end:
        out.append(t[pos:end])
    return "".join(out)


def extract_claims(text: str, doc_date: str | None = None, *, spans: bool = False,
                   rejected: dict[str, int] | None = None) -> list[dict]:
    """Numeric claims in ``text`` as contract section-5 dicts, in text order.

    ``doc_date`` (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) resolves relative times (今年, 截至6月底).
    Ranges (3~5个) get ``value`` = the low end, ``qualifier`` ``>=`` and an extra ``value_max``.
    With ``spans=True`` each claim also carries ``num_start``/``num_end``: the numeral and its unit.
    ``rejected``, a dict, counts the candidate numbers turned down, by :func:`reject_reason`.
    """
    if not text:
        return []
    t = to_halfwidth(text)
    sentences = [(u["start"], u["end"]) for u in split_sentences(t, end_marks=CLAIM_END_MARKS)]
    if not sentences:
        return []
    bounds = _Boundaries.of(t)
    read: dict[int, _Sentence] = {}
    last_claim: dict[int, dict] = {}  # the previous claim of each sentence
    claims: list[dict] = []
    si = 0
    for c in _prose_numbers(find_numbers(text)):
        while si < len(sentences) - 1 and sentences[si][1] <= c.start:
            si += 1
        ss, se = sentences[si]
        if not (ss <= c.start < se):
            continue
        reason = reject_reason(t, c)
        if reason:
            if rejected is not None:  # counted by reason (policytext.stats); the part in brackets is an example
                key = reason.split(" (")[0]
                rejected[key] = rejected.get(key, 0) + 1
            continue
        if c.special is None and is_rank(t, c):
            c = replace(c, special="rank")
        if si not in read:
            read[si] = _read_sentence(t, ss, se, doc_date)
        claim = _claim(t, text, c, read[si], se, last_claim.get(si), bounds, doc_date)
        if spans:
            claim["num_start"], claim["num_end"] = c.start, c.end
        claims.append(claim)
        last_claim[si] = claim
    _share_list_units(claims)
    for claim in claims:
        del claim["_num_end"], claim["_listed"]
    return claims


def _prose_numbers(cands: list[Candidate]) -> Iterator[Candidate]:
    """The candidates, without those packed one after another (1%1%1%…, 1至1至…, 1、2、3、…: a
    table or noise, not prose): past a few, they are skipped before any rule runs (keeps the
    stage linear on such runs)."""
    chain, last_end = 0, -10
    for c in cands:
        chain = chain + 1 if c.start - last_end <= _CHAIN_GAP else 0
        last_end = c.end
        if chain < _CHAIN_MAX:
            yield c


@dataclass
class _Boundaries:
    """Clause ends and parentheses of the whole text, looked up by bisection, so that each
    number costs the same on any input."""

    clause_ends: list[int]
    opens: list[int]
    closes: list[int]

    @classmethod
    def of(cls, t: str) -> "_Boundaries":
        return cls([m.end() for m in _SUBJ_BOUND_NOQUOTE.finditer(t)],
                   [m.start() for m in _re(r"[(（]").finditer(t)],
                   [m.start() for m in _re(r"[)）]").finditer(t)])


@dataclass
class _Sentence:
    """What the rules read once per sentence; offsets relative to ``start``."""

    start: int
    refs: list[tuple[int, int, str]]  # comparison bases (与上年相比, 同比)
    ref_starts: list[int]
    free_times: list[tuple[int, int, str]]  # time expressions outside comparison bases
    free_time_ends: list[int]
    targets: list[tuple[int, int]]  # (end, start) of target cues (力争, 目标是)
    forecasts: list[tuple[int, int]]  # (end, start) of forecast cues (预计, 有望)


def _read_sentence(t: str, start: int, end: int, doc_date: str | None) -> _Sentence:
    sent = t[start:end]
    refs = _reference_spans(sent)
    free_times = [(a, b, v) for a, b, v in find_times(sent, doc_date) if not _inside(refs, a)]
    return _Sentence(start, refs, [a for a, _, _ in refs], free_times, [b for _, b, _ in free_times],
                     [(m.end(), m.start()) for m in TARGET_CUES.finditer(sent)],
                     [(m.end(), m.start()) for m in FORECAST_CUES.finditer(sent)])


def _claim(t: str, text: str, c: Candidate, sentence: _Sentence, sentence_end: int, prev: dict | None,
           bounds: _Boundaries, doc_date: str | None) -> dict:
    """The claim of candidate ``c`` (not rejected) in half-width text ``t``; ``prev`` is the
    previous claim of the same sentence. Keys ``_num_end`` and ``_listed`` are for the caller."""
    clause_start, after_prev = _clause_start(c, sentence.start, prev, bounds)
    clause_prefix = t[max(clause_start, c.start - _CONTEXT):c.start]
    listed = _is_listed(t, c, prev)
    kind = _claim_kind(t, c, clause_start, clause_prefix, prev if after_prev else None, prev if listed else None)
    at = c.start - sentence.start
    time = _claim_time(sentence, at)
    modality = _modality(sentence, at)
    if modality == "actual" and after_document_date(time, doc_date):
        modality = "target"
    subject, subject_start = _claim_subject(t, c, clause_start, sentence, sentence_end, prev, after_prev)
    start = subject_start if subject_start is not None else _skip_lead(t, clause_start, c.start)
    claim = {
        "start": start,
        "end": c.end,
        "text": text[start:c.end],
        "subject": subject,
        "value": c.value,
        "unit": None if kind == "rank" else c.unit,
        "qualifier": _qualifier(t, c, clause_start)[0],
        "kind": kind,
        "modality": modality,
        "time": time,
        "reference": _claim_reference(c, kind, sentence, at, prev, listed),
    }
    if c.value_max is not None:
        claim["value_max"] = c.value_max
    claim["_num_end"], claim["_listed"] = c.end, listed
    return claim


def _clause_start(c: Candidate, sentence_start: int, prev: dict | None, bounds: _Boundaries) -> tuple[int, bool]:
    """Where the number's clause starts, and whether that is the end of the previous claim.

    The last clause boundary before the number (a quote counts only with a comma after it,
    which is itself a boundary), or the end of the previous claim; an unclosed parenthesis before
    the number opens the clause (``…(1PB可存储约…``)."""
    k = bisect.bisect_right(bounds.clause_ends, c.start) - 1
    start = max(sentence_start, bounds.clause_ends[k]) if k >= 0 else sentence_start
    after_prev = prev is not None and prev["_num_end"] > start
    if after_prev:
        start = prev["_num_end"]
    k = bisect.bisect_left(bounds.opens, c.start) - 1
    if k >= 0 and bounds.opens[k] >= start:
        paren = bounds.opens[k]
        k = bisect.bisect_left(bounds.closes, paren)
        if k >= len(bounds.closes) or bounds.closes[k] >= c.start:
            start = paren + 1
    return start, after_prev


def _is_listed(t: str, c: Candidate, prev: dict | None) -> bool:
    """The number follows the previous claim in a list: ``3%、5%和7%``."""
    return prev is not None and c.start - prev["_num_end"] <= 4 and \
        _re(r"\s*(?:、|和|与|及|或)\s*").fullmatch(t[prev["_num_end"]:c.start] or "x") is not None


def _claim_kind(t: str, c: Candidate, clause_start: int, clause_prefix: str, continued: dict | None,
                listed_after: dict | None) -> str:
    """:func:`_kind` of the number, then what its neighbours say: ``continued`` is the previous
    claim when this clause starts at its end, ``listed_after`` the previous claim when this number
    follows it in a list (a list of changes or shares is one kind)."""
    kind = _kind(t, c, clause_prefix, "")
    if (continued is not None and continued["kind"] == "share" and c.unit == continued["unit"]
            and _re(r"(?:到|至)(?:了)?(?:目前|现在|当前|去年|今年|上年|(?:19|20)\d\d年)?(?:的)?(?:近|约|超过|超)?$").search(clause_prefix)):
        kind = "share"  # 占比从12%提高到15%
    if kind == "level" and c.unit in ("%", "‰"):
        if _re(r"的[\u4e00-\u9fff]").match(t[c.end:c.end + 2]) and not _re(r"的(?:较低|较高|增长|速度|水平|区间|目标|高位|低位|幅度|涨幅|增幅|税率|利率|费率|比例|标准)").match(t[c.end:c.end + 5]):
            kind = "share"  # 30%的企业
        elif _re(r"(?:综合|平均|进一步|大幅|有效)?(?:提升|提高|降低|减少|增加|压减|缩短)(?![到至为])").match(t[clause_start:min(c.start, clause_start + 40)].lstrip(" ，,")) \
                and not _re(r"(?:到|至|为)(?:了)?(?:目前的)?(?:平均)?$").search(clause_prefix):
            kind = "change"  # 降低……30%
    if listed_after is not None and kind == "level" and listed_after["kind"] in ("change", "share", "multiple"):
        kind = listed_after["kind"]
    return kind


def _modality(sentence: _Sentence, at: int) -> str:
    """``target``/``forecast`` from the cues in the sentence before the number (the last target
    cue, the first forecast cue), else ``actual``."""
    k = bisect.bisect_right(sentence.targets, (at, 1 << 60)) - 1
    target = sentence.targets[k][1] if k >= 0 else -1
    forecast = sentence.forecasts[0][1] if sentence.forecasts and sentence.forecasts[0][0] <= at else -1
    if target < 0 and forecast < 0:
        return "actual"
    return "forecast" if forecast > target else "target"


def _claim_time(sentence: _Sentence, at: int) -> str | None:
    """The nearest time expression before the number that is not a comparison base."""
    k = bisect.bisect_right(sentence.free_time_ends, at) - 1
    return sentence.free_times[k][2] if k >= 0 else None


def _claim_reference(c: Candidate, kind: str, sentence: _Sentence, at: int, prev: dict | None,
                     listed: bool) -> str | None:
    """The comparison base of a change or multiple in this claim's stretch of the sentence
    (与上年相比, 比2020年); a following 同比/环比; or the base of the list the claim continues."""
    if listed and prev["kind"] == kind:
        return prev["reference"]
    if kind not in ("change", "multiple"):
        return None
    refs, ref_starts = sentence.refs, sentence.ref_starts
    lowest = (prev["_num_end"] - sentence.start) if prev is not None else 0
    k = bisect.bisect_left(ref_starts, at) - 1
    if k >= 0 and refs[k][0] >= lowest:
        return refs[k][2]
    k = bisect.bisect_left(ref_starts, at)
    while k < len(refs) and refs[k][0] - (c.end - sentence.start) <= 2:
        if refs[k][2] in ("同比", "环比"):
            return refs[k][2]
        k += 1
    return None


def _claim_subject(t: str, c: Candidate, clause_start: int, sentence: _Sentence, sentence_end: int,
                   prev: dict | None, after_prev: bool) -> tuple[str | None, int | None]:
    """The claim's subject and where it starts in ``t`` (None when it is not found there).

    The clause before the number without comparison bases, cues and fillers; or the measured
    noun after the number (增发1万亿元国债, 建成了万余家智能工厂); or the previous claim's subject."""
    subject = _subject_before(t, c, clause_start, sentence, after_prev)
    start = None
    if subject:
        k = t.find(subject, clause_start, c.start)
        start = k if k >= 0 else None
    noun = _noun_after(t, c, sentence_end)
    if noun and (not subject or subject in _VERB_SUBJECTS or (_counts(t, c) and not re.search(_MEASURE_NOUN_END, subject))):
        subject, start = noun, None
    if not subject and prev is not None and prev.get("subject"):
        subject = prev["subject"]
    return subject or None, start


def _subject_before(t: str, c: Candidate, clause_start: int, sentence: _Sentence, after_prev: bool) -> str:
    text = _without_refs(t, max(clause_start, c.start - _CONTEXT), c.start, sentence.start, sentence.refs,
                         sentence.ref_starts)
    text = _re(r"[(（][^()（）]*[)）]").sub("", text)
    if after_prev and "、" in text:
        text = text[text.rfind("、") + 1:]
    return _clean_subject(text)


def _noun_after(t: str, c: Candidate, sentence_end: int) -> str | None:
    """The noun right after the number and its unit (1200多类产品), if any."""
    m = _re(r"(?:以上|以下|左右)?的?([\u4e00-\u9fffA-Za-z“”]{2,12}?)(?=受益|参与|支持|用于|投入|装上|实现|发放|享受|获得|参加|接受|使用|出棚|全部|在|的|[，,。；;：:、（(]|$)").match(t[c.end:min(sentence_end, c.end + 40)])
    if m is None or _re(r"(?:以上|以下|左右|增长|下降|提高|同比|比上年|受益|在|是|为|以|被|将|已|于|到|和|与|及|等|多|余|次|年|月)").match(m.group(1)):
        return None
    return m.group(1)


def _counts(t: str, c: Candidate) -> bool:
    """The number counts things (个, 家, 人; 10000 and more without a unit; 30%的企业)."""
    return c.unit in _COUNT_UNITS or (c.unit is None and c.value >= 10000) or (
        c.unit in ("%", "‰") and t[c.end:c.end + 4].lstrip("以上下左右").startswith("的"))


def _skip_lead(t: str, start: int, end: int) -> int:
    """``start`` moved past spaces, quotes and dashes (the claim's text starts at a word)."""
    while start < end and (t[start].isspace() or t[start] in "“”\"'—-·、"):
        start += 1
    return start


def _share_list_units(claims: list[dict]) -> None:
    """10.6万、3.8万、3.3万平方公里: the unit written once at the end of a list applies to all."""
    for i in range(len(claims) - 2, -1, -1):
        a, b = claims[i], claims[i + 1]
        if a["unit"] is None and b["unit"] and a["kind"] != "rank" and b["_listed"]:
            a["unit"] = b["unit"]
