"""The HanLP backend without HanLP: tag mapping, a fake ``hanlp`` module end to end, coded errors."""

import sys
import types

import pytest

from policytext.components.entities import recognizer
from policytext.components.entities.backends import BackendUnavailable
from policytext.components.entities.hanlp_backend import load_hanlp_backend, map_hanlp_label
from policytext.errors import Errors


@pytest.mark.parametrize("tag, label", [
    ("nr", "PERSON"), ("nrf", "PERSON"), ("nrj", "PERSON"), ("B-NR", "PERSON"), ("PERSON", "PERSON"),
    ("ns", "LOC"), ("nsf", "LOC"), ("S-LOCATION", "LOC"), ("FAC", "LOC"),
    ("nt", "ORG"), ("ntc", "ORG"), ("ntcb", "ORG"), ("ntu", "ORG"), ("nth", "ORG"), ("nto", "ORG"),
    ("E-ORGANIZATION", "ORG"), ("GPE", "GPE"),
    ("DATE", None), ("NORP", None), ("nz", None), ("n", None), ("INTEGER", None), ("ntx1", None),
])
def test_tag_sets_map_to_the_contract(tag, label):
    assert map_hanlp_label(tag) == label


def _fake_hanlp(tagged: dict[str, str], loaded: list):
    """A stand-in for the ``hanlp`` module: ``load(path)`` returns a model that tags the listed
    words (token offsets, end exclusive), as HanLP's NER does on tokenised input."""

    def load(path):
        loaded.append(path)

        def model(batch):
            out = []
            for toks in batch:
                text = "".join(toks)
                ents = []
                for word, tag in tagged.items():
                    i = text.find(word)
                    while i != -1:
                        ents.append((word, tag, i, i + len(word)))  # one token a character here
                        i = text.find(word, i + len(word))
                out.append(ents)
            return out

        return model

    mod = types.ModuleType("hanlp")
    mod.load = load
    return mod


def test_fake_hanlp_module_end_to_end(monkeypatch):
    loaded: list = []
    fake = _fake_hanlp({"刘烈宏": "NR", "国家数据局": "NT", "合肥": "NS", "外滩": "ns"}, loaded)
    monkeypatch.setitem(sys.modules, "hanlp", fake)
    rec = recognizer(backend="hanlp", model_path="/models/hanlp_msra_ner")
    assert loaded == ["/models/hanlp_msra_ner"]
    text = "国家数据局局长刘烈宏在合肥调研，随后前往外滩。"
    got = {(e["text"], e["label"]) for e in rec(text)}
    # HanLP's LOC of a known division becomes GPE; other places stay LOC; titles attach as usual
    assert {("国家数据局", "ORG"), ("局长", "TITLE"), ("刘烈宏", "PERSON"), ("合肥", "GPE"), ("外滩", "LOC")} <= got


def test_missing_model_path_is_a_coded_error():
    with pytest.raises(BackendUnavailable, match="needs model_path"):
        load_hanlp_backend(None)
    assert recognizer(backend="hanlp").backend is None  # the stage falls back to rules


def test_missing_hanlp_is_a_coded_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "hanlp", None)  # import hanlp raises ImportError
    with pytest.raises(BackendUnavailable) as exc:
        load_hanlp_backend("/models/x")
    assert str(exc.value) == Errors.E347


def test_model_that_fails_to_load_is_a_coded_error(monkeypatch):
    mod = types.ModuleType("hanlp")

    def load(path):
        raise FileNotFoundError(path)

    mod.load = load
    monkeypatch.setitem(sys.modules, "hanlp", mod)
    with pytest.raises(BackendUnavailable, match="HanLP could not load /nowhere"):
        load_hanlp_backend("/nowhere")
    assert recognizer(backend="hanlp", model_path="/nowhere").backend is None
