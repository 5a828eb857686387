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

from ...alignment import Edit
from .chars import HWS_CLASS, NL_CLASS, is_content

__all__ = ["whitespace_edits", "line_join_edits", "is_dateline", "is_speaker_label", "starts_block"]

_NL = rf"(?:\r\n|[{NL_CLASS}])"
_NL_RE = re.compile(_NL)
# Runs of whitespace (a pattern starting with a character class scans fast).
_WS_RUN_RE = re.compile(f"[{HWS_CLASS}{NL_CLASS}]+")
_ZERO_WIDTH = "\u200b\u2060\ufeff"
_NL_CHARS = set(NL_CLASS)


def _ws_replacement(block: str, at_edge: bool) -> str:
    if not any(c in _NL_CHARS for c in block):
        if at_edge:
            return ""
        return "" if all(c in _ZERO_WIDTH for c in block) else " "
    if at_edge:
        return ""
    return "\n" if len(_NL_RE.findall(block)) == 1 else "\n\n"


def whitespace_edits(text: str) -> list[Edit]:
    """Edits normalising line ends, blank lines and spaces (see module docstring)."""
    edits: list[Edit] = []
    n = len(text)
    for m in _WS_RUN_RE.finditer(text):
        block = m.group()
        if block == " " or block == "\n" or block == "\n\n":
            continue  # the common cases, handled below for the text's ends
        s, e = m.span()
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
# Marks that cannot start a line: a line starting with one continues the previous line.
_CONT_START = set("，,、。！!？?；;：:）)》〉」』”’…%％")


def is_dateline(line: str) -> bool:
    """``2025-08-14 10:28:07``, ``2025年8月14日``, ``10:30``."""
    return bool(_DATELINE_RE.match(line.strip()))


def is_speaker_label(line: str) -> bool:
    """A short line ending with a colon: ``国家数据局局长 刘烈宏：``, ``记者：``."""
    return bool(_SPEAKER_RE.match(line.strip()))


def starts_block(line: str) -> bool:
    """Whether a line starts a list item, heading, bracketed title, bullet or byline."""
    return bool(_BLOCK_START_RE.match(line.lstrip()))


def _content_len(s: str) -> int:
    return sum(1 for c in s if is_content(c))


_CLAUSE_RUN_RE = re.compile(r"[，,。；;]+")
_WORD_SPACE_RE = re.compile(r"(?<=[^\W_]) (?=[^\W_])")


def _last_sentence_tail(line: str) -> str:
    k = max(line.rfind(c) for c in "。！？!?")
    return line[k + 1 :]


def _join_reason(a: str, b: str, min_chars: int) -> tuple[float, str] | None:
    """Whether logical line ``a`` continues on line ``b``: (confidence, note) or None.

    Every test here gives the same answer before and after the punctuation and width
    sub-steps (marks are counted as runs, lengths count only Han characters, letters and
    digits), which keeps the stage idempotent.
    """
    if not a or not b:
        return None
    last = a[-1]
    first = b[0]
    if last in _END_MARKS or is_dateline(a) or is_speaker_label(a):
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
    if starts_block(a):
        return None  # headings and list items are left alone
    clauses = len(_CLAUSE_RUN_RE.findall(a))
    length = _content_len(a)
    if last in _DANGLING and (clauses or length >= 8):
        return 0.85, f"line ends with {last!r} in mid-sentence"
    if _WORD_SPACE_RE.search(_last_sentence_tail(a)):
        return None  # "新华社记者 骆学峰/摄", navigation bars
    if (clauses >= 2 and length >= 15) or (clauses >= 1 and length >= min_chars):
        return 0.7, "prose line without final punctuation"
    return None


_BREAK_RE = re.compile(f"[{HWS_CLASS}{NL_CLASS}]+")


def line_join_edits(text: str, min_chars: int = 40) -> list[Edit]:
    """Edits removing line breaks that fall in the middle of a sentence."""
    edits: list[Edit] = []
    breaks = [
        m.span()
        for m in _BREAK_RE.finditer(text)
        if m.group() != " " and any(c in _NL_CHARS for c in m.group())
    ]
    n = len(text)
    logical_start = 0  # start of the current logical line (joined lines included)
    for k, (s, e) in enumerate(breaks):
        if s == 0 or e == n or text[s - 1] in _END_MARKS:
            logical_start = e  # fast path: nothing to join (see _join_reason)
            continue
        next_end = breaks[k + 1][0] if k + 1 < len(breaks) else n
        a = text[logical_start:s].strip()
        b = text[e:next_end].strip()
        decision = _join_reason(a, b, min_chars)
        if decision is None:
            logical_start = e
            continue
        conf, note = decision
        # English words broken across lines get a space back; Han text and numbers do not.
        sep = " " if (a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha()) else ""
        edits.append(Edit(s, e, sep, "line_join", confidence=conf, note=note))
    return edits
