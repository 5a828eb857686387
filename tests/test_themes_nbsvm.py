"""NBSVM classifier (the default), the independent-agreement figures and the second annotator's rows."""

from __future__ import annotations

import json

import numpy as np
import pytest

from policytext.components import themes
from policytext.components.themes import model as M
from policytext.components.themes.corpus import default_corpus_path
from policytext.evaluation.themes import _agreement_stats, agreement, independent_agreement

from themes_fixtures import TEXT_LABELS, TEXTS

CORPUS = default_corpus_path()


def test_nbsvm_is_the_default_and_alternatives_still_train():
    assert themes.DEFAULT_CLASSIFIER == "nbsvm" and set(themes.CLASSIFIERS) == {"nbsvm", "linearsvc", "logreg"}
    model, _ = themes.train(TEXTS, TEXT_LABELS, cv=3)
    assert model.meta["classifier"] == "nbsvm" and model.meta["C"] == 0.3
    proba = model.predict_proba(["建设国家算力枢纽节点，加快数据中心建设。", "依法保护个人信息，防范数据泄露。"])
    assert model.labels[int(np.argmax(proba[0]))] == "computing"
    assert model.labels[int(np.argmax(proba[1]))] == "security_governance"
    svm, _ = themes.train(TEXTS, TEXT_LABELS, cv=3, classifier="linearsvc")
    assert svm.meta["classifier"] == "linearsvc" and svm.meta["C"] == 1.0


def test_nb_scaling_folds_into_plain_linear_weights():
    """w·(r∘x) + b computed with the scaled features equals the stored (w∘r)·x + b."""
    from sklearn.svm import LinearSVC

    vec, X = M._fit_vectorizer(TEXTS, (1, 3), 1, None)
    Y = M.binarize(TEXT_LABELS, ["computing", "security_governance", "other"])
    coef, intercept = M._fit_linear(X, Y, "nbsvm", 0.3, 0)
    y = Y[:, 0]
    r = M._nb_ratio(X, y)
    clf = LinearSVC(C=0.3, class_weight="balanced", max_iter=5000, random_state=0).fit(X.multiply(r).tocsr(), y)
    np.testing.assert_allclose(np.asarray(X @ coef[0]) + intercept[0],
                               clf.decision_function(X.multiply(r).tocsr()), rtol=1e-6, atol=1e-9)
    # the ratio favours n-grams of the positive class
    j = vec.vocabulary_["算力"]
    assert r[j] > 0 and M._nb_ratio(X, Y[:, 2])[j] < 0


def test_agreement_statistics_on_a_hand_computed_case():
    first = [["ai"], ["ai"], ["other"], ["computing", "ai"]]
    second = [["ai"], ["other"], ["other"], ["computing"]]
    res = _agreement_stats(first, second)
    assert res["per_label"]["ai"]["first"] == 3 and res["per_label"]["ai"]["both"] == 1
    # micro-F1 = 2*3 / (5 + 4); exact sets 2/4; kappa for 'other': po=0.75, pe=0.25*0.5+0.75*0.5
    assert res["micro_f1_agreement"] == round(6 / 9, 4) and res["exact_match"] == 0.5
    assert res["per_label"]["other"]["kappa"] == round((0.75 - 0.5) / 0.5, 3)


@pytest.mark.skipif(not CORPUS.with_name("agreement_independent.jsonl").is_file(), reason="no second annotation")
def test_independent_agreement_files():
    ind = independent_agreement()
    same = agreement()
    assert ind["n"] == same["n"] == 100
    assert ind["micro_f1_agreement"] < same["micro_f1_agreement"]  # independence shows
    assert 0.9 <= ind["micro_f1_agreement"] <= 0.99 and len(ind["disagreements"]) == round(100 * (1 - ind["exact_match"]))
    rows = [json.loads(line) for line in open(CORPUS.with_name("agreement_independent.jsonl"), encoding="utf-8")]
    assert all(set(r) <= {"id", "labels", "annotator", "note"} for r in rows)  # ids and labels only, no text


def test_second_annotator_rows_are_training_rows_with_references_only():
    rows = [json.loads(line) for line in open(CORPUS, encoding="utf-8") if line.strip()]
    new = [r for r in rows if str(r.get("batch", "")).startswith("e")]
    assert len(new) >= 800 and all(r["split"] == "train" and r.get("annotator") == "B" for r in new)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in new:
        assert ("text" in r) == (r["ref"]["source"] in ("gov", "law")), r["id"]
        assert r["labels"] and (r["labels"] == ["other"] or "other" not in r["labels"])
    # the test split is the original one: 349 rows, all by the first annotator
    test = [r for r in rows if r["split"] == "test"]
    assert len(test) == 349 and not any(str(r.get("batch", "")).startswith("e") for r in test)


def test_third_annotator_rows_and_relabels():
    """Annotator C's rows (batches f00-f01, the digital_transformation border) are training rows
    stored like B's; the only relabelled rows are training rows and say why."""
    rows = [json.loads(line) for line in open(CORPUS, encoding="utf-8") if line.strip()]
    new = [r for r in rows if str(r.get("batch", "")).startswith("f")]
    assert len(new) >= 150 and all(r["split"] == "train" and r.get("annotator") == "C" for r in new)
    assert sum("digital_transformation" in r["labels"] for r in new) >= 100
    for r in new:
        assert ("text" in r) == (r["ref"]["source"] in ("gov", "law")), r["id"]
        assert r["ref"].get("sha1") and r["labels"] and (r["labels"] == ["other"] or "other" not in r["labels"])
    relabelled = [r for r in rows if "relabelled" in r]
    assert 0 < len(relabelled) <= 20 and all(r["split"] == "train" for r in relabelled)
    assert not any(str(r.get("batch", "")).startswith("f") for r in rows if r["split"] != "train")


def test_fourth_annotator_rows_stay_off_held_out_records():
    """Annotator D's rows (batches g00-g01) are training rows stored like B's and C's, and none
    comes from a CCTV item, report or law that holds a dev or test paragraph."""
    rows = [json.loads(line) for line in open(CORPUS, encoding="utf-8") if line.strip()]
    new = [r for r in rows if str(r.get("batch", "")).startswith("g")]
    assert len(new) >= 200 and all(r["split"] == "train" and r.get("annotator") == "D" for r in new)
    assert sum("digital_transformation" in r["labels"] for r in new) >= 80
    assert sum(r["labels"] == ["other"] for r in new) >= 50  # hard negatives
    held_out = {(r["ref"]["source"], r["ref"]["file"], r["ref"].get("record")) for r in rows
                if r["split"] in ("dev", "test")}
    for r in new:
        assert ("text" in r) == (r["ref"]["source"] in ("gov", "law")), r["id"]
        assert r["ref"].get("sha1") and (r["labels"] == ["other"] or "other" not in r["labels"])
        assert (r["ref"]["source"], r["ref"]["file"], r["ref"]["record"]) not in held_out, r["id"]
    by_d = [r for r in rows if "relabelled" in r and "annotator D" in r["relabelled"]["why"]]
    assert len(by_d) == 3 and all(r["split"] == "train" and "digital_transformation" in r["labels"] for r in by_d)


def test_annotator_of_rows_and_relabels():
    """The evaluation module tells annotators apart by batch prefix and relabels by their note."""
    from policytext.evaluation.themes import _annotator, _first_annotator, _relabeller

    assert [_annotator({"batch": b}) for b in ("d03", "e01", "f00", "g00", None)] == ["A", "B", "C", "D", "A"]
    assert _first_annotator({"batch": "b02"}) and not _first_annotator({"batch": "g01"})
    why = "own clause 探索智能化养殖 (intelligent livestock farming) counts (GUIDELINES.md digital_transformation border; annotator D)"
    assert _relabeller({"from": ["other"], "why": why}) == "D"
    assert _relabeller({"from": ["other"], "why": "digital_transformation border clarified in GUIDELINES.md (annotator C)"}) == "C"
    assert _relabeller({"from": ["other"], "why": "x", "by": "B"}) == "B"


@pytest.mark.skipif(not (CORPUS.parents[2] / "models" / "themes" / "model.json").is_file(), reason="no shipped model")
def test_shipped_model_keeps_agriculture_without_digital_content_out_of_transformation():
    """The guideline's own negatives stay `other`; its positives stay digital_transformation."""
    model = themes.load_model(CORPUS.parents[2] / "models" / "themes")
    neg = model.predict(["发展现代农业，提高粮食产量。", "稳定粮食生产，粮食产量保持在1.3万亿斤以上。"])
    assert all(set(p) == {"other"} for p in neg)
    pos = model.predict(["推进制造业数字化转型，建设智能工厂。", "工业互联网平台连接设备超过9000万台套。"])
    assert all("digital_transformation" in p for p in pos)
