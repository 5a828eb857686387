"""policytext: messy Chinese policy text in, clean structured data out.

    >>> import policytext
    >>> nlp = policytext.load()
    >>> result = nlp("国家数据局局长刘烈宏表示，日均Token消耗量已突破30万亿。", date="2025-08-14")
    >>> result.to_dict()["claims"]
"""

from __future__ import annotations

from .alignment import Alignment, Edit, EditBatch
from .decode import DecodeError, decode_bytes
from .frames import to_frames
from .pipeline import InputError, Pipeline, Result, StageError, load
from .stages.base import TextStage, register_text_stage
from .state import TextState

__version__ = "0.1.0"


def segment(text: str, user_dict: str | None = None) -> list[str]:
    """Split plain ``text`` into words (see :func:`policytext.words.segment`, ``docs/words.md``)."""
    from .words import segment as _segment

    return _segment(text, user_dict)


__all__ = [
    "Alignment", "DecodeError", "Edit", "EditBatch", "InputError", "Pipeline", "Result", "StageError", "TextStage",
    "TextState", "decode_bytes", "load", "register_text_stage", "segment", "to_frames", "__version__",
]
