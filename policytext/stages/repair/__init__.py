"""The ``repair`` text stage: undo the damage of scraping before any normalisation.

Sub-steps, each a small pure function ``text -> list[Edit]`` applied in this order:

1. ``find_html_remnants``      stray tags, comments, entities inside text        (html_tag, html_entity, ...)
2. ``find_latin_mojibake``     UTF-8 read as Latin-1/cp1252, ftfy Chinese-safe    (mojibake_latin)
3. ``find_whole_text_mojibake`` UTF-8/GBK/Big5 confusions, whole lines             (mojibake_whole_text)
4. ``find_misaligned_gbk``     GBK decoded one byte off, lost bytes filled         (mojibake_gbk_misaligned, mojibake_lost_byte)
5. ``find_unrepaired_mojibake`` private-use code points left: flagged              (mojibake_unrepaired)
6. ``find_injected_pinyin``    ``數(shù)據(jù)`` -> ``數據``                            (pinyin_injected)
7. ``find_page_furniture``     menus, widgets, bylines, footers, spam lines        (removals: nav_menu, spam_line, ...)

It runs before ``normalize`` (OpenCC t2s would destroy the bytes a mojibake repair needs).
"""

from __future__ import annotations

import re

from ...errors import Warnings
from ...state import TextState
from ..base import TextStage, register_text_stage
from .damage import damage_by_line, find_residual_damage
from .furniture import classify_line, find_inline_spam, find_page_furniture
from .markup import find_html_remnants, find_small_forms
from .misaligned import MisalignedConfig, find_misaligned_gbk, find_unrepaired_mojibake
from .pinyin import find_injected_pinyin
from .western import find_latin_mojibake
from .whole_text import find_whole_text_mojibake

__all__ = [
    "RepairStage",
    "find_html_remnants",
    "find_latin_mojibake",
    "find_whole_text_mojibake",
    "find_misaligned_gbk",
    "find_unrepaired_mojibake",
    "find_injected_pinyin",
    "find_page_furniture",
    "classify_line",
    "DEFAULT_CONFIG",
]

DEFAULT_CONFIG = {
    "html_remnants": True,
    "latin_mojibake": True,
    "whole_text_mojibake": True,  # formerly "cjk_mojibake" (still accepted)
    "misaligned_gbk": True,
    "pinyin": True,
    "furniture": True,
    "line_model": True,
    "flag_damage": True,
    "min_gain": 2.5,
    "fill_margin": 1.5,
}


@register_text_stage("repair", default_config=DEFAULT_CONFIG)
class RepairStage(TextStage):
    """Repair mojibake, injected pinyin, HTML remnants and page furniture (see module docstring)."""

    setting_aliases = {"cjk_mojibake": "whole_text_mojibake"}

    def __init__(self, name: str | None = None, **config) -> None:
        super().__init__(name=name, **config)

    def __call__(self, state: TextState) -> None:
        cfg = self.config
        name = self.name
        if cfg["html_remnants"]:
            state.apply(find_html_remnants(state.text), stage=name)
        if cfg["latin_mojibake"]:
            state.apply(find_latin_mojibake(state.text), stage=name)
        if cfg["whole_text_mojibake"]:
            edits = find_whole_text_mojibake(state.text)
            if state.apply(edits, stage=name):
                lost = sum(e.replacement.count("\ufffd") for e in edits)
                state.warn(Warnings.W101.format(lines=len(edits), lost=f"; {lost} character(s) could not be recovered" if lost else ""))
        if cfg["misaligned_gbk"]:
            mcfg = MisalignedConfig(min_gain=float(cfg["min_gain"]), fill_margin=float(cfg["fill_margin"]))
            edits = find_misaligned_gbk(state.text, mcfg)
            if state.apply(edits, stage=name):
                spans = sum(1 for e in edits if e.kind == "mojibake_gbk_misaligned")
                holes = sum(e.replacement.count("\ufffd") for e in edits)  # lost bytes and lost pairs
                state.warn(Warnings.W104.format(spans=spans, holes=f"; {holes} lost character(s) left as U+FFFD" if holes else ""))
            flagged = find_unrepaired_mojibake(state.text)
            if state.apply(flagged, stage=name):
                state.warn(Warnings.W105.format(count=len(flagged)))
        if cfg["pinyin"]:
            state.apply(find_injected_pinyin(state.text), stage=name)
        if cfg["html_remnants"]:
            state.apply(find_small_forms(state.text), stage=name)
        if cfg["furniture"]:
            removals = find_page_furniture(state.text, use_model=bool(cfg["line_model"]))
            if removals and would_empty(state.text, removals):
                state.warn(Warnings.W106.format(lines=len(removals)))
            else:
                state.apply(removals, stage=name)
            state.apply(find_inline_spam(state.text), stage=name)
        if cfg["flag_damage"]:
            flag_damage(state, name)


_CONTENT = re.compile(r"[^\W_]")  # a letter or digit of any script
MAX_DAMAGE_WARNINGS = 100


def would_empty(text: str, removals: list) -> bool:
    """True when ``removals`` take every letter, digit and Han character out of ``text`` (or, in a
    text without any, every visible character)."""
    if not _CONTENT.search(text):
        kept = text
        for e in sorted(removals, key=lambda e: -e.start):
            kept = kept[: e.start] + kept[e.end :]
        return bool(text.strip()) and not kept.strip()
    pos = 0
    for e in sorted(removals, key=lambda e: e.start):
        if _CONTENT.search(text, pos, e.start):
            return False
        pos = max(pos, e.end)
    return _CONTENT.search(text, pos) is None


def flag_damage(state: TextState, stage: str) -> None:
    """Warn about every damaged line left (``at raw [a, b)``): damage is never left silently."""
    spans = damage_by_line(state.text, find_residual_damage(state.text))
    for i, (a, b, kinds) in enumerate(spans):
        if i == MAX_DAMAGE_WARNINGS - 1 and len(spans) > MAX_DAMAGE_WARNINGS:
            ra, _ = state.to_raw(a, b)
            _, rb = state.to_raw(*spans[-1][:2])
            state.warn(Warnings.W108.format(stage=stage, lines=len(spans) - i, raw_start=ra, raw_end=rb))
            break
        ra, rb = state.to_raw(a, b)
        state.warn(Warnings.W107.format(stage=stage, kinds=", ".join(k.replace("_", " ") for k in kinds),
                                        raw_start=ra, raw_end=rb, excerpt=state.text[a:b][:30]))
