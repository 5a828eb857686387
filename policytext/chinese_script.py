"""One cached OpenCC converter per configuration: every part of policytext that converts script
(the normalize stage, repair scoring and furniture rules, the line classifier, corpus dedup, the
theme models) gets its converter here, so each configuration is loaded once per process."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

import opencc

__all__ = ["opencc_converter", "to_simplified", "to_simplified_many"]


@lru_cache(maxsize=None)
def opencc_converter(config: str) -> opencc.OpenCC:
    """The process's OpenCC converter for ``config`` (``"t2s"``, ``"s2t"``, ``"s2hk"``, ...)."""
    return opencc.OpenCC(config)


#: Surrogate code points: OpenCC takes UTF-8, which cannot encode them.
_SURROGATES = re.compile("[\ud800-\udfff]+")


def to_simplified(text: str) -> str:
    """``text`` in simplified script (OpenCC ``t2s``, without the normalize stage's 着/著 fixes).
    Surrogate code points (the pipeline replaces them at intake; a direct caller may not) are kept
    as they are and the text between them converted."""
    convert = opencc_converter("t2s").convert
    if not _SURROGATES.search(text):
        return convert(text)
    out, last = [], 0
    for m in _SURROGATES.finditer(text):
        out += [convert(text[last : m.start()]), m.group()]
        last = m.end()
    out.append(convert(text[last:]))
    return "".join(out)


def to_simplified_many(texts: Sequence[str]) -> list[str]:
    """``[to_simplified(t) for t in texts]`` in one OpenCC call: the texts are joined with ``\n``
    and the result cut there again. OpenCC converts by longest dictionary match and no entry holds
    a line break, so no match crosses one and each text converts as it would alone (texts that hold
    line breaks themselves are put back together). Many short texts cost one call, not one each."""
    if len(texts) <= 1:
        return [to_simplified(t) for t in texts]
    parts = to_simplified("\n".join(texts)).split("\n")
    breaks = [t.count("\n") for t in texts]
    if len(parts) != len(texts) + sum(breaks):  # never seen; the per-text calls are the reference
        return [to_simplified(t) for t in texts]
    if not any(breaks):
        return parts
    out, k = [], 0
    for b in breaks:
        out.append("\n".join(parts[k : k + b + 1]))
        k += b + 1
    return out
