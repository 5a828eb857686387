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

* the bands of a datasketch ``MinHashLSH`` (Jaccard >= ``lsh_threshold``, datasketch's band/row
  choice), one 64-bit key per band in a sorted index: copies and rewrites;
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

No text is kept: per document 8 bytes per sentence, about one byte per character (sampled
shingles), 256 bytes of signature and its entries in the two indexes. They live in a store
(:mod:`policytext.corpus_store`): in memory for small corpora, in a temporary SQLite file past
``spill_documents`` documents, where memory stays bounded (8 bytes per document remain in
memory). See ``docs/dedup.md`` for measured figures.

Python API::

    from policytext.corpus_dedup import cluster_documents
    records = cluster_documents([("a", text_a), ("b", text_b)])   # contract section 3 records

``assign_clusters(records)`` maps ``policytext tag`` result records to ``(cluster, canonical)``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from array import array
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from .components.sentences import split_sentences as split_units
from .corpus_store import INVERSE, Fingerprint, KeyIndex, MemoryStore, Pair, SqliteStore, meta_text
from .errors import Errors
from .stages.dedup import is_dateline_or_byline, lsh_params, minhash_values, window_hashes

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
    # where the corpus state lives: "auto" (memory, then a temporary SQLite file past
    # spill_documents documents), "memory" or "disk"; same results either way
    "store": "auto",
    "spill_documents": 50_000,
    "store_dir": None,  # folder of the SQLite file (None: the system's temporary folder)
    "cache_mb": 64,  # SQLite page cache
}

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
        if len(key) >= min_chars and not is_dateline_or_byline(s, key):
            out.append(key)  # datelines, bylines, source and editor lines are not content
    return out


def _hash64(key: str) -> int:
    return _hash64_bytes(key.encode("utf-8"))


def _hash64_bytes(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


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


_Doc = Fingerprint  # the packed per-document fingerprint (kept under its old name)
_Pair = Pair
_AnchorIndex = KeyIndex


class _UnionFind:
    """Union-find over document indexes in an ``array`` of 64-bit integers (8 bytes a document).
    A set's root is always its smallest member."""

    def __init__(self) -> None:
        self.parent = array("q")

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

    def roots(self, chunk: int = 1 << 20) -> np.ndarray:
        """Every document's root (int32 below 2**31 documents). Pointer jumping in place on the
        parent array, a chunk at a time (each pointer moves to an ancestor, so the array stays a
        valid union-find): no full-size int64 temporaries, which held about 90 bytes a document
        at the end of a 1.26-million-document run."""
        n = len(self.parent)
        if not n:
            return np.zeros(0, dtype=np.int32)
        p = np.frombuffer(self.parent, dtype=np.int64)
        changed = True
        while changed:
            changed = False
            for a in range(0, n, chunk):
                seg = p[a:a + chunk]
                up = p[seg]
                if not np.array_equal(up, seg):
                    seg[...] = up
                    changed = True
        out = p.astype(np.int32 if n < 2**31 else np.int64)
        del p, seg, up  # release the array's buffer (it cannot grow while exported)
        return out


_INVERSE = INVERSE


class CorpusDeduper:
    """Streaming corpus deduplication. ``add`` documents, then read :meth:`records`.

    State lives in a :class:`~policytext.corpus_store.MemoryStore` and moves to a temporary
    SQLite file (:class:`~policytext.corpus_store.SqliteStore`) once ``spill_documents``
    documents are in (``store="auto"``); ``store="memory"`` or ``"disk"`` fixes it. The results
    are the same either way. :meth:`close` (or leaving a ``with`` block) removes the file."""

    def __init__(self, **settings: Any) -> None:
        unknown = set(settings) - set(DEFAULT_SETTINGS)
        if unknown:
            raise ValueError(Errors.E104.format(name="corpus dedup", unknown=sorted(unknown), known=sorted(DEFAULT_SETTINGS)))
        self.settings = {**DEFAULT_SETTINGS, **settings}
        s = self.settings
        if s["store"] not in ("auto", "memory", "disk"):
            raise ValueError(Errors.E104.format(name="corpus dedup store", unknown=[s["store"]],
                                                known=["auto", "disk", "memory"]))
        self.pairs_verified = 0
        self.bytes_seen = 0
        self._uf = _UnionFind()
        # near-duplicate LSH: the bands of a datasketch MinHashLSH at lsh_threshold (same buckets)
        self._bands = lsh_params(s["lsh_threshold"], s["num_perm"]) if s["lsh_threshold"] else None
        self._store: MemoryStore | SqliteStore | None = None  # made on first use (fingerprinting needs none)

    @property
    def store(self) -> MemoryStore | SqliteStore:
        """Where the corpus state lives now."""
        if self._store is None:
            s = self.settings
            self._store = self._disk_store() if s["store"] == "disk" else MemoryStore(s["num_perm"], s["max_bucket"])
        return self._store

    def _disk_store(self) -> SqliteStore:
        s = self.settings
        return SqliteStore(s["num_perm"], s["max_bucket"], directory=s["store_dir"], cache_mb=s["cache_mb"])

    def _spill(self) -> None:
        """Move the in-memory state to a SQLite file (``store="auto"`` past ``spill_documents``)."""
        disk = self._disk_store()
        disk.load(self.store)
        self._store = disk

    def __enter__(self) -> "CorpusDeduper":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Remove the store's temporary file, if any."""
        if self._store is not None:
            self._store.close()

    @property
    def docs(self) -> "_DocsView":
        """The stored fingerprints, by index (``dd.docs[i].id``)."""
        return _DocsView(self.store)

    @property
    def pairs(self) -> list[Pair]:
        """The related pairs found so far, in the order found."""
        return list(self.store.pairs())

    @property
    def _anchor_index(self) -> Any:
        return self.store.anchors

    # ----- adding ------------------------------------------------------------------------------
    def add(self, doc_id: str, text: str, source: str | None = None, date: str | None = None,
            meta: Any = None) -> int:
        """Add one document; returns its index. Pairs with earlier documents are found now.
        ``meta`` (JSON-serialisable) comes back in the document's record."""
        return self.add_fingerprint(self.fingerprint(doc_id, text, source, date), meta=meta)

    def fingerprint(self, doc_id: str, text: str, source: str | None = None, date: str | None = None) -> tuple:
        """The per-document part of :meth:`add` (sentence hashes, MinHash signature), which reads no
        corpus state: it can run elsewhere (a worker process, a Dask worker with the same settings)
        and be handed to :meth:`add_fingerprint`."""
        return self._fingerprint(str(doc_id), text, source, date), len(text.encode("utf-8"))

    def add_fingerprint(self, fingerprint: tuple, meta: Any = None) -> int:
        """Add a document by its :meth:`fingerprint`; returns its index (as :meth:`add`)."""
        s = self.settings
        if (s["store"] == "auto" and s["spill_documents"] is not None and self.store.kind == "memory"
                and len(self.store) >= s["spill_documents"]):
            self._spill()
        return self._add_prepared(*self._prepare_add(fingerprint, meta))

    def add_fingerprints(self, items: Iterable[tuple[tuple, Any]]) -> list[int]:
        """Add ``(fingerprint, meta)`` pairs in order; returns their indexes. The same as
        :meth:`add_fingerprint` one by one (same candidates, pairs and clusters); with the disk
        store the batch's index lookups, MinHash rows and candidate fingerprints are read from the
        SQLite file in a few queries instead of four per document."""
        items = list(items)
        out: list[int] = []
        k = 0
        while k < len(items) and self.store.kind == "memory":  # one by one (and the spill, if due)
            out.append(self.add_fingerprint(*items[k]))
            k += 1
        if k < len(items):
            prepared = [self._prepare_add(fp, meta) for fp, meta in items[k:]]
            anchors = [p[3] for p in prepared]
            bands = [p[4] for p in prepared if p[4] is not None]
            with self.store.batch(np.concatenate(anchors) if anchors else None,
                                  np.concatenate(bands) if bands else None):
                out.extend(self._add_prepared(*p) for p in prepared)
        return out

    def _prepare_add(self, fingerprint: tuple, meta: Any) -> tuple:
        (doc, m, nsh), nbytes = fingerprint
        hv = getattr(m, "hashvalues", m)  # a MinHash (older fingerprints) or its values
        sig, doc.sig = doc.sig, None
        doc.meta = meta_text(meta)
        return doc, sig, nsh, self._anchors(hv), self._band_keys(hv), nbytes

    def _add_prepared(self, doc: Fingerprint, sig: np.ndarray, nsh: float, anchors: np.ndarray,
                      bands: np.ndarray | None, nbytes: int) -> int:
        s = self.settings
        store = self.store
        self.bytes_seen += nbytes
        idx = store.append(doc, sig, nsh)
        self._uf.add()
        if not doc.n:
            return idx
        candidates: set[int] = store.bands.query(bands) if bands is not None else set()
        candidates |= store.anchors.query(anchors)
        if candidates:
            cand = np.array(sorted(candidates), dtype=np.int64)
            rows, nb = store.rows(cand)
            # cheap MinHash estimate of the containment of the smaller document in the larger one
            jac = (rows == sig[None, :]).mean(axis=1)
            na = float(nsh)
            cont = jac * (na + nb) / ((1.0 + jac) * np.maximum(np.minimum(na, nb), 1.0))
            keep = cont >= s["prefilter_containment"]
            cand, cont, rows = cand[keep], cont[keep], rows[keep]
            if len(cand) > s["max_candidates"]:
                best = np.argsort(-cont, kind="stable")[: s["max_candidates"]]
                cand, rows = cand[best], rows[best]
            if len(cand):
                order = np.argsort(cand, kind="stable")
                others = store.get(cand[order].tolist())
                for c, other, row in zip(cand[order].tolist(), others, rows[order]):
                    self._verify(c, other, row, idx, doc, sig)

        if bands is not None:
            store.bands.add(bands, idx)
        store.anchors.add(anchors, idx)
        return idx

    def _fingerprint(self, doc_id: str, text: str, source: str | None, date: str | None):
        s = self.settings
        keys = _sentence_keys(_prepare(text, s["t2s"]), s["min_sentence_chars"])
        exact = np.array([_hash64(k) for k in keys], dtype=np.uint64)
        full = "".join(keys)
        win = window_hashes(full, s["shingle_size"])
        distinct = np.unique(win)
        hv = minhash_values(distinct, s["num_perm"])
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
        doc = _Doc(doc_id, source, date, exact, shing, scount, hv.astype(np.uint32), len(full))
        return doc, hv, len(distinct)

    def _anchors(self, hashvalues: np.ndarray) -> np.ndarray:
        # the first `anchors` MinHash values, each a band of one row: (permutation << 32) | value
        k = self.settings["anchors"]
        return np.unique((np.arange(k, dtype=np.uint64) << np.uint64(32)) | hashvalues[:k].astype(np.uint64))

    def _band_keys(self, hashvalues: np.ndarray) -> np.ndarray | None:
        """One 64-bit key per band of ``r`` MinHash rows (band index mixed in): two documents
        share a key exactly when a datasketch ``MinHashLSH`` with these bands puts them in one
        bucket (up to 64-bit hash collisions)."""
        if self._bands is None:
            return None
        b, r = self._bands
        hv = np.ascontiguousarray(hashvalues[: b * r], dtype=np.uint64).reshape(b, r)
        return np.array([_hash64_bytes(bytes([i]) + hv[i].tobytes()) for i in range(b)], dtype=np.uint64)

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

    def _verify(self, i: int, a: Fingerprint, sig_a: np.ndarray, j: int, b: Fingerprint, sig_b: np.ndarray) -> None:
        s = self.settings
        self.pairs_verified += 1
        if not a.n or not b.n:
            return
        share_a = self._share(a, b, b.shing)
        share_b = self._share(b, a, a.shing)
        jac = float(np.mean(sig_a == sig_b))
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
        self.store.add_pair(Pair(i, j, share_a, share_b, relation))
        self.store.invalidate()
        self._uf.union(i, j)

    # ----- results -----------------------------------------------------------------------------
    def clusters(self) -> tuple[np.ndarray, np.ndarray]:
        """``(cluster_number, canonical_index)`` per document (numpy arrays, input order):
        cluster ``c{k}`` is the ``k``-th cluster by its first member."""
        roots = self._uf.roots()
        n = len(roots)
        is_root = roots == np.arange(n, dtype=roots.dtype)
        number = np.cumsum(is_root, dtype=roots.dtype)
        number -= 1
        number = number[roots]
        canonical = np.arange(n, dtype=roots.dtype)
        if n and not is_root.all():
            # only the members of clusters of two or more, by cluster (root) then input order
            child = np.flatnonzero(~is_root)
            members = np.union1d(child, roots[child])
            del child
            order = members[np.argsort(roots[members], kind="stable")]
            del members
            rs = roots[order]
            starts = np.flatnonzero(np.r_[True, rs[1:] != rs[:-1]])
            ends = np.r_[starts[1:], len(order)]
            del rs
            for a, b in zip(starts.tolist(), ends.tolist()):
                group = order[a:b].tolist()
                canonical[group] = self._canonical(group)
        return number, canonical

    def cluster_count(self) -> int:
        """How many clusters the documents added so far form."""
        return int((self._uf.roots() == np.arange(len(self._uf.parent))).sum())

    def _canonical(self, group: list[int]) -> int:
        docs = self.store.get(group)
        allh = np.concatenate([np.unique(d.exact) for d in docs])
        uniq, counts = np.unique(allh, return_counts=True)
        shared_arr = uniq[counts > 1]

        def score(k: int) -> tuple:
            d = docs[k]
            covered = int(np.isin(d.exact, shared_arr).sum())
            return (-covered, d.n, d.date or "9999", group[k])

        return group[min(range(len(group)), key=score)]

    def records(self, chunk: int = 4096) -> Iterator[dict[str, Any]]:
        """One contract record per document (section 3), in input order, read from the store a
        chunk at a time. A document added with ``meta`` has it under ``"meta"``."""
        number, canonical = self.clusters()
        store = self.store
        for lo in range(0, len(number), chunk):
            hi = min(lo + chunk, len(number))
            docs = store.get(range(lo, hi))
            reuse = store.reuse(lo, hi)
            need = sorted({int(c) for c in canonical[lo:hi].tolist()} | {o for v in reuse.values() for o, _, _ in v})
            ids = dict(zip(need, (d.id for d in store.get(need))))
            for k, d in enumerate(docs):
                i = lo + k
                rec: dict[str, Any] = {
                    "id": d.id,
                    "source": d.source,
                    "cluster": f"c{int(number[i])}",
                    "canonical": ids[int(canonical[i])],
                    "reuse": sorted(({"other": ids[o], "share": round(sh, 4), "relation": rel}
                                     for o, sh, rel in reuse.get(i, [])), key=lambda r: (-r["share"], r["other"])),
                }
                if d.meta is not None:
                    rec["meta"] = json.loads(d.meta)
                yield rec


class _DocsView:
    """``dd.docs``: the stored fingerprints by index (read from the store)."""

    def __init__(self, store: Any) -> None:
        self.store = store

    def __len__(self) -> int:
        return len(self.store)

    def __getitem__(self, i: int) -> Fingerprint:
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self.store.get([i % len(self)])[0]


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
