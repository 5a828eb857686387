"""Theme model options: threshold shrinkage towards a global threshold and the ``best`` fallback."""

from __future__ import annotations

import json

import numpy as np
import pytest

from policytext.components import themes
from policytext.components.themes import OTHER, CharNgramFeatures, ModelFormatError, ThemeModel
from policytext.components.themes.model import _assign_matrix, _calibrate_and_tune
from themes_fixtures import TEXT_LABELS, TEXTS

LABELS = ["computing", "security_governance", OTHER]


def _tiny_model(fallback: str, labels=LABELS) -> ThemeModel:
    n = len(labels)
    return ThemeModel(labels=list(labels), features=CharNgramFeatures(["算", "力"], np.ones(2)),
                      coef=np.zeros((n, 2)), intercept=np.zeros(n), calib_a=np.ones(n), calib_b=np.zeros(n),
                      thresholds=np.array([0.5, 0.6, 0.5][:n]), fallback=fallback)


# rows: a clear theme; no theme over threshold but computing closest (0.45 - 0.5 > 0.3 - 0.5);
# no theme over threshold and other closest; two themes over threshold
PROBA = np.array([[0.9, 0.1, 0.1], [0.45, 0.2, 0.3], [0.2, 0.1, 0.8], [0.7, 0.65, 0.2]])


def test_fallback_other_is_the_default_rule():
    pred = _tiny_model("other").assign(PROBA)
    assert pred == [{"computing": 0.9}, {OTHER: 0.3}, {OTHER: 0.8}, {"computing": 0.7, "security_governance": 0.65}]


def test_fallback_best_gives_the_closest_label():
    pred = _tiny_model("best").assign(PROBA)
    assert pred == [{"computing": 0.9}, {"computing": 0.45}, {OTHER: 0.8},
                    {"computing": 0.7, "security_governance": 0.65}]
    # a theme further below its threshold than other loses: 0.55 - 0.6 = -0.05 < 0.46 - 0.5 = -0.04
    assert _tiny_model("best").assign(np.array([[0.1, 0.55, 0.46]])) == [{OTHER: 0.46}]


def test_fallback_without_other_label_picks_a_theme():
    model = _tiny_model("best", labels=["computing", "security_governance"])
    assert model.assign(np.array([[0.2, 0.5]])) == [{"security_governance": 0.5}]
    assert _tiny_model("other", labels=["computing", "security_governance"]).assign(np.array([[0.2, 0.5]])) \
        == [{OTHER: 0.5}]


@pytest.mark.parametrize("fallback", ["other", "best"])
def test_assign_matrix_matches_assign(fallback):
    rng = np.random.default_rng(3)
    P = rng.random((200, 3))
    model = _tiny_model(fallback)
    via_dicts = themes.binarize([list(p) for p in model.assign(P)], LABELS)
    np.testing.assert_array_equal(_assign_matrix(P, model.thresholds, LABELS, fallback), via_dicts)


def test_unknown_fallback_is_rejected(tmp_path):
    with pytest.raises(ModelFormatError):
        _tiny_model("first")
    with pytest.raises(ValueError):
        themes.train(TEXTS, TEXT_LABELS, cv=2, min_df=1, fallback="first")
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError):
            themes.train(TEXTS, TEXT_LABELS, cv=2, min_df=1, threshold_shrink=bad)


def test_fallback_roundtrip_and_models_without_the_field(tmp_path):
    out = _tiny_model("best").save(tmp_path / "m")
    spec = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert spec["fallback"] == "best"
    assert themes.load_model(out).fallback == "best"
    del spec["fallback"]  # a model written before the option existed
    (out / "model.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    assert themes.load_model(out).fallback == "other"
    spec["fallback"] = "exec"
    (out / "model.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ModelFormatError):
        themes.load_model(out)


def test_threshold_shrink_blends_towards_one_global_threshold():
    rng = np.random.default_rng(0)
    Y = np.zeros((120, 3), dtype=np.int64)
    Y[np.arange(120), rng.integers(0, 3, 120)] = 1
    Z = Y * 1.5 - 0.75 + rng.normal(0, 1.0, Y.shape)
    a0, b0, t0 = _calibrate_and_tune(Z, Y, LABELS, 0.0)
    a1, b1, t1 = _calibrate_and_tune(Z, Y, LABELS, 1.0)
    _, _, th = _calibrate_and_tune(Z, Y, LABELS, 0.5)
    np.testing.assert_allclose(a0, a1)
    np.testing.assert_allclose(b0, b1)
    assert len(set(np.round(t1, 6))) == 1  # one global threshold
    np.testing.assert_allclose(th, (t0 + t1) / 2, atol=1e-6)
    np.testing.assert_allclose(_calibrate_and_tune(Z, Y)[2], t0)  # default: per-label, as before


def test_train_records_options_and_cli(tmp_path, capsys):
    model, report = themes.train(TEXTS, TEXT_LABELS, cv=3, min_df=1, threshold_shrink=1.0, fallback="best")
    assert model.fallback == "best" and model.meta["threshold_shrink"] == 1.0 and model.meta["fallback"] == "best"
    assert len(set(np.round(model.thresholds, 6))) == 1
    assert report["mode"] == "cv"
    pred = model.predict(["建设全国一体化算力网，提升算力供给。", "稳定粮食生产。"])
    assert "computing" in pred[0]
    for p in pred:
        assert (OTHER not in p) or len(p) == 1

    from policytext.cli import main

    data = tmp_path / "labelled.jsonl"
    data.write_text("".join(json.dumps({"text": t, "labels": l}, ensure_ascii=False) + "\n"
                            for t, l in zip(TEXTS, TEXT_LABELS)), encoding="utf-8")
    out = tmp_path / "m"
    assert main(["train-themes", str(data), "-o", str(out), "--cv", "2", "--min-df", "1",
                 "--threshold-shrink", "0.5", "--fallback", "best"]) == 0
    spec = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert spec["fallback"] == "best" and spec["training"]["threshold_shrink"] == 0.5
    assert main(["train-themes", str(data), "-o", str(out), "--threshold-shrink", "2"]) == 2
    capsys.readouterr()
