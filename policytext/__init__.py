"""policytext: messy Chinese policy text in, clean structured data out.

    >>> import policytext
    >>> nlp = policytext.load()
    >>> result = nlp("国家数据局局长刘烈宏表示，日均Token消耗量已突破30万亿。", date="2025-08-14")
    >>> result.to_dict()["claims"]
"""

from .alignment import Alignment, Edit, EditBatch
from .decode import DecodeError, decode_bytes
from .frames import to_frames
from .pipeline import InputError, Pipeline, Result, StageError, load
from .stages.base import TextStage, register_text_stage
from .state import TextState

__version__ = "0.1.0"

__all__ = [
    "Alignment", "DecodeError", "Edit", "EditBatch", "InputError", "Pipeline", "Result", "StageError", "TextStage",
    "TextState", "decode_bytes", "load", "register_text_stage", "to_frames", "__version__",
]
