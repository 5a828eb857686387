"""Injected pinyin annotations: ``數(shù)據(jù)`` -> ``數據``.

An annotation in ASCII or full-width parentheses is removed only when every syllable in it is a
valid reading (pypinyin, heteronyms included) of the character(s) right before it, so ``(GDP)``,
``(ICT)``, ``(詞元)`` and ``（2024—2026年）`` are never touched. Tone marks, tone digits
(``shu4``) and toneless syllables are accepted; a toneless single-letter syllable is not (too
ambiguous: ``(a)`` is an item label).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ...alignment import Edit

__all__ = ["find_injected_pinyin", "is_reading"]

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_SYL = rf"[a-z{_TONED}]+[1-5]?"
_PAT = re.compile(
    rf"[ \u3000]?(?P<open>[(（])[ \u3000]?"
    rf"(?P<py>{_SYL}(?:[ \u3000'’-]{_SYL}){{0,3}})[ \u3000]?(?P<close>[)）])"
)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{1,4}$")


def _plain(syl: str) -> str:
    """Toneless ASCII form: strip tone marks and digits, ü -> v."""
    syl = syl.lower().replace("ü", "v").replace("u:", "v")
    syl = "".join(c for c in unicodedata.normalize("NFD", syl) if not unicodedata.combining(c))
    return syl.rstrip("12345")


@lru_cache(maxsize=32768)
def _readings(ch: str) -> frozenset[str]:
    from pypinyin import Style, pinyin

    out: set[str] = set()
    for style in (Style.TONE, Style.TONE3, Style.NORMAL):
        for r in pinyin(ch, style=style, heteronym=True, errors="ignore")[0:1]:
            out.update(x.lower().replace("ü", "v") for x in r)
    return frozenset(out)


def is_reading(ch: str, syl: str) -> bool:
    """Is ``syl`` (with or without tone) a reading of the character ``ch``?"""
    readings = _readings(ch)
    if not readings:
        return False
    s = syl.lower().replace("ü", "v")
    if s in readings:
        return True
    has_tone = any(c in _TONED.replace("ü", "") for c in s) or s[-1:].isdigit()
    if has_tone:
        # a toned syllable must match a toned reading exactly (TONE or TONE3 form)
        return False
    return _plain(s) in readings


def find_injected_pinyin(text: str) -> list[Edit]:
    """Edits deleting pinyin annotations that read the characters before them."""
    if "(" not in text and "（" not in text:
        return []
    edits = []
    for m in _PAT.finditer(text):
        hm = _HAN.search(text, max(0, m.start() - 4), m.start())
        if hm is None:
            continue
        syls = [s for s in re.split(r"[ \u3000'’-]", m.group("py")) if s]
        han = hm.group()
        if len(syls) > len(han):
            continue
        chars = han[-len(syls):]
        if len(syls) == 1 and len(_plain(syls[0])) < 2 and not any(c in _TONED or c.isdigit() for c in syls[0]):
            continue
        if not all(is_reading(c, s) for c, s in zip(chars, syls)):
            continue
        start = m.start()
        edits.append(Edit(start, m.end(), "", kind="pinyin_injected", confidence=0.95,
                          note=f"pinyin {m.group('py')!r} reads {chars!r}: annotation removed"))
    return edits
