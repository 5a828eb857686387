"""Text-changing stages (run before the spaCy Doc exists)."""

from .base import TextStage, create_text_stage, register_text_stage, text_stage_factories

__all__ = ["TextStage", "create_text_stage", "register_text_stage", "text_stage_factories"]
