"""Lexicon-match features of the word model (the same code at training and at inference).

Besides spacy-pkuseg's own features (characters, character pairs, the training text's words), the
shipped model has a few *generic* features that say a node lies at the start, inside or end of a
match of an external word list: ``D.b4`` (starts a 4-node idiom), ``D.m6`` (inside an idiom of 6
or more nodes), ``J.e2`` (ends a 2-node jieba word) ... The CRF learns from the PKU training text
how far to trust each list, so an idiom it never saw (如虎添翼) is read as one word without forcing,
and a list entry the PKU standard cuts (坚决贯彻) is not forced whole. The lists travel in the
model's ``features.msgpack`` (key ``lexicons``), so a model folder stays self-contained.

A lexicon is ``(prefix, words, min_len, max_len, bucket)``: every occurrence of a word of
``min_len``..``max_len`` nodes in the node string gives ``{prefix}.b{L}`` at its first node,
``{prefix}.e{L}`` at its last and ``{prefix}.m{L}`` at the nodes between, ``L = min(len, bucket)``;
a feature name counts once per node. Matching is linear: at most ``max_len`` set look-ups per node.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import Errors

__all__ = ["Lexicon", "lexicon_matches", "node_feature_names", "feature_table", "feature_positions"]


@dataclass(frozen=True)
class Lexicon:
    prefix: str
    words: frozenset[str]
    min_len: int
    max_len: int
    bucket: int

    def __post_init__(self) -> None:
        if self.min_len < 2:
            raise ValueError(Errors.E336.format(prefix=self.prefix, min_len=self.min_len))
        # the lengths of the words starting with each two-node prefix (2 only when the prefix is a word)
        starts: dict[str, set[int]] = {}
        for w in self.words:
            if self.min_len <= len(w) <= self.max_len:
                starts.setdefault(w[:2], set()).add(len(w))
        object.__setattr__(self, "_lengths", {k: tuple(sorted(v)) for k, v in starts.items()})

    @classmethod
    def from_dict(cls, d: dict) -> Lexicon:
        return cls(str(d["prefix"]), frozenset(d["words"]), int(d["min_len"]), int(d["max_len"]), int(d["bucket"]))

    def to_dict(self) -> dict:
        return {"prefix": self.prefix, "words": sorted(self.words), "min_len": self.min_len,
                "max_len": self.max_len, "bucket": self.bucket}

    def names(self) -> list[str]:
        """Every feature name this lexicon can produce."""
        return [f"{self.prefix}.{k}{L}" for L in range(self.min_len, self.bucket + 1) for k in "bme"]


def lexicon_matches(s: str, lex: Lexicon) -> tuple[np.ndarray, np.ndarray]:
    """Starts and lengths of every occurrence in ``s`` of a word of ``lex`` (overlaps included):
    one pass over ``s``, slicing only the lengths of the words that start with the node pair there."""
    words, get = lex.words, lex._lengths.get  # type: ignore[attr-defined]
    n = len(s)
    starts: list[int] = []
    lens: list[int] = []
    for i in range(n - 1):
        lengths = get(s[i : i + 2])
        if lengths:
            for length in lengths:
                if length == 2 or (i + length <= n and s[i : i + length] in words):
                    starts.append(i)
                    lens.append(length)
    return np.array(starts, dtype=np.int64), np.array(lens, dtype=np.int64)


def node_feature_names(s: str, lexicons: Sequence[Lexicon]) -> list[list[str]]:
    """The lexicon feature names of each node of ``s`` (training side; sorted, each once)."""
    feats: list[set[str]] = [set() for _ in range(len(s))]
    for lex in lexicons:
        starts, lens = lexicon_matches(s, lex)
        for i, length in zip(starts.tolist(), lens.tolist()):
            L = min(length, lex.bucket)
            feats[i].add(f"{lex.prefix}.b{L}")
            feats[i + length - 1].add(f"{lex.prefix}.e{L}")
            for k in range(i + 1, i + length - 1):
                feats[k].add(f"{lex.prefix}.m{L}")
    return [sorted(f) for f in feats]


def feature_table(lexicons: Sequence[Lexicon], f2i: dict[str, int]) -> list[np.ndarray]:
    """Per lexicon: an array ``[3, bucket + 1]`` of feature indices (-1: not in the model) for
    kind ``b``/``m``/``e`` and bucket ``L``."""
    out = []
    for lex in lexicons:
        t = np.full((3, lex.bucket + 1), -1, dtype=np.int64)
        for k, kind in enumerate("bme"):
            for L in range(lex.min_len, lex.bucket + 1):
                t[k, L] = f2i.get(f"{lex.prefix}.{kind}{L}", -1)
        out.append(t)
    return out


def feature_positions(s: str, lexicons: Iterable[Lexicon], tables: Iterable[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """``(positions, feature indices)`` of the lexicon features of ``s``, each (node, feature)
    once, features absent from the model left out (inference side, same result as
    :func:`node_feature_names`)."""
    pos_parts, feat_parts = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
    for lex, table in zip(lexicons, tables):
        starts, lens = lexicon_matches(s, lex)
        if not len(starts):
            continue
        bucket = np.minimum(lens, lex.bucket)
        ends = starts + lens - 1
        pos_parts += [starts, ends]
        feat_parts += [table[0, bucket], table[2, bucket]]
        inner = lens - 2
        has = inner > 0
        if has.any():
            reps = inner[has]
            first = np.repeat(starts[has] + 1, reps)
            offset = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
            pos_parts.append(first + offset)
            feat_parts.append(np.repeat(table[1, bucket[has]], reps))
    pos = np.concatenate(pos_parts)
    feat = np.concatenate(feat_parts)
    keep = feat >= 0
    pos, feat = pos[keep], feat[keep]
    if len(pos):
        key = np.unique(pos * (int(feat.max()) + 1) + feat)
        width = int(feat.max()) + 1
        pos, feat = key // width, key % width
    return pos, feat
