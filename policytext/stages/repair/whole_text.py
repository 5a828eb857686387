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

from ...alignment import Edit
from ...plausibility import char_logprob_table
from .scoring import bigram_score

__all__ = ["find_whole_text_mojibake", "CONFUSIONS"]

# (seen, true): the text is bytes-in-``true`` decoded as ``seen``
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("gb18030", "utf-8"),
    ("big5", "utf-8"),
    ("big5", "gbk"),
    ("gb18030", "big5"),
)
_NAMES = {"gb18030": "GB18030", "gbk": "GBK", "big5": "Big5", "utf-8": "UTF-8"}
_LINE = re.compile(r"[^\n]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f\s\u3000]")
GATE = -10.0  # mean unigram log-prob of a line's non-ASCII chars below which reversal is tried
MIN_GAIN = 3.0
MIN_RESULT = -8.0


def _unigram_mean(chars: list[str]) -> float:
    table, floor = char_logprob_table()
    return sum(table.get(c, floor) for c in chars) / len(chars)


def _reverse(line: str, seen: str, true: str) -> str | None:
    # a U+FFFD in the mojibake stands for bytes the wrong decoder dropped: keep one byte for it,
    # so the true decoder loses that character only (UTF-8 resynchronises by itself)
    # In UTF-8 read as GBK, the byte a GBK decoder cannot take is a lone 0x80 (browsers show it
    # as the euro sign): put it back, and UTF-8 decodes the character again.
    filler = b"\x80" if seen == "gb18030" and true == "utf-8" else b"\xff"
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


def find_whole_text_mojibake(text: str) -> list[Edit]:
    edits = []
    for m in _LINE.finditer(text):
        line = m.group()
        chars = _NON_ASCII.findall(line[:200])
        if len(chars) < 4 or _unigram_mean(chars) > GATE:
            continue
        old = bigram_score(line)
        best = None
        for seen, true in CONFUSIONS:
            out = _reverse(line, seen, true)
            if out is None or out == line:
                continue
            sc = bigram_score(out)
            if sc >= MIN_RESULT and sc - old >= MIN_GAIN and (best is None or sc > best[0]):
                best = (sc, out, seen, true)
        if best is None:
            continue
        sc, out, seen, true = best
        a = 0
        while a < min(len(line), len(out)) and line[a] == out[a] and line[a].isascii():
            a += 1
        b = 0
        while b < min(len(line), len(out)) - a and line[-1 - b] == out[-1 - b] and line[-1 - b].isascii():
            b += 1
        lost = out.count("\ufffd")
        conf = 0.95 if not lost else max(0.4, 0.9 - 0.05 * lost)
        edits.append(Edit(m.start() + a, m.end() - b, out[a : len(out) - b], kind="mojibake_whole_text",
                          confidence=conf,
                          note=f"{_NAMES[true]} bytes decoded as {_NAMES[seen]}, reversed "
                               f"(bigram score {old:.1f} -> {sc:.1f}{f'; {lost} char(s) lost' if lost else ''})"))
    return edits
