"""Whole-text (or whole-line) CJK mojibake: text decoded with the wrong Chinese codec.

Confusions tried, as (codec the bytes were wrongly decoded with, codec they really are in):
UTF-8 read as GBK/GB18030 (``鏁版嵁`` = 数据), UTF-8 read as Big5, GBK read as Big5, Big5 read
as GBK. A line is a candidate only when its non-ASCII characters are implausible as Chinese
(unigram score from ``policytext/data/charfreq.json``); the reversal is accepted only when the
bigram score of the result is clearly higher and good in absolute terms. Lines are independent
in every one of these codecs (the newline is one ASCII byte), so each changed line is one edit.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...alignment import Edit
from ...plausibility import char_logprob_table
from .scoring import bigram_logprobs, bigram_score

__all__ = ["find_whole_text_mojibake", "CONFUSIONS"]

# (seen, true): the text is bytes-in-``true`` decoded as ``seen``
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("gb18030", "utf-8"),
    ("cp950", "utf-8"),
    ("cp950", "gbk"),
    ("gb18030", "cp950"),
)
# what to put back for a U+FFFD: the lone 0x80 a GBK decoder rejects in UTF-8 bytes, or one or
# two undecodable bytes (a double-byte codec drops either a single byte or a whole pair)
_FILLERS = {("gb18030", "utf-8"): (b"\x80", b"\xff")}
_TRIES = tuple((s, t, f) for s, t in CONFUSIONS for f in _FILLERS.get((s, t), (b"\xff", b"\xff\xff")))
_NAMES = {"gb18030": "GB18030", "gbk": "GBK", "big5": "Big5", "cp950": "Big5", "utf-8": "UTF-8"}
_LINE = re.compile(r"[^\n]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f\s\u3000]")
GATE = -10.0  # mean unigram log-prob of a line's non-ASCII chars below which reversal is tried
MIN_GAIN = 3.0
MIN_RESULT = -9.0  # document level: the reversed lines together must read as Chinese
LINE_GAIN = 1.0  # line level, once the document's confusion is known


@lru_cache(maxsize=1)
def _uncommon() -> re.Pattern:
    """Characters that are neither ASCII, space nor among the common characters of Chinese text."""
    table, _ = char_logprob_table()
    common = "".join(sorted(c for c, lp in table.items() if lp > GATE and not c.isspace()))
    common = common.replace("\\", "").replace("]", "").replace("^", "").replace("-", "")
    return re.compile(f"[^\\x00-\\x7f\\s\\u3000{re.escape(common)}]{{2,}}")


def _unigram_mean(chars: list[str]) -> float:
    table, floor = char_logprob_table()
    return sum(table.get(c, floor) for c in chars) / len(chars)


def _reverse(line: str, seen: str, true: str, filler: bytes = b"\xff") -> str | None:
    # a U+FFFD in the mojibake stands for bytes the wrong decoder dropped: keep one byte for it,
    # so the true decoder loses that character only (UTF-8 resynchronises by itself)
    # In UTF-8 read as GBK, the byte a GBK decoder cannot take is a lone 0x80 (browsers show it
    # as the euro sign): put it back, and UTF-8 decodes the character again.
    holes = "[\ufffd\u20ac]" if filler == b"\x80" else "\ufffd"
    if re.search(holes, line):
        try:
            raw = filler.join(part.encode(seen) for part in re.split(holes, line))
        except UnicodeEncodeError:
            return None
        out = raw.decode(true, errors="replace")
        out = re.sub("\ufffd+", "\ufffd", out)
        return out if out.count("\ufffd") <= max(1, len(out) // 4) else None
    try:
        raw = line.encode(seen)
    except UnicodeEncodeError:
        try:
            raw = line.encode(seen, errors="replace")
        except Exception:
            return None
    try:
        return raw.decode(true)
    except UnicodeDecodeError:
        out = raw.decode(true, errors="replace")
        # a reversal that loses more than a few characters is not the right one
        if out.count("\ufffd") > max(1, len(out) // 4):
            return None
        return out


_UTF8_CANDS = tuple(bytes((b,)) for b in range(0x80, 0xC0))
_DBCS_CANDS = tuple(bytes((b,)) for b in list(range(0x40, 0x7F)) + list(range(0x80, 0xFF)))
MAX_HOLES = 3000  # per document; beyond that the holes stay U+FFFD
FILL_MARGIN = 3.0  # summed log-prob margin for putting a lost byte back


@lru_cache(maxsize=65536)
def _rejected(pair: bytes, codec: str) -> bool:
    try:
        pair.decode(codec)
    except UnicodeDecodeError:
        return True
    return len(pair) < 2


def _fill_holes(line: str, seen: str, true: str) -> str | None:
    """Reverse a line whose wrong decoding dropped bytes (U+FFFD): put back, for each hole, the
    byte that makes the clearly most plausible text around it, else leave U+FFFD."""
    holes = "[\ufffd\u20ac]" if (seen, true) == ("gb18030", "utf-8") else "\ufffd"
    try:
        parts = [p.encode(seen) for p in re.split(holes, line)]
    except UnicodeEncodeError:
        return None
    cands = _UTF8_CANDS if true == "utf-8" else _DBCS_CANDS
    default = b"\xff"
    fills: list[bytes] = []
    for i in range(len(parts) - 1):
        left = (fills[-1] if fills else b"") + parts[i]
        right = parts[i + 1]
        scored = []
        pool = cands
        if true != "utf-8":
            # the lost byte is one the wrong decoder could not take together with the next one
            nxt = right[:1]
            pool = tuple(c for c in cands if _rejected(c + nxt, seen))
        for c in pool + (default,):
            window = (left + c + right).decode(true, errors="replace")
            lps = bigram_logprobs(window)
            scored.append((sum(lps), c))
        scored.sort(key=lambda x: -x[0])
        best_s, best_c = scored[0]
        runner = scored[1][0] if len(scored) > 1 else -1e9
        fills.append(best_c if best_c != default and best_s - runner >= FILL_MARGIN else default)
    raw = parts[0] + b"".join(f + p for f, p in zip(fills, parts[1:]))
    out = raw.decode(true, errors="replace")
    out = re.sub("\ufffd+", "\ufffd", out)
    return out if out.count("\ufffd") <= max(1, len(out) // 4) else None


def _line_edit(m: re.Match, out: str, seen: str, true: str, old: float, sc: float) -> Edit:
    line = m.group()
    a = 0
    while a < min(len(line), len(out)) and line[a] == out[a] and line[a].isascii():
        a += 1
    b = 0
    while b < min(len(line), len(out)) - a and line[-1 - b] == out[-1 - b] and line[-1 - b].isascii():
        b += 1
    lost = out.count("\ufffd")
    conf = 0.95 if not lost else max(0.4, 0.9 - 0.05 * lost)
    return Edit(m.start() + a, m.end() - b, out[a : len(out) - b], kind="mojibake_whole_text", confidence=conf,
                note=f"{_NAMES[true]} bytes decoded as {_NAMES[seen]}, reversed "
                     f"(bigram score {old:.1f} -> {sc:.1f}{f'; {lost} char(s) lost' if lost else ''})")


def _score(out: str) -> tuple[float, float]:
    """(acceptance score ignoring lost characters, ranking score that counts them)."""
    lost_n = out.count("\ufffd")
    sc = bigram_score(out.replace("\ufffd", "")) if lost_n else bigram_score(out)
    return sc, sc - 8.0 * lost_n / max(1, len(out))


def find_whole_text_mojibake(text: str) -> list[Edit]:
    """Edits reversing a wrong-codec decoding, one per damaged line.

    The confusion is chosen once for the document, on all its implausible lines together (a
    short line alone is weak evidence); then each such line is reversed when that helps it.
    """
    # cheap first pass: lines holding characters outside the common set
    suspicious = set()
    for m in _uncommon().finditer(text):
        suspicious.add(text.rfind("\n", 0, m.start()))
    if not suspicious:
        return []
    cands = []
    for m in _LINE.finditer(text):
        if m.start() - 1 not in suspicious:
            continue
        chars = _NON_ASCII.findall(m.group()[:200])
        if len(chars) >= 2 and _unigram_mean(chars) <= GATE:
            cands.append(m)
    if not cands or sum(len(m.group()) for m in cands) < 4:
        return []
    sample = cands[:200]
    old_doc = bigram_score("\n".join(m.group() for m in sample))
    best = None
    for seen, true in CONFUSIONS:
        for filler in _FILLERS.get((seen, true), (b"\xff", b"\xff\xff")):
            outs = [_reverse(m.group(), seen, true, filler) for m in sample]
            good = [o for o in outs if o is not None]
            if len(good) < max(1, len(outs) // 2):
                continue
            sc, rank = _score("\n".join(good))
            if sc >= MIN_RESULT and sc - old_doc >= MIN_GAIN and (best is None or rank > best[0]):
                best = (rank, seen, true)
    if best is None:
        return []
    _, seen, true = best
    edits = []
    holes_left = MAX_HOLES
    for m in cands:
        line = m.group()
        old = bigram_score(line)
        choice = None
        outs = [_reverse(line, seen, true, f) for f in _FILLERS.get((seen, true), (b"\xff", b"\xff\xff"))]
        if "\ufffd" in line and holes_left > 0:
            holes_left -= line.count("\ufffd")
            outs.append(_fill_holes(line, seen, true))
        for out in outs:
            if out is None or out == line:
                continue
            sc, rank = _score(out)
            if sc - old >= LINE_GAIN and (choice is None or rank > choice[0]):
                choice = (rank, out, sc)
        if choice is not None:
            edits.append(_line_edit(m, choice[1], seen, true, old, choice[2]))
    return edits
