"""The one place that turns a stage name into something to build.

A name is looked up among the text stages (registered with
:func:`policytext.register_text_stage`), then the doc stages (spaCy factories, by their factory
name or the short name of a shipped stage: ``"claims"`` for ``"policytext_claims"``). A shipped
stage's module is imported when its name is first looked up, which registers its factory.
"""

from __future__ import annotations

import importlib
import json
from typing import Any, NamedTuple, Sequence

from spacy.language import Language

from .errors import Errors

from .stages.base import text_stage_factories

__all__ = ["ShippedStage", "DEFAULT_STAGES", "OPTIONAL_STAGES", "find_stage", "stages_to_load",
           "default_settings", "jsonable_config"]


class ShippedStage(NamedTuple):
    name: str
    kind: str  # "text" (changes a TextState) or "doc" (a spaCy component)
    module: str  # importing it registers the factory
    factory: str


#: The shipped stages, in the order they run.
DEFAULT_STAGES: tuple[ShippedStage, ...] = (
    ShippedStage("html", "text", "policytext.stages.html", "html"),
    ShippedStage("repair", "text", "policytext.stages.repair", "repair"),
    ShippedStage("normalize", "text", "policytext.stages.normalize", "normalize"),
    ShippedStage("dedup", "text", "policytext.stages.dedup", "dedup"),
    ShippedStage("sentences", "doc", "policytext.components.sentences", "policytext_sentences"),
    ShippedStage("entities", "doc", "policytext.components.entities", "policytext_entities"),
    ShippedStage("words", "doc", "policytext.components.words", "policytext_words"),
    ShippedStage("claims", "doc", "policytext.components.claims", "policytext_claims"),
    ShippedStage("themes", "doc", "policytext.components.themes", "policytext_themes"),
)
#: Shipped stages that ``load()`` leaves out unless asked for (by name in ``stages`` or with
#: ``config={name: {"enabled": True}}``).
OPTIONAL_STAGES = frozenset({"words"})
_SHORT_NAMES = {s.name: s.factory for s in DEFAULT_STAGES if s.kind == "doc"}


def _register(name: str) -> None:
    """Import the module of the shipped stage called (or made by the factory) ``name``, which
    registers its factory; only that one, so a light pipeline does not import the heavy stages."""
    for stage in DEFAULT_STAGES:
        if name in (stage.name, stage.factory):
            importlib.import_module(stage.module)


def find_stage(name: str) -> tuple[str, str]:
    """``(kind, factory)`` of a stage name: ``("text", name)`` for a registered text stage,
    ``("doc", factory)`` for a spaCy factory or a shipped doc stage's short name; ``ValueError``
    for a name that is neither."""
    _register(name)
    if name in text_stage_factories():
        return "text", name
    factory = _SHORT_NAMES.get(name, name)
    if Language.has_factory(factory):
        return "doc", factory
    raise ValueError(Errors.E123.format(name=name, text_stages=sorted(text_stage_factories()),
                                        doc_stages=sorted(_SHORT_NAMES)))


def stages_to_load(stages: Sequence[str] | None, disable: Sequence[str],
                   config: dict[str, dict[str, Any]]) -> list[ShippedStage]:
    """The shipped stages ``load()`` builds, in order; pops ``"enabled"`` from ``config``."""
    known = [s.name for s in DEFAULT_STAGES]
    enabled = {name: bool(cfg.pop("enabled")) for name, cfg in config.items() if "enabled" in cfg}
    if stages is not None:
        wanted = [n for n in stages if enabled.get(n, True)]
    else:
        wanted = [n for n in known if enabled.get(n, n not in OPTIONAL_STAGES)]
    for name in [*wanted, *disable, *config]:
        if name not in known:
            raise ValueError(Errors.E101.format(name=name, known=known))
    return [s for s in DEFAULT_STAGES if s.name in wanted and s.name not in disable]


def default_settings(stage: ShippedStage) -> dict[str, Any]:
    """The registered default settings of a shipped stage, without building it (no model loads)."""
    _register(stage.name)
    if stage.kind == "text":
        config = text_stage_factories()[stage.factory]
    else:
        config = dict(Language.get_factory_meta(stage.factory).default_config or {})
    config.pop("nlp", None)
    config.pop("name", None)
    return jsonable_config(config)


def jsonable_config(cfg: dict[str, Any]) -> dict[str, Any]:
    """Settings as plain JSON data (paths and other objects as strings)."""
    return json.loads(json.dumps(cfg, ensure_ascii=False, default=str))
