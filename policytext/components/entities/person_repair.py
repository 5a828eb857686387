"""Repair the statistical model's person names after the spans are chosen (issue 20).

* A three-character name cut to two (宁吉|喆): a two-character PERSON followed by a Han character
  that is rare in the model's training text (not in ``common`` of ``data/name_chars.tsv``) takes
  that character; so does one followed by the third character of a three-character PERSON of the
  same text (consistency). (Extending by characters that often end names, ``final``, and trimming
  a third character that often follows names, ``after``, were tried and cost more on MSRA test than
  they gained: 鲁迅|文学奖, 陈福今 in a list of names.)
* A name in a list of names (县领导丑生荣、兰永武、王希海): the 2–3 characters right before a ``、``
  that comes right before a PERSON, as long as that PERSON, starting with a surname, are a PERSON.

The character sets are built by ``training/ner/build_name_chars.py`` from MSRA NER train.
"""

from __future__ import annotations

from functools import lru_cache

from .gazetteer import DATA_DIR

__all__ = ["repair_persons", "name_chars"]

Span = tuple[int, int, str, str]
# function characters that end no name: a three-character model PERSON ending in one is a
# two-character name + that word (王超|就, 卢军|赴)
_NOT_NAME_FINAL = frozenset("就在说赴对向将从等是也都还又称被把让给")



def full_elsewhere(text: str, s: int, e: int, spans) -> set[str]:
    """Three-character PERSON names of the text other than the one at ``s``."""
    return {text[a:b] for a, b, lab, _src in spans if lab == "PERSON" and b - a == 3 and a != s}


@lru_cache(maxsize=1)
def name_chars() -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for line in open(DATA_DIR / "name_chars.tsv", encoding="utf-8"):
        if line.startswith("#") or "\t" not in line:
            continue
        kind, chars = line.rstrip("\n").split("\t", 1)
        out[kind] = frozenset(chars)
    return out


@lru_cache(maxsize=4096)
def _traditional(c: str) -> bool:
    """A traditional-script character (rare in the simplified training text for another reason
    than being a name character: 刘米|兩個)."""
    from policytext.chinese_script import to_simplified

    return to_simplified(c) != c


def _han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def repair_persons(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` (sorted, non-overlapping, as chosen) with the model's person names repaired."""
    from .web_patterns import surnames

    chars = name_chars()
    after, common = chars.get("after", frozenset()), chars.get("common", frozenset())
    taken = bytearray(len(text) + 1)
    for s, e, _lab, _src in spans:
        taken[s:e] = b"\x01" * (e - s)
    full = {text[s:e] for s, e, lab, _src in spans if lab == "PERSON" and e - s == 3}
    out: list[Span] = []
    for s, e, lab, src in spans:
        if lab == "PERSON" and src == "model" and e - s == 2 and e < len(text) and not taken[e] and _han(text[e]):
            if text[s:e] + text[e] in full or (text[e] not in common and not _traditional(text[e])):
                taken[e] = 1
                e += 1
        elif lab == "PERSON" and src == "model" and e - s == 3 and text[e - 1] in _NOT_NAME_FINAL \
                and text[s:e] not in full_elsewhere(text, s, e, spans):
            taken[e - 1] = 0
            e -= 1
        out.append((s, e, lab, src))
    # a three-character name found once is a name wherever it stands again in the text (钟向辉要求)
    sn = surnames()
    names3 = {text[s:e] for s, e, lab, _src in out
              if lab == "PERSON" and e - s == 3 and text[s] in sn and len(set(text[s:e])) > 1}
    for name in names3:
        i = text.find(name)
        while i != -1:
            if not any(taken[i : i + 3]):
                out.append((i, i + 3, "PERSON", "model"))
                taken[i : i + 3] = b"\x01\x01\x01"
            i = text.find(name, i + 3)
    out.sort()
    # a name in a list of names: X、PERSON (X = as many characters as the PERSON, a surname first)
    extra: list[Span] = []
    for s, e, lab, _src in out:
        if lab != "PERSON" or s < 2 or text[s - 1] != "、":
            continue
        k = e - s
        a, b = s - 1 - k, s - 1
        if a < 0 or any(taken[a:b]) or not all(_han(c) for c in text[a:b]):
            continue
        if text[a] in sn and not any(c in after for c in text[a + 1 : b]):
            extra.append((a, b, "PERSON", "model"))
            taken[a:b] = b"\x01" * k
    return sorted(out + extra)
