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


# --- lexicon (gazetteer) and skip-bigram features -------------------------------------------

def lexicon(entries: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted hash keys and group masks, proper prefixes flagged as train_fast.lexicon_tables does."""
    masks = dict(entries)
    for name in entries:
        for k in range(2, len(name)):
            masks[name[:k]] = masks.get(name[:k], 0) | (1 << ft.LEX_PREFIX_BIT)
    keys = ft.lexicon_hashes(list(masks))
    order = np.argsort(keys)
    return keys[order], np.array(list(masks.values()), dtype=np.int64)[order]


def test_lexicon_codes_mark_the_longest_match_and_the_inside_of_longer_names():
    keys, groups = lexicon({"中国": 1, "中国人民银行": 2, "银行": 4})
    codes = ft.lexicon_codes(ft.fold_codepoints("在中国人民银行工作"), keys, groups, 3)
    # group 0 (中国): starts at 中 (2 chars → bucket 1 → 10), ends at 国 (→ 2)
    assert codes[0].tolist() == [0, 10, 2, 0, 0, 0, 0, 0, 0]
    # group 1 (中国人民银行, 6 chars → bucket 4): start 40, inside 1 for 国人民银, end 8
    assert codes[1].tolist() == [0, 40, 1, 1, 1, 1, 8, 0, 0]
    assert codes[2].tolist() == [0, 0, 0, 0, 0, 10, 2, 0, 0]
    # folding applies to entries and text alike: full-width digits match a half-width entry
    keys, groups = lexicon({"G20峰会": 1})
    assert ft.lexicon_codes(ft.fold_codepoints("Ｇ２０峰会"), keys, groups, 1)[0].tolist() == [40, 1, 1, 1, 8]
    # no match, empty text, one character
    assert not ft.lexicon_codes(ft.fold_codepoints("天气很好"), keys, groups, 1).any()
    assert ft.lexicon_codes(ft.fold_codepoints(""), keys, groups, 1).shape == (1, 0)
    assert ft.lexicon_codes(ft.fold_codepoints("中"), keys, groups, 1).tolist() == [[0]]


def lexicon_model(seed=0) -> tuple[dict, dict]:
    arrays = tiny_arrays(seed=seed)
    keys, groups = lexicon({"国家数据局": 2, "北京": 1, "刘烈宏": 4})
    arrays.update(lex_keys=keys, lex_groups=groups.astype(np.uint16), skip=arrays["bi"][:7])
    templates = ft.TEMPLATES + (("s", 0), ("x", 0), ("x", 1), ("x", 2))
    _offs, total = ft.template_offsets(arrays, templates)
    arrays["weights"] = np.random.default_rng(seed).normal(size=(total, len(ft.TAGS))).astype(np.float32)
    return arrays, {"format": ft.FORMAT, "tags": list(ft.TAGS), "templates": [list(t) for t in templates]}


def test_a_model_with_lexicon_and_skip_templates_loads_and_tags(tmp_path):
    arrays, meta = lexicon_model()
    folder = tmp_path / "lex"
    folder.mkdir()
    np.savez_compressed(folder / "weights.npz", **arrays)
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    tagger = ft.FastTagger.load(folder)
    text = "国家数据局局长刘烈宏在北京介绍。"
    ids = ft.feature_ids(ft.fold_codepoints(text), tagger.tables, tagger.offsets, tagger.templates)
    assert ids.shape == (len(meta["templates"]), len(text))
    # a text cut in blocks gives the same tags as one pass (lexicon matches near block edges too)
    assert (tagger.tag(text * 50, block=100) == tagger.tag(text * 50)).all()
    # a lexicon model whose lex arrays are missing or unsorted is refused
    for broken in ({k: v for k, v in arrays.items() if k != "lex_keys"},
                   dict(arrays, lex_keys=arrays["lex_keys"][::-1].copy())):
        bad = tmp_path / f"bad{len(broken)}"
        bad.mkdir()
        np.savez_compressed(bad / "weights.npz", **broken)
        (bad / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        with pytest.raises(ft.ModelFolderError, match=r"^\[E344\] "):
            ft.FastTagger.load(bad)
    # unknown template kinds are refused
    odd = tmp_path / "odd"
    odd.mkdir()
    np.savez_compressed(odd / "weights.npz", **arrays)
    (odd / "meta.json").write_text(json.dumps(dict(meta, templates=meta["templates"] + [["q", 0]])), encoding="utf-8")
    with pytest.raises(ft.ModelFolderError, match=r"^\[E343\] "):
        ft.FastTagger.load(odd)


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
