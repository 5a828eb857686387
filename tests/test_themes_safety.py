"""Loading a theme model from an untrusted folder must not be able to run code."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import numpy as np
import pytest

from policytext.components.themes import ModelFormatError, load_model, train
from themes_fixtures import TEXT_LABELS as LABELS
from themes_fixtures import TEXTS



class _Evil:
    """Unpickling this object writes a marker file (stands in for arbitrary code)."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (Path(self.marker).write_text, ("pwned",))


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    model, _ = train(TEXTS, LABELS, cv=2, min_df=1)
    out = tmp_path_factory.mktemp("model")
    model.save(out)
    return out


def test_stray_pickle_in_model_folder_is_never_opened(model_dir, tmp_path):
    folder = tmp_path / "untrusted"
    shutil.copytree(model_dir, folder)
    marker = tmp_path / "marker.txt"
    with open(folder / "model.pkl", "wb") as fh:
        pickle.dump(_Evil(str(marker)), fh)
    with open(folder / "weights.joblib", "wb") as fh:
        pickle.dump(_Evil(str(marker)), fh)
    model = load_model(folder)
    assert not marker.exists()
    assert model.predict(["加快建设全国一体化算力网。"])[0]  # still a working model


def test_folder_with_only_a_pickle_is_rejected(tmp_path):
    marker = tmp_path / "marker.txt"
    folder = tmp_path / "only_pickle"
    folder.mkdir()
    with open(folder / "model.pkl", "wb") as fh:
        pickle.dump(_Evil(str(marker)), fh)
    with pytest.raises(ModelFormatError):
        load_model(folder)
    assert not marker.exists()


def test_object_arrays_in_weights_are_rejected_without_unpickling(model_dir, tmp_path):
    folder = tmp_path / "evil_npz"
    shutil.copytree(model_dir, folder)
    marker = tmp_path / "marker.txt"
    with np.load(folder / "weights.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    evil = np.empty(1, dtype=object)
    evil[0] = _Evil(str(marker))
    arrays["coef"] = evil
    np.savez(folder / "weights.npz", **arrays)  # object array: stored as a pickle inside the npz
    with pytest.raises(ModelFormatError):
        load_model(folder)
    assert not marker.exists()


def test_wrong_format_marker_and_bad_shapes_are_rejected(model_dir, tmp_path):
    folder = tmp_path / "bad_json"
    shutil.copytree(model_dir, folder)
    spec = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    spec["format"] = "something-else"
    (folder / "model.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ModelFormatError):
        load_model(folder)
    spec["format"] = "policytext-themes"
    spec["thresholds"] = spec["thresholds"][:-1]
    (folder / "model.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ModelFormatError):
        load_model(folder)


def test_saved_files_are_plain_data(model_dir):
    names = sorted(os.listdir(model_dir))
    assert names == ["model.json", "weights.npz"]
    with np.load(model_dir / "weights.npz", allow_pickle=False) as npz:
        assert all(npz[k].dtype.kind == "f" for k in npz.files)
