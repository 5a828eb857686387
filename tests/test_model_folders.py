"""Model folders are untrusted input: a folder that could make spaCy run code is refused before
spaCy reads it, with an error naming the file (never a silent fallback to rules)."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from policytext import Pipeline, load
from policytext.cli import main
from policytext.model_folders import (UnsafeModelFolder, check_folder_files, check_regular_file,
                                      check_spacy_model_folder)

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "models" / "ner"
OUR_TOKENIZER = '[nlp.tokenizer]\n@tokenizers = "policytext.ner_char_tokenizer.v1"'
PKUSEG_TOKENIZER = '[nlp.tokenizer]\n@tokenizers = "spacy.zh.ChineseTokenizer"\nsegmenter = "pkuseg"'


class _Payload:
    """Unpickling this creates a marker file: proof that a pickle from the folder was loaded."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _hostile_copy(tmp_path: Path, *, tokenizer: str = PKUSEG_TOKENIZER) -> tuple[Path, Path]:
    """A copy of the shipped NER model whose config asks for the pkuseg segmenter and whose
    ``tokenizer/pkuseg_model/features.pkl`` is a pickle that runs code (what spacy-pkuseg falls
    back to when ``features.msgpack`` is missing)."""
    models = tmp_path / "models"
    folder = models / "ner"
    shutil.copytree(SHIPPED, folder)
    cfg = folder / "config.cfg"
    text = cfg.read_text(encoding="utf-8")
    assert OUR_TOKENIZER in text
    cfg.write_text(text.replace(OUR_TOKENIZER, tokenizer), encoding="utf-8")
    (folder / "tokenizer" / "pkuseg_model").mkdir(parents=True)
    (folder / "tokenizer" / "cfg").write_text(json.dumps({"segmenter": "pkuseg"}), encoding="utf-8")
    marker = tmp_path / "code-ran"
    with open(folder / "tokenizer" / "pkuseg_model" / "features.pkl", "wb") as fh:
        pickle.dump(_Payload(marker), fh)
    return folder, marker


def test_shipped_model_passes():
    assert check_spacy_model_folder(SHIPPED) == SHIPPED


@pytest.mark.skipif(not SHIPPED.is_dir(), reason="no shipped model")
def test_pkuseg_model_folder_via_policytext_models_runs_no_code(tmp_path, monkeypatch, capsys):
    folder, marker = _hostile_copy(tmp_path)
    monkeypatch.setenv("POLICYTEXT_MODELS", str(folder.parent))
    assert main(["info"]) == 2
    err = capsys.readouterr().err
    assert not marker.exists(), "a pickle in the model folder was loaded"
    assert "config.cfg" in err and "spacy.zh.ChineseTokenizer" in err
    with pytest.raises(UnsafeModelFolder, match="config.cfg"):
        load(stages=["entities"], config={"entities": {"backend": "spacy"}})
    assert not marker.exists()


@pytest.mark.skipif(not SHIPPED.is_dir(), reason="no shipped model")
def test_pipeline_from_disk_with_hostile_entities_model_path_runs_no_code(tmp_path):
    folder, marker = _hostile_copy(tmp_path)
    saved = tmp_path / "shared-pipeline"
    saved.mkdir()
    spec = {"policytext_pipeline": 1, "max_chars": 1000, "strict": False,
            "stages": [{"name": "entities", "kind": "doc", "factory": "policytext_entities",
                        "config": {"backend": "spacy", "model_path": str(folder), "user_dicts": [],
                                   "use_gazetteers": True}}]}
    (saved / "pipeline.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(UnsafeModelFolder):
        Pipeline.from_disk(saved)
    assert not marker.exists()


def test_our_tokenizer_with_a_pickle_in_tokenizer_folder_is_refused_naming_the_file(tmp_path):
    folder, _ = _hostile_copy(tmp_path, tokenizer=OUR_TOKENIZER)
    with pytest.raises(UnsafeModelFolder, match=r"tokenizer/(cfg|pkuseg_model/features\.pkl)"):
        check_spacy_model_folder(folder)


@pytest.mark.parametrize("edit, match", [
    (lambda t: t.replace("before_creation = null", 'before_creation = {"@callbacks":"spacy.copy_from_base_model.v1"}'),
     r"^\[E31[16]\] "),
    (lambda t: t.replace('factory = "ner"', 'factory = "entity_ruler"'), r"^\[E315\] .*entity_ruler"),
    (lambda t: t.replace('[components.ner]\nfactory = "ner"', '[components.ner]\nsource = "/elsewhere"\nfactory = "ner"'),
     r"^\[E314\] "),
    (lambda t: t.replace('@architectures = "spacy.Tok2Vec.v2"', '@architectures = "evil.Arch.v1"'), r"^\[E318\] .*evil\.Arch"),
    (lambda t: t.replace("[nlp]", "[nlp"), r"^\[E319\] "),
])
def test_config_outside_the_allow_list_is_refused(tmp_path, edit, match):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "config.cfg").write_text(edit((SHIPPED / "config.cfg").read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(UnsafeModelFolder, match=match):
        check_spacy_model_folder(folder)


def test_folder_files_allow_list_links_and_special_files(tmp_path):
    folder = tmp_path / "m"
    (folder / "ner").mkdir(parents=True)
    (folder / "ner" / "model").write_bytes(b"\x80")
    assert check_folder_files(folder, ["ner/*"]) == [folder / "ner" / "model"]
    (folder / "ner" / "extra.py").write_text("import os")
    with pytest.raises(UnsafeModelFolder, match=r"^\[E307\] .*ner/extra\.py"):
        check_folder_files(folder, ["ner/model"])
    with pytest.raises(UnsafeModelFolder, match=r"^\[E306\] "):
        (folder / "ner" / "w.pkl").write_bytes(b"")
        check_folder_files(folder, ["ner/*"])
    os.remove(folder / "ner" / "w.pkl")
    os.symlink("/etc/passwd", folder / "ner" / "cfg")
    with pytest.raises(UnsafeModelFolder, match=r"^\[E304\] "):
        check_folder_files(folder, ["ner/*"])
    os.remove(folder / "ner" / "cfg")
    os.mkfifo(folder / "ner" / "moves")
    with pytest.raises(UnsafeModelFolder, match=r"^\[E305\] .*FIFO"):
        check_folder_files(folder, ["ner/*"])


def test_user_dictionary_that_is_a_fifo_is_refused_not_read(tmp_path):
    fifo = tmp_path / "dict.tsv"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeModelFolder, match=r"^\[E302\] .*FIFO"):
        check_regular_file(fifo, "entities: user dictionary")
    with pytest.raises(UnsafeModelFolder, match=r"^\[E302\] entities: user dictionary"):
        load(stages=["entities"], config={"entities": {"backend": "none", "user_dicts": [str(fifo)]}})


def test_pipeline_json_that_is_not_json_is_a_clear_error(tmp_path):
    (tmp_path / "pipeline.json").write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(ValueError, match=r"^\[E113\] .*pipeline\.json"):
        Pipeline.from_disk(tmp_path)
