"""The fast character tagger (backend "fast"), its model folder checks, and the HanLP label mapping."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import spacy

from policytext.components.entities import recognizer
from policytext.components.entities import fasttagger as ft
from policytext.components.entities.backends import default_fast_model_path
from policytext.components.entities.hanlp_backend import HanLPBackend, map_hanlp_label
from policytext.tokenizer import CharTokenizer


def tiny_arrays(texts=("国家数据局局长刘烈宏介绍", "新华社北京电"), seed=0) -> dict[str, np.ndarray]:
    """A valid model with random weights over the n-grams of ``texts``."""
    keys_u, keys_b, keys_t = [], [], []
    for t in texts:
        p = np.concatenate([[ft.BOS, ft.BOS], ft.fold_codepoints(t), [ft.EOS, ft.EOS]])
        keys_u += list(p)
        keys_b += list((p[:-1] << 21) | p[1:])
        keys_t += list((p[:-2] << 42) | (p[1:-1] << 21) | p[2:])
    uni = np.unique(np.array(keys_u, dtype=np.int64))
    arrays = {"uni": uni, "bi": np.unique(np.array(keys_b, dtype=np.int64)),
              "tri": np.unique(np.array(keys_t, dtype=np.int64)),
              "uni_cluster": (np.arange(len(uni)) % 3 + 1).astype(np.int64),
              "bi_cluster_keys": np.unique(np.array(keys_b, dtype=np.int64))[:5],
              "bi_cluster": np.array([1, 2, 1, 2, 1], dtype=np.int64)}
    _offs, total = ft.template_offsets(arrays)
    rng = np.random.default_rng(seed)
    n = len(ft.TAGS)
    arrays.update(weights=rng.normal(size=(total, n)).astype(np.float32),
                  transitions=rng.normal(size=(n, n)).astype(np.float32),
                  start=np.zeros(n, np.float32), end=np.zeros(n, np.float32))
    return arrays


def write_model(folder, arrays) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / "weights.npz", **arrays)
    meta = {"format": ft.FORMAT, "tags": list(ft.TAGS), "templates": [list(t) for t in ft.TEMPLATES]}
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")


def test_folding_maps_widths_digits_and_latin_to_one_code_point_each():
    a = ft.fold_codepoints("２０２４年ＧＤＰ增长５.２％")
    b = ft.fold_codepoints("2024年GDP增长5.2%")
    assert a.tolist() == b.tolist() and len(a) == len("2024年GDP增长5.2%")
    assert chr(a[0]) == "0" and chr(a[5]) == "A"


def test_viterbi_batch_matches_brute_force_and_padding():
    rng = np.random.default_rng(3)
    n_lab = 4
    trans = rng.normal(size=(n_lab, n_lab)).astype(np.float32)
    start, end = rng.normal(size=n_lab).astype(np.float32), rng.normal(size=n_lab).astype(np.float32)
    lengths = np.array([3, 1, 5, 2])
    emit = rng.normal(size=(4, 5, n_lab)).astype(np.float32)
    paths = ft.viterbi_batch(emit, lengths, trans, start, end)
    for b, n in enumerate(lengths):
        def score(p):
            return (start[p[0]] + end[p[-1]] + sum(emit[b, i, p[i]] for i in range(n))
                    + sum(trans[p[i - 1], p[i]] for i in range(1, n)))
        best = max(itertools.product(range(n_lab), repeat=int(n)), key=score)
        assert tuple(paths[b, :n]) == best


def test_decoded_tags_are_well_formed_bioes(tmp_path):
    tagger = ft.FastTagger(tiny_arrays(seed=1))
    text = "国家数据局局长刘烈宏介绍，新华社北京电。" * 3
    tags = tagger.tag(text)
    ok, start_ok, end_ok = ft.allowed_transitions()
    assert start_ok[tags[0]] and end_ok[tags[-1]]
    assert all(ok[a, b] for a, b in zip(tags[:-1], tags[1:]))
    assert all(tags[i] == 0 for i, ch in enumerate(text) if ch in "，。")
    for s, e, lab in tagger.spans(text):
        assert 0 <= s < e <= len(text) and lab in ft.ENTITY_LABELS


def test_blocks_give_the_same_tags_as_one_pass():
    tagger = ft.FastTagger(tiny_arrays(seed=2))
    text = "国家数据局局长刘烈宏介绍，新华社北京电。" * 40
    assert (tagger.tag(text, block=50) == tagger.tag(text)).all()


def test_spans_snap_to_latin_and_number_tokens():
    tagger = ft.FastTagger(tiny_arrays(seed=4))
    words = ["ABC", "公", "司", "在", "2024", "年"]
    spaces = [False] * 6
    boundaries = {0, 3, 4, 5, 6, 10, 11}
    for s, e, _lab in tagger.predict(words, spaces):
        assert s in boundaries and e in boundaries


def test_text_spans_snap_to_latin_and_number_runs():
    tagger = ft.FastTagger(tiny_arrays(seed=4))
    text = "ABC公司在2024年与ＸＹＺ集团"
    runs = [(0, 3), (5, 9), (11, 14)]
    for s, e, _lab in tagger.predict_text(text):
        assert not any(a < s < b or a < e < b for a, b in runs)
    words = ["ABC", "公", "司", "在", "2024", "年", "与", "ＸＹＺ", "集", "团"]
    assert tagger.predict_text(text) == tagger.predict(words, [False] * len(words))


def test_model_folder_is_validated(tmp_path):
    good = tmp_path / "good"
    write_model(good, tiny_arrays())
    assert isinstance(ft.FastTagger.load(good), ft.FastTagger)
    extra = tmp_path / "extra"
    write_model(extra, tiny_arrays())
    (extra / "model.pkl").write_bytes(b"\x80\x04N.")
    with pytest.raises(ft.ModelFolderError, match=r"^\[E341\] "):
        ft.FastTagger.load(extra)
    broken = tmp_path / "broken"
    arrays = tiny_arrays()
    arrays["weights"] = arrays["weights"][:-1]
    write_model(broken, arrays)
    with pytest.raises(ft.ModelFolderError, match=r"^\[E344\] .*weights has shape"):
        ft.FastTagger.load(broken)
    objects = tmp_path / "objects"
    arrays = tiny_arrays()
    arrays["transitions"] = np.array([{"x": 1}], dtype=object)
    write_model(objects, arrays)
    with pytest.raises(ft.ModelFolderError):
        ft.FastTagger.load(objects)


def test_invalid_model_folder_falls_back_to_rules_with_a_warning(tmp_path):
    bad = tmp_path / "bad"
    write_model(bad, tiny_arrays())
    (bad / "notes.txt").write_text("x", encoding="utf-8")
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    comp = nlp.add_pipe("policytext_entities", config={"backend": "fast", "model_path": str(bad)})
    assert comp.recognizer.backend is None and "unexpected files" in comp.warning
    doc = nlp("国务院新闻办公室8月14日举行发布会")
    assert [(e.text, e.label_) for e in doc.ents] == [("国务院新闻办公室", "ORG"), ("8月14日", "DATE")]


# --- HanLP: the label mapping and offsets (hanlp itself is optional) ---------------------------

def test_hanlp_labels_map_to_the_contract():
    assert map_hanlp_label("nr") == map_hanlp_label("NR") == map_hanlp_label("PERSON") == "PERSON"
    assert map_hanlp_label("NT") == map_hanlp_label("ORGANIZATION") == map_hanlp_label("B-ORG") == "ORG"
    assert map_hanlp_label("ns") == map_hanlp_label("LOCATION") == map_hanlp_label("S-NS") == "LOC"
    assert map_hanlp_label("GPE") == "GPE"
    assert map_hanlp_label("DATE") is None and map_hanlp_label("NORP") is None


def test_hanlp_backend_turns_token_offsets_into_char_offsets():
    calls = []

    def model(batch):  # HanLP's output shape for tokenised input: (text, tag, start, end) per entity
        calls.append(batch)
        out = []
        for toks in batch:
            ents = []
            for name, tag in (("刘烈宏", "NR"), ("国家数据局", "NT"), ("2024年", "DATE")):
                for i in range(len(toks)):  # token offsets, as HanLP gives them
                    j = next((j for j in range(i + 1, len(toks) + 1) if "".join(toks[i:j]) == name), None)
                    if j is not None:
                        ents.append((name, tag, i, j))
            out.append(ents)
        return out

    words = ["2024", "年", "国", "家", "数", "据", "局", "  ", "局", "长", "刘", "烈", "宏", "。"]
    spaces = [False] * len(words)
    got = HanLPBackend(model).predict(words, spaces)
    text = "".join(words)
    # token offsets after the left-out space token still land on the right characters; DATE dropped
    assert sorted((text[s:e], lab) for s, e, lab in got) == [("刘烈宏", "PERSON"), ("国家数据局", "ORG")]
    assert calls and all(not w.isspace() for toks in calls[0] for w in toks)


def test_hanlp_backend_without_model_path_falls_back_to_rules():
    rec = recognizer(backend="hanlp")
    assert rec.backend is None


# --- the shipped model ------------------------------------------------------------------------

needs_fast = pytest.mark.skipif(not (default_fast_model_path() / "meta.json").exists(),
                                reason="models/ner_fast not built")


@needs_fast
def test_shipped_fast_model_loads_and_finds_names():
    rec = recognizer(backend="fast")
    assert isinstance(rec.backend, ft.FastTagger)
    text = "新华社记者张建华报道，王小明在北京会见了李光辉。中国石油化工集团公司董事长出席。"
    got = {(e["text"], e["label"]) for e in rec(text)}
    assert {("张建华", "PERSON"), ("王小明", "PERSON"), ("李光辉", "PERSON"), ("北京", "GPE")} <= got
    assert any(lab == "ORG" and "中国石油化工集团" in t for t, lab in got)
