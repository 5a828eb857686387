"""Corpus deduplication: near-duplicate and containment clusters over many documents.

The same press conference is republished by many outlets: copied, rewritten, summarised, embedded
in longer pages. :class:`CorpusDeduper` reads documents one at a time (streaming) and keeps only a
compact fingerprint per document, never its text. Everything is compared after normalisation:
NFKC, OpenCC t2s, and match keys that keep only letters, digits and Han characters, so
punctuation, spacing and traditional/simplified script never matter. Sentences come from a light
split on ``。！？!?；;`` and line breaks. A fingerprint holds:

* one 64-bit hash per sentence (exact sentence matches);
* a consistent sample (hash % ``shingle_sample`` == 0) of the character ``shingle_size``-grams
  of each sentence (fuzzy sentence matches: a sentence is *found* in another document when at
  least ``sentence_match`` of its sampled shingles occur there, so "刘烈宏介绍，截至今年6月底……"
  is found in a transcript saying "截至今年6月底……");
* a ``num_perm``-value datasketch MinHash of the document's character shingles.

Candidate pairs come from two LSH indexes over that MinHash, never from all pairs:

* a datasketch ``MinHashLSH`` (Jaccard >= ``lsh_threshold``): copies and rewrites;
* an **anchor** index for containment (a short release embedded in a long page, a summary made
  of a release's sentences), whose Jaccard similarity is low by construction: the first
  ``anchors`` MinHash values are used as bands of one row each. If A's text is inside B, each
  anchor collides with probability about ``|A|/|B|``, so 16 anchors find a release embedded in a
  page four times its size with probability 0.99. Buckets that grow past ``max_bucket``
  documents hold boilerplate shingles and are dropped.

Each candidate pair is verified on the stored fingerprints: ``share`` (fraction of a document's
sentences found in the other), estimated shingle Jaccard and the length ratio decide the
relation (``near_duplicate``, ``contains``, ``contained_in``). Related documents are joined into
clusters (union-find); each cluster names a canonical document: the member with the most
sentences shared with other members, then the fewest sentences (the pure release rather than a
page embedding it), then the earliest date, then the first seen.

Memory is linear in the corpus with a small constant and holds no text: per document 8 bytes per
sentence, about one byte per character (sampled shingles), 256 bytes of signature, and its
entries in the two indexes (see ``docs/dedup.md`` for measured figures).

Python API::

    from policytext.corpus_dedup import cluster_documents
    records = cluster_documents([("a", text_a), ("b", text_b)])   # contract section 3 records

``assign_clusters(records)`` maps ``policytext tag`` result records to ``(cluster, canonical)``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from .components.sentences import split_sentences as split_units
from .errors import Errors
from .stages.dedup import make_lsh, minhash_of, window_hashes

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
    "lsh_threshold": 0.7,  # threshold of the shingle MinHashLSH (None: anchors only, less memory)
    "near_duplicate_share": 0.8,  # both shares at least this: near-duplicate
    # or a rewrite: length ratio, estimated shingle Jaccard and mean share at least these
    "length_ratio": 0.6,
    "jaccard_threshold": 0.35,
    "rewrite_share": 0.4,
    "containment_share": 0.8,  # share of the shorter document found in the longer: containment
    "containment_ratio": 0.72,  # ... decided before the rewrite rule when shorter/longer is below this
    "sentence_match": 0.8,  # share of a sentence's sampled shingles found in the other document
    "min_sampled_shingles": 3,  # fewer: the sentence counts as found only on an exact match
    "shingle_sample": 4,  # keep shingles with hash % shingle_sample == 0 for sentence matching
    "anchors": 24,
    "max_bucket": 200,
    "max_candidates": 500,  # candidates verified per document, at most
    "prefilter_containment": 0.3,  # MinHash-estimated containment below this: not verified
}

# source, editor and author lines ("来源：新华网", "责任编辑：张某") are not content
_SOURCE_EDITOR = re.compile(r"[(（【\[]?\s*(来源|责任编辑|编辑|责编|审核|校对|作者|转自|出处|记者|通讯员|摄影|图)\s*[:：]")
#: sentence ends for the dedup keys (``split_sentences``'s light rule): semicolons end a key too
DEDUP_END_MARKS = "。！？!?；;\n\r"
_NON_WORD = re.compile(r"[\W_]+")
_MASK64 = (1 << 64) - 1


def split_sentences(text: str) -> list[str]:
    """The sentences whose hashes are the dedup keys: the light rule of
    :func:`policytext.components.sentences.split_sentences` on ``。！？!?；;`` and line breaks
    (blank pieces dropped)."""
    return [text[u["start"]:u["end"]] for u in split_units(text, end_marks=DEDUP_END_MARKS)]




def _t2s(text: str) -> str:
    from .chinese_script import to_simplified

    return to_simplified(text)


def _prepare(text: str, t2s: bool) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _t2s(text) if t2s else text


def _sentence_keys(text: str, min_chars: int) -> list[str]:
    out = []
    for s in split_sentences(text):
        key = _NON_WORD.sub("", s).lower()
        if len(key) >= min_chars and not (len(key) < 30 and _SOURCE_EDITOR.match(s.strip())):
            out.append(key)  # datelines, bylines, source and editor lines are not content
    return out


def _hash64(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def sentence_hashes(text: str, t2s: bool = True, min_sentence_chars: int = 6) -> np.ndarray:
    """Sorted distinct 64-bit hashes of the sentences of ``text`` (after normalisation)."""
    keys = _sentence_keys(_prepare(text, t2s), min_sentence_chars)
    return np.unique(np.array([_hash64(k) for k in keys], dtype=np.uint64))


def sentence_share(a: str, b: str, **settings: Any) -> float:
    """Fraction of ``a``'s sentences found in ``b`` (the contract's ``share``), as the corpus
    deduper measures it: a sentence is found when its match key occurs in ``b`` or when at least
    ``sentence_match`` of its sampled character shingles occur in ``b``."""
    dd = CorpusDeduper(**settings)
    da = dd._fingerprint("a", a, None, None)[0]
    db = dd._fingerprint("b", b, None, None)[0]
    return dd._share(da, db, db.shing)


class _Doc:
    """A document's fingerprint, packed into one ``bytes`` to keep per-document overhead small:
    sentence hashes (uint64 per sentence, in order), sampled shingle hashes (uint32, sentence by
    sentence), sampled shingles per sentence (uint16). The MinHash row lives in the deduper."""

    __slots__ = ("id", "source", "date", "blob", "n", "length", "sig")

    def __init__(self, id: str, source: str | None, date: str | None, exact: np.ndarray, shing: np.ndarray,
                 scount: np.ndarray, sig: np.ndarray | None, length: int) -> None:
        self.id, self.source, self.date, self.length = id, source, date, length
        self.n = len(exact)
        self.blob = exact.astype(np.uint64).tobytes() + shing.astype(np.uint32).tobytes() + scount.astype(np.uint16).tobytes()
        self.sig = sig  # only for fingerprints not stored in a deduper

    @property
    def exact(self) -> np.ndarray:
        return np.frombuffer(self.blob, dtype=np.uint64, count=self.n)

    @property
    def shing(self) -> np.ndarray:
        m = (len(self.blob) - 10 * self.n) // 4
        return np.frombuffer(self.blob, dtype=np.uint32, count=m, offset=8 * self.n)

    @property
    def scount(self) -> np.ndarray:
        return np.frombuffer(self.blob, dtype=np.uint16, count=self.n, offset=len(self.blob) - 2 * self.n)


@dataclass
class _Pair:
    a: int
    b: int  # a < b (input order)
    share_a: float  # of a's sentences found in b
    share_b: float
    relation: str  # from a's side: near_duplicate | contains | contained_in


class _AnchorIndex:
    """Buckets of documents by anchor (one-row MinHash band), 12 bytes per anchor.

    New anchors go to a small dict; every ``flush`` anchors it is merged into two sorted numpy
    arrays (anchor, document). A bucket holding more than ``max_bucket`` documents is skipped at
    query time (boilerplate)."""

    def __init__(self, max_bucket: int, flush: int = 1 << 16) -> None:
        self.max_bucket = max_bucket
        self.flush_at = flush
        self.keys = np.zeros(0, dtype=np.uint64)
        self.vals = np.zeros(0, dtype=np.int32)
        self.buf: dict[int, list[int]] = {}
        self.nbuf = 0

    def query(self, anchors: np.ndarray) -> set[int]:
        out: set[int] = set()
        lo = np.searchsorted(self.keys, anchors, side="left").tolist()
        hi = np.searchsorted(self.keys, anchors, side="right").tolist()
        for k, a, b in zip(anchors.tolist(), lo, hi):
            extra = self.buf.get(k)
            if (b - a) + (len(extra) if extra else 0) > self.max_bucket:
                continue
            if b > a:
                out.update(self.vals[a:b].tolist())
            if extra:
                out.update(extra)
        return out

    def add(self, anchors: np.ndarray, idx: int) -> None:
        for k in anchors.tolist():
            self.buf.setdefault(k, []).append(idx)
        self.nbuf += len(anchors)
        if self.nbuf >= self.flush_at:
            self.flush()

    def flush(self) -> None:
        if not self.buf:
            return
        bk = np.fromiter((k for k, v in self.buf.items() for _ in v), dtype=np.uint64, count=self.nbuf)
        bv = np.fromiter((i for v in self.buf.values() for i in v), dtype=np.int32, count=self.nbuf)
        order = np.argsort(bk, kind="stable")
        bk, bv = bk[order], bv[order]
        pos = np.searchsorted(self.keys, bk, side="right")
        self.keys = np.insert(self.keys, pos, bk)
        self.vals = np.insert(self.vals, pos, bv)
        self.buf, self.nbuf = {}, 0

    def nbytes(self) -> int:
        return self.keys.nbytes + self.vals.nbytes


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
            raise ValueError(Errors.E104.format(name="corpus dedup", unknown=sorted(unknown), known=sorted(DEFAULT_SETTINGS)))
        self.settings = {**DEFAULT_SETTINGS, **settings}
        s = self.settings
        self.docs: list[_Doc] = []
        self.pairs: list[_Pair] = []
        self._uf = _UnionFind()
        self._lsh = make_lsh(s["lsh_threshold"], s["num_perm"]) if s["lsh_threshold"] else None
        self._anchor_index = _AnchorIndex(s["max_bucket"])
        self._sig = np.zeros((1024, s["num_perm"]), dtype=np.uint32)  # MinHash rows, by document
        self._nsh = np.zeros(1024, dtype=np.float64)  # distinct shingles, by document
        self.bytes_seen = 0
        self.pairs_verified = 0

    # ----- adding ------------------------------------------------------------------------------
    def add(self, doc_id: str, text: str, source: str | None = None, date: str | None = None) -> int:
        """Add one document; returns its index. Pairs with earlier documents are found now."""
        return self.add_fingerprint(self.fingerprint(doc_id, text, source, date))

    def fingerprint(self, doc_id: str, text: str, source: str | None = None, date: str | None = None) -> tuple:
        """The per-document part of :meth:`add` (sentence hashes, MinHash signature), which reads no
        corpus state: it can run elsewhere (a worker process, a Dask worker with the same settings)
        and be handed to :meth:`add_fingerprint`."""
        return self._fingerprint(str(doc_id), text, source, date), len(text.encode("utf-8"))

    def add_fingerprint(self, fingerprint: tuple) -> int:
        """Add a document by its :meth:`fingerprint`; returns its index (as :meth:`add`)."""
        s = self.settings
        (doc, m, nsh), nbytes = fingerprint
        self.bytes_seen += nbytes
        idx = len(self.docs)
        self.docs.append(doc)
        self._uf.add()
        if idx >= len(self._sig):
            self._sig = np.concatenate([self._sig, np.zeros_like(self._sig)])
            self._nsh = np.concatenate([self._nsh, np.zeros_like(self._nsh)])
        self._sig[idx] = doc.sig
        self._nsh[idx] = nsh
        sig, doc.sig = doc.sig, None
        if not doc.n:
            return idx
        anchors = self._anchors(m.hashvalues)
        candidates: set[int] = set(self._lsh.query(m)) if self._lsh is not None else set()
        candidates |= self._anchor_index.query(anchors)
        if candidates:
            cand = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
            # cheap MinHash estimate of the containment of the smaller document in the larger one
            jac = (self._sig[cand] == sig[None, :]).mean(axis=1)
            na, nb = float(nsh), self._nsh[cand]
            cont = jac * (na + nb) / ((1.0 + jac) * np.maximum(np.minimum(na, nb), 1.0))
            cand = cand[cont >= s["prefilter_containment"]]
            if len(cand) > s["max_candidates"]:
                cand = cand[np.argsort(-cont[cont >= s["prefilter_containment"]], kind="stable")[: s["max_candidates"]]]
            for c in sorted(cand.tolist()):
                self._verify(c, idx)

        if self._lsh is not None:
            self._lsh.insert(idx, m, check_duplication=False)
        self._anchor_index.add(anchors, idx)
        return idx

    def _fingerprint(self, doc_id: str, text: str, source: str | None, date: str | None):
        s = self.settings
        keys = _sentence_keys(_prepare(text, s["t2s"]), s["min_sentence_chars"])
        exact = np.array([_hash64(k) for k in keys], dtype=np.uint64)
        full = "".join(keys)
        win = window_hashes(full, s["shingle_size"])
        distinct = np.unique(win)
        m = minhash_of(distinct, s["num_perm"])
        if keys:
            # windows inside one sentence, sampled consistently (hash % rate == 0)
            ends = np.cumsum([len(k) for k in keys])
            pos = np.arange(len(win))
            sid = np.searchsorted(ends, pos, side="right")
            keep = (pos + s["shingle_size"] <= ends[np.minimum(sid, len(ends) - 1)]) & (
                win % np.uint32(s["shingle_sample"]) == 0
            )
            shing = win[keep]
            scount = np.bincount(sid[keep], minlength=len(keys)).astype(np.uint16)
        else:
            shing, scount = np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.uint16)
        doc = _Doc(doc_id, source, date, exact, shing, scount, m.hashvalues.astype(np.uint32), len(full))
        return doc, m, len(distinct)

    def _anchors(self, hashvalues: np.ndarray) -> np.ndarray:
        # the first `anchors` MinHash values, each a band of one row: (permutation << 32) | value
        k = self.settings["anchors"]
        return np.unique((np.arange(k, dtype=np.uint64) << np.uint64(32)) | hashvalues[:k].astype(np.uint64))

    def _share(self, a: _Doc, b: _Doc, b_shing: np.ndarray, b_exact: set | None = None,
               b_set: set | None = None) -> float:
        """Fraction of ``a``'s sentences found in ``b`` (exact, or most sampled shingles inside)."""
        s = self.settings
        n = a.n
        if not n:
            return 0.0
        exact_b = b_exact if b_exact is not None else set(b.exact.tolist())
        shing_b = b_set if b_set is not None else set(b_shing.tolist())
        need, least = s["sentence_match"], s["min_sampled_shingles"]
        sh = a.shing.tolist()
        pos = found = 0
        for h, c in zip(a.exact.tolist(), a.scount.tolist()):
            if h in exact_b:
                found += 1
            elif c >= least and sum(1 for x in sh[pos : pos + c] if x in shing_b) >= need * c:
                found += 1
            pos += c
        return found / n

    def _verify(self, i: int, j: int) -> None:
        s = self.settings
        a, b = self.docs[i], self.docs[j]
        self.pairs_verified += 1
        if not a.n or not b.n:
            return
        share_a = self._share(a, b, b.shing)
        share_b = self._share(b, a, a.shing)
        jac = float(np.mean(self._sig[i] == self._sig[j]))
        ratio = min(a.length, b.length) / max(a.length, b.length, 1)
        a_shorter = a.length <= b.length
        short_share = share_a if a_shorter else share_b
        contained = "contained_in" if a_shorter else "contains"
        if min(share_a, share_b) >= s["near_duplicate_share"]:
            relation = "near_duplicate"
        elif short_share >= s["containment_share"] and ratio < s["containment_ratio"]:
            relation = contained  # a summary or an embedding: clearly shorter, found in the other
        elif (ratio >= s["length_ratio"] and jac >= s["jaccard_threshold"]
              and share_a + share_b >= 2 * s["rewrite_share"]):
            relation = "near_duplicate"  # a rewrite: similar length and text, many sentences shared
        elif short_share >= s["containment_share"]:
            relation = contained
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
        arrays = [np.unique(self.docs[i].exact) for i in group]
        allh = np.concatenate(arrays)
        uniq, counts = np.unique(allh, return_counts=True)
        shared_arr = uniq[counts > 1]

        def score(i: int) -> tuple:
            d = self.docs[i]
            covered = int(np.isin(d.exact, shared_arr).sum())
            return (-covered, d.n, d.date or "9999", i)

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
                raise ValueError(Errors.E017.format(key=k))
            yield str(d.get("id", k)), text, d.get("source"), d.get("date")
        elif isinstance(d, tuple) and len(d) >= 2:
            yield str(d[0]), d[1], (d[2] if len(d) > 2 else None), (d[3] if len(d) > 3 else None)
        else:
            raise TypeError(Errors.E018.format(key=k))


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
