"""Why a candidate number is not a claim: :func:`reject_reason` (a table of negatives: dates,
codes, section numbers, names in quotes and titles, ...) and :func:`is_rank` (an ordinal that is a
rank claim)."""

from __future__ import annotations

from .candidates import Candidate
from .tables import (RANK_BEFORE, _CHANGE_RE, _CLAUSE_BOUND, _CN_COUNT_UNITS, _CN_SINGLE_COUNT_UNITS,
                     _COUNT_VERB_BEFORE, _QB, _SKIP_AFTER, _re)

__all__ = ["is_rank", "reject_reason"]

# --------------------------------------------------------------------------- negatives
def has_digit_fn(s: str) -> bool:
    return bool(_re(r"\d").search(s))


def is_rank(t: str, c: Candidate) -> bool:
    """An ordinal that is a rank claim: ``居全球第3位``, ``排名第5``, ``第 2 名``."""
    s = c.start
    if not (s > 0 and (t[s - 1] == "第" or (t[s - 1] == " " and t[max(0, s - 12):s].endswith("第 ")))):
        return False
    return bool(_re(r"\s*(?:位|名)").match(t[c.num_end:c.num_end + 80]) or RANK_BEFORE.search(t[max(0, s - 12):s - 1]))


def reject_reason(t: str, c: Candidate) -> str | None:
    """Why candidate ``c`` in (half-width) text ``t`` is not a claim, or None if it may be one.

    Reads ``c`` and never changes it (a rank, ``第3位``, is told by :func:`is_rank`)."""
    s, ne = c.start, c.num_end
    num = c.num_text
    before = t[max(0, s - 12):s]
    after = t[ne:ne + 8]
    prev = t[s - 1] if s > 0 else "\n"
    has_digit = bool(_re(r"\d").search(num))
    has_big = bool(_re(r"[万亿]").search(num))
    has_small = bool(_re(r"[十百千]").search(num))
    if c.special in ("frac", "pct", "fan", "cheng"):
        if c.special == "frac" and prev == "之":
            return "之一"
        if _re(r"(?:罚款|罚金|并处|处以|处)[^，。；]{0,30}$").search(t[max(0, s - 40):s]) and _re(r"罚").search(t[c.end:c.end + 30]):
            return "fine (norm, not a claim)"
        if _re(r"[^，。；]{0,20}(?:的)?(?:罚款|罚金)").match(t[c.end:c.end + 80]):
            return "fine (norm, not a claim)"
        return None
    if prev == "第" or (prev == " " and before.endswith("第 ")):
        return None if is_rank(t, c) else "ordinal (第…)"
    if prev == "之" and num == "一":
        return "之一"
    if _re(r"(?:以下|如下|下列|下面|上述|以上)(?:的)?$").search(before) and c.unit in ("个", "项", "条", "种", "类", "点", "方面"):
        return "enumeration (以下4个方面)"
    if _re(r"^[、.．)）]").match(t[ne:ne + 80]) and c.unit is None:
        line_start = s == 0 or t[s - 1] in "\n\r \u3000\t(（" or t[max(0, s - 1)] == "("
        if line_start or prev in "(（" or (t[ne] == "、" and not has_digit_fn(num) and len(num) <= 2 and prev in "、\n"):
            return "section numbering"
    if prev in "(（" and t[ne:ne + 1] in (")", "）") and c.unit is None:
        return "section numbering"
    if c.unit is None and c.extra.get("range") is None and _SKIP_AFTER.match(t[ne:ne + 80]):
        return "date/ordinal/name (" + t[ne:ne + 3] + ")"
    if c.unit in ("个",) and _re(r"个(?:一)").match(t[c.unit_end - 1:c.unit_end + 80]):
        return "name"
    if prev == "“" or t[ne:ne + 1] == "”" or (c.unit and t[c.unit_end:c.unit_end + 1] == "”" and not has_digit):
        if not has_digit:
            return "quoted name (十四五, 一带一路)"
    if _in_title(t, s, c.end, "《", "》") or (not has_digit and _in_title(t, s, c.end, "“", "”")):
        return "inside a title or quoted name (《…》, “数据二十条”)"
    # Latin context: 5G, C919, H100, GB/T 35273, PM2.5, 5G-A
    if prev.isascii() and (prev.isalpha() or prev in "/-_"):
        return "inside a Latin token"
    if prev == " " and s >= 2 and t[s - 2].isascii() and t[s - 2].isalpha():
        return "after a Latin token"
    if c.unit is None and ne < len(t) and t[ne].isascii() and t[ne].isalpha():
        return "technology/model name (5G, 3D)"
    # dates, times, versions: 2025-08-15, 10:30, 2025.08.15
    if _re(r"[:：]\d").match(t[ne:ne + 2]) or (prev in ":：" and s >= 2 and t[s - 2].isdigit()):
        return "time of day"
    if _re(r"[-/.]\d").match(t[ne:ne + 2]) or (prev in "-/." and s >= 2 and t[s - 2].isdigit() and c.extra.get("range") is None):
        return "date or code"
    if c.extra.get("range") and (_re(r"(?:19|20)\d\d").fullmatch(num[:4]) or _re(r"[月日号时]").match(t[ne:ne + 80])) \
            and _re(r"[年月日号时]").match(t[ne:ne + 80]):
        return "date range"
    if has_digit:
        digits = _re(r"\D").sub("", num.split(".")[0])
        if len(digits) >= 2 and digits.startswith("0") and "." not in num:
            return "code with leading zero"
        if len(digits) >= 8 and "," not in num and not has_big:
            return "phone/licence/code number"
        if _re(r"(?:电话|热线|传真|手机|编号|证号|备案号|备|号码|QQ|邮编|ICP|代码)[:：\s]*$").search(before):
            return "phone/licence/code number"
        if after.startswith("号") or _re(r"[〕\]］]").match(t[ne:ne + 1]) or prev in "〔[［":
            return "document number"
    # Chinese numerals without digits
    if not has_digit:
        if not has_big and not has_small:
            # single Chinese digits (一, 两, 三) are words far more often than claims
            count = (c.unit in _CN_SINGLE_COUNT_UNITS and c.value >= 2 and num not in ("二", "两")
                     and _COUNT_VERB_BEFORE.search(before) and not _re(r"[大是化型类]").match(t[c.unit_end:c.unit_end + 1]))
            if (c.unit not in ("倍",) or c.value > 10) and not count:
                return "bare Chinese digit"
        if _re(r"[百千万亿][十百千万亿]*").fullmatch(num.lstrip("数上几")) and not c.approx and prev not in "数上近超逾破约" \
                and not any(before.endswith(w) for w, _ in _QB if len(w) > 1 or w in "近逾约超"):
            return "bare magnitude word (万物, 千方百计)"
        if not has_big and (c.unit is None or c.unit not in _CN_COUNT_UNITS):
            return "Chinese numeral without a counted unit"
        if prev == "“" or t[ne:ne + 1] == "”":
            return "quoted name"
    # a plain number with neither unit nor magnitude needs a verb or qualifier before it
    if c.unit is None and not has_big and not c.extra.get("range"):
        b = _re(r"(?:了|已经|已|均|分别)$").sub("", before)
        if not (any(b.endswith(w) for w, _ in _QB) or _CHANGE_RE.search(b) or _re(r"(?:指数|数量|总数|总量|规模|得分|评分)$").search(b)):
            return "plain number without unit or cue"
    if c.unit in ("个月", "天", "小时", "分钟", "个工作日", "工作日", "秒") and not _re(r"(?:至|到|为|超过|不到|不超过|以内|缩短|压缩|延长|减少|增加|提高|达|达到|约|近|平均|长达|仅需|只需|需|在|最快|仅|只|需要|只需要|仅需要|从|原来的|由)(?:了)?$").search(before):
        return "duration without a cue"
    # durations used as time spans: 1年半时间, 3个月内, 30日内
    if c.unit in ("个月", "天", "小时", "分钟", "个工作日", "工作日", "秒") and _re(r"(?:时间|内|以内|之内|来|以来|后|前|的时间|起)").match(t[c.end:c.end + 80]):
        return "duration (time span)"
    # thresholds modifying a noun: 60岁以上老年人, 10万元以下的, 处五千元以上五万元以下罚款
    clause_before = _re(r"[，,。；;：:\n]").split(before)[-1]
    pct_claim = c.unit in ("%", "‰") and (clause_before.strip() == "" or _re(r"(?:用于|来自|集中|投向|实现|分布|位于|属于|可以|能够|是|为)").match(t[c.end:c.end + 2]))
    if c.after_qual in (">=", "<=") and c.end < len(t) and not pct_claim and not _re(r"(?:覆盖|惠及|占|达到|达|超过|带动|服务|吸引|用于|资助|培训|到|至)$").search(before):
        nxt = t[c.end]
        if nxt == "的" or ("\u4e00" <= nxt <= "\u9fff" and nxt not in "，。；、和或并且而") or _re(r"[\d一二三四五六七八九十]").match(nxt):
            return "threshold modifying a noun"
    # a condition in a legal clause: 违法所得不足十万元的，处……
    if _re(r"(?:以上|以下|以内)?的[，,；;]").match(t[c.end:c.end + 4]):
        return "condition (…的，)"
    if (_re(r"(?:并处|处以|(?<![数理置办处])处)[^，。；]{0,12}$").search(before) and _re(r"罚|没收|赔偿").search(t[c.end:c.end + 25])) \
            or _re(r"(?:罚款|罚金)[^，。；]{0,4}$").search(before) or _re(r"[^，。；]{0,14}(?:的)?(?:罚款|罚金)").match(t[c.end:c.end + 80]):
        return "fine (norm, not a claim)"
    if c.unit in ("倍",) and _re(r"以(?:上|下)?(?:的)?(?:罚款|赔偿|罚金)").match(t[c.end:c.end + 80]):
        return "fine multiple (norm)"
    # explanatory unit conversions: (1PB可存储约5亿张2MB大小的照片)
    cstart = max((m.end() for m in _CLAUSE_BOUND.finditer(t, max(0, s - 40), s)), default=max(0, s - 40))
    clause = t[cstart:cstart + 120]
    if _re(r"\s*1\s*[A-Za-z\u4e00-\u9fff]{1,6}?(?:可|相当于|等于|约合|约等于|=)").match(clause):
        return "unit conversion aside"
    # a quantity restated as the subject: 400PB的总量相当于……
    if c.unit and c.unit not in ("%", "‰") and t[c.end:c.end + 1] == "的" and t[cstart:s].strip(" “") == "":
        return "restated quantity (subject)"
    if c.unit and _re(r"(?:大小|规模|级|量级)的").match(t[c.end:c.end + 80]):
        return "size modifier"
    return None


def _in_title(t: str, s: int, e: int, opening: str, closing: str, span: int = 16) -> bool:
    """``t[s:e]`` lies inside a short ``opening…closing`` pair with no clause punctuation (a name)."""
    lo = max(0, s - span)
    k = t.rfind(opening, lo, s)
    if k < 0 or t.rfind(closing, k, s) >= 0:
        return False
    j = t.find(closing, e, e + span)
    return j >= 0 and not _re(r"[，,。；;！？!?]").search(t, k, j)
