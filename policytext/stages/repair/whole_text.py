"""Whole-text (or whole-line) CJK mojibake: text decoded with the wrong Chinese codec.

Confusions tried, as (codec the bytes were wrongly decoded with, codec they really are in):
UTF-8 read as GBK/GB18030 (``鏁版嵁`` = 数据), UTF-8 read as Big5, GBK read as Big5, Big5 read
as GBK. A line is a candidate only when its non-ASCII characters are implausible as Chinese
(unigram score from ``policytext/data/charfreq.json``); the reversal is accepted only when the
bigram score of the result is clearly higher and good in absolute terms. Lines are independent
in every one of these codecs (the newline is one ASCII byte), so each changed line is one edit.
"""

from __future__ import annotations

import bisect
import codecs
import importlib
import re
from functools import lru_cache

from ...alignment import Edit
from ...plausibility import char_logprob_table
from .scoring import bigram_logprobs, bigram_score, transition_logp
from .western import is_latin_script

__all__ = ["find_whole_text_mojibake", "CONFUSIONS"]

# (seen, true): the text is bytes-in-``true`` decoded as ``seen``
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("gb18030", "utf-8"),
    ("cp950", "utf-8"),
    ("cp950", "gbk"),
    ("gb18030", "cp950"),
    # GBK or Big5 bytes shown as Latin-1/Windows-1252 (``Êý¾Ý`` = 数据): the classic page
    # served without a charset. ftfy's sloppy codec also puts back the five bytes cp1252 leaves
    # undefined (browsers show them as C1 controls).
    ("sloppy-windows-1252", "gb18030"),
    ("sloppy-windows-1252", "cp950"),
)
# what to put back for a U+FFFD: the lone 0x80 a GBK decoder rejects in UTF-8 bytes, or one or
# two undecodable bytes (a double-byte codec drops either a single byte or a whole pair)
_FILLERS = {("gb18030", "utf-8"): (b"\x80", b"\xff")}
_TRIES = tuple((s, t, f) for s, t in CONFUSIONS for f in _FILLERS.get((s, t), (b"\xff", b"\xff\xff")))
_NAMES = {"gb18030": "GB18030", "gbk": "GBK", "big5": "Big5", "cp950": "Big5", "utf-8": "UTF-8",
          "sloppy-windows-1252": "Latin-1/Windows-1252"}
_LINE = re.compile(r"[^\n]+")
_END_PUNCT = frozenset("。！？；：”』」）")
END_BONUS = 3.0  # log-prob bonus for sentence-final punctuation filled at the end of a line
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
            parts = [part.encode(seen) for part in re.split(holes, line)]
        except UnicodeEncodeError:
            return None
        if filler == b"\x80":
            # a hole before ASCII or the line end is a byte dropped together with the ASCII byte
            # after it (a lead byte followed by '\n'), not a lone 0x80: it stays lost here
            # (``_fill_holes`` scores it)
            raw = parts[0] + b"".join((b"\x80" if p[:1] >= b"\x80" else b"\xff") + p for p in parts[1:])
        else:
            raw = filler.join(parts)
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


@lru_cache(maxsize=8)
def _lost_chars(seen: str, true: str) -> tuple[tuple[str, bytes], ...]:
    """Characters of the table (and their traditional forms) whose two ``true`` bytes the
    ``seen`` decoder rejects as a pair: what a double U+FFFD can stand for."""
    from .scoring import _tables

    chars = set(_tables()[0])
    from ...chinese_script import opencc_converter

    for conv in ("s2t", "s2hk", "s2tw"):
        chars.update(opencc_converter(conv).convert("".join(sorted(chars))))
    out = []
    for ch in sorted(chars):
        try:
            b = ch.encode(true)
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and b.decode(seen, errors="replace") == "\ufffd\ufffd":
            out.append((ch, b))
    return tuple(out)


def _fill_char(left: bytes, right: bytes, seen: str, true: str) -> bytes | None:
    """The two bytes of a character lost whole (two U+FFFD in a row in a double-byte confusion),
    when one character is clearly the most plausible between its neighbours; else None."""
    prev = left.decode(true, errors="replace")[-1:]
    nxt = right.decode(true, errors="replace")[:1]
    if prev == "\ufffd" or nxt == "\ufffd":
        return None
    return _best_lost_char(prev, nxt, seen, true)


@lru_cache(maxsize=1 << 14)
def _best_lost_char(prev: str, nxt: str, seen: str, true: str) -> bytes | None:
    scored = sorted(((transition_logp(prev, ch) + (transition_logp(ch, nxt) if nxt else 0.0), b)
                     for ch, b in _lost_chars(seen, true)), reverse=True)
    if len(scored) < 2 or scored[0][0] - scored[1][0] < FILL_MARGIN:
        return None
    return scored[0][1]


def _left_context(parts: list[bytes], fills: list[bytes], i: int, need: int = 24,
                  line_so_far: "_LinePrefix | None" = None) -> bytes:
    """The bytes before hole ``i`` (parts and the fills so far), from a character boundary: an
    ASCII byte below 0x40 is never the trail of a double-byte pair, so decoding can start after
    it; without one, from the start of the line (a cut inside a pair would misalign the rest)."""
    chunks: list[bytes] = []
    size = 0
    for k in range(i, -1, -1):
        chunks.append(parts[k])
        size += len(parts[k])
        if k > 0:
            chunks.append(fills[k - 1])
            size += 1
        if size >= need:
            break
    left = b"".join(reversed(chunks))
    total = line_so_far.size if line_so_far is not None else sum(len(p) for p in parts[: i + 1]) + i
    if len(left) < total:  # cut: start after a boundary byte
        cut = max(left.rfind(bytes((b,))) for b in range(0x40)) if left else -1
        if cut < 0:
            if line_so_far is not None:  # from the last character boundary before the context
                return line_so_far.tail(need)
            return parts[0] + b"".join(f + p for f, p in zip(fills, parts[1 : i + 1]))
        left = left[cut:]  # the boundary byte is a character of its own: keep it as context
    return left


_PUA = re.compile("[\ue000-\uf8ff]")
# Bytes of UTF-8 Chinese text that Python's gbk codec may drop as a lead byte: continuation bytes
# and the leads of two- and three-byte sequences.
_UTF8_LOST = tuple(bytes((b,)) for b in list(range(0x80, 0xC0)) + list(range(0xC2, 0xF0)))


def _window(left: bytes, fill: bytes, right: bytes, cut: int, codec: str = "utf-8") -> str:
    """The few characters around a hole filled with ``fill``, from character ``cut`` of ``left``."""
    return (left + fill + right[:24]).decode(codec, errors="replace")[cut : cut + 12]


@lru_cache(maxsize=1 << 16)
def _window_score(window: str) -> float:
    return sum(transition_logp(a, b) for a, b in zip(window, window[1:]))


def _utf8_fill(left: bytes, right: bytes, cut: int, gb18030_only: bool) -> bytes:
    """The byte a GBK decoder dropped in UTF-8 bytes, before non-ASCII ``right`` (see ``_fill_holes``)."""
    if gb18030_only:
        return b"\x80"
    pool = [c for c in _UTF8_LOST if c != b"\x80" and _rejected(c + right[:1], "gbk")]
    if not pool:
        return b"\x80"
    base = _window_score(_window(left, b"\x80", right, cut))
    best_s, best_c = max((_window_score(_window(left, c, right, cut)), c) for c in pool)
    return best_c if best_s - base >= FILL_MARGIN else b"\x80"


class _LinePrefix:
    """The bytes of a line before the current hole, with the character boundaries an incremental
    decoder saw: the left context starts at a boundary near the hole instead of at the start of
    the line (which cost time quadratic in the line's length; issue #18)."""

    def __init__(self, codec: str):
        self.data = bytearray()
        self.decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        self.bounds = [0]

    @property
    def size(self) -> int:
        return len(self.data)

    def feed(self, b: bytes) -> None:
        if b:
            self.data.extend(b)
            self.decoder.decode(b)
            self.bounds.append(len(self.data) - len(self.decoder.getstate()[0]))

    def tail(self, need: int) -> bytes:
        k = bisect.bisect_right(self.bounds, max(0, len(self.data) - need)) - 1
        return bytes(self.data[self.bounds[max(0, k)]:])


def _fill_holes(line: str, seen: str, true: str, max_holes: int | None = None) -> str | None:
    """Reverse a line whose wrong decoding dropped bytes (U+FFFD): put back, for each hole, the
    byte that makes the clearly most plausible text around it, else leave U+FFFD. Only the first
    ``max_holes`` holes are scored (the rest keep U+FFFD): the callers' budgets bound the work
    per document, however many holes one line holds (issue #18)."""
    holes = "[\ufffd\u20ac]" if (seen, true) == ("gb18030", "utf-8") else "\ufffd"
    try:
        parts = [p.encode(seen) for p in re.split(holes, line)]
    except UnicodeEncodeError:
        return None
    cands = _UTF8_CANDS if true == "utf-8" else _DBCS_CANDS
    default = b"\xff"
    pua = _PUA.search(line) is not None  # GB18030 decodes GBK's user-defined pairs to private use
    fills: list[bytes] = []
    pending: list[bytes] = []
    so_far = _LinePrefix(true)
    so_far.feed(parts[0])
    fed = 0  # parts[: fed + 1] and fills[: fed] are in so_far (fed lazily: skipped holes cost nothing)
    for i in range(len(parts) - 1):
        if pending:  # the trail byte of a character filled whole at the previous hole
            fills.append(pending.pop())
            continue
        right = parts[i + 1]
        if max_holes is not None and i >= max_holes:
            fills.extend([default] * (len(parts) - 1 - i))  # over the budget: the rest stay U+FFFD
            break
        if i > 0 and not parts[i] and not right:
            fills.append(default)  # inside a run of three or more holes: no context to choose by (#18)
            continue
        while fed < i:
            so_far.feed(fills[fed])
            so_far.feed(parts[fed + 1])
            fed += 1
        left = _left_context(parts, fills, i, line_so_far=so_far)
        if true != "utf-8" and not right and i + 2 < len(parts) and parts[i + 2]:
            whole = _fill_char(left, parts[i + 2], seen, true)
            if whole is not None:
                fills.append(whole[:1])
                pending.append(whole[1:])
                continue
        scored = []
        pool = cands
        if true != "utf-8":
            # the lost byte is one the wrong decoder could not take together with the next one
            nxt = right[:1]
            pool = tuple(c for c in cands if _rejected(c + nxt, "gbk" if seen == "gb18030" else seen))
        # only the characters around the hole differ between candidates: score those, from a
        # fixed start a few characters before it (pair scores are cached; this was the cost)
        cut = max(0, len(left.decode(true, errors="replace")) - 3)
        if (seen, true) == ("gb18030", "utf-8") and right[:1] >= b"\x80":
            # Inside a run of non-ASCII bytes a GB18030 decoder only rejects a lone 0x80; Python's
            # ``gbk`` codec (a scraper's ``r.encoding = "gbk"``) rejects any byte that makes no
            # GBK pair with the next one. 0x80 unless another such byte reads clearly better.
            fills.append(_utf8_fill(left, right, cut, gb18030_only=pua))
            continue
        at_end = i == len(parts) - 2 and not right.strip()
        for c in pool + (default,):
            window = _window(left, c, right, cut, true)
            sc = _window_score(window)
            if at_end and window and window.rstrip()[-1:] in _END_PUNCT:
                sc += END_BONUS  # a line mostly ends with a sentence
            scored.append((sc, c))
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


FILL_SAMPLE_HOLES = 300  # lost bytes filled while choosing the confusion


def _choose_with_fills(sample: list[re.Match], old_doc: float) -> tuple[float, str, str] | None:
    """Choose the confusion when the wrong decoder dropped many bytes (U+FFFD), filling them.

    Big5 read with Python's ``gbk`` codec loses the lead byte of every pair GBK rejects (``，`` =
    A1 41 shows as ``�A``): with a fixed filler byte no reversal reads as Chinese, so here the
    holes of the first lines are filled (``_fill_holes``) before scoring. Lines and holes are
    capped, so this costs at most a few hundred small decodes per confusion.
    """
    lines = []
    budgets = []
    holes = 0
    for m in sample:
        if "\ufffd" not in m.group():
            continue
        lines.append(m.group())
        budgets.append(FILL_SAMPLE_HOLES - holes)
        holes += m.group().count("\ufffd")
        if holes >= FILL_SAMPLE_HOLES:
            break
    if not lines:
        return None
    old = bigram_score("\n".join(lines)) if len(lines) < len(sample) else old_doc
    return _best_reading(
        ((seen, true, [_fill_holes(line, seen, true, budget) for line, budget in zip(lines, budgets)])
         for seen, true in CONFUSIONS), old
    )


def _best_reading(options, old: float) -> tuple[float, str, str] | None:
    """The best ``(rank, seen, true)`` among ``(seen, true, reversed lines)`` options.

    An option counts when at least half its lines reverse, and the reversed text scores at least
    ``MIN_RESULT`` and ``MIN_GAIN`` above ``old``.
    """
    best = None
    for seen, true, outs in options:
        good = [o for o in outs if o is not None]
        if len(good) < max(1, len(outs) // 2):
            continue
        sc, rank = _score("\n".join(good))
        if sc >= MIN_RESULT and sc - old >= MIN_GAIN and (best is None or rank > best[0]):
            best = (rank, seen, true)
    return best


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
        if m.start() - 1 not in suspicious or is_latin_script(m.group()):
            continue  # a Latin-script line (``Ôôô VIDA MINHA``) is never Chinese bytes
        chars = _NON_ASCII.findall(m.group()[:200])
        if len(chars) >= 2 and _unigram_mean(chars) <= GATE:
            cands.append(m)
    if not cands or sum(len(m.group()) for m in cands) < 4:
        return []
    importlib.import_module("ftfy.bad_codecs")  # registers sloppy-windows-1252 (only when needed)
    sample = [_Seg(_damaged_part(m.group())) for m in cands[:200]]
    old_doc = bigram_score("\n".join(m.group() for m in sample))
    best = _best_reading(
        (
            (seen, true, [_reverse(m.group(), seen, true, filler) for m in sample])
            for seen, true in CONFUSIONS
            for filler in _FILLERS.get((seen, true), (b"\xff", b"\xff\xff"))
        ),
        old_doc,
    )
    if best is None:
        best = _choose_with_fills(sample, old_doc)
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
            outs.append(_fill_holes(line, seen, true, holes_left))
            holes_left -= line.count("\ufffd")
        for out in outs:
            if out is None or out == line:
                continue
            sc, rank = _score(out)
            if sc - old >= LINE_GAIN and (choice is None or rank > choice[0]):
                choice = (rank, out, sc)
        part = _partial(line, seen, true, old)
        if part is not None and (choice is None or part[0] > _total_rank(choice[1])):
            _, a, b, out, sc = part
            edits.append(Edit(m.start() + a, m.start() + b, out, kind="mojibake_whole_text", confidence=0.8,
                              note=f"{_NAMES[true]} bytes decoded as {_NAMES[seen]} in part of the line, reversed "
                                   f"(bigram score {old:.1f} -> {sc:.1f})"))
        elif choice is not None:
            edits.append(_line_edit(m, choice[1], seen, true, old, choice[2]))
    return edits


EDGE = 12  # characters tried on either side of the damaged part of a line
LENGTH_REWARD, LOST_PENALTY = 10.0, 30.0  # reversing a clean character mostly leaves U+FFFD


def _total_rank(out: str) -> float:
    """Rank of a reversed line by totals, not means: a mean rises when a few plausible characters
    are swapped for fewer odd ones; here each character earns a flat reward and each lost one
    (U+FFFD) a penalty."""
    lps = bigram_logprobs(out.replace("\ufffd", ""))
    return sum(lps) + LENGTH_REWARD * len(lps) - LOST_PENALTY * out.count("\ufffd")


class _Seg(str):
    """A string that answers ``group()`` like a match (the damaged part of a candidate line)."""

    def group(self) -> str:
        return str(self)


# a damaged stretch: >= 4 rare characters (log-prob <= -12) in 8; rare characters are ~0.3% of
# clean official text (0.8% of traditional) and 75-90% of these mojibakes
DENSE_WINDOW, DENSE_MIN, DENSE_GATE = 8, 4, -12.0


def _damaged_span(line: str) -> tuple[int, int] | None:
    """(start, end) of the stretch of ``line`` dense in uncommon characters, or None."""
    table, floor = char_logprob_table()
    flags = [0 if (c.isascii() or c.isspace()) else int(table.get(c, floor) <= DENSE_GATE) for c in line]
    n = len(flags)
    if sum(flags) < DENSE_MIN:
        return None
    acc = [0]
    for f in flags:
        acc.append(acc[-1] + f)
    dense = [i for i in range(max(1, n - DENSE_WINDOW + 1)) if acc[min(n, i + DENSE_WINDOW)] - acc[i] >= DENSE_MIN]
    if not dense:
        return None
    start = next(i for i in range(dense[0], n) if flags[i])
    end = max(i for i in range(min(n, dense[-1] + DENSE_WINDOW)) if flags[i]) + 1
    return start, end


def _damaged_part(line: str) -> str:
    """The damaged stretch of a partly clean line (its clean part would spoil the choice of the
    confusion), or the whole line."""
    span = _damaged_span(line)
    if span is None or (span[0] <= EDGE and len(line) - span[1] <= EDGE):
        return line
    return line[span[0] : span[1]]


def _partial(line: str, seen: str, true: str, old: float) -> tuple[float, int, int, str, float] | None:
    """Reverse only the damaged part of a line that is partly clean (``标题：鏁版嵁...``).

    The damaged part runs from the first to the last run of uncommon characters; its exact ends
    (the character boundaries of the true encoding) are searched a few characters around them.
    Returns (rank, start, end, replacement, score) or None when the line has no clean part.
    """
    span = _damaged_span(line)
    if span is None:
        return None
    s0, e1 = span
    if s0 <= EDGE and len(line) - e1 <= EDGE:
        return None  # damaged throughout: the whole-line reversal handles it
    starts = range(max(0, s0 - EDGE), s0 + 1) if s0 > EDGE else (0,)
    ends = range(e1, min(len(line), e1 + EDGE) + 1) if len(line) - e1 > EDGE else (len(line),)
    filler = _FILLERS.get((seen, true), (b"\xff",))[0]

    def attempt(a: int, b: int):
        seg = line[a:b]
        rev = _reverse(seg, seen, true, filler) if "\ufffd" not in seg else _fill_holes(seg, seen, true)
        if rev is None or rev == seg:
            return None
        out = line[:a] + rev + line[b:]
        sc, _ = _score(out)
        return (_total_rank(out), a, b, rev, sc)

    # the two ends are searched one after the other (each must fall on a character boundary
    # of the true encoding; the other end only shifts the score by a constant)
    best = None
    for a in starts:
        r = attempt(a, ends[-1])
        if r is not None and (best is None or r[0] > best[0]):
            best = r
    if best is None:
        return None
    for b in ends:
        r = attempt(best[1], b)
        if r is not None and r[0] > best[0]:
            best = r
    return best if best[4] - old >= LINE_GAIN else None
