"""The ``normalize`` text stage: simplified script, Chinese punctuation, lines and paragraphs.

It runs after ``repair`` and before ``dedup``. Each sub-step is a pure function
``text -> list[Edit]`` applied with one ``state.apply`` call, in this order:

==================  ==============  ==========================================================
setting             edit kind       what it does
==================  ==============  ==========================================================
``invisible``       ``invisible``   control codes and invisible format characters (U+200D,
                                    U+200E, U+00AD, NUL ...) removed
``whitespace``      ``whitespace``  line ends, indentation, trailing spaces, blank lines
``line_join``       ``line_join``   re-joins lines broken in the middle of a sentence
``width``           ``width``       full-width digits/Latin → ASCII
``punct_stutter``   ``punct_stutter`` ``、、、、`` → ``、``, ``,,,,`` → ``，``, ``。。。`` → ``。``
``punct_width``     ``punct_width`` ASCII ``, ! ? ; : ( )`` in Chinese text → full width
``script``          ``t2s``         OpenCC traditional → simplified (``t2s``, ``hk2s``,
                                    ``tw2s``; ``"none"`` keeps the script)
``zhe_context``     ``zhe_context`` 著 → 着 where it is the particle (随着, 发挥着, 着力);
                                    显著/著作/著名 stay (only when ``script`` converts)
``extra_fixes``     ``user_fix``    the user's own ``{"wrong": "right"}`` fixes, applied last
==================  ==============  ==========================================================

Any boolean setting can be switched off. See ``docs/normalize.md``.
"""

from __future__ import annotations

from typing import Any, Sequence

from ...alignment import Edit, EditBatch
from ...errors import Errors
from ...state import TextState
from ..base import TextStage, register_text_stage
from .fixes import compile_fixes, fix_edits
from .invisible import invisible_edits
from .lines import is_dateline, is_speaker_label, line_join_edits, starts_block, whitespace_edits
from .punct import protected_spans, punct_width_edits, stutter_edits, width_edits
from .scan import carry_flags
from .scan import forget as forget_flags
from .script import SCRIPTS, get_converter, script_edits, zhe_edits

# The next sub-step's character flags are patched rather than recomputed when there is less
# than one edit per this many characters (patching costs per edit, a new scan per character).
_CARRY_FLAGS_CHARS = 1500

__all__ = [
    "NormalizeStage",
    "DEFAULT_CONFIG",
    "normalize_text",
    "SCRIPTS",
    "get_converter",
    "script_edits",
    "zhe_edits",
    "fix_edits",
    "invisible_edits",
    "whitespace_edits",
    "line_join_edits",
    "width_edits",
    "stutter_edits",
    "punct_width_edits",
    "protected_spans",
    "is_dateline",
    "is_speaker_label",
    "starts_block",
]

DEFAULT_CONFIG: dict[str, Any] = {
    "script": "t2s",  # "t2s" | "hk2s" | "tw2s" | "none"
    "zhe_context": True,
    "extra_fixes": {},  # {"wrong": "right"}: literal strings, longest match first
    "invisible": True,
    "whitespace": True,
    "line_join": True,
    "line_join_min_chars": 40,  # a prose line with one clause mark joins from this length
    "width": True,
    "punct_stutter": True,
    "punct_width": True,
}


@register_text_stage("normalize", default_config=DEFAULT_CONFIG)
class NormalizeStage(TextStage):
    """Canonical simplified-script text with Chinese punctuation and repaired lines."""

    def __init__(self, name: str | None = None, **config: Any) -> None:
        super().__init__(name=name, **config)
        script = self.config["script"]
        get_converter(script)  # fails early on an unknown or refused script
        compile_fixes(self.config["extra_fixes"])  # fails early on bad fixes
        if int(self.config["line_join_min_chars"]) < 1:
            raise ValueError(Errors.E112)

    def __call__(self, state: TextState) -> None:
        cfg = self.config
        apply = self._apply
        # Layout and punctuation first, script last: the script step makes the most edits, and
        # every later ``state.apply`` call re-maps the records made before it. The layout and
        # punctuation rules read traditional and simplified characters alike.
        if cfg["invisible"]:
            apply(state, invisible_edits(state.text))
        if cfg["whitespace"]:
            apply(state, whitespace_edits(state.text))
        if cfg["line_join"]:
            # after the whitespace sub-step every break is a plain "\n" or "\n\n"
            apply(state, line_join_edits(state.text, int(cfg["line_join_min_chars"]), plain=cfg["whitespace"] or None))
        if cfg["width"]:
            apply(state, width_edits(state.text))
        if cfg["punct_stutter"]:
            apply(state, stutter_edits(state.text))
        if cfg["punct_width"]:
            apply(state, punct_width_edits(state.text))
        converts = SCRIPTS[cfg["script"]] is not None
        if converts:
            edits, warnings = script_edits(state.text, cfg["script"])
            apply(state, edits)
            for w in warnings:
                state.warn(w)
        if converts and cfg["zhe_context"]:
            apply(state, zhe_edits(state.text))
        if cfg["extra_fixes"]:
            apply(state, fix_edits(state.text, cfg["extra_fixes"]))
        forget_flags()  # keep no reference to this document's text

    def _apply(self, state: TextState, edits: Sequence[Edit] | EditBatch) -> None:
        """``state.apply``; a few edits also carry the character flags (scan) over to the new text."""
        if not len(edits):
            return
        old = state.text
        if state.apply(edits, stage=self.name) and len(edits) * _CARRY_FLAGS_CHARS < len(old):
            ordered = sorted(edits, key=lambda e: (e.start, e.end))
            carry_flags(old, state.text, [e.start for e in ordered], [e.end for e in ordered], [e.replacement for e in ordered])


def normalize_text(text: str, **config: Any) -> str:
    """Convenience: the normalized text of ``text`` (no records kept)."""
    state = TextState(raw=text)
    NormalizeStage(**config)(state)
    return state.text
