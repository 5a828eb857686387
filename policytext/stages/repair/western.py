"""Western mojibake (UTF-8 read as Latin-1/cp1252: ``æ•¸æ“š`` -> ``數據``) with ftfy, Chinese-safe.

ftfy's defaults also uncurl quotes, fold full-width characters and the ideographic space, and
change line breaks: all of that corrupts Chinese text. Here ftfy runs with only its encoding
fixes, and only on lines that contain a Latin-1/cp1252 mojibake signature; each changed line
gives one edit trimmed to the changed part, its note listing ftfy's own explanation.
"""

from __future__ import annotations

import importlib
import re

from ...alignment import Edit

__all__ = ["find_latin_mojibake", "CHINESE_SAFE_FTFY", "is_latin_script"]

# a UTF-8 lead byte read as Latin-1/cp1252 followed by a continuation byte read the same way
_CONT = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
_SIGNATURE = re.compile(f"[\u00c2-\u00f4][{_CONT}]")
_LINE = re.compile(r"[^\n]+")
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_HIGH_LATIN = re.compile(r"[\u0080-\u00ff]")


def is_latin_script(line: str) -> bool:
    """A line written in a Latin script (``Ôôô VIDA MINHA``, ``Ça fait déjà``), not Chinese and not
    GBK/Big5 bytes shown as Latin-1 (``Êý¾Ý``: almost every character is a Latin-1 letter).

    Such a line is never read as Chinese bytes: only ftfy's encoding fixes apply to it.
    """
    if _CJK.search(line):
        return False
    letters = sum(1 for c in line if c.isascii() and c.isalpha())
    high = len(_HIGH_LATIN.findall(line))
    return letters >= 3 and letters >= 2 * high


def _config():
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )


CHINESE_SAFE_FTFY = None  # built lazily (importing ftfy costs ~50 ms)


def _legacy_reading_better(line: str, fixed: str) -> bool:
    """True when the line reads better as GBK or Big5 bytes shown as Latin-1 (``Êý¾Ý`` = 数据)
    than as ftfy's UTF-8 repair: left whole for the ``whole_text`` step (ftfy would fix only the
    few pairs that happen to form UTF-8 and break the rest)."""
    importlib.import_module("ftfy.bad_codecs")  # registers sloppy-windows-1252

    from .scoring import bigram_score

    try:
        raw = line.encode("sloppy-windows-1252")
    except UnicodeEncodeError:
        return False
    ours = bigram_score(fixed)
    for codec in ("gb18030", "cp950"):
        alt = raw.decode(codec, errors="replace")
        if alt.count("\ufffd") <= max(1, len(alt) // 20) and bigram_score(alt) > ours + 1.0:
            return True
    return False


_OTHER_ALPHABET = re.compile(r"[\u0370-\u03ff\u0400-\u04ff]")


def _western_result(fixed: str) -> bool:
    """ftfy's fix reads as Western text: Latin script, or mostly Greek/Cyrillic letters with few
    Latin-1 characters left (a partial fix of GBK bytes keeps many of those)."""
    if is_latin_script(fixed):
        return True
    if _CJK.search(fixed):
        return False
    letters = [c for c in fixed if c.isalpha()]
    other = len(_OTHER_ALPHABET.findall(fixed))
    return bool(letters) and other >= 0.5 * len(letters) and len(_HIGH_LATIN.findall(fixed)) <= 0.1 * len(letters)


def _needs_ftfy(line: str) -> bool:
    """A line with a UTF-8-as-cp1252 signature, or a Latin-script line with any non-ASCII
    character (ftfy decides for those: all its encoding fixes, Chinese-safe settings)."""
    if _SIGNATURE.search(line):
        return True
    return not line.isascii() and is_latin_script(line)


def find_latin_mojibake(text: str) -> list[Edit]:
    if text.isascii() or not (_SIGNATURE.search(text) or _HIGH_LATIN.search(text) or "\u2019" in text
                              or "\u201c" in text or "\u20ac" in text):
        return []
    import ftfy

    global CHINESE_SAFE_FTFY
    if CHINESE_SAFE_FTFY is None:
        CHINESE_SAFE_FTFY = _config()
    edits = []
    for m in _LINE.finditer(text):
        line = m.group()
        if not _needs_ftfy(line):
            continue
        fixed, expl = ftfy.fix_and_explain(line, config=CHINESE_SAFE_FTFY)
        if fixed == line or (not _western_result(fixed) and _legacy_reading_better(line, fixed)):
            continue
        # trim to the changed part
        a = 0
        while a < min(len(line), len(fixed)) and line[a] == fixed[a]:
            a += 1
        b = 0
        while b < min(len(line), len(fixed)) - a and line[-1 - b] == fixed[-1 - b]:
            b += 1
        steps = ", ".join(f"{s[0]}:{s[1]}" for s in (expl or []))
        edits.append(Edit(m.start() + a, m.end() - b, fixed[a : len(fixed) - b], kind="mojibake_latin",
                          confidence=0.9, note=f"UTF-8 read as Latin-1/cp1252, fixed with ftfy ({steps})"))
    return edits
