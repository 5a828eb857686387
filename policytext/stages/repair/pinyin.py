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
from pathlib import Path

from ...alignment import Edit

__all__ = ["find_injected_pinyin", "is_reading", "reads_as_pinyin"]

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_SYL = rf"[a-z{_TONED}]+[1-5]?"
_PAT = re.compile(
    rf"[ \u3000\u00a0]?(?P<open>[(（【\[〔［])[ \u3000\u00a0]?"
    rf"(?P<py>{_SYL}(?:[ \u3000\u00a0'’-]{_SYL}){{0,3}})[ \u3000\u00a0]?(?P<close>[)）】\]〕］])",
    re.IGNORECASE,
)
_PAIRS = {"(": ")）", "（": ")）", "【": "】", "[": "]", "〔": "〕", "［": "］"}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{1,4}$")


def _plain(syl: str) -> str:
    """Toneless ASCII form: strip tone marks and digits, ü -> v."""
    syl = unicodedata.normalize("NFD", syl.lower().replace("u:", "v")).replace("u\u0308", "v")  # ǜ -> v
    syl = "".join(c for c in syl if not unicodedata.combining(c))
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


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# an invisible character next to or inside a parenthesis: only then is the text searched without them
_INVISIBLE_NEAR = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff][ \u3000\u00a0]?[(（]|[(（][^()（）\n]{0,40}?[\u200b\u200c\u200d\u2060\ufeff]"
)


def find_injected_pinyin(text: str) -> list[Edit]:
    """Edits deleting pinyin annotations that read the characters before them.

    Zero-width characters scraped pages scatter through the text (``設(sh\u200bè)``) are looked
    through: the search runs on the text without them and the spans are mapped back.
    """
    if "(" not in text and "（" not in text and "【" not in text and "[" not in text and "〔" not in text \
            and "［" not in text:
        return []
    if _INVISIBLE_NEAR.search(text):
        keep = [i for i, c in enumerate(text) if not _INVISIBLE.match(c)]
        view = "".join(text[i] for i in keep)
        return [Edit(keep[e.start], keep[e.end - 1] + 1, "", kind=e.kind, confidence=e.confidence, note=e.note)
                for e in _find(view)]
    return _find(text)


def _has_tone(s: str) -> bool:
    return any(c in _TONED.replace("ü", "") for c in s.lower()) or any(c.isdigit() for c in s)


def _reads_joined(chars: str, token: str) -> bool:
    """Is ``token`` the readings of ``chars`` written together (``shùjù`` for 数据)?"""
    t = token.lower().replace("ü", "v")
    toned = _has_tone(t)

    def go(i: int, pos: int) -> bool:
        if i == len(chars):
            return pos == len(t)
        for r in _readings(chars[i]):
            if (toned or not _has_tone(r)) and r and t.startswith(r, pos) and go(i + 1, pos + len(r)):
                return True
        return False

    return go(0, 0)


def _reads(chars: str, tokens: list[str]) -> bool:
    """Can ``tokens`` be laid over ``chars`` in order, each reading one or more characters?"""
    if not tokens:
        return not chars
    first = tokens[0]
    for k in range(1, len(chars) - len(tokens) + 2):
        ok = is_reading(chars[0], first) if k == 1 else _reads_joined(chars[:k], first)
        if ok and _reads(chars[k:], tokens[1:]):
            return True
    return False


SYLLABLES_FILE = Path(__file__).resolve().parents[2] / "data" / "pinyin_syllables.txt"


def derive_syllables() -> frozenset[str]:
    """The toneless syllables of pypinyin's character table (what ``pinyin_syllables.txt`` holds;
    a test checks the file against the installed pypinyin)."""
    from pypinyin.pinyin_dict import pinyin_dict

    # ~41,000 characters share ~1,600 distinct readings: fold each distinct reading once
    readings = {r for v in pinyin_dict.values() for r in v.split(",")}
    out = {_plain(r) for r in readings}
    out.discard("")
    return frozenset(out)


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    """Toneless pinyin syllables, read from the shipped list (importing pypinyin's table and
    folding it took 1.8 s, once per process: the pipeline's largest one-time cost)."""
    try:
        lines = SYLLABLES_FILE.read_text(encoding="utf-8").splitlines()
    except OSError:
        return derive_syllables()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def reads_as_pinyin(token: str) -> bool:
    """Is ``token`` one pinyin syllable or several written together (``zhōng``, ``shuju``, ``shu4``)?"""
    t = _plain(token)
    if not t.isalpha():
        return False
    syl = _syllables()

    def go(i: int) -> bool:
        if i == len(t):
            return True
        return any(t[i : i + n] in syl and go(i + n) for n in range(min(6, len(t) - i), 0, -1))

    return go(0)


def _is_symbol(ch: str) -> bool:
    """Emoji and symbols a page inserts between a character and its annotation (``發★(fā)``)."""
    return unicodedata.category(ch) in ("So", "Sk", "Sm", "Mn", "Cf") or ch in "\ufe0f\u200d"


def _garbled(ch: str) -> bool:
    """A character a wrong decoding left (``?``, U+FFFD, private use, or one outside the table)."""
    if ch in "?？\ufffd" or 0xE000 <= ord(ch) <= 0xF8FF:
        return True
    if not ("\u3400" <= ch <= "\u9fff"):
        return False
    from .scoring import char_logprob, to_scoring_form

    return char_logprob(to_scoring_form(ch)[:1] or ch) <= -19.0


def _find(text: str) -> list[Edit]:
    edits = []
    # (end of the last annotation removed, the characters it read): a repeated annotation right
    # after it (電(dian)(dian)(dian)) reads the same characters
    last_end, last_chars = -1, ""
    accepted = 0
    for m in _PAT.finditer(text):
        if m.group("close") not in _PAIRS[m.group("open")]:
            continue
        syls = [s for s in re.split(r"[ \u3000\u00a0'’-]", m.group("py")) if s]
        if m.start() <= last_end + 1 and last_chars and not text[last_end : m.start()].strip() \
                and (_reads(last_chars[-len(syls):], syls) if len(syls) <= len(last_chars) else False):
            edits.append(Edit(m.start(), m.end(), "", kind="pinyin_injected", confidence=0.9,
                              note=f"repeated pinyin {m.group('py')!r} of {last_chars!r}: annotation removed"))
            last_end = m.end()
            continue
        # look back over emoji and symbols put between the character and its annotation
        k = m.start()
        skipped = 0
        while k > 0 and skipped < 3 and _is_symbol(text[k - 1]):
            k -= 1
            skipped += 1
        hm = _HAN.search(text, max(0, k - 4), k)
        if hm is None:
            # 睍r(shí): a misaligned GBK pair shows as a rare character and an ASCII letter
            garbled = k > 0 and (_garbled(text[k - 1]) or (k > 1 and text[k - 1].isascii() and text[k - 1].isalpha()
                                                          and _garbled(text[k - 2])))
            if garbled and accepted >= 1 and all(_has_tone(x) and reads_as_pinyin(x) for x in syls):
                edits.append(Edit(m.start(), m.end(), "", kind="pinyin_injected", confidence=0.7,
                                  note=f"pinyin {m.group('py')!r} on a garbled character: annotation removed"))
                last_end, last_chars = m.end(), ""
            continue
        han = hm.group()
        if len(syls) > len(han):
            continue
        if len(syls) == 1 and len(_plain(syls[0])) < 2 and not _has_tone(syls[0]):
            continue
        if any(c.isupper() for c in m.group("py")) and not any(_has_tone(x) for x in syls):
            continue  # capitalised toneless romanisation (华为(Huawei), 新华(Xinhua)) is a name, not a reading aid
        chars = next((han[-n:] for n in range(len(syls), len(han) + 1) if _reads(han[-n:], syls)), None)
        if chars is None:
            if _garbled(han[-1]) and accepted >= 1 and all(_has_tone(x) and reads_as_pinyin(x) for x in syls):
                edits.append(Edit(m.start(), m.end(), "", kind="pinyin_injected", confidence=0.7,
                                  note=f"pinyin {m.group('py')!r} on a garbled character: annotation removed"))
                last_end, last_chars = m.end(), ""
            continue
        start = m.start()
        edits.append(Edit(start, m.end(), "", kind="pinyin_injected", confidence=0.95,
                          note=f"pinyin {m.group('py')!r} reads {chars!r}: annotation removed"))
        last_end, last_chars = m.end(), chars
        accepted += 1
    return edits
