"""Where the shipped models are found: env var, inside an installed wheel, or the repository root."""

from __future__ import annotations

from pathlib import Path

import pytest

import policytext.models as models

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def test_env_var_wins(monkeypatch, tmp_path):
    (tmp_path / "ner").mkdir()
    monkeypatch.setenv("POLICYTEXT_MODELS", str(tmp_path))
    assert models.models_dir() == tmp_path
    assert models.model_path("ner") == tmp_path / "ner"
    assert models.model_path("themes") is None


def test_repository_models_are_found_in_an_editable_checkout(monkeypatch):
    monkeypatch.delenv("POLICYTEXT_MODELS", raising=False)
    assert models.models_dir() == ROOT / "models"
    assert models.model_path("themes") == ROOT / "models" / "themes"


def test_wheel_carries_models_where_models_dir_looks(monkeypatch, tmp_path):
    """The wheel build copies models/ to policytext/models/, the first place models_dir() looks."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    force = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force == {"models": "policytext/models"}
    # an installed package: policytext/models.py with the models folder beside it
    pkg = tmp_path / "site-packages" / "policytext"
    (pkg / "models" / "ner").mkdir(parents=True)
    fake_module = pkg / "models.py"
    fake_module.write_text("", encoding="utf-8")
    monkeypatch.delenv("POLICYTEXT_MODELS", raising=False)
    monkeypatch.setattr(models, "__file__", str(fake_module))
    assert models.models_dir() == pkg / "models"


def test_entity_component_uses_the_same_lookup(monkeypatch, tmp_path):
    from policytext.components.entities.backends import default_model_path

    monkeypatch.setenv("POLICYTEXT_MODELS", str(tmp_path))
    assert default_model_path() == tmp_path / "ner"
