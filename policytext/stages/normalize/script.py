"""Script conversion (OpenCC) and the context fix for 著/着.

``script_edits`` runs one OpenCC configuration over the text and reports every changed run of
characters as an ``Edit(kind="t2s")``. ``zhe_edits`` then fixes the aspect particle 着 that
OpenCC's ``t2s``/``hk2s`` leave as 著 (隨著→随著, 發揮著, 掌握著, 著力) while keeping the 著 of
显著, 著作, 著名, 原著...
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ...alignment import Edit, EditBatch
from ...codepoints import code_points, strings_at
from ...errors import Errors, Warnings
from .chars import is_han
from .scan import PHRASE_FLAGS, SCRIPT_FLAGS, char_codes, char_flags, has_flags, script_triggers

__all__ = ["SCRIPTS", "get_converter", "script_edits", "zhe_edits"]

# Accepted values of the ``script`` setting -> OpenCC configuration (None: keep the script).
SCRIPTS: dict[str, str | None] = {
    "t2s": "t2s",  # traditional (OpenCC standard) -> simplified
    "hk2s": "hk2s",  # Hong Kong variant -> simplified
    "tw2s": "tw2s",  # Taiwan variant -> simplified (characters only, no phrase rewriting)
    "none": None,  # keep the script as it is
    "keep": None,
}

_REFUSED = {
    "tw2sp": "OpenCC tw2sp rewrites mainland vocabulary (核心→内核, 建立→创建, 在線上→在在线); "
    "use 'tw2s' for Taiwan text",
}


@lru_cache(maxsize=8)
def get_converter(script: str):
    """The OpenCC converter for a ``script`` setting (None when the script is kept)."""
    if script in _REFUSED:
        raise ValueError(Errors.E109.format(script=script, reason=_REFUSED[script]))
    if script not in SCRIPTS:
        raise ValueError(Errors.E110.format(script=script, scripts=sorted(SCRIPTS)))
    name = SCRIPTS[script]
    if name is None:
        return None
    from ...chinese_script import opencc_converter

    return opencc_converter(name)


def _runs(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Group sorted positions into [start, end) runs of consecutive positions."""
    if len(idx) == 0:
        return idx, idx
    breaks = np.nonzero(np.diff(idx) != 1)[0]
    starts = np.concatenate([[idx[0]], idx[breaks + 1]])
    ends = np.concatenate([idx[breaks], [idx[-1]]]) + 1
    return starts, ends


def _convert(converter, text: str) -> str | None:
    try:
        if "\x00" in text:  # some configurations (hk2s, tw2s) drop everything after a NUL
            return "\x00".join(converter.convert(part) for part in text.split("\x00"))
        return converter.convert(text)
    except Exception:  # lone surrogates or other text OpenCC cannot take
        return None


class _Changes:
    """Changed spans of converted pieces, gathered into one batch of ``t2s`` edits."""

    def __init__(self) -> None:
        self.starts: list[np.ndarray] = []
        self.ends: list[np.ndarray] = []
        self.replacements: list[str] = []

    def add(self, before: str, after: str, offset: int) -> None:
        """The spans where ``after`` differs from ``before`` (which starts at ``offset`` in the text)."""
        if len(before) == len(after):
            after_codes = code_points(after)
            idx = np.flatnonzero(code_points(before) != after_codes)
            starts, ends = _runs(idx)
            self.replacements.extend(strings_at(after, after_codes, starts, ends))
            self.starts.append(starts + offset)
            self.ends.append(ends + offset)
            return
        # Length changed (rare phrase conversions): one edit over the differing middle part.
        p = 0
        n = min(len(before), len(after))
        while p < n and before[p] == after[p]:
            p += 1
        q = 0
        while q < n - p and before[len(before) - 1 - q] == after[len(after) - 1 - q]:
            q += 1
        self.starts.append(np.array([offset + p], dtype=np.int64))
        self.ends.append(np.array([offset + len(before) - q], dtype=np.int64))
        self.replacements.append(after[p : len(after) - q])

    def batch(self, note: str | None) -> EditBatch:
        if not self.starts:
            return EditBatch.empty("t2s")
        return EditBatch(np.concatenate(self.starts), np.concatenate(self.ends), self.replacements, "t2s", notes=note)


# Above this share of lines holding a trigger character, the whole text goes to OpenCC at once.
_DENSE_LINES = 0.25


def _trigger_lines(text: str, script: str) -> list[tuple[int, int]] | None:
    """Spans of the lines that hold a character OpenCC ``script`` may change.

    None when the whole text should be converted (the trigger set is unknown for the installed
    OpenCC, or most lines hold one). Phrases never cross a line, so converting only these lines
    gives exactly what converting the whole text gives.
    """
    triggers = script_triggers()
    if triggers is None or script not in triggers or script not in SCRIPT_FLAGS:
        return None
    alone, in_phrase = SCRIPT_FLAGS[script], PHRASE_FLAGS[script]
    if not has_flags(text, alone | in_phrase):
        return []
    flags = char_flags(text)
    positions = np.flatnonzero(flags & (alone | in_phrase))
    if not len(positions):
        return []
    phrases, reach = triggers[script].phrases, triggers[script].longest
    n_lines = text.count("\n") + 1
    if len(positions) > _DENSE_LINES * n_lines:
        # Count the lines holding a character changed on its own first: the walk below would
        # give up on them anyway, after visiting a quarter of the lines one by one.
        line_of = np.searchsorted(np.flatnonzero(char_codes(text) == 10), positions[flags[positions] & alone != 0])
        if len(line_of) and 1 + int(np.count_nonzero(np.diff(line_of))) > _DENSE_LINES * n_lines:
            return None
    spans: list[tuple[int, int]] = []
    end = -1
    for p in positions.tolist():
        if p < end:
            continue  # on the line found last
        if not flags[p] & alone and not phrases.search(text, max(0, p - reach + 1), p + reach):
            continue  # 坏 of 损坏: changes only inside 捏坏
        start = text.rfind("\n", 0, p) + 1
        end = text.find("\n", p)
        if end < 0:
            end = len(text)
        spans.append((start, end))
        if len(spans) > _DENSE_LINES * n_lines:
            return None
    return spans


def script_edits(text: str, script: str = "t2s") -> tuple[EditBatch, list[str]]:
    """Edits turning ``text`` into simplified script with OpenCC; also returns warnings.

    Only the lines holding a character OpenCC may change are converted (see
    :func:`policytext.stages.normalize.scan.script_triggers`); the result is the same.
    """
    converter = get_converter(script)
    if converter is None or not text:
        return EditBatch.empty("t2s"), []
    note = None if script == "t2s" else f"opencc {script}"
    lines = _trigger_lines(text, script)
    if lines is not None:
        return _convert_lines(converter, text, lines, note)
    converted = _convert(converter, text)
    if converted == text:
        return EditBatch.empty("t2s"), []
    if converted is not None and len(converted) == len(text):
        changes = _Changes()
        changes.add(text, converted, 0)
        return changes.batch(note), []
    # Fall back to line by line (phrases never cross lines), skipping lines OpenCC rejects.
    spans = []
    pos = 0
    for line in text.splitlines(keepends=True):
        spans.append((pos, pos + len(line)))
        pos += len(line)
    return _convert_lines(converter, text, spans, note)


def _convert_lines(converter, text: str, spans: list[tuple[int, int]], note: str | None) -> tuple[EditBatch, list[str]]:
    """Convert each ``text[start:end]`` on its own, skipping (with a warning) those OpenCC rejects."""
    changes = _Changes()
    warnings: list[str] = []
    for start, end in spans:
        line = text[start:end]
        out = _convert(converter, line)
        if out is None:
            warnings.append(Warnings.W201.format(offset=start))
        elif out != line:
            changes.add(line, out, start)
    return changes.batch(note), warnings


# ---------------------------------------------------------------------------------------------
# 著 / 着
# ---------------------------------------------------------------------------------------------

# 著 (not 着) in these words, by the character before it: 显著, 卓著, 原著, 所著...
_KEEP_AFTER_CHAR = set("显卓昭名原专巨编译遗拙土撰新宏佳所")
# Words written with 着 in mainland usage (着力, 着手...).
_ZHE_WORDS = {"着" + w for w in "力 手 重 眼 想 落 陆 实 急 迷 装 色 凉 火 意 笔 墨 魔 慌".split()}
# 著 stays when it starts one of these words (著作, 著名...).
_KEEP_WORDS = {"著" + w for w in "作 名 称 述 者 录 书 有 文 译 说 作权".split()}
# ...but after a verb these are the particle: 接着说, 带着书, 看着文件.
_WEAK_NEXT = set("者书有文译说")
# ...of which these are safe to restore when a converter wrote 着 (tw2s: 着名, 着称, 着录).
_RESTORE_NEXT = set("名称述录书")
# ...unless a verb before it makes it the particle: 发挥着作用, 肩负着作为...
_ZHE_BEFORE_KEEP = ("著作用", "著作为")
# Verbs and prepositions that take the particle 着 even before a pause (活着。 随着，).
_ZHE_PREV = set(
    "随接跟沿朝向顺照本凭冲为靠看听想等坐站躺睡走跑忙笑哭写说拿带穿戴挂放摆留守盯望撑抱握试闹"
    "玩藏睁闭开关亮空醒活掌持保围绕面临存在有含涵意味蕴扮承担负肩推影响发挥记"
)

def _view(c: str) -> str:
    # 着 and 著 look the same to the rules, so fixing one never changes the context of another.
    return "著" if c == "着" else c


def _zhe_decision(text: str, i: int) -> tuple[str, float, str] | None:
    """The form the 著/着 at ``i`` should take, with confidence and reason (None: leave it)."""
    prev = _view(text[i - 1]) if i > 0 else ""
    nxt = _view(text[i + 1]) if i + 1 < len(text) else ""
    nxt2 = "著" + nxt + (_view(text[i + 2]) if i + 2 < len(text) else "")
    if nxt and ("着" + nxt) in _ZHE_WORDS and (not prev or prev not in "显卓昭"):
        return "着", 0.95, f"着{nxt}: word written with 着 in mainland usage"
    if prev and prev in _KEEP_AFTER_CHAR:
        return "著", 0.95, f"{prev}著: word written with 著"
    if nxt2[:3] in _ZHE_BEFORE_KEEP and prev and is_han(prev) and prev not in "的之其":
        return "着", 0.9, f"{prev}着{nxt2[1:3]}: particle before 作用/作为"
    if (("著" + nxt) in _KEEP_WORDS or nxt2 in _KEEP_WORDS) and not (prev in _ZHE_PREV and nxt in _WEAK_NEXT):
        if text[i] == "着" and nxt in _RESTORE_NEXT and prev not in _ZHE_PREV:
            return "著", 0.85, f"著{nxt}: word written with 著"
        return None  # 著作, 著名, 著称... (and 着 before them after a verb: 随着名气)
    if not prev or not is_han(prev):
        return None  # 著 after a space, a name credit or a mark: 鲁迅 著
    if prev in _ZHE_PREV:
        return "着", 0.95, f"{prev}着: aspect particle after a verb"
    if nxt and is_han(nxt):
        return "着", 0.8, f"{prev}着{nxt}: aspect particle between verb and object"
    return None


def _positions_of(text: str, char: str) -> list[int]:
    out = []
    i = text.find(char)
    while i >= 0:
        out.append(i)
        i = text.find(char, i + 1)
    return out


def zhe_edits(text: str) -> list[Edit]:
    """Edits giving 著/着 their mainland form: the particle 着 (随着, 发挥着, 着力), 著 in 显著/著作."""
    edits: list[Edit] = []
    if "著" not in text and "着" not in text:
        return edits
    last = len(text) - 1
    for i in sorted(_positions_of(text, "著") + _positions_of(text, "着")):  # str.find beats a regex scan
        if text[i] == "着" and (not i or text[i - 1] not in _KEEP_AFTER_CHAR) and (i == last or text[i + 1] not in _RESTORE_NEXT):
            continue  # the rules turn 着 into 著 only after 显/卓/原... or before 名/称/述...: it stays
        d = _zhe_decision(text, i)
        if d is not None and d[0] != text[i]:
            form, conf, note = d
            edits.append(Edit(i, i + 1, form, "zhe_context", confidence=conf, note=note))
    return edits
