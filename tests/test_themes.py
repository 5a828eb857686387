"""Policy themes: data readers, features, training, persistence, component, CLI, corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from policytext.components import themes
from policytext.components.themes import OTHER, aggregate_document, read_labelled
from policytext.components.themes.corpus import PUBLIC_DOMAIN, default_corpus_path, default_data_dir

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL = ROOT / "models" / "themes"

# Real sentences from government work reports, laws and the annotation guidelines.
SMALL = [
    ("加快建设全国一体化算力网，深入实施“东数西算”工程。", ["computing"]),
    ("5G基站总数达到337万个，千兆光网覆盖超5亿户家庭。", ["computing"]),
    ("建设超大规模智算中心，提升算力供给能力。", ["computing"]),
    ("推进数据中心绿色低碳发展，优化算力布局。", ["computing"]),
    ("加大5G网络和千兆光网建设力度，丰富应用场景。", ["computing"]),
    ("个人信息处理者应当采取必要措施保障个人信息的安全。", ["security_governance"]),
    ("国家建立数据分类分级保护制度，加强重要数据保护。", ["security_governance"]),
    ("网络运营者应当履行网络安全保护义务，防范网络攻击。", ["security_governance"]),
    ("严厉打击电信网络诈骗犯罪，保护公民个人信息。", ["security_governance"]),
    ("加强网络安全、数据安全和个人信息保护。", ["security_governance"]),
    ("稳定粮食生产，粮食产量保持在1.3万亿斤以上。", ["other"]),
    ("各位代表！", ["other"]),
    ("加强生态环境保护，持续打好蓝天保卫战。", ["other"]),
    ("深化医药卫生体制改革，提高基本医保水平。", ["other"]),
    ("稳健的货币政策要灵活适度，保持流动性合理充裕。", ["other"]),
    ("建设超大规模数据中心，保障算力网络安全。", ["computing", "security_governance"]),
]


@pytest.fixture(scope="module")
def small_model():
    model, report = themes.train([t for t, _ in SMALL], [l for _, l in SMALL], cv=3, min_df=1)
    return model, report


# ----- readers ----------------------------------------------------------------------------------
def test_read_jsonl_csv_label_studio_and_doccano(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"text": "算力网", "labels": ["computing"]}, ensure_ascii=False) + "\n"
        + json.dumps({"text": "个人信息", "label": "security_governance, international"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    rows = read_labelled(tmp_path / "a.jsonl")
    assert rows[0]["labels"] == ["computing"] and rows[1]["labels"] == ["security_governance", "international"]

    (tmp_path / "b.csv").write_text("text,labels\n算力网,computing;ai\n粮食生产,\n", encoding="utf-8")
    rows = read_labelled(tmp_path / "b.csv")
    assert rows[0]["labels"] == ["computing", "ai"] and rows[1]["labels"] == []

    ls = [{"id": 7, "data": {"text": "开展“人工智能+”行动"},
           "annotations": [{"id": 1, "was_cancelled": True, "result": [{"value": {"choices": ["other"]}}]},
                           {"id": 2, "result": [{"type": "choices", "value": {"choices": ["ai"]}}]}]},
          {"id": 8, "data": {"text": "未标注"}, "annotations": []}]
    (tmp_path / "ls.json").write_text(json.dumps(ls, ensure_ascii=False), encoding="utf-8")
    rows = read_labelled(tmp_path / "ls.json")
    assert rows == [{"text": "开展“人工智能+”行动", "labels": ["ai"], "id": 7}]

    mini = [{"text": "数据交易所", "theme": {"choices": ["data_market"]}}]
    (tmp_path / "min.json").write_text(json.dumps(mini, ensure_ascii=False), encoding="utf-8")
    assert read_labelled(tmp_path / "min.json")[0]["labels"] == ["data_market"]

    (tmp_path / "doccano.jsonl").write_text(
        json.dumps({"id": 1, "text": "推进政务数据共享", "label": ["public_data"]}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    assert read_labelled(tmp_path / "doccano.jsonl")[0]["labels"] == ["public_data"]


def test_reader_rejects_span_labels_and_empty_files(tmp_path):
    (tmp_path / "ner.jsonl").write_text(json.dumps({"text": "国家数据局", "label": [[0, 5, "ORG"]]}) + "\n",
                                        encoding="utf-8")
    with pytest.raises(themes.LabelledDataError):
        read_labelled(tmp_path / "ner.jsonl")
    (tmp_path / "none.jsonl").write_text(json.dumps({"title": "x"}) + "\n", encoding="utf-8")
    with pytest.raises(themes.LabelledDataError):
        read_labelled(tmp_path / "none.jsonl")


# ----- features ---------------------------------------------------------------------------------
def test_own_transform_equals_scikit_learn():
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [t for t, _ in SMALL] + ["AI  大模型\n\n和 Token", ""]
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True).fit(texts[:10])
    terms = [""] * len(vec.vocabulary_)
    for term, j in vec.vocabulary_.items():
        terms[j] = term
    ours = themes.CharNgramFeatures(terms, vec.idf_, ngram_range=(1, 3))
    np.testing.assert_allclose(ours.transform(texts).toarray(), vec.transform(texts).toarray(), atol=1e-12)


# ----- training and prediction --------------------------------------------------------------------
def test_train_predict_and_roundtrip(small_model, tmp_path):
    model, report = small_model
    assert model.labels == ["computing", "security_governance", "other"]
    assert report["mode"] == "cv" and set(report["metrics"]["per_label"]) == set(model.labels)
    pred = model.predict(["建设全国一体化算力网，提升算力供给。", "加强个人信息保护，防范数据泄露。", "稳定粮食生产。"])
    assert "computing" in pred[0] and "security_governance" in pred[1]
    assert list(pred[2]) == [OTHER]
    for p in pred:  # other is exclusive and scores are probabilities
        assert (OTHER not in p) or len(p) == 1
        assert all(0.0 <= s <= 1.0 for s in p.values())
    out = model.save(tmp_path / "m")
    again = themes.load_model(out)
    texts = [t for t, _ in SMALL]
    np.testing.assert_allclose(again.predict_proba(texts), model.predict_proba(texts), rtol=1e-5, atol=1e-6)
    assert again.predict(texts) == model.predict(texts)


def test_custom_taxonomy_without_other_still_yields_other():
    data = SMALL[:10]
    model, _ = themes.train([t for t, _ in data], [l for _, l in data], taxonomy=["computing", "security_governance"],
                            cv=2, min_df=1)
    assert model.labels == ["computing", "security_governance"]
    (p,) = model.predict(["各位代表！今天天气很好。"])
    assert set(p) <= {"computing", "security_governance", OTHER}


def test_train_rejects_unknown_classifier_and_tiny_data():
    with pytest.raises(ValueError):
        themes.train(["a", "b", "c", "d"], [["x"], ["y"], ["x"], ["y"]], classifier="naive")
    with pytest.raises(ValueError):
        themes.train(["a"], [["x"]])


def test_aggregate_document_rule():
    paras = [{"computing": 0.7}, {"computing": 0.9, "ai": 0.6}, {"other": 0.8}]
    assert aggregate_document(paras, rule="max") == {"computing": 0.9, "ai": 0.6}
    # share rule: computing covers (0.7 + 0.9) / 3, ai 0.6 / 3
    assert aggregate_document(paras) == {"computing": 0.5333, "ai": 0.2}
    # a theme mentioned in one short paragraph of a long document is not a document theme
    long_doc = aggregate_document([{"ai": 0.95}, {"computing": 0.99}], lengths=[950, 50])
    assert long_doc == {"ai": 0.9025}
    assert aggregate_document([{"ai": 0.5}], lengths=[10], min_share=0.9) == {"ai": 0.5}
    assert aggregate_document([{"other": 0.8}, {"other": 0.4}], lengths=[30, 10]) == {"other": 0.7}
    assert aggregate_document([]) == {}


def test_metrics_and_chart(tmp_path):
    Y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]])
    P = np.array([[1, 0, 0], [0, 0, 1], [0, 0, 1], [1, 1, 0]])
    m = themes.multilabel_metrics(Y, P, ["a", "b", "other"])
    assert m["per_label"]["a"]["f1"] == 1.0 and m["per_label"]["b"]["recall"] == 0.5
    assert m["micro"]["f1"] == pytest.approx(2 * 4 / (5 + 5), abs=1e-4)
    png = themes.save_chart(m, Y, P, ["a", "b", "other"], tmp_path / "c.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# ----- spaCy component -------------------------------------------------------------------------
def test_component_fills_paragraphs_and_document(small_model):
    import spacy

    from policytext.components.themes.component import ThemeComponent
    from policytext.tokenizer import CharTokenizer

    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    comp = nlp.add_pipe("policytext_themes", config={"model": None})
    comp._model = small_model[0]
    text = "加快建设全国一体化算力网，深入实施“东数西算”工程。\n稳定粮食生产，粮食产量保持在1.3万亿斤以上。"
    doc = nlp.make_doc(text)
    doc._.paragraphs = [{"start": 0, "end": 26, "themes": {}}, {"start": 27, "end": len(text), "themes": {}}]
    doc = nlp(doc)
    assert "computing" in doc._.paragraphs[0]["themes"]
    assert list(doc._.paragraphs[1]["themes"]) == [OTHER]
    assert "computing" in doc._.themes and OTHER not in doc._.themes
    # a Doc made without the pipeline gets its paragraphs from the text
    doc2 = ThemeComponent(model=small_model[0])(nlp.make_doc("稳定粮食生产。\n\n加强个人信息保护，防范数据泄露。"))
    assert len(doc2._.paragraphs) == 2 and doc2._.themes


# ----- command line ------------------------------------------------------------------------------
def test_cli_train_and_evaluate(tmp_path, capsys):
    from policytext.cli import main

    data = tmp_path / "labelled.jsonl"
    data.write_text("".join(json.dumps({"text": t, "labels": l}, ensure_ascii=False) + "\n" for t, l in SMALL),
                    encoding="utf-8")
    out = tmp_path / "my-themes"
    assert main(["train-themes", str(data), "-o", str(out), "--cv", "2", "--min-df", "1"]) == 0
    printed = capsys.readouterr().out
    assert "computing" in printed and "micro" in printed
    assert (out / "model.json").is_file() and (out / "weights.npz").is_file()
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Trained" in card and "Cross-validated" in card
    chart = tmp_path / "eval.png"
    assert main(["evaluate-themes", str(data), "--model", str(out), "--chart", str(chart)]) == 0
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert main(["train-themes", str(tmp_path / "missing.jsonl"), "-o", str(out)]) == 2


# ----- the shipped model and the corpus ------------------------------------------------------------
@pytest.mark.skipif(not (DEFAULT_MODEL / "model.json").is_file(), reason="no shipped model")
def test_default_model_on_clear_paragraphs():
    model = themes.load_model(DEFAULT_MODEL)
    assert model.labels == themes.DEFAULT_LABELS
    pred = model.predict([
        "加快建设全国一体化算力网，深入实施“东数西算”工程。",
        "个人信息处理者应当采取必要措施保障所处理的个人信息的安全。",
        "开展“人工智能+”行动，推动大模型广泛应用。",
        "推动更多政务服务事项“一网通办”“跨省通办”。",
        "稳定粮食生产，粮食产量保持在1.3万亿斤以上。",
        "推进制造业数字化转型，建设智能工厂。",
        "数字经济核心产业增加值占GDP比重达到10%。",
    ])
    assert "computing" in pred[0]
    assert "security_governance" in pred[1]
    assert "ai" in pred[2]
    assert "digital_government" in pred[3]
    assert list(pred[4]) == [OTHER]
    assert "digital_transformation" in pred[5]
    assert list(pred[6]) == ["digital_economy"]  # digital-industry size, not transformation


def test_corpus_file_stores_no_cctv_or_pkulaw_text():
    rows = [json.loads(line) for line in open(default_corpus_path(), encoding="utf-8")]
    assert len(rows) >= 1500
    assert {r["split"] for r in rows} == {"train", "dev", "test"}
    assert sum(r["split"] == "test" for r in rows) >= 300
    for r in rows:
        assert ("text" in r) == (r["ref"]["source"] in PUBLIC_DOMAIN)
        assert r["labels"] and set(r["labels"]) <= set(themes.DEFAULT_LABELS)
        assert OTHER not in r["labels"] or r["labels"] == [OTHER]


@pytest.mark.skipif(not default_data_dir().is_dir(), reason="../shared/data is absent")
def test_corpus_rebuilds_from_shared_data():
    from policytext.components.themes.corpus import load_corpus

    rows = load_corpus()  # raises on any checksum mismatch
    assert len(rows) >= 1500 and all(r["text"] for r in rows)
    assert {"xwlb", "gov", "law"} <= {r["source"] for r in rows}
