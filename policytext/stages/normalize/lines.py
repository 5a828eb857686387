"""Whitespace and line structure.

* ``whitespace_edits``: Windows/old-Mac line ends and page breaks become ``\\n``; spaces, tabs,
  ideographic and zero-width spaces at the start and end of lines go; runs of blank lines become
  exactly one blank line; a run of spaces inside a line becomes one ASCII space; the text has
  no leading or trailing blank lines. A single line break stays a single line break.
* ``line_join_edits``: a line that stops in the middle of a sentence (page or column break,
  ``我们应\\n\\n该如何``, ``攀升至2025年的\\n\\n10.5%以上``) is joined to the next one.
  Headlines, list items, speaker labels (``国家数据局局长 刘烈宏：``), datelines
  (``2025-08-14 10:28:07``) and lines ending a sentence are never joined.
"""

from __future__ import annotations

import re
from itertools import accumulate

from ...alignment import Edit
from .chars import HWS_CLASS, NL_CLASS, is_content, is_han
from .scan import FLAG_ODD_SPACE, flagged

__all__ = ["whitespace_edits", "line_join_edits", "is_dateline", "is_speaker_label", "starts_block"]

_NL = rf"(?:\r\n|[{NL_CLASS}])"
_NL_RE = re.compile(_NL)
# Runs of whitespace (a pattern starting with a character class scans fast).
_WS_RUN_RE = re.compile(f"[{HWS_CLASS}{NL_CLASS}]+")
_ZERO_WIDTH = "\u200b\u2060\ufeff"
_NL_CHARS = set(NL_CLASS)
_HWS_SET = frozenset(re.findall(f"[{HWS_CLASS}]", "".join(map(chr, range(0x3001)))) + ["\ufeff"])
_W_SET = _HWS_SET | _NL_CHARS


def _ws_replacement(block: str, at_edge: bool) -> str:
    """What a whitespace run becomes: nothing at either end of the text; one or two line breaks
    for a run holding one or more line separators ("\r\n" is one); else one space, or nothing
    for zero-width spaces alone."""
    if at_edge:
        return ""
    breaks = block.count("\n")
    if _EXOTIC_NL_RE.search(block):  # the rarer separators
        breaks = len(_NL_RE.findall(block))
    if not breaks:
        return "" if all(c in _ZERO_WIDTH for c in block) else " "
    return "\n" if breaks == 1 else "\n\n"


# Whitespace other than a plain space or "\n" (scan.FLAG_ODD_SPACE), and the space patterns
# that need an edit.
_ODD_SPACE_SEQS = ("  ", " \n", "\n ", "\n\n\n")


def _odd_space_runs(text: str) -> list[tuple[int, int]]:
    """Sorted spans of the whitespace runs other than " ", "\\n" and "\\n\\n".

    Such a run holds an odd space character or one of ``_ODD_SPACE_SEQS``; only those spots are
    visited, each widened to its whole run (ordinary line breaks are never looked at).
    """
    spots = flagged(text, FLAG_ODD_SPACE).tolist()
    for q in _ODD_SPACE_SEQS:
        k = text.find(q)
        while k >= 0:
            spots.append(k)
            k = text.find(q, k + 1)
    if not spots:
        return []
    runs: list[tuple[int, int]] = []
    end = -1
    for p in sorted(spots):
        if p < end:
            continue  # inside the run found last
        start = p
        while start > 0 and text[start - 1] in _W_SET:
            start -= 1
        end = _WS_RUN_RE.match(text, p).end()
        runs.append((start, end))
    return runs


def whitespace_edits(text: str) -> list[Edit]:
    """Edits normalising line ends, blank lines and spaces (see module docstring)."""
    edits: list[Edit] = []
    n = len(text)
    for s, e in _odd_space_runs(text):
        block = text[s:e]
        rep = _ws_replacement(block, s == 0 or e == n)
        if rep != block:
            edits.append(Edit(s, e, rep, "whitespace"))
    # a lone space or one or two line breaks at either end of the text
    if n and text[0] in " \n" and not (edits and edits[0].start == 0):
        k = 2 if text.startswith("\n\n") else 1
        edits.insert(0, Edit(0, k, "", "whitespace"))
    if text and text[-1] in " \n" and not (edits and edits[-1].end == n):
        k = 2 if text.endswith("\n\n") else 1
        if not (edits and edits[-1].end > n - k):
            edits.append(Edit(n - k, n, "", "whitespace"))
    return edits


# --------------------------------------------------------------------------------------------
# line joining
# --------------------------------------------------------------------------------------------

_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_TIME = r"\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?"
_DATELINE_RE = re.compile(rf"^(?:{_DATE}(?:\s*{_TIME})?|{_TIME})$")
# The label must hold a letter, digit or Han character: a line of bare colons is not a speaker.
_SPEAKER_RE = re.compile(r"^(?=[^:：]*[^\W_])[^。！？!?，,；;]{1,40}[:：]$")
# Starts of lines that open a new block: list markers, headings, bracketed titles, bullets.
_BLOCK_START_RE = re.compile(
    r"^(?:"
    r"[一二三四五六七八九十百零〇]+[、.．]"  # 一、
    r"|[（(][一二三四五六七八九十\d０-９]+[）)]"  # （一） (1)
    r"|[\d０-９]{1,3}(?:[、．]|\.(?!\d))"  # 1、 1. (not 10.5)
    r"|第[一二三四五六七八九十百零〇\d]+[章节節条條款部分篇编編项項点點是个個，,、]"  # 第一章 第三条
    r"|[一二三四五六七八九十]是"  # 一是
    r"|[①-⑳⑴-⒇⒈-⒛❶-❿]"
    r"|[【\[〔《<#＃*＊•·●○■□◆◇▲△►▶※\-—–]"
    r"|(?:来源|來源|来自|來自|记者|記者|编辑|編輯|责任编辑|責任編輯|作者|摄影|攝影|转自|轉自"
    r"|附件|原标题|原標題|图片来源|圖片來源|声明|聲明)[:：]"
    r")"
)
# Sentence-final and label-final marks: a line ending with one is never joined to the next.
_END_MARKS = set("。！？!?；;：:…】]》>|")
_CLOSERS = set("”’」』）)")
# Marks after which a sentence always continues.
_MID_MARKS = set("，,、“‘「『（(《〈—")
# Characters that almost never end a heading or a paragraph (the sentence runs on).
# Both scripts: this sub-step runs before the script conversion.
_DANGLING = set("的和与及或把被将从于并而且但让使该其各每这那较更最很之" "與從於並讓該這較將")
# One of these alone on a line may be a heading's numeral: such a line is not joined.
_HAN_NUMERALS = set("一二三四五六七八九十百千零〇壹贰叁肆伍陆柒捌玖拾貳參陸")
# Marks that cannot start a line: a line starting with one continues the previous line.
_CONT_START = set("，,、。！!？?；;：:）)》〉」』”’…%％")


_FULLWIDTH_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def is_dateline(line: str) -> bool:
    """``2025-08-14 10:28:07``, ``2025年8月14日``, ``10:30`` (full-width digits and marks read as
    ASCII, so the answer does not change when the width sub-step folds them)."""
    line = line.strip().translate(_FULLWIDTH_ASCII)
    return bool(line) and (line[-1].isdigit() or line[-1] == "日") and bool(_DATELINE_RE.match(line))


def is_speaker_label(line: str) -> bool:
    """A short line ending with a colon: ``国家数据局局长 刘烈宏：``, ``记者：``."""
    line = line.strip()
    return line[-1:] in (":", "：") and len(line) <= 41 and bool(_SPEAKER_RE.match(line))


def starts_block(line: str) -> bool:
    """Whether a line starts a list item, heading, bracketed title, bullet or byline."""
    return bool(_BLOCK_START_RE.match(line.lstrip().translate(_FULLWIDTH_DIGIT_DOT)))


# ``1．0`` is read as ``1.0`` (a number, not a list marker), as it will be after the width sub-step
_FULLWIDTH_DIGIT_DOT = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)} | {0xFF0E: ord(".")}


_NON_CONTENT_RE = re.compile(r"[\W_]")  # not str.isalnum(): marks, spaces, symbols


def _content_len(s: str) -> int:
    """How many Han characters, letters and digits ``s`` holds (counted as all characters
    minus the others: in prose those are far fewer)."""
    return len(s) - len(_NON_CONTENT_RE.findall(s))


_CLAUSE_RUN_RE = re.compile(r"[，,。；;]+")
_INNER_END_RE = re.compile(r"[。！？!?][^”’」』）)]")  # a sentence ends inside the line
_WORD_SPACE_RE = re.compile(r"(?<=[^\W_]) (?=[^\W_])")


def _last_sentence_tail(line: str) -> str:
    k = max(line.rfind(c) for c in "。！？!?")
    return line[k + 1 :]


# a label line (关键词：…, 中图分类号：…, Keywords: …) is never continued by the next line
_LABEL_LINE_RE = re.compile(
    r"^[\s【\[]*(?:关键词|关键字|關鍵詞|關鍵字|主题词|主題詞|标签|標籤|標簽|中图分类号|中圖分類號|文献标识码|文獻標識碼|文章编号|文章編號"
    r"|keywords?|key words)\s*[】\]]?\s*[:：]",
    re.IGNORECASE,
)
WORD_PMI = 3.5  # log P(b | a) - log P(b) above which two characters read as one word (报|告, 设|施)


def _word_across(last: str, first: str) -> bool:
    """Do the characters on either side of a break form a word (the bigram table of ``repair``)?"""
    from ..repair.scoring import char_logprob, to_scoring_form, transition_logp

    a, b = to_scoring_form(last)[:1], to_scoring_form(first)[:1]
    if not a or not b:
        return False
    return transition_logp(a, b) - char_logprob(b) >= WORD_PMI


CONTINUATION_GAIN = 1.0  # log P(first | last) - log P(first | 。) needed to join across a blank line


def _continuation_gain(last: str, first: str) -> float:
    """How much better the next line's first character follows this line's last one than it
    would start a new sentence (the bigram table of ``repair``)."""
    from ..repair.scoring import to_scoring_form, transition_logp

    a, b = to_scoring_form(last)[:1], to_scoring_form(first)[:1]
    if not a or not b:
        return 0.0
    return transition_logp(a, b) - transition_logp("。", b)


def _join_reason(a: str, b: str, min_chars: int, blank: bool = False) -> tuple[float, str] | None:
    """Whether logical line ``a`` continues on line ``b``: (confidence, note) or None.

    Every test here gives the same answer before and after the punctuation and width
    sub-steps (marks are counted as runs, lengths count only Han characters, letters and
    digits), which keeps the stage idempotent.
    """
    if not a or not b:
        return None
    last = a[-1]
    first = b[0]
    if last in _END_MARKS or is_dateline(a) or is_speaker_label(a) or _LABEL_LINE_RE.match(a):
        return None
    if last in _CLOSERS and (len(a) < 2 or a[-2] not in _MID_MARKS):
        return None  # a closing quote or bracket (note, footnote, quotation) ends the line
    if is_dateline(b) or is_speaker_label(b):
        return None
    if first in _CONT_START:
        return 0.95, f"next line starts with {first!r}"
    if starts_block(b):
        return None
    if last.isdigit() and first.isdigit():
        return None  # 2025 / 10: would merge two numbers
    if last in _MID_MARKS:
        return 0.9, f"line ends with {last!r}"
    if not (is_content(last) or last in "%％"):
        return None
    if len(b) == 1 and is_han(b) and is_han(last) and b not in _HAN_NUMERALS and not _WORD_SPACE_RE.search(a):
        # a line of one character is the end of a word cut off (政府工作报 / 告), never a heading
        return 0.6, "next line is one character"
    if len(a) == 1 and is_han(a) and a not in _HAN_NUMERALS and is_han(first) and not starts_block(b):
        return 0.6, "line is one character"  # 过 / 去一年: the start of a word cut off
    if first == "的" and b[:2] not in ("的确", "的士") and is_content(last):
        return 0.8, "next line starts with '的'"  # 的 never starts a sentence (伟大 / 的中国人民)
    if starts_block(a) and not _INNER_END_RE.search(a):
        return None  # headings and list items are left alone (a paragraph that opens with 一是 is not one)
    clauses = len(_CLAUSE_RUN_RE.findall(a))
    length = _content_len(a)
    if last in _DANGLING and (clauses or length >= 8):
        return 0.85, f"line ends with {last!r} in mid-sentence"
    if _WORD_SPACE_RE.search(_last_sentence_tail(a)):
        return None  # "新华社记者 骆学峰/摄", navigation bars
    if is_han(last) and is_han(first) and length >= 4 and _word_across(last, first):
        return 0.6, f"a word broken over the break ({last}|{first})"
    if blank and _continuation_gain(last, first) < CONTINUATION_GAIN:
        return None  # a blank line, and the next line reads like a new sentence: two paragraphs
    if (clauses >= 2 and length >= 15) or (clauses >= 1 and length >= min_chars):
        return 0.7, "prose line without final punctuation"
    return None


_W_CLASS = HWS_CLASS + NL_CLASS
_END_CLASS = "".join(re.escape(c) for c in sorted(_END_MARKS))
# A line separator and the whitespace after it: the end part of a line break. (A pattern that
# starts with a character class is scanned fast; the mark before the break is checked after.)
_BREAK_TAIL_RE = re.compile(f"[{NL_CLASS}][{_W_CLASS}]*")
_NL_SEARCH_RE = re.compile(f"[{NL_CLASS}]")
_EXOTIC_NL = NL_CLASS.replace("\n", "")
_EXOTIC_NL_RE = re.compile(f"[{_EXOTIC_NL}]")


def _run_start(text: str, pos: int, floor: int) -> int:
    """Start of the horizontal-space run ending at ``pos`` (not before ``floor``)."""
    while pos > floor and text[pos - 1] in _HWS_SET:
        pos -= 1
    return pos


def _last_newline(text: str, lo: int, hi: int, exotic: bool) -> int:
    """Position of the last line separator in ``text[lo:hi]`` (-1 when none)."""
    q = text.rfind("\n", lo, hi)
    if exotic:
        for c in _EXOTIC_NL:
            q = max(q, text.rfind(c, lo, hi))
    return q


_HWS_BEFORE_NL_RE = re.compile(f"[{HWS_CLASS}]\n")
_HWS_AFTER_NL_RE = re.compile(f"\n[{HWS_CLASS}]")


def _plain_lines(text: str) -> bool:
    """Whether every line break is "\\n" or "\\n\\n" with no space around it (as after ``whitespace``)."""
    return (
        "\n\n\n" not in text
        and _EXOTIC_NL_RE.search(text) is None
        and _HWS_BEFORE_NL_RE.search(text) is None
        and _HWS_AFTER_NL_RE.search(text) is None
    )


# A long logical line is looked at as its head and its tail only: the join tests read the start of
# the line (datelines, labels, list markers), its last sentence and counts that saturate far below
# these lengths, and slicing the whole of a line that grows with every join would be quadratic.
_VIEW_HEAD, _VIEW_TAIL = 80, 400


def _logical_line(text: str, start: int, end: int, min_chars: int) -> str:
    """``text[start:end]`` stripped, or its head and tail when it is long (see ``_VIEW_HEAD``)."""
    tail = max(_VIEW_TAIL, 2 * min_chars)
    if end - start <= _VIEW_HEAD + tail:
        return text[start:end].strip()
    return (text[start:start + _VIEW_HEAD] + text[end - tail:end]).strip()


def _join_edit(a: str, b: str, s: int, e: int, min_chars: int, blank: bool = False) -> Edit | None:
    decision = _join_reason(a, b, min_chars, blank)
    if decision is None:
        return None
    conf, note = decision
    # English words broken across lines get a space back; Han text and numbers do not.
    sep = " " if (a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha()) else ""
    return Edit(s, e, sep, "line_join", confidence=conf, note=note)


def _line_join_plain(text: str, min_chars: int) -> list[Edit]:
    """:func:`line_join_edits` for text whose breaks are plain "\\n"/"\\n\\n" (see _plain_lines)."""
    lines = text.split("\n")
    last = len(lines) - 1
    candidates = [i for i, line in enumerate(lines) if line and i < last and line[-1] not in _END_MARKS]
    if not candidates:
        return []
    ends = list(accumulate(map(len, lines)))  # cumulative lengths, newlines not counted
    n = len(text)
    edits: list[Edit] = []
    joined_into = -1  # line index the last joined break led into
    logical_start = 0
    for i in candidates:
        start_i = (ends[i - 1] if i else 0) + i
        s = start_i + len(lines[i])
        if s == 0:
            continue
        j = i + 1 if lines[i + 1] else i + 2
        e = (ends[j - 1] + j) if j <= last else n
        if joined_into != i:
            logical_start = start_i
        if e >= n:
            continue
        edit = _join_edit(_logical_line(text, logical_start, s, min_chars), lines[j].strip(), s, e, min_chars,
                          blank=j == i + 2)
        if edit is not None:
            edits.append(edit)
            joined_into = j
    return edits


def line_join_edits(text: str, min_chars: int = 40, plain: bool | None = None) -> list[Edit]:
    """Edits removing line breaks that fall in the middle of a sentence.

    ``plain=True`` promises that every break is "\\n" or "\\n\\n" with no space around it, as
    :func:`whitespace_edits` leaves the text (None: check).

    A break is a run of whitespace holding a line separator. Only breaks after a character
    that is not sentence-final are looked at; the logical line
    before each (lines already joined included) is found by searching back for the previous
    break.
    """
    if plain or (plain is None and _plain_lines(text)):
        return _line_join_plain(text, min_chars)
    edits: list[Edit] = []
    n = len(text)
    exotic = _EXOTIC_NL_RE.search(text) is not None
    logical_start = 0  # start of the current logical line (joined lines included)
    prev_end = 0  # end of the last break looked at
    for m in _BREAK_TAIL_RE.finditer(text):
        p = m.start()
        if p and text[p - 1] in _END_MARKS:
            continue  # fast path: a break after a sentence-final mark is never joined
        e = m.end()
        s = _run_start(text, p, prev_end)
        q = _last_newline(text, prev_end, s, exotic)
        if q >= 0:  # an unjoinable break since the last one looked at: the logical line starts after it
            k = q + 1
            while k < s and text[k] in _W_SET:
                k += 1
            logical_start = k
        prev_end = e
        if s == 0 or e == n or text[s - 1] in _END_MARKS or text[s - 1] in _NL_CHARS:
            logical_start = e  # nothing to join (see _join_reason)
            continue
        nxt = _NL_SEARCH_RE.search(text, e)
        next_start = _run_start(text, nxt.start(), e) if nxt else n
        blank = sum(text.count(c, s, e) for c in "\n\r\u2028\u2029\x0b\x0c\x85") - text.count("\r\n", s, e) >= 2
        edit = _join_edit(_logical_line(text, logical_start, s, min_chars), text[e:next_start].strip(), s, e,
                          min_chars, blank=blank)
        if edit is None:
            logical_start = e
        else:
            edits.append(edit)
    return edits

