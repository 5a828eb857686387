"""Misaligned double-byte GBK spans (``規?;\\ue1f6魍ㄊ顷P鍵`` = 規模化流通是關鍵).

What happened to such a span: GBK bytes were decoded one byte off. The byte that fell out of
step is shown as ``?`` (the *orphan*); every following pair is a trail byte glued to the next
lead byte, which gives rare characters, bopomofo, and private-use code points for undefined
pairs; full-width punctuation among them (row A3) was later folded to ASCII (``；`` -> ``;``).
The decoder falls back in step at an ASCII trail byte (``時`` = 95 72 shows as ``睍r``) or at a
second orphan ``?`` (the trail byte of the span's last character).

Repair: from each ``?`` re-encode the following characters to GBK bytes (full-width for folded
ASCII), realign by putting the unknown orphan byte in front, decode the pairs, and fill each
unknown byte with the reading the bigram table and the document's own vocabulary like best.
A hypothesis is accepted only when it raises the bigram plausibility of its window clearly.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from ...alignment import Edit, apply_edits
from .gbk import decode_pair, gbk_bytes, is_pua, lead_candidates, trail_candidates
from .scoring import bigram_logprobs, to_scoring_form, transition_logp

__all__ = ["find_misaligned_gbk", "find_unrepaired_mojibake", "MisalignedConfig"]

# the interior of a run of five or more '?' (or U+FFFD) starts no span: nothing there to realign,
# and trying every position made such runs the repair's slowest input (issue #18)
_TRIGGER = re.compile(r"(?:(?<!\?\?)\?|\?(?!\?\?))(?=[^\x00-\x20\x30-\x39])")
#: After this many '?' in a row that start no repair, only every _SAMPLE_EVERY-th is tried: text
#: full of stray '?' (or U+FFFD) is not misaligned GBK, and a misaligned stretch holds many '?'.
_MAX_FRUITLESS = 200
_SAMPLE_EVERY = 16
#: '?' read as a folded full-width '？' inside one hypothesis, at most (each one forks the walk)
_MAX_QMARKS = 2
_MAX_RUN = 400
_MAX_FULLWIDTH = 40
_CTX = 4
PLACEHOLDER = "\ufffd"
#: In pinyin-injected text the orphan ``?`` can stand where an annotation's ``(`` was: the lead
#: byte, the annotation's syllable and ``)``, then the bytes one off (``當(dāng)?shù)鼐用竦臎_突`` =
#: 當(dāng)地居民的衝突): the annotation is read as part of the damage and the bytes after it realigned.
_TRAILING_ANNOTATION = re.compile("[(（][a-zA-Z\u00e0-\u00fc\u0101-\u01dc ]{1,12}[)）]$")
_ANNOTATION_AFTER_ORPHAN = re.compile("[a-zA-Z\u00e0-\u00fc\u0101-\u01dc]{1,7}[)）]")


@dataclass(frozen=True)
class MisalignedConfig:
    min_gain: float = 2.5  # mean log-prob per char the repaired window must gain
    min_gain_strong: float = 1.0  # the same when the span holds private-use code points or '??'
    min_score: float = -9.5  # mean log-prob per char the repaired span must reach
    min_score_strong: float = -12.0
    fill_margin: float = 1.5  # log-prob margin for filling a lost character instead of a placeholder
    # mean log-prob per char the repaired window must gain over the span with its '?' deleted
    # (lossy re-encoding: ``中?政府网`` stays as it is)
    min_gain_deleted: float = 1.5
    # log-prob (nats) by which two characters around a lost GBK pair must read better than the one
    # character the realignment made of their outer bytes before the span is flagged there
    lost_pair_margin: float = 8.0


def _hypotheses(text: str, p: int) -> list[tuple[int, list[int | None]]]:
    """(end, bytes) for each way the run after the orphan ``?`` at ``p`` can end.

    ``bytes`` starts with None (the lost orphan byte); a trailing None is a lost trail byte.
    Pairs are checked while walking, so impossible hypotheses are dropped early.
    """
    out: list[tuple[int, list[int | None]]] = []
    n = len(text)

    def valid_tail(bs: list[int | None]) -> bool:
        # the last complete pair (pairs start at even indexes; pair 0 holds the unknown orphan)
        k = len(bs)
        j = k - 2 if k % 2 == 0 else k - 3
        if j < 2:
            return True
        a, b = bs[j], bs[j + 1]
        return a is not None and b is not None and decode_pair(a, b) is not None

    def walk(i: int, bs: list[int | None], fullwidth: int, wide_chars: int, qmarks: int = 0) -> None:
        while i < n and i - p <= _MAX_RUN:
            c = text[i]
            o = ord(c)
            if c == "\u20ac" and wide_chars:  # cp936 decodes a lone 0x80 byte as the euro sign
                cand = bs + [0x80]
                if valid_tail(cand):
                    out.append((i + 1, cand))
            if o >= 0x80:
                b = gbk_bytes(c)
                if b is None:
                    return
                bs = bs + [b[0], b[1]]
                if not valid_tail(bs[:-1]) or not valid_tail(bs):
                    return
                wide_chars += 1
                i += 1
                continue
            if wide_chars:
                if c == "?":
                    out.append((i + 1, bs + [None]))
                elif 0x40 <= o <= 0x7E:
                    cand = bs + [o]
                    if valid_tail(cand):
                        out.append((i + 1, cand))
            if 0x21 <= o <= 0x7E and fullwidth < _MAX_FULLWIDTH and (wide_chars or not c.isalnum()) \
                    and (c != "?" or qmarks < _MAX_QMARKS):
                nb = bs + [0xA3, o + 0x80]
                if valid_tail(nb[:-1]) and valid_tail(nb):
                    walk(i + 1, nb, fullwidth + 1, wide_chars + 1, qmarks + (c == "?"))
            return

    walk(p + 1, [None], 0, 0)
    return out


@lru_cache(maxsize=1 << 15)
def _lp(text: str) -> tuple[float, ...]:
    """Bigram log-probabilities of ``text`` (remembered: windows recur in repeated damage)."""
    return tuple(bigram_logprobs(to_scoring_form(text), prepared=True))


def _mean(xs) -> float:
    return sum(xs) / len(xs) if xs else -20.0


_COUNTS: list = [None, None, None]  # (text, bigram counts, trigram counts) of the last document


def _ngram_counts(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """Character bigram and trigram counts of ``text`` (cached for the document being repaired:
    ``str.count`` over the whole text for every candidate was most of the stage's time)."""
    if _COUNTS[0] is not text:
        from collections import Counter

        bi = Counter(text[i : i + 2] for i in range(len(text) - 1))
        tri = Counter(text[i : i + 3] for i in range(len(text) - 2))
        _COUNTS[:] = [text, bi, tri]
    return _COUNTS[1], _COUNTS[2]


_FILLS: list = [None, {}]  # (text, {(cands, left, right): result}) of the last document


def _fill(cands: tuple[str, ...], left: str, right: str, text: str) -> tuple[str, float, list[str]]:
    """Best reading of a lost character after ``left`` (one char) and before ``right`` (up to two
    chars): (char, margin over the runner-up, top three). Remembered per document: the same
    context recurs (a repeated damaged pattern) and scoring it is the repair's costliest step."""
    if _FILLS[0] is not text:
        _FILLS[:] = [text, {}]
    key = (id(cands), len(cands), left, right)  # candidate tuples are cached by gbk.py: ids are stable
    memo = _FILLS[1]
    if key not in memo:
        memo[key] = _score_fill(cands, left, right, text)
    best, margin, top = memo[key]
    return best, margin, list(top)


def _score_fill(cands: tuple[str, ...], left: str, right: str, text: str) -> tuple[str, float, list[str]]:
    scored = []
    for ch in cands:
        s = transition_logp(left, ch) + (transition_logp(ch, right[0]) if right else 0.0)
        scored.append((s, ch))
    scored.sort(reverse=True)
    top = scored[:6]
    # the document's own vocabulary: how often the candidate sits beside the same neighbours
    rescored = []
    bi, tri = _ngram_counts(text)
    for s, ch in top:
        bonus = 0.0
        if left:
            bonus += math.log1p(bi.get(left + ch, 0))
        if right:
            bonus += math.log1p(bi.get(ch + right[0], 0))
        if len(right) > 1:
            bonus += math.log1p(tri.get(ch + right[:2], 0))
        rescored.append((s + bonus, ch))
    rescored.sort(reverse=True)
    best_s, best = rescored[0]
    margin = best_s - rescored[1][0] if len(rescored) > 1 else 10.0
    return best, margin, [c for _, c in rescored[:3]]


def _decode(bs: list[int | None], text: str, left: str, right: str, cfg: MisalignedConfig):
    """Decode realigned bytes; returns (chars, fills) or None. ``fills`` maps index -> info."""
    if len(bs) % 2:
        return None
    chars: list[str | None] = []
    for k in range(0, len(bs), 2):
        a, b = bs[k], bs[k + 1]
        if a is None and b is None:
            return None
        if a is None or b is None:
            chars.append(None)
            continue
        ch = decode_pair(a, b)
        if ch is None:
            return None
        chars.append(ch)
    fills: dict[int, tuple[str, float, list[str]]] = {}
    for idx, ch in enumerate(chars):
        if ch is not None:
            continue
        a, b = bs[2 * idx], bs[2 * idx + 1]
        cands = lead_candidates(b) if a is None else trail_candidates(a)  # type: ignore[arg-type]
        if not cands:
            return None
        lft = chars[idx - 1] if idx > 0 else (left[-1:] if left else "")
        rgt = ""
        for c in chars[idx + 1 : idx + 3]:
            if c is None:
                break
            rgt += c
        else:
            if len(rgt) < 2:
                rgt = (rgt + right)[:2]
        best, margin, top = _fill(cands, lft or "", rgt, text)
        chars[idx] = best
        fills[idx] = (best, margin, top, cands, lft or "", rgt)
    return chars, fills


def find_misaligned_gbk(text: str, cfg: MisalignedConfig | None = None) -> list[Edit]:
    """Edits that realign GBK spans decoded one byte off (see module docstring)."""
    cfg = cfg or MisalignedConfig()
    if "\ufffd" in text:
        # a decoder that replaces instead of showing '?' (Python's errors="replace") leaves U+FFFD
        # for the orphan byte: the same character count, so edits on this view fit ``text``
        text = text.replace("\ufffd", "?")
    if "?" not in text:
        return []
    found: list[tuple] = []
    pure_spans = 0
    covered = -1
    fruitless = 0  # triggers tried in a row without a repair
    for k, m in enumerate(_TRIGGER.finditer(text)):
        p = m.start()
        if p < covered:
            continue
        if fruitless >= _MAX_FRUITLESS and k % _SAMPLE_EVERY:
            continue  # a long stretch of '?' that realigns nowhere: look at every 16th only (#18)
        fruitless += 1
        hyps = [(end, bs, False) for end, bs in _hypotheses(text, p)]
        ann = _ANNOTATION_AFTER_ORPHAN.match(text, p + 1)
        if ann and ann.end() < len(text) and ord(text[ann.end()]) >= 0x80:
            skip = ann.end() - p - 1  # realign what follows the annotation, as if it were not there
            view = text[: p + 1] + text[ann.end() :]
            hyps += [(end + skip, bs, True) for end, bs in _hypotheses(view, p)]
        if not hyps:
            continue
        left = text[max(0, p - _CTX) : p]
        if left.endswith((")", "）")):  # the annotation of the character before: score against that character
            left = _TRAILING_ANNOTATION.sub("", text[max(0, p - _CTX - 12) : p])[-_CTX:]
        best = None
        for end, bs, split_annotation in hyps:
            right = text[end : end + _CTX]
            dec = _decode(bs, text, left, right, cfg)
            if dec is None:
                continue
            chars, fills = dec
            repaired = "".join(chars)  # type: ignore[arg-type]
            if len(repaired) < 2:
                continue
            # evidence: characters decoded from realigned pairs, not filled in
            fixed = len(chars) - len(fills)
            strong = "??" in text[p:end] or any(is_pua(c) for c in text[p:end])
            if fixed < (0 if strong else 2):
                continue
            new_lp = _lp(left + repaired + right)
            old_lp = _lp(left + text[p:end] + right)
            span_lp = _lp(left[-1:] + repaired)[1 if left else 0 :]
            gain = _mean(new_lp) - _mean(old_lp)
            # the span read with its '?' as characters lost in re-encoding (a page saved in a codec
            # that lacks them: ``中?政府网``), not as bytes out of step: the realignment must beat it too
            pure = not text[p:end].strip("?")
            if not pure:
                del_lp = _lp(left + text[p:end].replace("?", "") + right)
                if _mean(new_lp) - _mean(del_lp) < cfg.min_gain_deleted:
                    continue
            # private-use code points or a run of '?' cannot be clean text: a smaller gain will do
            if gain < (cfg.min_gain_strong if strong else cfg.min_gain) or \
                    _mean(span_lp) < (cfg.min_score_strong if strong else cfg.min_score):
                continue
            if best is None or gain > best[0]:
                best = (gain, end, chars, fills, bs, pure)
        if best is None:
            continue
        found.append((p,) + best[:5])
        fruitless = 0
        pure_spans += best[5]
        covered = best[1]
    # a run of '?' alone is evidence only in a document that shows misaligned spans elsewhere
    if not found or pure_spans == len(found):
        return []
    # second look at uncertain lost characters, with the document's vocabulary as repaired
    def sure(chars, fills):
        return "".join(PLACEHOLDER if k in fills and fills[k][1] < cfg.fill_margin else c for k, c in enumerate(chars))

    preview_edits = [Edit(p, end, sure(chars, fills), kind="preview") for p, _, end, chars, fills, _ in found]
    preview = apply_edits(text, preview_edits)[0]
    edits: list[Edit] = []
    for p, gain, end, chars, fills, bs in found:
        for idx, info in list(fills.items()):
            if info[1] < cfg.fill_margin:
                best_ch, margin, top = _fill(info[3], info[4], info[5], preview)
                fills[idx] = (best_ch, margin, top) + info[3:]
                chars[idx] = best_ch
        lost = _lost_pairs(chars, fills, text[max(0, p - 1) : p], text[end : end + 1], cfg)
        edits.extend(_span_edits(text, p, end, gain, chars, fills, bs, cfg, lost))
    return edits


#: trail bytes after which the next pair (this byte, the next character's lead byte) is undefined
#: in GBK (user-defined areas AAA1-AFFE, F8A1-FEFE, A140-A7A0): a decoder one byte off shows a
#: private-use code point there, which scrapers often drop, taking two bytes with it
_LOSS_TRAILS_HIGH = tuple(range(0xAA, 0xB0)) + tuple(range(0xF8, 0xFF))  # next lead A1-FE
_LOSS_TRAILS_LOW = tuple(range(0xA1, 0xA8))  # next lead 81-A0


def _lost_pairs(chars: list[str], fills: dict, left: str, right: str,
                cfg: MisalignedConfig) -> dict[int, str]:
    """Realigned characters that are more likely two characters around a lost byte pair:
    ``{index: the likeliest two characters}``.

    When the pair (trail byte of one character, lead byte of the next) was a private-use code point
    that vanished from the page, realignment glues the first character's lead byte to the second's
    trail byte: one wrong character (``十四`` = CA AE CB C4 -> ``誓`` = CA C4). Such a character is
    suspected when some first character (its lead byte, a trail byte that makes the next pair
    undefined) and second character (any lead byte, its trail byte) read better between its
    neighbours by ``cfg.lost_pair_margin``."""
    out: dict[int, str] = {}
    for idx, ch in enumerate(chars):
        if idx in fills or idx == 0:
            continue
        b = gbk_bytes(ch)
        if b is None:
            continue
        lft = chars[idx - 1] if idx > 0 else left
        rgt = chars[idx + 1] if idx + 1 < len(chars) else right
        base = transition_logp(lft, ch) + (transition_logp(ch, rgt) if rgt else 0.0)
        if base > -12.0:
            continue  # reads well enough where it stands
        firsts = []
        for x in _LOSS_TRAILS_HIGH + _LOSS_TRAILS_LOW:
            c1 = decode_pair(b[0], x)
            if c1 is not None:
                firsts.append((transition_logp(lft, c1), c1, x))
        firsts.sort(reverse=True)
        best = None
        for s1, c1, x in firsts[:4]:
            leads = range(0xA1, 0xFF) if x >= 0xAA else range(0x81, 0xA1)
            for y in leads:
                c2 = decode_pair(y, b[1])
                if c2 is None:
                    continue
                sc = s1 + transition_logp(c1, c2) + (transition_logp(c2, rgt) if rgt else 0.0)
                if best is None or sc > best[0]:
                    best = (sc, c1 + c2)
        if best is not None and best[0] - base >= cfg.lost_pair_margin:
            out[idx] = best[1]
    return out


def _span_edits(text, p, end, gain, chars, fills, bs, cfg, lost: dict[int, str] | None = None) -> list[Edit]:
    edits = []
    conf_span = max(0.5, min(0.95, 0.5 + gain / 10.0))
    lost = lost or {}
    if lost:  # two characters lost inside the span for each: placeholders, and a low confidence
        chars = [PLACEHOLDER * 2 if k in lost else c for k, c in enumerate(chars)]
        conf_span = 0.2
    last_idx = len(chars) - 1
    last_fill = fills.get(last_idx) if bs[-1] is None else None
    # the lost lead byte: the orphan '?' becomes the first character
    edits.append(_fill_edit(p, fills.get(0), chars[0], cfg))
    mid_end = end - 1 if last_fill is not None else end
    mid_chars = "".join(chars[1:last_idx] if last_fill is not None else chars[1:])
    before = text[p + 1 : mid_end]
    note = f"GBK bytes decoded one byte off, realigned ({before!r} -> {mid_chars!r}, +{gain:.1f} log-prob/char)"
    if lost:
        note += (f"; {len(lost)} byte pair(s) lost inside the span (a dropped private-use character): "
                 f"{2 * len(lost)} character(s) unrecoverable, left as U+FFFD (likely "
                 + ", ".join(repr(v) for v in lost.values()) + ")")
    edits.append(Edit(p + 1, mid_end, mid_chars, kind="mojibake_gbk_misaligned", confidence=round(conf_span, 3),
                      note=note))
    if last_fill is not None:
        edits.append(_fill_edit(end - 1, last_fill, chars[last_idx], cfg, trailing=True))
    return edits


def _fill_edit(pos: int, fill, ch: str, cfg: MisalignedConfig, trailing: bool = False) -> Edit:
    which = "trail" if trailing else "lead"
    if fill is None:  # pragma: no cover - the orphan is always unknown
        return Edit(pos, pos + 1, ch, kind="mojibake_gbk_misaligned", confidence=0.8)
    best, margin, top = fill[:3]
    if margin >= cfg.fill_margin:
        conf = round(min(0.8, 0.4 + margin / 10.0), 3)
        return Edit(pos, pos + 1, best, kind="mojibake_lost_byte", confidence=conf,
                    note=f"lost GBK {which} byte; filled with the most likely reading {best!r} "
                         f"(bigram table + document vocabulary, margin {margin:.1f}; next: {''.join(top[1:])})")
    return Edit(pos, pos + 1, PLACEHOLDER, kind="mojibake_lost_byte", confidence=0.1,
                note=f"lost GBK {which} byte; character unrecoverable, placeholder (candidates: {''.join(top)})")


_RARE_RUN = re.compile(r"[\ue000-\uf8ff]+")


def find_unrepaired_mojibake(text: str) -> list[Edit]:
    """Flag private-use code points left after repair: replaced by U+FFFD, low confidence."""
    edits = []
    for m in _RARE_RUN.finditer(text):
        s, e = m.span()
        # widen the flagged span over neighbouring characters that look like the same damage
        ctx = text[max(0, s - 3) : min(len(text), e + 3)]
        edits.append(Edit(s, e, PLACEHOLDER * (e - s), kind="mojibake_unrepaired", confidence=0.05,
                          note=f"private-use code point(s) {' '.join(f'U+{ord(c):04X}' for c in m.group())} "
                               f"(undecodable GBK pair) in {ctx!r}; not repairable"))
    return edits
