"""Text stages: the base class and the registry of factories.

A text stage changes text, so it runs before the spaCy ``Doc`` exists. It reads
``state.text`` and calls ``state.apply(edits, stage=self.name)``; it never assigns text directly,
so every change stays traceable to the raw input. Register a factory with
:func:`register_text_stage` to make a stage addable by name::

    @register_text_stage("strip_ads", default_config={"pattern": "广告"})
    class StripAds(TextStage):
        def __call__(self, state):
            ...
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, ClassVar

from ..errors import Errors
from ..state import TextState

__all__ = ["TextStage", "register_text_stage", "text_stage_factories", "create_text_stage"]

_FACTORIES: dict[str, tuple[type["TextStage"] | Callable[..., "TextStage"], dict[str, Any]]] = {}


class TextStage:
    """Base class for text-changing stages. Subclasses implement :meth:`__call__`."""

    default_config: ClassVar[dict[str, Any]] = {}
    #: Old names of renamed settings, still accepted: ``{"old_name": "new_name"}``.
    setting_aliases: ClassVar[dict[str, str]] = {}

    def __init__(self, name: str | None = None, **config: Any) -> None:
        self.name = name or getattr(self, "factory_name", type(self).__name__.lower())
        config = self.resolve_settings(config)
        unknown = set(config) - set(self.default_config)
        if self.default_config and unknown:
            raise ValueError(Errors.E104.format(name=self.name, unknown=sorted(unknown), known=sorted(self.default_config)))
        self.config: dict[str, Any] = {**self.default_config, **config}

    @classmethod
    def resolve_settings(cls, settings: dict[str, Any]) -> dict[str, Any]:
        """``settings`` with old setting names (:attr:`setting_aliases`) under their new names."""
        return {cls.setting_aliases.get(k, k): v for k, v in settings.items()}

    def __call__(self, state: TextState) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, config={self.config!r})"

    # Serialisation in spaCy's spirit: a folder with the stage's settings as JSON.
    def to_disk(self, path: str | Path) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "config.json").write_text(json.dumps(self.config, ensure_ascii=False, indent=2), encoding="utf-8")

    def from_disk(self, path: str | Path) -> "TextStage":
        cfg = json.loads((Path(path) / "config.json").read_text(encoding="utf-8"))
        self.config.update(self.resolve_settings(cfg))
        return self


def register_text_stage(name: str, default_config: dict[str, Any] | None = None):
    """Class or function decorator that registers a text-stage factory under ``name``."""

    def wrap(factory):
        cfg = dict(default_config if default_config is not None else getattr(factory, "default_config", {}))
        if isinstance(factory, type):
            factory.factory_name = name
            if default_config is not None:
                factory.default_config = cfg
        _FACTORIES[name] = (factory, cfg)
        return factory

    return wrap


def text_stage_factories() -> dict[str, dict[str, Any]]:
    """Registered text-stage names with their default settings."""
    return {name: dict(cfg) for name, (_, cfg) in _FACTORIES.items()}


def create_text_stage(factory_name: str, name: str | None = None, config: dict[str, Any] | None = None) -> TextStage:
    """Build a registered text stage with optional settings."""
    if factory_name not in _FACTORIES:
        raise KeyError(Errors.E107.format(name=factory_name, registered=sorted(_FACTORIES)))
    factory, _ = _FACTORIES[factory_name]
    return factory(name=name or factory_name, **(config or {}))
