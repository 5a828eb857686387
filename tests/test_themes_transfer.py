"""The cached-feature LOSO variants of issue #23 (clusters, neighbours, document, entity/claim types)."""

from __future__ import annotations

import numpy as np
import pytest

from policytext.evaluation.themes_transfer import (PoolFeatures, cluster_counts, cluster_tables, fit_scores,
                                                   fold_tfidf)

TEXTS = ["加快发展数字经济，推进数据要素市场化配置改革。", "数字经济核心产业增加值占比提高。",
         "推进数据要素基础制度建设，数字经济持续发展。", "加强生态环境保护，打好污染防治攻坚战。",
         "生态环境质量持续改善，污染防治成效明显。", "深入推进污染防治，生态环境保护不断加强。",
         "建設超大規模智算中心，提升算力供給。", "稳定粮食生产，  保障重要农产品供给。"]


def _rows(texts):
    return [{"id": f"r{i}", "text": t, "labels": [], "group": "x"} for i, t in enumerate(texts)]


def test_fold_tfidf_from_cached_counts_equals_tfidfvectorizer_fitted_on_the_fold():
    from sklearn.feature_extraction.text import TfidfVectorizer

    pool = PoolFeatures(_rows(TEXTS), "t2s")
    tr = np.array([0, 1, 3, 4, 6, 7])
    df = np.asarray((pool.counts[tr] > 0).sum(axis=0)).ravel()
    cols = np.where(df >= 2)[0]
    idf = np.log((1.0 + len(tr)) / (1.0 + df[cols])) + 1.0
    ours = fold_tfidf(pool.counts[np.arange(len(TEXTS))], cols, idf).toarray()
    vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, lowercase=True)
    vec.fit([pool.texts[i] for i in tr])
    ref = vec.transform(pool.texts).toarray()
    names = pool.vectorizer.get_feature_names_out()[cols]
    order = [vec.vocabulary_[n] for n in names]
    assert len(names) == len(vec.vocabulary_)
    assert np.allclose(ours, ref[:, order])


def test_cluster_blocks_map_text_to_raw_text_clusters():
    tables = cluster_tables()
    chars = cluster_counts(["数据要素", "", "ABC"], "char_clusters", tables)
    bigrams = cluster_counts(["数据要素", ""], "bigram_clusters", tables)
    pairs = cluster_counts(["数据要素市场"], "cluster_pairs", tables)
    assert chars.shape == (3, int(tables["uni_cluster"].max()) + 1)
    assert chars[0].sum() == 4 and chars[1].sum() == 0  # every Han character here has a cluster
    assert bigrams[0].sum() >= 2 and bigrams[1].nnz == 0
    assert pairs.shape[1] == (int(tables["bi_cluster"].max()) + 1) ** 2 and pairs[0].sum() >= 1


@pytest.mark.parametrize("cfg", [{"blocks": {}}, {"blocks": {"bigram_clusters": 0.5, "char_clusters": 0.5}}])
def test_cached_nbsvm_scores_separate_two_themes(cfg):
    from policytext.evaluation.themes_by_source import _BASE

    texts = TEXTS[:6] + ["数字经济发展提速。", "污染防治攻坚。"]
    pool = PoolFeatures(_rows(texts), "t2s")
    Y = np.array([[1, 0]] * 3 + [[0, 1]] * 3 + [[1, 0], [0, 1]])
    z = fit_scores(pool, Y, np.arange(6), np.array([6, 7]), dict(_BASE, normalize="t2s", **cfg))
    assert z.shape == (2, 2) and z[0, 0] > z[0, 1] and z[1, 1] > z[1, 0]


def test_cached_variant_reproduces_the_plain_path_scores():
    from policytext.evaluation.themes_by_source import VARIANTS, _scores

    pool = PoolFeatures(_rows(TEXTS), "t2s")
    Y = np.array([[1, 0]] * 3 + [[0, 1]] * 3 + [[0, 1]] * 2)
    tr, te = np.arange(6), np.array([6, 7])
    cached = fit_scores(pool, Y, tr, te, VARIANTS["t2s-cached"])
    plain = _scores([pool.texts[i] for i in tr], ["x"] * 6, Y[tr], [pool.texts[i] for i in te], VARIANTS["t2s"])
    assert np.allclose(cached, plain, atol=1e-6)


def test_paragraph_contexts_give_neighbours_in_document_order():
    from policytext.components.themes.corpus import default_data_dir, load_corpus, paragraph_contexts, web_corpus_path

    if not (default_data_dir() / "web_pages" / "pages.jsonl").is_file():
        pytest.skip("needs ../shared/data")
    rows = [r for r in load_corpus(web_corpus_path(), splits={"train"})][:6]
    ctx, docs = paragraph_contexts([r["id"] for r in rows])
    for r in rows:
        c = ctx[r["id"]]
        paras = docs[c["doc"]]
        i = paras.index(r["text"])
        assert c["prev"] == (paras[i - 1] if i else "")
        assert c["next"] == (paras[i + 1] if i + 1 < len(paras) else "")
    assert any(ctx[r["id"]]["next"] for r in rows)


def test_own_source_curve_moves_whole_documents_and_scores_the_same_rest(monkeypatch):
    from policytext.components.themes import corpus
    from policytext.evaluation.themes_by_source import VARIANTS
    from policytext.evaluation.themes_transfer import own_source_curve

    econ = ["数字经济{}发展提速，数据要素市场化配置改革{}。", "推进数据要素基础制度建设{}，数字经济持续{}发展。"]
    green = ["加强生态环境保护{}，打好污染防治攻坚战{}。", "深入推进污染防治{}，生态环境保护不断加强{}。"]
    rows = []
    for g in ("a", "b"):
        for i in range(24):
            theme = i % 2 == 0
            text = (econ if theme else green)[i % 4 // 2].format(g * (i % 3), i)
            rows.append({"id": f"{g}{i}", "text": text, "labels": ["digital_economy"] if theme else ["other"],
                         "group": g})
    ctx = {r["id"]: {"prev": "", "next": "", "doc": (r["group"], int(r["id"][1:]) // 4)} for r in rows}
    monkeypatch.setattr(corpus, "paragraph_contexts", lambda ids, data_dir=None: (ctx, {}))
    res = own_source_curve(rows, VARIANTS["t2s-cached"], 8, ["digital_economy", "other"], ["a", "b"])
    assert [r["source"] for r in res] == ["a", "b"]
    for r in res:
        assert r["moved"] == 8 and r["rest"] == 16  # two whole documents of four paragraphs
        assert r["pred_loso"].shape == r["pred_own"].shape == r["Y"].shape == (16, 2)
        assert 0.0 <= r["loso"] <= 1.0 and r["with_own"] >= 0.9


@pytest.mark.parametrize("cfg", [{"neighbours": 0.3}, {"blocks": {"neighbours": 0.3}}])
def test_neighbour_features_come_from_the_paragraphs_around(monkeypatch, cfg):
    from policytext.components.themes import corpus
    from policytext.evaluation.themes_by_source import _BASE

    texts = TEXTS[:6] + ["数字经济发展提速。", "污染防治攻坚。"]
    rows = _rows(texts)
    ctx = {r["id"]: {"prev": texts[i - 1] if i else "", "next": "", "doc": ("d",)} for i, r in enumerate(rows)}
    monkeypatch.setattr(corpus, "paragraph_contexts", lambda ids, data_dir=None: (ctx, {}))
    pool = PoolFeatures(rows, "t2s")
    prev, nxt = pool.neighbour_counts()
    assert prev[0].nnz == 0 and prev[1].nnz > 0 and nxt.nnz == 0
    Y = np.array([[1, 0]] * 3 + [[0, 1]] * 3 + [[1, 0], [0, 1]])
    z = fit_scores(pool, Y, np.arange(6), np.array([6, 7]), dict(_BASE, normalize="t2s", **cfg))
    assert z.shape == (2, 2) and np.all(np.isfinite(z))
