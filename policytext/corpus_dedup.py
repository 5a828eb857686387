"""Corpus deduplication: near-duplicate and containment clusters over many documents.

The same press conference is republished by many outlets: copied, rewritten, summarised, embedded
in longer pages. :class:`CorpusDeduper` reads documents one at a time (streaming) and keeps only a
compact fingerprint per document, never its text:

* the set of its **sentence hashes** (64-bit; sentences split on ``。！？!?；;`` and line breaks,
  compared on their match key: NFKC, OpenCC t2s, letters/digits/Han only, so punctuation,
  spacing and traditional/simplified script do not matter);
* a 64-value **MinHash** of its character ``shingle_size``-grams (datasketch).

Candidate pairs come from two LSH indexes, never from all pairs:

* a datasketch ``MinHashLSH`` over the character-shingle MinHash (Jaccard >= ``lsh_threshold``):
  copies and rewrites;
* a **sentence anchor** index for containment (a short release embedded in a long page, a
  summary made of a release's sentences), where Jaccard similarity is low by construction: each
  document's ``anchors`` min-wise sentence hashes (one per random permutation, i.e. MinHash
  bands of one row) key a bucket of the documents holding them. If A's sentences are inside B,
  each anchor of B collides with A with probability ``|A|/|B|``. Buckets that grow past
  ``max_bucket`` documents are boilerplate ("本条例自公布之日起施行") and are dropped.

Each candidate pair is verified on the stored fingerprints: ``share`` (fraction of a document's
sentences found in the other), estimated shingle Jaccard and the length ratio decide the
relation (``near_duplicate``, ``contains``, ``contained_in``). Related documents are joined into
clusters (union-find); each cluster names a canonical document: the member with the most
sentences shared with other members, then the fewest sentences (the pure release rather than a
page embedding it), then the earliest date, then the first seen.

Memory is linear in the corpus with a small constant: per document about 8 bytes per distinct
sentence plus ~0.5 KB (signature, LSH entries, anchors), no text.

Python API::

    from policytext.corpus_dedup import cluster_documents
    records = cluster_documents([("a", text_a), ("b", text_b)])   # contract section 3 records

``assign_clusters(records)`` maps ``policytext tag`` result records to ``(cluster, canonical)``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from .stages.dedup import make_lsh, minhash_of, shingle_hashes

__all__ = [
    "CorpusDeduper",
    "cluster_documents",
    "assign_clusters",
    "split_sentences",
    "sentence_hashes",
    "sentence_share",
    "DEFAULT_SETTINGS",
]

DEFAULT_SETTINGS: dict[str, Any] = {
    "t2s": True,  # fold traditional to simplified script (OpenCC) before comparing
    "min_sentence_chars": 6,  # shorter sentences (after stripping punctuation) are ignored
    "shingle_size": 5,
    "num_perm": 64,
    "lsh_threshold": 0.5,  # candidate threshold of the shingle MinHashLSH
    "jaccard_threshold": 0.5,  # estimated shingle Jaccard for a near-duplicate (with similar length)
    "length_ratio": 0.75,  # shorter/longer length above which a similar pair is a near-duplicate
    "near_duplicate_share": 0.8,  # both shares at least this: near-duplicate whatever the Jaccard
    "containment_share": 0.8,  # share of the shorter document found in the longer: containment
    "anchors": 32,
    "max_bucket": 200,
    "max_candidates": 500,  # candidates verified per document, at most
}

_SENT_SPLIT = re.compile(r"[。！？!?；;\n\r]+")
_NON_WORD = re.compile(r"[\W_]+")
_MASK64 = (1 << 64) - 1


def split_sentences(text: str) -> list[str]:
    """A light sentence split on ``。！？!?；;`` and line breaks (empty pieces dropped)."""
    return [s for s in _SENT_SPLIT.split(text) if s.strip()]


_T2S: Any = None


def _t2s(text: str) -> str:
    global _T2S
    if _T2S is None:
        try:
            import opencc

            _T2S = opencc.OpenCC("t2s")
        except Exception:  # noqa: BLE001 - OpenCC missing: compare without script folding
            _T2S = False
    return _T2S.convert(text) if _T2S else text


def _prepare(text: str, t2s: bool) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _t2s(text) if t2s else text


def _sentence_keys(text: str, min_chars: int) -> list[str]:
    out = []
    for s in split_sentences(text):
        key = _NON_WORD.sub("", s).lower()
        if len(key) >= min_chars:
            out.append(key)
    return out


def _hash64(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def sentence_hashes(text: str, t2s: bool = True, min_sentence_chars: int = 6) -> np.ndarray:
    """Sorted distinct 64-bit hashes of the sentences of ``text`` (after normalisation)."""
    keys = _sentence_keys(_prepare(text, t2s), min_sentence_chars)
    return np.unique(np.array([_hash64(k) for k in keys], dtype=np.uint64))


def sentence_share(a: str, b: str, t2s: bool = True, min_sentence_chars: int = 6) -> float:
    """Fraction of ``a``'s sentences found in ``b`` (the contract's ``share``)."""
    ha = sentence_hashes(a, t2s, min_sentence_chars)
    hb = sentence_hashes(b, t2s, min_sentence_chars)
    if not len(ha):
        return 0.0
    return len(np.intersect1d(ha, hb, assume_unique=True)) / len(ha)


@dataclass
class _Doc:
    id: str
    source: str | None
    date: str | None
    sents: np.ndarray  # uint64, sorted unique
    sig: np.ndarray  # uint32 MinHash values of the character shingles
    length: int  # match-key characters


@dataclass
class _Pair:
    a: int
    b: int  # a < b (input order)
    share_a: float  # of a's sentences found in b
    share_b: float
    relation: str  # from a's side: near_duplicate | contains | contained_in


class _UnionFind:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> None:
        self.parent.append(len(self.parent))

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


_INVERSE = {"near_duplicate": "near_duplicate", "contains": "contained_in", "contained_in": "contains"}


class CorpusDeduper:
    """Streaming corpus deduplication. ``add`` documents, then read :meth:`records`."""

    def __init__(self, **settings: Any) -> None:
        unknown = set(settings) - set(DEFAULT_SETTINGS)
        if unknown:
            raise ValueError(f"unknown setting(s): {sorted(unknown)}; known: {sorted(DEFAULT_SETTINGS)}")
        self.settings = {**DEFAULT_SETTINGS, **settings}
        s = self.settings
        self.docs: list[_Doc] = []
        self.pairs: list[_Pair] = []
        self._uf = _UnionFind()
        self._lsh = make_lsh(s["lsh_threshold"], s["num_perm"])
        rng = np.random.default_rng(20240531)
        self._perm_a = rng.integers(1, 2**63, size=s["anchors"], dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._perm_b = rng.integers(0, 2**63, size=s["anchors"], dtype=np.uint64)
        self._buckets: dict[int, Any] = {}  # anchor -> doc index | list of indexes | None (saturated)
        self.bytes_seen = 0
        self.pairs_verified = 0

    # ----- adding ------------------------------------------------------------------------------
    def add(self, doc_id: str, text: str, source: str | None = None, date: str | None = None) -> int:
        """Add one document; returns its index. Pairs with earlier documents are found now."""
        s = self.settings
        self.bytes_seen += len(text.encode("utf-8"))
        prepared = _prepare(text, s["t2s"])
        keys = _sentence_keys(prepared, s["min_sentence_chars"])
        sents = np.unique(np.array([_hash64(k) for k in keys], dtype=np.uint64))
        full_key = "".join(keys)
        sh = shingle_hashes(full_key, s["shingle_size"])
        m = minhash_of(sh, s["num_perm"])
        idx = len(self.docs)
        doc = _Doc(str(doc_id), source, date, sents, m.hashvalues.astype(np.uint32), len(full_key))
        self.docs.append(doc)
        self._uf.add()
        if not len(sents):
            return idx

        candidates: set[int] = set(self._lsh.query(m)) if len(sh) else set()
        anchors = self._anchors(sents)
        for a in anchors:
            bucket = self._buckets.get(a, -1)
            if bucket is None or bucket == -1:
                continue
            if isinstance(bucket, int):
                candidates.add(bucket)
            else:
                candidates.update(bucket)
        if len(candidates) > s["max_candidates"]:
            candidates = set(sorted(candidates)[-s["max_candidates"] :])
        for c in sorted(candidates):
            self._verify(c, idx)

        if len(sh):
            self._lsh.insert(idx, m, check_duplication=False)
        for a in anchors:
            bucket = self._buckets.get(a, -1)
            if bucket == -1:
                self._buckets[a] = idx
            elif bucket is None:
                continue
            elif isinstance(bucket, int):
                self._buckets[a] = [bucket, idx]
            elif len(bucket) >= s["max_bucket"]:
                self._buckets[a] = None
            else:
                bucket.append(idx)
        return idx

    def _anchors(self, sents: np.ndarray) -> set[int]:
        # one min-wise value per permutation (multiply-add mod 2^64, wrapping)
        with np.errstate(over="ignore"):
            permuted = sents[:, None] * self._perm_a[None, :] + self._perm_b[None, :]
        return set(sents[permuted.argmin(axis=0)].tolist())

    def _verify(self, i: int, j: int) -> None:
        s = self.settings
        a, b = self.docs[i], self.docs[j]
        self.pairs_verified += 1
        if not len(a.sents) or not len(b.sents):
            return
        inter = len(np.intersect1d(a.sents, b.sents, assume_unique=True))
        share_a, share_b = inter / len(a.sents), inter / len(b.sents)
        jac = float(np.mean(a.sig == b.sig))
        ratio = min(a.length, b.length) / max(a.length, b.length, 1)
        if min(share_a, share_b) >= s["near_duplicate_share"] or (
            jac >= s["jaccard_threshold"] and ratio >= s["length_ratio"]
        ):
            relation = "near_duplicate"
        elif share_a >= s["containment_share"] and a.length <= b.length:
            relation = "contained_in"
        elif share_b >= s["containment_share"] and b.length <= a.length:
            relation = "contains"
        else:
            return
        self.pairs.append(_Pair(i, j, share_a, share_b, relation))
        self._uf.union(i, j)

    # ----- results -----------------------------------------------------------------------------
    def clusters(self) -> tuple[list[str], list[int]]:
        """``(cluster_ids, canonical_index)`` per document, in input order."""
        members: dict[int, list[int]] = {}
        for i in range(len(self.docs)):
            members.setdefault(self._uf.find(i), []).append(i)
        cluster_of = [""] * len(self.docs)
        canonical = [0] * len(self.docs)
        for k, (root, group) in enumerate(sorted(members.items(), key=lambda kv: min(kv[1]))):
            best = group[0] if len(group) == 1 else self._canonical(group)
            for i in group:
                cluster_of[i] = f"c{k}"
                canonical[i] = best
        return cluster_of, canonical

    def _canonical(self, group: list[int]) -> int:
        arrays = [self.docs[i].sents for i in group]
        allh = np.concatenate(arrays)
        uniq, counts = np.unique(allh, return_counts=True)
        shared_arr = uniq[counts > 1]

        def score(i: int) -> tuple:
            d = self.docs[i]
            covered = len(np.intersect1d(d.sents, shared_arr, assume_unique=True))
            return (-covered, len(d.sents), d.date or "9999", i)

        return min(group, key=score)

    def records(self) -> Iterator[dict[str, Any]]:
        """One contract record per document (section 3), in input order."""
        cluster_of, canonical = self.clusters()
        reuse: dict[int, list[dict[str, Any]]] = {}
        for p in self.pairs:
            a, b = self.docs[p.a], self.docs[p.b]
            reuse.setdefault(p.a, []).append({"other": b.id, "share": round(p.share_a, 4), "relation": p.relation})
            reuse.setdefault(p.b, []).append(
                {"other": a.id, "share": round(p.share_b, 4), "relation": _INVERSE[p.relation]}
            )
        for i, d in enumerate(self.docs):
            yield {
                "id": d.id,
                "source": d.source,
                "cluster": cluster_of[i],
                "canonical": self.docs[canonical[i]].id,
                "reuse": sorted(reuse.get(i, []), key=lambda r: (-r["share"], r["other"])),
            }


def _as_pairs(docs: Iterable[Any]) -> Iterator[tuple[str, str, str | None, str | None]]:
    for k, d in enumerate(docs):
        if isinstance(d, str):
            yield str(k), d, None, None
        elif isinstance(d, Mapping):
            text = d.get("text")
            if not isinstance(text, str):
                raise ValueError(f"document {k}: a mapping needs a string 'text'")
            yield str(d.get("id", k)), text, d.get("source"), d.get("date")
        elif isinstance(d, tuple) and len(d) >= 2:
            yield str(d[0]), d[1], (d[2] if len(d) > 2 else None), (d[3] if len(d) > 3 else None)
        else:
            raise TypeError(f"document {k}: expected text, (id, text[, source, date]) or a mapping with 'text'")


def cluster_documents(docs: Iterable[Any], **settings: Any) -> list[dict[str, Any]]:
    """Cluster ``docs`` (texts, ``(id, text[, source, date])`` tuples or dicts with ``text``).

    Returns one contract section 3 record per document, in input order.
    """
    dd = CorpusDeduper(**settings)
    for doc_id, text, source, date in _as_pairs(docs):
        dd.add(doc_id, text, source=source, date=date)
    return list(dd.records())


def assign_clusters(records: Iterable[Mapping[str, Any]], **settings: Any) -> dict[str, tuple[str, str]]:
    """``{id: (cluster, canonical)}`` for ``policytext tag`` result records (their cleaned ``text``).

    For ``policytext tag --dedup-corpus``: records with an ``error`` or no text get their own
    cluster. Ids should be unique; a repeated id keeps its last assignment.
    """
    dd = CorpusDeduper(**settings)
    for k, r in enumerate(records):
        text = r.get("text") if not r.get("error") else None
        dd.add(str(r.get("id", k)), text if isinstance(text, str) else "", source=r.get("source"), date=r.get("date"))
    return {rec["id"]: (rec["cluster"], rec["canonical"]) for rec in dd.records()}
