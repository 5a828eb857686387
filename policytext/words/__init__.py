"""Word segmentation for policy text: ``policytext.segment(text) -> list[str]``.

A spacy-pkuseg CRF trained on People's Daily (PKU standard, ``models/words``, loaded
without pickle), a policy-term dictionary (entity gazetteers, policy terms, user dictionaries in the
jieba/pkuseg format), and, in the pipeline's ``words`` stage, word boundaries forced at entity
edges. See ``docs/words.md``.
"""

from .dictionary import build_dictionary, read_user_dictionary
from .model_folder import ModelFolderError, validate_model_folder
from .segmenter import Segmenter, default_segmenter, segment

__all__ = ["segment", "Segmenter", "default_segmenter", "build_dictionary", "read_user_dictionary",
           "ModelFolderError", "validate_model_folder"]
