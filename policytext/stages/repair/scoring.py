"""Bigram plausibility for Chinese text, used to accept or reject candidate repairs.

The table (``policytext/data/repair/bigrams.json``, built by ``scripts/build_repair_tables.py``)
holds character unigram and bigram counts of raw official text in the simplified script.
Text is converted with OpenCC t2s before scoring, so traditional text scores like simplified.
An interpolated bigram model (Witten-Bell style, fixed weight) gives every character a
probability; unknown characters get a floor far below any listed one.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from importlib import resources

__all__ = ["bigram_logprobs", "bigram_score", "char_logprob", "to_scoring_form", "UNKNOWN_LOGP"]

_ASCII_PUNCT = str.maketrans({",": "，", "!": "！", "?": "？", ";": "；", ":": "：", "(": "（", ")": "）"})
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
_SPACE = re.compile(r"\s+")
UNKNOWN_LOGP = -20.0
_LAMBDA = 8.0  # weight of the unigram back-off in the interpolated bigram


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, float], dict[str, int], dict[str, int], int]:
    raw = resources.files("policytext.data").joinpath("repair/bigrams.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    total = data["total"]
    uni_counts: dict[str, int] = data["unigrams"]
    uni_logp = {ch: math.log(n / total) for ch, n in uni_counts.items()}
    return uni_logp, uni_counts, data["bigrams"], total


def _t2s():
    from ...chinese_script import opencc_converter

    return opencc_converter("t2s")


def to_scoring_form(text: str) -> str:
    """Simplified script, ASCII punctuation widened, Latin letters -> 'a', digits -> '0', no spaces."""
    cc = _t2s()
    if cc is not None:
        text = cc.convert(text)
    text = text.translate(_ASCII_PUNCT)
    text = _LATIN.sub("a", text)
    text = _DIGIT.sub("0", text)
    return _SPACE.sub("", text)


def char_logprob(ch: str) -> float:
    uni_logp = _tables()[0]
    return uni_logp.get(ch, UNKNOWN_LOGP)


def bigram_logprobs(text: str, prepared: bool = False) -> list[float]:
    """Log-probability of every character of ``text`` given the previous one."""
    uni_logp, uni_counts, bigrams, _ = _tables()
    s = text if prepared else to_scoring_form(text)
    out: list[float] = []
    prev = ""
    for ch in s:
        pu = uni_logp.get(ch)
        if pu is None:
            out.append(UNKNOWN_LOGP)
        elif prev and prev in uni_counts:
            ca = uni_counts[prev]
            cab = bigrams.get(prev + ch, 0)
            p = (cab + _LAMBDA * math.exp(pu)) / (ca + _LAMBDA)
            out.append(math.log(p))
        else:
            out.append(pu)
        prev = ch
    return out


def bigram_score(text: str) -> float:
    """Mean bigram log-probability per character (higher is more plausible)."""
    lps = bigram_logprobs(text)
    return sum(lps) / len(lps) if lps else UNKNOWN_LOGP


@lru_cache(maxsize=65536)
def _simplified_char(ch: str) -> str:
    s = to_scoring_form(ch)
    return s[:1] if s else ch


@lru_cache(maxsize=1 << 18)
def transition_logp(a: str, b: str) -> float:
    """log P(b | a) for two single characters (any script); ``a`` may be empty."""
    sb = _simplified_char(b)
    if not a:
        return char_logprob(sb)
    return bigram_logprobs(_simplified_char(a) + sb, prepared=True)[1]
