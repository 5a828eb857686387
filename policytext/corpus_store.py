"""Where :class:`policytext.corpus_dedup.CorpusDeduper` keeps its corpus state.

Per document: a packed fingerprint (:class:`Fingerprint`), its MinHash row and distinct-shingle
count, its keys in two LSH indexes (anchors and bands), and the related pairs found. Two stores
with one interface:

* :class:`MemoryStore`: Python objects and sorted numpy arrays, fastest, about 2 KB per document;
* :class:`SqliteStore`: a temporary SQLite database (standard library) with a bounded page cache;
  what stays in memory is a few bytes per document (the union-find array of the deduper). A
  deduper starts in memory and moves its state here past ``spill_documents`` documents.

Both answer every query the same way (same candidates, same pairs), so the clusters do not
depend on the store (tested).
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import weakref
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

__all__ = ["Fingerprint", "Pair", "KeyIndex", "MemoryStore", "SqliteStore"]


class Fingerprint:
    """A document's fingerprint, packed into one ``bytes`` to keep per-document overhead small:
    sentence hashes (uint64 per sentence, in order), sampled shingle hashes (uint32, sentence by
    sentence), sampled shingles per sentence (uint16). The MinHash row lives in the store."""

    __slots__ = ("id", "source", "date", "blob", "n", "length", "sig", "meta")

    def __init__(self, id: str, source: str | None, date: str | None, exact: np.ndarray, shing: np.ndarray,
                 scount: np.ndarray, sig: np.ndarray | None, length: int, blob: bytes | None = None,
                 meta: str | None = None) -> None:
        self.id, self.source, self.date, self.length = id, source, date, length
        self.n = len(exact)
        self.blob = blob if blob is not None else (
            exact.astype(np.uint64).tobytes() + shing.astype(np.uint32).tobytes() + scount.astype(np.uint16).tobytes())
        self.sig = sig  # only for fingerprints not yet stored
        self.meta = meta  # JSON text of the input fields kept with the record (``--keep``), or None

    @classmethod
    def from_row(cls, id: str, source: str | None, date: str | None, n: int, length: int, blob: bytes,
                 meta: str | None = None) -> "Fingerprint":
        fp = cls.__new__(cls)
        fp.id, fp.source, fp.date, fp.n, fp.length, fp.blob, fp.sig, fp.meta = id, source, date, n, length, blob, None, meta
        return fp

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
class Pair:
    a: int
    b: int  # a < b (input order)
    share_a: float  # of a's sentences found in b
    share_b: float
    relation: str  # from a's side: near_duplicate | contains | contained_in


INVERSE = {"near_duplicate": "near_duplicate", "contains": "contained_in", "contained_in": "contains"}


class KeyIndex:
    """Buckets of documents by 64-bit key (an LSH band or anchor), 12 bytes per entry.

    New keys go to a small dict; every ``flush`` entries it is merged into two sorted numpy
    arrays (key, document). With ``max_bucket``, a bucket holding more than that many documents
    is skipped at query time (boilerplate)."""

    def __init__(self, max_bucket: int | None, flush: int = 1 << 16) -> None:
        self.max_bucket = max_bucket
        self.flush_at = flush
        self.keys = np.zeros(0, dtype=np.uint64)
        self.vals = np.zeros(0, dtype=np.int32)
        self.buf: dict[int, list[int]] = {}
        self.nbuf = 0

    def query(self, keys: np.ndarray) -> set[int]:
        out: set[int] = set()
        lo = np.searchsorted(self.keys, keys, side="left").tolist()
        hi = np.searchsorted(self.keys, keys, side="right").tolist()
        for k, a, b in zip(keys.tolist(), lo, hi):
            extra = self.buf.get(k)
            if self.max_bucket is not None and (b - a) + (len(extra) if extra else 0) > self.max_bucket:
                continue
            if b > a:
                out.update(self.vals[a:b].tolist())
            if extra:
                out.update(extra)
        return out

    def add(self, keys: np.ndarray, idx: int) -> None:
        for k in keys.tolist():
            self.buf.setdefault(k, []).append(idx)
        self.nbuf += len(keys)
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

    def entries(self) -> Iterator[tuple[int, int]]:
        """Every ``(key, document)`` entry (for moving the index to another store)."""
        yield from zip(self.keys.tolist(), self.vals.tolist())
        for k, v in self.buf.items():
            for i in v:
                yield k, i

    def nbytes(self) -> int:
        return self.keys.nbytes + self.vals.nbytes


class MemoryStore:
    """Everything in memory: fingerprints as objects, MinHash rows in one numpy matrix."""

    kind = "memory"

    def __init__(self, num_perm: int, max_bucket: int) -> None:
        self.fps: list[Fingerprint] = []
        self.pair_list: list[Pair] = []
        self.anchors = KeyIndex(max_bucket)
        self.bands = KeyIndex(None)
        self._sig = np.zeros((1024, num_perm), dtype=np.uint32)  # MinHash rows, by document
        self._nsh = np.zeros(1024, dtype=np.float64)  # distinct shingles, by document

    def __len__(self) -> int:
        return len(self.fps)

    def append(self, fp: Fingerprint, sig: np.ndarray, nsh: float) -> int:
        idx = len(self.fps)
        self.fps.append(fp)
        if idx >= len(self._sig):
            self._sig = np.concatenate([self._sig, np.zeros_like(self._sig)])
            self._nsh = np.concatenate([self._nsh, np.zeros_like(self._nsh)])
        self._sig[idx] = sig
        self._nsh[idx] = nsh
        return idx

    def get(self, indices: Sequence[int]) -> list[Fingerprint]:
        return [self.fps[i] for i in indices]

    def rows(self, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """MinHash rows and distinct-shingle counts of documents ``cand``."""
        return self._sig[cand], self._nsh[cand]

    def add_pair(self, pair: Pair) -> None:
        self.pair_list.append(pair)

    def pairs(self) -> Iterator[Pair]:
        return iter(self.pair_list)

    def reuse(self, lo: int, hi: int) -> dict[int, list[tuple[int, float, str]]]:
        """``{document: [(other, share, relation from its side), ...]}`` for documents in ``[lo, hi)``."""
        cache = getattr(self, "_reuse", None)
        if cache is None:
            cache = self._reuse = {}
            for p in self.pair_list:
                cache.setdefault(p.a, []).append((p.b, p.share_a, p.relation))
                cache.setdefault(p.b, []).append((p.a, p.share_b, INVERSE[p.relation]))
        return {i: cache[i] for i in range(lo, hi) if i in cache}

    def invalidate(self) -> None:
        self._reuse = None

    def batch(self, anchor_keys: np.ndarray | None, band_keys: np.ndarray | None) -> Any:
        """Nothing to read ahead in memory (see :meth:`SqliteStore.batch`)."""
        return nullcontext()

    def close(self) -> None:
        pass


_SCHEMA = """
CREATE TABLE docs(idx INTEGER PRIMARY KEY, id TEXT, source TEXT, date TEXT, n INTEGER, length INTEGER,
                  nsh REAL, blob BLOB, sig BLOB, meta TEXT);
CREATE TABLE anchors(key INTEGER, doc INTEGER, PRIMARY KEY(key, doc)) WITHOUT ROWID;
CREATE TABLE bands(key INTEGER, doc INTEGER, PRIMARY KEY(key, doc)) WITHOUT ROWID;
CREATE TABLE pairs(a INTEGER, b INTEGER, share_a REAL, share_b REAL, relation TEXT);
CREATE INDEX pairs_a ON pairs(a);
CREATE INDEX pairs_b ON pairs(b);
"""


def _signed(keys: Iterable[int]) -> list[int]:
    """uint64 keys as SQLite's signed 64-bit integers."""
    return np.fromiter(keys, dtype=np.uint64).view(np.int64).tolist()


class _SqliteKeyIndex:
    """:class:`KeyIndex` in a table: a buffer of recent entries in memory, flushed in key order.
    Buckets found over ``max_bucket`` are remembered and never queried or filled again (a bucket
    only grows, so it stays skipped): the answers equal :class:`KeyIndex`'s.

    During a :meth:`SqliteStore.batch` the table is not written (the buffer is flushed after) and
    its entries for the batch's keys were read in one query (``snapshot``): table and buffer
    together hold the same entries as one query per document would see."""

    def __init__(self, db: sqlite3.Connection, table: str, max_bucket: int | None, flush: int) -> None:
        self.db, self.table, self.max_bucket, self.flush_at = db, table, max_bucket, flush
        self.buf: dict[int, list[int]] = {}
        self.nbuf = 0
        self.full: set[int] = set()
        self.snapshot: tuple[np.ndarray, np.ndarray] | None = None
        self.hold = False

    def lookup(self, keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """The table's entries for ``keys``: ``(keys, documents)`` sorted by key (unsigned)."""
        rows: list[tuple[int, int]] = []
        for size, chunk in _in_lists(keys):
            rows += self.db.execute(f"SELECT key, doc FROM {self.table} WHERE key IN ({','.join('?' * size)})",
                                    _signed(chunk)).fetchall()
        arr = np.array(rows, dtype=np.int64).reshape(-1, 2)
        k = arr[:, 0].copy().view(np.uint64)
        order = np.argsort(k, kind="stable")
        return k[order], arr[:, 1][order]

    def query(self, keys: np.ndarray) -> set[int]:
        full = self.full
        ks = [k for k in keys.tolist() if k not in full]
        if not ks:
            return set()
        skeys, sdocs = self.snapshot if self.snapshot is not None else self.lookup(ks)
        karr = np.array(ks, dtype=np.uint64)
        lo = np.searchsorted(skeys, karr, side="left").tolist()
        hi = np.searchsorted(skeys, karr, side="right").tolist()
        out: set[int] = set()
        buf, cap = self.buf, self.max_bucket
        for k, a, b in zip(ks, lo, hi):
            extra = buf.get(k)
            if b == a and not extra:
                continue
            if cap is not None and (b - a) + (len(extra) if extra else 0) > cap:
                full.add(k)
                continue
            if b > a:
                out.update(sdocs[a:b].tolist())
            if extra:
                out.update(extra)
        return out

    def add(self, keys: np.ndarray, idx: int) -> None:
        for k in keys.tolist():
            if k not in self.full:
                self.buf.setdefault(k, []).append(idx)
                self.nbuf += 1
        if self.nbuf >= self.flush_at and not self.hold:
            self.flush()

    def flush(self) -> None:
        if not self.buf:
            return
        keys = sorted(self.buf)
        lists = [self.buf[k] for k in keys]
        signed = np.repeat(np.array(keys, dtype=np.uint64).view(np.int64), [len(v) for v in lists])
        docs = [i for v in lists for i in v]
        self.db.executemany(f"INSERT OR IGNORE INTO {self.table} VALUES (?, ?)", zip(signed.tolist(), docs))
        self.buf, self.nbuf = {}, 0


_IN_SIZES = (32, 256, 2048)


def _in_lists(values: list[int]) -> Iterator[tuple[int, list[int]]]:
    """``values`` in chunks for ``IN (?, ...)`` lists of a few fixed sizes (a short chunk padded by
    repeating a value, which changes no answer). sqlite3 keeps up to 128 prepared statements per
    connection, one per SQL text: an ``IN`` list of a new length per query kept that many
    statements of thousands of parameters, about 1 MB each (RSS grew by ~130 MB; measured)."""
    top = _IN_SIZES[-1]
    for start in range(0, len(values), top):
        chunk = values[start:start + top]
        size = next(n for n in _IN_SIZES if n >= len(chunk))
        yield size, chunk + [chunk[0]] * (size - len(chunk))
#: documents read ahead for one batch, at most (past this the batch reads them per document)
READ_AHEAD = 20_000


def _remove(db: sqlite3.Connection, path: str) -> None:
    try:
        db.close()
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.unlink(path + suffix)
            except FileNotFoundError:
                pass


class SqliteStore:
    """Everything in a temporary SQLite file (removed on :meth:`close` or garbage collection).

    ``cache_mb`` bounds SQLite's page cache; the operating system's file cache does the rest."""

    kind = "disk"

    def __init__(self, num_perm: int, max_bucket: int, directory: str | None = None, cache_mb: int = 64,
                 flush: int = 1 << 16) -> None:
        fd, self.path = tempfile.mkstemp(prefix="policytext-dedup-", suffix=".sqlite", dir=directory)
        os.close(fd)
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._finalizer = weakref.finalize(self, _remove, self.db, self.path)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "locking_mode=EXCLUSIVE", "temp_store=FILE",
                       f"cache_size=-{int(cache_mb) * 1024}"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(_SCHEMA)
        self.db.execute("BEGIN")
        self.num_perm = num_perm
        self.n = 0
        self.flush_at = flush
        self.anchors = _SqliteKeyIndex(self.db, "anchors", max_bucket, flush)
        self.bands = _SqliteKeyIndex(self.db, "bands", None, flush)
        self._docs: list[tuple] = []  # rows not yet written
        self._recent: dict[int, tuple[Fingerprint, np.ndarray, float]] = {}
        self._hold = False  # inside batch(): nothing is written
        self._ahead: dict[int, tuple] = {}  # rows read ahead for the batch (written rows never change)
        self._pairs: list[tuple] = []  # pairs not yet written (in the order found)

    def __len__(self) -> int:
        return self.n

    def append(self, fp: Fingerprint, sig: np.ndarray, nsh: float) -> int:
        idx = self.n
        self.n += 1
        sig = np.asarray(sig, dtype=np.uint32)
        self._docs.append((idx, fp.id, fp.source, fp.date, fp.n, fp.length, float(nsh), fp.blob, sig.tobytes(), fp.meta))
        self._recent[idx] = (fp, sig, float(nsh))
        if len(self._docs) >= 4096 and not self._hold:
            self._write_docs()
        return idx

    @contextmanager
    def batch(self, anchor_keys: np.ndarray | None, band_keys: np.ndarray | None) -> Iterator[None]:
        """Add a batch of documents with the table reads done up front: the anchor and band
        entries of all the batch's keys in one query each, then the MinHash rows of the documents
        they name, unless more than :data:`READ_AHEAD`. Nothing is written until the
        batch ends, so what a document's queries see is what they would have seen one by one."""
        self._hold = self.anchors.hold = self.bands.hold = True
        try:
            ids = []
            for index, keys in ((self.anchors, anchor_keys), (self.bands, band_keys)):
                if keys is None:
                    continue
                ks = [k for k in np.unique(keys).tolist() if k not in index.full]
                index.snapshot = skeys, sdocs = index.lookup(ks)
                if index.max_bucket is not None and len(skeys):  # a bucket over it is skipped anyway
                    counts = np.unique(skeys, return_counts=True)[1]
                    sdocs = sdocs[np.repeat(counts <= index.max_bucket, counts)]
                ids.append(sdocs)
            wanted = np.unique(np.concatenate(ids)) if ids else np.zeros(0, dtype=np.int64)
            if len(wanted) <= READ_AHEAD:
                self._ahead = self._select("sig, nsh", wanted.tolist())
            yield
        finally:
            self.anchors.snapshot = self.bands.snapshot = None
            self._ahead = {}
            self._hold = self.anchors.hold = self.bands.hold = False
        if len(self._docs) >= 4096:
            self._write_docs()
        for index in (self.anchors, self.bands):
            if index.nbuf >= index.flush_at:
                index.flush()

    def _write_docs(self) -> None:
        self._write_pairs()
        if self._docs:
            self.db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", self._docs)
            self._docs = []
            self._recent = {}
        self.anchors.flush()
        self.bands.flush()
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def _select(self, columns: str, indices: list[int]) -> dict[int, tuple]:
        out: dict[int, tuple] = {}
        want = [i for i in indices if i not in self._recent]
        for size, chunk in _in_lists(want):
            for row in self.db.execute(f"SELECT idx, {columns} FROM docs WHERE idx IN ({','.join('?' * size)})",
                                       chunk):
                out[row[0]] = row[1:]
        return out

    def get(self, indices: Sequence[int]) -> list[Fingerprint]:
        idx = [int(i) for i in indices]
        recent = self._recent
        rows = self._select("id, source, date, n, length, blob, meta", idx)
        out = []
        for i in idx:
            if i in recent:
                out.append(recent[i][0])
            else:
                out.append(Fingerprint.from_row(*rows[i]))
        return out

    def rows(self, cand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        idx = cand.tolist()
        ahead, recent = self._ahead, self._recent
        rows = self._select("sig, nsh", [i for i in idx if i not in ahead])
        blobs, nsh = [], []
        for i in idx:
            if i in recent:
                _, sig, n = recent[i]
                blobs.append(sig.tobytes())
            else:
                blob, n = ahead[i] if i in ahead else rows[i]
                blobs.append(blob)
            nsh.append(n)
        return (np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(len(idx), self.num_perm),
                np.array(nsh, dtype=np.float64))

    def add_pair(self, p: Pair) -> None:
        self._pairs.append((p.a, p.b, p.share_a, p.share_b, p.relation))
        if len(self._pairs) >= 4096:
            self._write_pairs()

    def _write_pairs(self) -> None:
        if self._pairs:
            self.db.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?)", self._pairs)
            self._pairs = []

    def pairs(self) -> Iterator[Pair]:
        self._write_docs()
        for row in self.db.execute("SELECT a, b, share_a, share_b, relation FROM pairs ORDER BY rowid").fetchall():
            yield Pair(*row)

    def reuse(self, lo: int, hi: int) -> dict[int, list[tuple[int, float, str]]]:
        self._write_docs()
        out: dict[int, list[tuple[int, float, str]]] = {}
        for a, b, share, rel in self.db.execute(
                "SELECT a, b, share_a, relation FROM pairs WHERE a >= ? AND a < ? ORDER BY rowid", (lo, hi)).fetchall():
            out.setdefault(a, []).append((b, share, rel))
        for b, a, share, rel in self.db.execute(
                "SELECT b, a, share_b, relation FROM pairs WHERE b >= ? AND b < ? ORDER BY rowid", (lo, hi)).fetchall():
            out.setdefault(b, []).append((a, share, INVERSE[rel]))
        return out

    def invalidate(self) -> None:
        pass

    def load(self, mem: MemoryStore) -> None:
        """Take over everything ``mem`` holds (a deduper moving to disk)."""
        for i, fp in enumerate(mem.fps):
            sig, nsh = mem.rows(np.array([i]))
            self.append(fp, sig[0], float(nsh[0]))
        self._write_docs()
        for src, dst in ((mem.anchors, self.anchors), (mem.bands, self.bands)):
            rows = sorted(set(src.entries()))
            self.db.executemany(f"INSERT OR IGNORE INTO {dst.table} VALUES (?, ?)",
                                zip(_signed(k for k, _ in rows), (i for _, i in rows)))
        self.db.executemany("INSERT INTO pairs VALUES (?, ?, ?, ?, ?)",
                            ((p.a, p.b, p.share_a, p.share_b, p.relation) for p in mem.pair_list))
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self._finalizer()


def meta_text(meta: Any) -> str | None:
    """The JSON text a store keeps for a record's ``meta`` (None stays None)."""
    return None if meta is None else json.dumps(meta, ensure_ascii=False)
