"""How plausible a string is as Chinese text: mean log-probability per non-space character
under a character unigram table learned from official text (``data/charfreq.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["chinese_score", "char_logprob_table"]


@lru_cache(maxsize=1)
def char_logprob_table() -> tuple[dict[str, float], float]:
    """The shipped table and the floor used for characters it does not list."""
    data = json.loads(resources.files("policytext.data").joinpath("charfreq.json").read_text(encoding="utf-8"))
    return data["logprob"], float(data["floor"])


def chinese_score(text: str, limit: int = 20000) -> float:
    """Mean log-probability per character of ``text[:limit]`` (higher is more plausible).

    Whitespace is skipped; ASCII letters and digits score as a common character so that mixed
    text is not penalised. Returns the floor for text without scorable characters.
    """
    table, floor = char_logprob_table()
    ascii_score = -7.0
    total = 0.0
    n = 0
    for ch in text[:limit]:
        if ch.isspace():
            continue
        n += 1
        if ch.isascii() and ch.isalnum():
            total += ascii_score
        else:
            total += table.get(ch, floor)
    return total / n if n else floor
