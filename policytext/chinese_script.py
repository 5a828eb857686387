"""One cached OpenCC converter per configuration: every part of policytext that converts script
(the normalize stage, repair scoring and furniture rules, the line classifier, corpus dedup, the
theme models) gets its converter here, so each configuration is loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import opencc

__all__ = ["opencc_converter", "to_simplified"]


@lru_cache(maxsize=None)
def opencc_converter(config: str) -> opencc.OpenCC:
    """The process's OpenCC converter for ``config`` (``"t2s"``, ``"s2t"``, ``"s2hk"``, ...)."""
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """``text`` in simplified script (OpenCC ``t2s``, without the normalize stage's 着/著 fixes)."""
    return opencc_converter("t2s").convert(text)
