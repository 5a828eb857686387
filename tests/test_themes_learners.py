"""Learners, thresholds and source masking of the leave-one-source-out study (issue #23)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from policytext.components import themes
from policytext.evaluation.themes_learners import (Channels, fit_scores, mask_source_marks, paired_bootstrap,
                                                   parse_rule, rule_predictions)

TEXTS = ["加快发展数字经济，推进数据要素市场化配置改革。", "数字经济核心产业增加值占比提高。",
         "推进数据要素基础制度建设，数字经济持续发展。", "加强生态环境保护，打好污染防治攻坚战。",
         "生态环境质量持续改善，污染防治成效明显。", "深入推进污染防治，生态环境保护不断加强。",
         "数字经济发展提速。", "污染防治攻坚。"]
Y2 = np.array([[1, 0]] * 3 + [[0, 1]] * 3 + [[1, 0], [0, 1]])


def test_mask_replaces_source_marks_but_keeps_theme_words():
    law, report, news = mask_source_marks(["第二十一条 国家建立数据分类分级保护制度。",
                                           "各位代表！2024年数字经济核心产业增加值占GDP比重达到10.5%。",
                                           "央视网消息：记者从国家数据局获悉，习近平在北京考察。"])
    assert "第二十一条" not in law and "数据分类分级保护制度" in law
    assert "各位代表" not in report and "2024" not in report and "10.5" not in report
    assert "数字经济核心产业增加值" in report
    assert "央视网消息" not in news and "记者" not in news and "国家数据局" in news  # ORG kept: a theme cue
    assert "习近平" not in news and "北京" not in news


def test_mask_is_linear_on_long_runs():
    runs = ["第" * 30000, "1," * 15000, "第一" * 15000, "新华社" * 10000]
    t0 = time.perf_counter()
    out = mask_source_marks(runs, entities=False)
    assert time.perf_counter() - t0 < 5.0
    assert out[1] == "\ue005" and len(out[0]) == 30000


def test_channels_tfidf_equals_tfidfvectorizer_fitted_on_the_fold():
    from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

    ch = Channels(TEXTS)
    tr, te = np.array([0, 1, 3, 4, 6]), np.array([2, 5, 7])
    Xtr, Xte = ch.matrices(tr, te)
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True).fit([TEXTS[i] for i in tr])
    names = CountVectorizer(analyzer="char", ngram_range=(1, 3)).fit(TEXTS).get_feature_names_out()
    keep = [n for n in names if n in vec.vocabulary_]
    order = [vec.vocabulary_[n] for n in keep]
    assert Xtr.shape[1] == len(vec.vocabulary_)
    assert np.allclose(Xte.toarray(), vec.transform([TEXTS[i] for i in te]).toarray()[:, order])


def test_word_block_adds_segmenter_words():
    ch = Channels(TEXTS, words=0.5)
    Xtr, _ = ch.matrices(np.arange(8), np.arange(2))
    assert ch.words is not None and Xtr.shape[1] > Channels(TEXTS).matrices(np.arange(8), np.arange(2))[0].shape[1]
    assert np.allclose(np.sqrt(np.asarray(Xtr.multiply(Xtr).sum(axis=1)).ravel()), np.sqrt(1 + 0.25))


@pytest.mark.parametrize("learner", ["nbsvm", "logreg", "sgd", "cnb", "nbsvm-bal"])
def test_every_learner_separates_two_themes(learner):
    groups = np.array(["a", "b"] * 4)
    z = fit_scores(Channels(TEXTS), Y2, groups, np.arange(6), np.array([6, 7]), [learner])[learner]
    assert z.shape == (2, 2) and z[0, 0] > z[0, 1] and z[1, 1] > z[1, 0]


def _score_store(seed: int, per_source: int, noise: float, inner: tuple[str, ...], final_noise: float):
    """A synthetic score store of learner ``m`` over three sources: gold ``Y`` (30 % positive per
    label), inner-fold scores ``±1 + noise`` for the other sources, final scores for the source."""
    labels = list(themes.DEFAULT_LABELS)
    rng = np.random.default_rng(seed)
    n, L = 3 * per_source, len(labels)
    groups = np.array(["s1", "s2", "s3"] * per_source)
    Y = (rng.random((n, L)) < 0.3).astype(np.int64)
    S = {"Y": Y, "groups": groups}
    for s in ("s1", "s2", "s3"):
        k = int((groups != s).sum())
        for how in inner:
            S[f"{s}/{how}/m"] = Y[groups != s] * 2.0 - 1.0 + rng.normal(0, noise, (k, L))
        final = Y[groups == s] * 2.0 - 1.0
        S[f"{s}/final/m"] = final + rng.normal(0, final_noise, (n - k, L)) if final_noise else final
    return S, Y, groups


def test_rule_thresholds_come_from_training_sources_only():
    """Changing the held-out source's own scores' labels must not move its thresholds: the
    predictions of a source depend on its scores, not on its gold labels."""
    S, Y, groups = _score_store(seed=0, per_source=40, noise=0.8, inner=("random", "source"), final_noise=0.8)
    pred = rule_predictions(S, ["m"], inner="source")
    S2 = dict(S, Y=Y.copy())
    S2["Y"][groups == "s1"] = 1 - S2["Y"][groups == "s1"]
    assert np.array_equal(rule_predictions(S2, ["m"], inner="source")[groups == "s1"], pred[groups == "s1"])
    assert (pred == Y).mean() > 0.8


def test_parse_rule_and_bootstrap():
    assert parse_rule("base.nbsvm+words.logreg@source:isotonic~0.5") == {
        "learners": ["base.nbsvm", "words.logreg"], "inner": "source", "calibration": "isotonic", "shrink": 0.5}
    assert parse_rule("base.nbsvm")["shrink"] == 0.75
    Y = np.array([[1, 0], [0, 1], [1, 1], [0, 1]])
    a = np.array([[1, 0], [0, 0], [1, 1], [0, 1]])
    b = Y.copy()
    diff, lo, hi = paired_bootstrap(Y, a, b, np.array(["d1", "d1", "d2", "d3"]), n=200)
    assert diff > 0 and lo <= diff <= hi
    assert paired_bootstrap(Y, a, a, np.array(["d1", "d1", "d2", "d3"]), n=50) == (0.0, 0.0, 0.0)


def test_error_analysis_counts_and_oracle_threshold():
    from policytext.evaluation.themes_learners import error_analysis

    labels = list(themes.DEFAULT_LABELS)
    # final scores separable: an oracle threshold is perfect
    S, Y, groups = _score_store(seed=1, per_source=30, noise=0.5, inner=("random",), final_noise=0.0)
    res = error_analysis(S, "m", in_source=False)
    for lab, cells in res.items():
        for s, c in cells.items():
            assert c["tp"] + c["fn"] == c["n"] == int(Y[groups == s, labels.index(lab)].sum())
            assert c["oracle_f1"] == (1.0 if c["n"] else 0.0) and c["ap_in_source"] is None


def test_keyword_label_rates_count_per_source():
    from policytext.evaluation.themes_learners import keyword_label_rates

    rows = [{"text": "严厉打击电信网络诈骗犯罪。", "labels": ["security_governance"], "group": "report"},
            {"text": "电信业务经营者应当提供服务。", "labels": ["computing"], "group": "law"},
            {"text": "电信普遍服务。", "labels": ["computing"], "group": "law"},
            {"text": "稳定粮食生产。", "labels": ["other"], "group": "law"}]
    assert keyword_label_rates(rows, [("电信", "computing")]) == {"电信 -> computing": {"report": [1, 0], "law": [2, 2]}}
