"""Word segmentation: ``policytext.segment``, the policy dictionary, user dictionaries, the optional
``words`` stage (record field, ``doc._.words``, entity edges) and the model-folder validation that
refuses pickles."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest

import policytext
from policytext.cli import main
from policytext.schema import validate_record
from policytext.words import ModelFolderError, Segmenter, default_segmenter, segment, validate_model_folder
from policytext.words.segmenter import DEFAULT_MODEL
from policytext.models import model_path

RELEASE = ("国家发展改革委、国家数据局联合印发通知，推进东数西算工程，加快数据要素市场化配置改革，"
           "深入实施人工智能+行动。")


def _edges(words: list[str]) -> set[int]:
    out, i = {0}, 0
    for w in words:
        i += len(w)
        out.add(i)
    return out


def test_segment_covers_the_text_and_keeps_policy_terms_whole():
    words = segment(RELEASE)
    assert "".join(words) == RELEASE
    for term in ("国家发展改革委", "国家数据局", "东数西算工程", "数据要素", "人工智能+"):
        assert term in words, (term, words)
    assert "，" in words and "。" in words  # punctuation marks are words of their own (PKU standard)


def test_segment_follows_the_pku_standard_on_newswire():
    words = segment("中国人民银行今天宣布，从明天起降低存款利率。")
    assert words[:2] == ["中国人民银行", "今天"] or words[:3] == ["中国", "人民", "银行"]
    assert "宣布" in words and "降低" in words and "存款" in words


def test_whitespace_is_never_a_word_and_half_width_text_is_segmented():
    text = "2025年 GDP增长5.2%，  AI产业\n规模扩大"
    words = segment(text)
    assert all(w.strip() == w and w for w in words)
    assert "".join(words) == "".join(text.split())
    assert "规模" in words and "扩大" in words


def test_empty_and_non_text_input():
    assert segment("") == [] and segment(" \n\t") == []
    with pytest.raises(TypeError):
        segment(b"\xe6\x95\xb0")  # type: ignore[arg-type]


def test_the_dictionary_takes_effect():
    text = "国家发展改革委推进东数西算"
    plain = Segmenter(dictionary=False).cut(text)
    ours = default_segmenter().cut(text)
    assert ours == ["国家发展改革委", "推进", "东数西算"]
    assert plain != ours  # the bare PKU model splits the names (国家 发展 改革委 ...)


def test_idioms_stay_whole_and_compositional_phrases_do_not():
    from policytext.words.dictionary import default_idioms

    text = "新政策让中小企业如虎添翼，各地一改过去模棱两可的做法，坚决贯彻落实。"
    plain = Segmenter(dictionary=False).cut(text)
    # the model's idiom-lexicon features keep 如虎添翼 (not in its training text) whole, but not every idiom
    assert "如虎添翼" in plain and "模棱两可" not in plain
    for words in (default_segmenter().cut(text), Segmenter(dictionary=False, idioms=True).cut(text)):
        assert "如虎添翼" in words and "模棱两可" in words
        assert "坚决" in words and "贯彻" in words  # not 坚决贯彻 (see below)
    # jieba tags 坚决贯彻 an idiom; the PKU training text cuts it, so the shipped list leaves it out
    idioms = default_idioms()
    assert "如虎添翼" in idioms and "坚决贯彻" not in idioms and len(idioms) > 20_000


def test_a_user_dictionary_in_jieba_and_pkuseg_formats(tmp_path):
    text = "推行免申即享和一件事一次办改革"
    before = segment(text)
    assert "免申即享" not in before and "一件事一次办" not in before
    jieba_dict = tmp_path / "jieba.txt"
    jieba_dict.write_text("# my terms\n免申即享 10 n\n\n一件事一次办 3\n", encoding="utf-8")
    pkuseg_dict = tmp_path / "pkuseg.txt"
    pkuseg_dict.write_text("免申即享\tn\n一件事一次办\n", encoding="utf-8")
    for path in (jieba_dict, pkuseg_dict):
        words = segment(text, user_dict=path)
        assert "免申即享" in words and "一件事一次办" in words and "".join(words) == text


def test_spans_force_boundaries_at_kept_spans_and_can_keep_them_whole():
    seg = default_segmenter()
    text = "上海市人民政府办公厅发布实施意见"
    free = seg.spans(text)
    # a kept span whose edges fall inside words of the free segmentation
    inner = next((a + 1, b) for a, b in free if b - a >= 2)
    forced = seg.spans(text, keep=[inner])
    bounds = {a for a, _ in forced} | {b for _, b in forced}
    assert inner[0] in bounds and inner[1] in bounds
    assert [text[a:b] for a, b in seg.spans(text, keep_whole=[(0, 10)])][0] == "上海市人民政府办公厅"


def test_long_text_without_punctuation_is_segmented_in_pieces():
    text = "数据要素市场建设" * 700  # 5,600 characters, no punctuation
    words = segment(text)
    assert "".join(words) == text
    assert sum(w.startswith("数据要素") for w in words) >= 695  # the dictionary term, whole


# ----- model folder validation -------------------------------------------------------------------

@pytest.fixture()
def model_copy(tmp_path) -> Path:
    src = model_path(DEFAULT_MODEL)
    assert src is not None, "the shipped word model is missing"
    dst = tmp_path / "model"
    shutil.copytree(src, dst)
    return dst


class _Boom:
    def __reduce__(self):
        return (Path.touch, (Path(_Boom.marker),))


def test_a_pickle_in_the_model_folder_is_refused_before_anything_is_read(model_copy, tmp_path):
    _Boom.marker = str(tmp_path / "pwned")
    (model_copy / "features.msgpack").unlink()  # spacy-pkuseg itself would now unpickle features.pkl
    (model_copy / "features.pkl").write_bytes(pickle.dumps({"x": _Boom()}))
    with pytest.raises(ModelFolderError, match=r"^\[E331\] .*features\.pkl"):
        Segmenter(model_copy)
    assert not (tmp_path / "pwned").exists()


def test_model_folder_validation_names_the_offending_file(model_copy, tmp_path):
    assert validate_model_folder(model_copy) == model_copy
    (model_copy / "extra.bin").write_bytes(b"\0")
    with pytest.raises(ModelFolderError, match=r"^\[E331\] .*extra\.bin"):
        validate_model_folder(model_copy)
    (model_copy / "extra.bin").unlink()
    (model_copy / "notes.txt").write_text("x")
    with pytest.raises(ModelFolderError, match=r"^\[E331\] .*notes\.txt"):
        validate_model_folder(model_copy)
    (model_copy / "notes.txt").unlink()
    (model_copy / "weights.npz").unlink()
    with pytest.raises(ModelFolderError, match=r"^\[E332\] .*weights\.npz"):
        validate_model_folder(model_copy)
    with pytest.raises(ModelFolderError, match=r"^\[E330\] "):
        validate_model_folder(tmp_path / "nowhere")


def test_weights_with_object_arrays_are_not_unpickled(model_copy):
    import numpy as np

    np.savez(model_copy / "weights.npz", sizes=np.array([5, 1]), w=np.array([object()], dtype=object))
    with pytest.raises(ValueError):  # numpy refuses: allow_pickle=False
        Segmenter(model_copy)


# ----- the pipeline stage ------------------------------------------------------------------------

def test_words_stage_is_off_by_default_and_on_by_config():
    fast = {"entities": {"backend": "none"}}
    assert "words" not in policytext.load(stages=None, disable=["themes"], config=fast).stage_names
    nlp = policytext.load(disable=["themes"], config={**fast, "words": {"enabled": True}})
    assert "words" in nlp.stage_names
    assert nlp.stage_names.index("words") == nlp.stage_names.index("entities") + 1
    result = nlp("國家發展改革委推進東數西算工程。\n上海市人民政府辦公廳印發實施意見。")
    record = result.to_dict()
    validate_record(record)
    text = record["text"]
    words = [text[a:b] for a, b in record["words"]]
    assert result.words == record["words"]
    assert [tuple(w) for w in record["words"]] == result.doc._.words
    assert "国家发展改革委" in words and "东数西算工程" in words
    assert "".join(words) == "".join(text.split())
    # no word crosses an entity's edge
    assert record["entities"]
    starts, ends = {a for a, _ in record["words"]}, {b for _, b in record["words"]}
    for e in record["entities"]:
        assert e["start"] in starts and e["end"] in ends, e
    assert "words" not in policytext.load(disable=["themes"], config=fast)("数据要素").to_dict()


def test_words_stage_forces_entity_edges_inside_crf_words():
    from spacy.tokens import Span

    nlp = policytext.load(stages=["sentences", "words"])
    comp = nlp.get_stage("words")
    doc = nlp.nlp.make_doc("加快数据要素市场化配置")
    free = comp.segmenter.spans(doc.text)
    doc.ents = [Span(doc, 3, 6, label="PROGRAM")]  # 据要素: both edges inside dictionary/CRF words
    assert 3 not in {a for a, _ in free}
    comp(doc)
    assert (3, 6) in doc._.words or {3, 6} <= {a for a, _ in doc._.words} | {b for _, b in doc._.words}
    whole = policytext.load(stages=["words"], config={"words": {"entities": "whole"}}).get_stage("words")
    doc2 = nlp.nlp.make_doc("加快数据要素市场化配置")
    doc2.ents = [Span(doc2, 2, 9, label="PROGRAM")]
    assert (2, 9) in whole(doc2)._.words


def test_cli_words_flag_and_set(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("国家数据局推进数据要素市场化配置改革。", encoding="utf-8")
    for flags in (["--words"], ["--set", "words.enabled=true"]):
        assert main(["tag", str(src), "--set", "entities.backend=none", "--disable", "themes", *flags]) == 0
        record = json.loads(capsys.readouterr().out.splitlines()[0])
        words = [record["text"][a:b] for a, b in record["words"]]
        assert "国家数据局" in words and "数据要素" in words
    assert main(["tag", str(src), "--set", "words"]) == 2


IDIOM_FRAGMENTS = ["改革开放如虎添翼，模棱两可的表述要负荆请罪般改正，坚决贯彻落实。",
                   "他们一败涂地之后痛定思痛，叮当作响的社情民意说明了一切。"]


def _pkuseg_reference(folder: Path):
    """Word starts of a text by spacy-pkuseg's own per-character feature extraction (its
    FeatureExtractor, built here without pickle) and compiled Viterbi, with the model's generic
    lexicon-match features added by name as the training script builds them."""
    import numpy as np
    import srsly
    from spacy_pkuseg import inference
    from spacy_pkuseg.feature_extractor import FeatureExtractor

    from policytext.words.crf import to_training_width
    from policytext.words.lexicon_features import Lexicon, node_feature_names

    data = srsly.read_msgpack(folder / "features.msgpack")
    fe = FeatureExtractor.__new__(FeatureExtractor)
    fe.unigram, fe.bigram = set(data["unigram"]), set()
    fe.feature_to_idx, fe.tag_to_idx = data["feature_to_idx"], data["tag_to_idx"]

    class Model:
        n_tag = len(fe.tag_to_idx)
        n_feature = len(fe.feature_to_idx)
        with np.load(folder / "weights.npz") as npz:
            w = np.asarray(npz["w"], dtype=np.float64)

    lexicons = [Lexicon.from_dict(d) for d in data.get("lexicons") or []]
    placeholder = {"**Num": "\ufdd0", "**Letter": "\ufdd1"}
    begin = {i for t, i in fe.tag_to_idx.items() if t.startswith("B")}

    def boundaries(text: str) -> list[int]:
        nodes = list(fe.normalize_text(to_training_width(text)))
        names = node_feature_names("".join(placeholder.get(c, c) for c in nodes), lexicons)
        feats = [fe.get_node_features_idx(i, nodes) + [fe.feature_to_idx[f] for f in names[i] if f in fe.feature_to_idx]
                 for i in range(len(nodes))]
        _, tags = inference.decodeViterbi_fast(feats, Model)
        return [0] + [i for i in range(1, len(tags)) if tags[i] in begin]

    return boundaries


FRAGMENTS = [RELEASE, "截至今年6月底，我国已经建设高质量数据集超过3.5万个，日均Token消耗量突破30万亿。",
             "ABC公司2025年GDP增长5.2%，www.gov.cn/zhengce发布-1:2", "１９９８年ＷＴＯ谈判", "好",
             "全国人民代表大会常务委员会关于修改《中华人民共和国个人信息保护法》的决定", *IDIOM_FRAGMENTS]


def test_fast_scoring_gives_spacy_pkusegs_own_segmentation():
    """Our vectorised feature scoring decodes to exactly what spacy-pkuseg's per-character feature
    extraction gives with the same weights."""
    from policytext.words.crf import load_crf

    folder = model_path(DEFAULT_MODEL)
    crf, reference = load_crf(folder), _pkuseg_reference(folder)
    for text in FRAGMENTS:
        assert crf.boundaries(text) == reference(text), text


def _with_idiom_lexicon(folder: Path, strength: float) -> None:
    """Give the model in ``folder`` one more lexicon (T, test idioms) and T.* features that favour
    reading a match as one word with weight ``strength``."""
    import numpy as np
    import srsly

    from policytext.words.lexicon_features import Lexicon

    data = srsly.read_msgpack(folder / "features.msgpack")
    with np.load(folder / "weights.npz") as npz:
        n_tag, n_feature = (int(x) for x in npz["sizes"])
        w = np.asarray(npz["w"], dtype=np.float64)
    lex = Lexicon("T", frozenset(["如虎添翼", "模棱两可", "负荆请罪", "一败涂地", "叮当作响", "坚决贯彻"]), 4, 10, 6)
    tags = data["tag_to_idx"]
    want = {"b": "B", "m": "I", "e": "I_end"}
    names = lex.names()
    node = np.zeros((len(names), n_tag))
    for k, name in enumerate(names):
        kind = name.split(".")[1][0]
        node[k, tags[want[kind]]] = strength
        if kind == "m":
            node[k, tags["I_first"]] = strength
        data["feature_to_idx"][name] = n_feature + k
    data["lexicons"] = [*(data.get("lexicons") or []), lex.to_dict()]
    new_w = np.concatenate([w[: n_feature * n_tag], node.reshape(-1), w[n_feature * n_tag :]])
    srsly.write_msgpack(folder / "features.msgpack", data)
    np.savez(folder / "weights.npz", sizes=np.array([n_tag, n_feature + len(names)]), w=new_w)


@pytest.mark.parametrize("strength", [0.5, 5.0])
def test_lexicon_features_score_as_the_training_extractor_and_take_effect(model_copy, strength):
    """A model with lexicon-match features (training/words/train_pkuseg.py) scores them exactly
    as the training-side extractor names them; a strong weight keeps unseen idioms whole."""
    from policytext.words.crf import PkusegCRF

    plain = Segmenter(model_copy, dictionary=False, idioms=False).cut(IDIOM_FRAGMENTS[0])
    assert "模棱两可" not in plain  # the model alone cuts it (模棱 两 可)
    _with_idiom_lexicon(model_copy, strength)
    crf, reference = PkusegCRF(model_copy), _pkuseg_reference(model_copy)
    for text in FRAGMENTS:
        assert crf.boundaries(text) == reference(text), text
    if strength > 1:
        words = Segmenter(model_copy, dictionary=False, idioms=False).cut(IDIOM_FRAGMENTS[0])
        assert {"如虎添翼", "模棱两可", "负荆请罪"} <= set(words)


def test_a_malformed_lexicon_in_the_model_is_refused(model_copy):
    import srsly

    data = srsly.read_msgpack(model_copy / "features.msgpack")
    data["lexicons"] = [{"prefix": "D", "words": ["如虎添翼"], "min_len": "four", "max_len": 10, "bucket": 6}]
    srsly.write_msgpack(model_copy / "features.msgpack", data)
    with pytest.raises(ModelFolderError, match=r"^\[E333\] "):
        Segmenter(model_copy)


def test_a_user_dictionary_that_is_not_a_plain_file_is_refused(tmp_path):
    import os

    from policytext.model_folders import UnsafeModelFolder
    from policytext.words import read_user_dictionary

    fifo = tmp_path / "dict.fifo"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeModelFolder, match=r"^\[E302\] "):
        read_user_dictionary(fifo)  # would block for ever on open()
    words = tmp_path / "words.txt"
    words.write_text("数据要素 10 n\n# comment\n东数西算\n", encoding="utf-8")
    assert read_user_dictionary(words) == ["数据要素", "东数西算"]


def test_words_as_theme_features_variant_scores_with_word_columns():
    """The LOSO variant ``words`` (#24: do words help themes?) stacks word TF-IDF beside the n-grams."""
    import numpy as np

    from policytext.evaluation.themes_by_source import VARIANTS, _CharsAndWords, _scores

    texts = ["加快发展数字经济，推进数据要素市场化配置改革。", "数字经济核心产业增加值占比提高。",
             "推进数据要素基础制度建设，数字经济持续发展。", "加强生态环境保护，打好污染防治攻坚战。",
             "生态环境质量持续改善，污染防治成效明显。", "深入推进污染防治，生态环境保护不断加强。"]
    Y = np.array([[1, 0]] * 3 + [[0, 1]] * 3)
    vec = _CharsAndWords(texts)
    assert vec.X.shape[1] > vec.chars.transform(texts[:1]).shape[1]  # word columns were added
    assert "数字经济" in vec.words.vocabulary_ or "数字" in vec.words.vocabulary_
    z = _scores(texts, ["a"] * 6, Y, ["数字经济发展提速。", "污染防治攻坚。"], VARIANTS["words"])
    assert z.shape == (2, 2) and z[0, 0] > z[0, 1] and z[1, 1] > z[1, 0]


def test_the_crf_holds_nothing_that_grows_with_its_input():
    # the CRF used to cache features per character and pair of the input, which grew with a
    # corpus (#19); its look-up tables are now fixed when the model loads
    import numpy as np

    crf = default_segmenter().crf
    sizes = {name: len(v) for name, v in vars(crf).items() if isinstance(v, (dict, set, frozenset, list, np.ndarray))}
    rare = "".join(chr(0x20000 + i) for i in range(20_000))  # CJK extension B: characters never seen
    assert len(segment(rare + "国家发展改革委推进东数西算工程")) >= 3
    assert {name: len(v) for name, v in vars(crf).items() if name in sizes} == sizes


def test_a_lone_surrogate_is_its_own_word_and_the_text_around_it_is_segmented():
    """Cleaning keeps lone surrogates (they cannot be converted); the segmenter used to raise
    UnicodeEncodeError on them."""
    from policytext.words import segment

    words = segment("中国\ud800人民银行")
    assert "".join(words) == "中国\ud800人民银行"
    assert "\ud800" in words and words[0] == "中国"
