"""A hash index over a sorted key array: the same answers as a binary search, in about one probe.

The fast tagger looks up every character's n-grams in sorted key tables (85,000 bigrams, 517,000
lexicon hashes); ``np.searchsorted`` walks ~20 levels of each table per query, most of them cache
misses. :class:`KeyIndex` is an open-addressing table (Fibonacci hashing, linear probing, load
≤ 0.5) laid out once per table in a few numpy passes; :meth:`KeyIndex.lookup` returns the 1-based position of
each query in the sorted keys, 0 where absent, exactly as the binary search did.
"""

from __future__ import annotations

import numpy as np

__all__ = ["KeyIndex"]

_MUL = np.uint64(0x9E3779B97F4A7C15)
_FEW = 256  # fewer queries than this: binary search (same answers)


class KeyIndex:
    """Open-addressing hash table over unique integer ``keys`` (int64 ≥ 0 or uint64)."""

    def __init__(self, keys: np.ndarray):
        self.keys = np.ascontiguousarray(keys).astype(np.uint64)
        n = len(self.keys)
        bits = max(4, int(np.ceil(np.log2(max(2 * n, 2)))))
        self.shift = np.uint64(64 - bits)
        # linear probing without wrap-around, laid out in one pass: keys in order of their home
        # slot, each at max(home, previous key's slot + 1), i.e. i + running max of (home - i)
        home = self._home(self.keys)
        order = np.argsort(home, kind="stable")
        rank = np.arange(n, dtype=np.int64)
        pos = rank + np.maximum.accumulate(home[order] - rank) if n else rank
        size = max(1 << bits, int(pos[-1]) + 1 if n else 0) + 1  # the last slot stays empty
        self.slots = np.zeros(size, dtype=np.int32)  # 0 = empty, else 1-based key position
        self.slots[pos] = order + 1
        self.keys_pad = np.concatenate([np.zeros(1, dtype=np.uint64), self.keys])

    def _home(self, q: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return ((q * _MUL) >> self.shift).view(np.int64)

    def lookup(self, q: np.ndarray) -> np.ndarray:
        """1-based position of each query in the keys; 0 where absent."""
        q = np.asarray(q)
        qk = q.view(np.uint64) if q.dtype == np.int64 else q.astype(np.uint64, copy=False)
        if len(self.keys) == 0 or len(qk) == 0:
            return np.zeros(len(qk), dtype=np.int64)
        if len(qk) < _FEW:  # a binary search costs fewer numpy calls on a few queries
            idx = np.searchsorted(self.keys, qk)
            np.minimum(idx, len(self.keys) - 1, out=idx)
            return np.where(self.keys[idx] == qk, idx + 1, 0)
        p = self._home(qk)
        s = self.slots[p]
        # slot 0 of keys_pad stands for an empty slot: whatever it holds, s = 0 gives 0
        out = np.where(self.keys_pad[s] == qk, s, 0).astype(np.int64)
        act = np.flatnonzero((out == 0) & (s != 0))  # the slot holds another key: probe on (rare)
        while len(act):
            p_act = p[act] + 1  # never past the end: the last slot is empty
            p[act] = p_act
            s = self.slots[p_act]
            hit = (s != 0) & (self.keys_pad[s] == qk[act])
            out[act[hit]] = s[hit]
            act = act[(s != 0) & ~hit]
        return out
