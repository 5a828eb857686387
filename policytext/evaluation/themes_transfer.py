"""Leave-one-source-out runs of theme features meant to transfer across sources (issue #23).

Used by :mod:`policytext.evaluation.themes_by_source` for the variants with ``blocks``,
``neighbours`` or ``document`` settings:

* ``blocks``: extra feature blocks beside the character n-grams, each l2-normalised (sublinear tf)
  and scaled by its weight: ``char_clusters`` (bag of the 128 character clusters of
  ``models/ner_fast``), ``bigram_clusters`` (bag of its 256 bigram clusters), ``cluster_pairs``
  (pairs of bigram clusters two characters apart), ``entities_claims`` (entity labels of the fast
  entity tagger, claim kinds, modalities and units of :func:`policytext.components.claims.extract_claims`)
  and ``neighbours`` (the previous and next paragraphs' n-grams as a block with weights of its own);
* ``neighbours``: the previous and next paragraph of the same document added to a paragraph's
  TF-IDF vector with this weight (shared weights: at run time the decision score becomes
  ``s_i + w * (s_{i-1} + s_{i+1})``);
* ``document``: the TF-IDF vector of the whole document (all its paragraphs' n-gram counts
  summed) added with this weight (a document-level prior).

Speed: the character n-grams of every text are counted once; each fold's TF-IDF (vocabulary =
n-grams in at least two training rows, smoothed idf, sublinear tf, l2) is cut from the counts. It
equals scikit-learn's ``TfidfVectorizer`` fitted on the fold (tested), so a LOSO run costs about a
quarter of :func:`themes_by_source.leave_one_source_out`'s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np
import scipy.sparse as sp

from ..components import themes
from ..components.themes import model as tm
from ..components.themes.report import multilabel_metrics
from ..errors import Errors

__all__ = ["PoolFeatures", "fold_tfidf", "cluster_counts", "leave_one_source_out_cached"]

BLOCKS = ("char_clusters", "bigram_clusters", "cluster_pairs", "entities_claims")


def _prepare(texts: Sequence[str], normalize: str | None) -> list[str]:
    if normalize == "t2s":
        from ..chinese_script import to_simplified_many

        return to_simplified_many([tm._PINYIN_GLOSS.sub("", t) for t in texts])
    return [tm.text_normalizer(normalize)(t) for t in texts]


def fold_tfidf(counts: sp.csr_matrix, cols: np.ndarray, idf: np.ndarray) -> sp.csr_matrix:
    """TF-IDF rows (sublinear tf, l2) of raw n-gram ``counts`` restricted to ``cols``."""
    X = counts[:, cols].astype(np.float64).tocsr()
    X.data = np.log(X.data) + 1.0
    X = sp.csr_matrix(X.multiply(idf))
    return _l2(X)


def _l2(X: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ X)


def cluster_tables(path: str | Path | None = None) -> dict[str, np.ndarray]:
    """The raw-text cluster arrays of the fast entity tagger (``models/ner_fast/weights.npz``)."""
    from ..components.themes.corpus import repo_root

    path = Path(path) if path else repo_root() / "models" / "ner_fast" / "weights.npz"
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in ("uni", "uni_cluster", "bi_cluster_keys", "bi_cluster")}


def cluster_counts(texts: Sequence[str], kind: str, tables: dict[str, np.ndarray]) -> sp.csr_matrix:
    """Bag-of-cluster counts: ``char_clusters``, ``bigram_clusters`` or ``cluster_pairs``."""
    from ..components.entities.fasttagger import _lookup, fold_codepoints

    k_u = int(tables["uni_cluster"].max()) + 1
    k_b = int(tables["bi_cluster"].max()) + 1
    ucl = np.concatenate([[0], tables["uni_cluster"]])
    bcl = np.concatenate([[0], tables["bi_cluster"]])
    width = {"char_clusters": k_u, "bigram_clusters": k_b, "cluster_pairs": k_b * k_b}[kind]
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for i, text in enumerate(texts):
        p = fold_codepoints(text)
        if kind == "char_clusters":
            c = ucl[_lookup(tables["uni"], p)]
            c = c[c > 0]
        else:
            d = bcl[_lookup(tables["bi_cluster_keys"], (p[:-1] << 21) | p[1:])]
            if kind == "bigram_clusters":
                c = d[d > 0]
            else:
                a, b = d[:-2], d[2:]
                keep = (a > 0) & (b > 0)
                c = a[keep] * k_b + b[keep]
        rows.append(np.full(len(c), i))
        cols.append(c)
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    M = sp.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(texts), width))
    M.sum_duplicates()
    return M


def entity_claim_tokens(text: str, recognizer) -> list[str]:
    """``E:ORG``, ``K:share``, ``M:target``, ``U:%`` ... for one paragraph."""
    from ..components.claims import extract_claims

    toks = ["E:" + str(s[2]) for s in recognizer.spans(text)]
    for c in extract_claims(text):
        toks += ["K:" + str(c["kind"]), "M:" + str(c["modality"]), "U:" + str(c["unit"])]
    return toks


class PoolFeatures:
    """Counts of every pool row (and, when asked, its neighbours, document, cluster and entity
    blocks), computed once for all LOSO folds."""

    def __init__(self, rows: list[dict], normalize: str | None, data_dir: Path | None = None):
        from sklearn.feature_extraction.text import CountVectorizer

        self.rows = rows
        self.normalize = normalize
        self.data_dir = data_dir
        self.texts = _prepare([r["text"] for r in rows], normalize)
        self.vectorizer = CountVectorizer(analyzer="char", ngram_range=(1, 3), lowercase=True, dtype=np.int64)
        self.counts = self.vectorizer.fit_transform(self.texts).tocsr()
        self._cache: dict[str, Any] = {}

    def _contexts(self):
        if "contexts" not in self._cache:
            from ..components.themes.corpus import paragraph_contexts

            self._cache["contexts"] = paragraph_contexts([r["id"] for r in self.rows], self.data_dir)
        return self._cache["contexts"]

    def neighbour_counts(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        if "neighbours" not in self._cache:
            ctx, _docs = self._contexts()
            prev = self.vectorizer.transform(_prepare([ctx[r["id"]]["prev"] for r in self.rows], self.normalize))
            nxt = self.vectorizer.transform(_prepare([ctx[r["id"]]["next"] for r in self.rows], self.normalize))
            self._cache["neighbours"] = (prev.tocsr(), nxt.tocsr())
        return self._cache["neighbours"]

    def document_counts(self) -> sp.csr_matrix:
        """Per row: the summed n-gram counts of all paragraphs of its document."""
        if "document" not in self._cache:
            ctx, docs = self._contexts()
            keys = sorted(docs, key=str)
            per_doc = sp.vstack([sp.csr_matrix(self.vectorizer.transform(_prepare(docs[k], self.normalize)).sum(axis=0))
                                 for k in keys]).tocsr()
            where = {k: i for i, k in enumerate(keys)}
            self._cache["document"] = per_doc[[where[ctx[r["id"]]["doc"]] for r in self.rows]]
        return self._cache["document"]

    def block(self, name: str) -> sp.csr_matrix:
        """An extra block (see :data:`BLOCKS`): sublinear tf, l2-normalised rows."""
        if name not in self._cache:
            if name == "entities_claims":
                from sklearn.feature_extraction.text import CountVectorizer

                from ..components.entities import recognizer

                rec = recognizer(backend="fast")
                toks = [entity_claim_tokens(r["text"], rec) for r in self.rows]
                M = CountVectorizer(analyzer=lambda x: x, min_df=2).fit_transform(toks).astype(np.float64).tocsr()
            elif name in BLOCKS:
                M = cluster_counts(self.texts, name, cluster_tables())
            else:
                raise ValueError(Errors.E703.format(what="feature block", name=name, known=", ".join(BLOCKS)))
            M.data = np.log(M.data) + 1.0
            self._cache[name] = _l2(M)
        return self._cache[name]


def _features(pool: PoolFeatures, idx: np.ndarray, cols: np.ndarray, idf: np.ndarray,
              cfg: dict) -> tuple[sp.csr_matrix, list[sp.csr_matrix]]:
    """The paragraph's own TF-IDF (for the NB ratios) and the blocks the classifier sees."""
    own = fold_tfidf(pool.counts[idx], cols, idf)
    X = own
    if cfg.get("neighbours"):
        prev, nxt = pool.neighbour_counts()
        X = X + cfg["neighbours"] * (fold_tfidf(prev[idx], cols, idf) + fold_tfidf(nxt[idx], cols, idf))
    if cfg.get("document"):
        X = X + cfg["document"] * fold_tfidf(pool.document_counts()[idx], cols, idf)
    blocks = [sp.csr_matrix(X)]
    for name, w in (cfg.get("blocks") or {}).items():
        if name == "neighbours":  # the neighbours' n-grams as a block of their own (own weights)
            prev, nxt = pool.neighbour_counts()
            blocks.append(w * (fold_tfidf(prev[idx], cols, idf) + fold_tfidf(nxt[idx], cols, idf)))
        else:
            blocks.append(w * pool.block(name)[idx])
    return own, blocks


def _nb_ratio(X: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
    return tm._nb_ratio(X, y, tm.NB_ALPHA)


def fit_scores(pool: PoolFeatures, Y: np.ndarray, tr: np.ndarray, te: np.ndarray, cfg: dict) -> np.ndarray:
    """Decision scores of rows ``te`` from an NBSVM fitted on rows ``tr`` (``Y``: all rows)."""
    df = np.asarray((pool.counts[tr] > 0).sum(axis=0)).ravel()
    min_df = 2 if len(tr) >= 8 else 1
    cols = np.where(df >= min_df)[0]
    idf = np.log((1.0 + len(tr)) / (1.0 + df[cols])) + 1.0
    own_tr, blocks_tr = _features(pool, tr, cols, idf, cfg)
    _own_te, blocks_te = _features(pool, te, cols, idf, cfg)
    Xtr, Xte = sp.hstack(blocks_tr).tocsr(), sp.hstack(blocks_te).tocsr()
    Ytr = Y[tr]
    Z = np.zeros((len(te), Y.shape[1]))
    for k in range(Y.shape[1]):
        y = Ytr[:, k]
        if y.min() == y.max():
            prior = (y.sum() + 0.5) / (len(y) + 1.0)
            Z[:, k] = np.log(prior / (1 - prior))
            continue
        r = np.concatenate([_nb_ratio(own_tr if i == 0 else b, y) for i, b in enumerate(blocks_tr)])
        clf = tm._make_classifier(cfg["classifier"], cfg["C"], 0)
        clf.fit(sp.csr_matrix(Xtr.multiply(r)), y)
        Z[:, k] = Xte @ (clf.coef_.ravel() * r) + float(np.ravel(clf.intercept_)[0])
    return Z


def fit_predict_cached(pool: PoolFeatures, Y: np.ndarray, tr: np.ndarray, te: np.ndarray, labels: list[str],
                       cfg: dict) -> np.ndarray:
    """As :func:`themes_by_source.fit_predict` (5 random inner folds for calibration and thresholds)."""
    folds = tm._folds(len(tr), 5, 0)
    Z = np.zeros((len(tr), Y.shape[1]))
    for f in range(5):
        Z[folds == f] = fit_scores(pool, Y, tr[folds != f], tr[folds == f], cfg)
    a, b, t = tm._calibrate_and_tune(Z, Y[tr], labels, cfg["shrink"])
    Zte = fit_scores(pool, Y, tr, te, cfg)
    return tm._assign_matrix(tm._sigmoid(a * Zte + b), t, labels, cfg["fallback"])


def leave_one_source_out_cached(rows: list[dict], cfg: dict, labels: Sequence[str], sources: Sequence[str],
                                data_dir: Path | None = None) -> dict[str, Any]:
    """:func:`themes_by_source.leave_one_source_out` for the cached-feature variants."""
    labels = list(labels)
    if cfg["inner"] != "random" or cfg["classifier"] != "nbsvm":
        raise ValueError(Errors.E703.format(what="classifier/inner folds of a cached variant",
                                            name=f"{cfg['classifier']}/{cfg['inner']}", known="nbsvm/random"))
    pool = PoolFeatures(rows, cfg.get("normalize"), data_dir)
    Y = themes.binarize([r["labels"] for r in rows], labels)
    groups = np.array([r["group"] for r in rows])
    pred = np.zeros_like(Y)
    per_source = {}
    for s in sources:
        te, tr = np.where(groups == s)[0], np.where(groups != s)[0]
        if not len(te):
            continue
        pred[te] = fit_predict_cached(pool, Y, tr, te, labels, cfg)
        per_source[s] = multilabel_metrics(Y[te], pred[te], labels)
    return {"per_source": per_source, "pooled": multilabel_metrics(Y, pred, labels), "Y": Y, "pred": pred,
            "labels": labels}


def own_source_curve(rows: list[dict], cfg: dict, n_own: int, labels: Sequence[str], sources: Sequence[str],
                     data_dir: Path | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """How much labelled text of a new source helps: for each source, whole documents of it (shuffled
    with ``seed``) are moved into training until about ``n_own`` of its paragraphs (at most half)
    are there; the rest of the source is scored by that model and by the plain leave-one-source-out
    model. Returns one ``{"source", "moved", "rest", "loso", "with_own", "Y", "pred_loso",
    "pred_own"}`` per source (micro-F1 on the same rest)."""
    from ..components.themes.corpus import paragraph_contexts

    labels = list(labels)
    pool = PoolFeatures(rows, cfg.get("normalize"), data_dir)
    Y = themes.binarize([r["labels"] for r in rows], labels)
    groups = np.array([r["group"] for r in rows])
    ctx, _docs = paragraph_contexts([r["id"] for r in rows], data_dir)
    docs = np.array([str(ctx[r["id"]]["doc"]) for r in rows])
    rng = np.random.default_rng(seed)
    out = []
    for s in sources:
        idx = np.where(groups == s)[0]
        if not len(idx):
            continue
        others = np.where(groups != s)[0]
        order = np.unique(docs[idx])
        rng.shuffle(order)
        moved: list[int] = []
        for d in order:
            if len(moved) >= min(n_own, len(idx) // 2):
                break
            moved.extend(idx[docs[idx] == d].tolist())
        rest = np.setdiff1d(idx, moved)
        p_loso = fit_predict_cached(pool, Y, others, rest, labels, cfg)
        p_own = fit_predict_cached(pool, Y, np.concatenate([others, np.array(moved, dtype=np.int64)]), rest,
                                   labels, cfg)
        out.append({"source": s, "moved": len(moved), "rest": len(rest), "Y": Y[rest], "pred_loso": p_loso,
                    "pred_own": p_own,
                    "loso": multilabel_metrics(Y[rest], p_loso, labels)["micro"]["f1"],
                    "with_own": multilabel_metrics(Y[rest], p_own, labels)["micro"]["f1"]})
    return out
