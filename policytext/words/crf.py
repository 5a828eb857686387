"""The pkuseg CRF segmenter, loaded without pickle.

A model folder holds ``features.msgpack`` (feature names -> index, the word list the word features
look up, the tag names) and ``weights.npz`` (``sizes`` = [n_tag, n_feature] and the weight vector
``w``); see ``training/words/``. Feature extraction and Viterbi decoding are spacy-pkuseg's compiled
code; we only load the files (after :func:`~policytext.words.model_folder.validate_model_folder`)
and map the text the way the training data was written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import Errors
from .model_folder import ModelFolderError, validate_model_folder

__all__ = ["PkusegCRF", "load_crf", "to_training_width"]

# The People's Daily training text writes Latin letters, digits and ASCII punctuation full-width
# (１９９８年, ＷＴＯ); the same characters half-width would be unseen. A one-to-one map keeps offsets.
_FULL_WIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}


def to_training_width(text: str) -> str:
    """``text`` with printable ASCII mapped to full width (same length, same offsets)."""
    return text.translate(_FULL_WIDTH)


# Placeholders for spacy-pkuseg's multi-character nodes ``**Num`` and ``**Letter`` so that the
# node sequence is a plain string (fast slicing). Noncharacters: an input that holds them is read as
# a digit/letter, which only affects those characters.
_NUM, _LETTER = "\ufdd0", "\ufdd1"
_NODE_NAMES = {_NUM: "**Num", _LETTER: "**Letter"}
_NO_WORD = "**noWord"
#: Node pairs the feature cache keeps before it starts afresh: pairs are keyed on the input (the
#: distinct character bigrams of a corpus grow with it), so the cache is bounded.
_PAIR_CACHE_LIMIT = 100_000
#: The same for single nodes (a text of rare or private-use characters would fill it too).
_CHAR_CACHE_LIMIT = 20_000
# Two of these between pieces keep every feature window (at most two nodes, or a word) inside a piece.
_SEP = "\ufdd2"


class PkusegCRF:
    """A loaded pkuseg model: :meth:`boundaries` gives the word starts of a whitespace-free string.

    Scores are the same as spacy-pkuseg's ``pkuseg._cut`` (same features, same weights, its
    compiled Viterbi decoder), computed per text rather than per character: character features are
    looked up once per distinct character or pair, dictionary-word features once per word found,
    and the word-pair features (``ww.l``/``ww.r``, which pkuseg builds as 2x25 strings per
    character, most of them ``**noWord`` pairs) once per distinct pair with its multiplicity.
    """

    def __init__(self, folder: str | Path):
        import srsly
        from spacy_pkuseg import inference
        from spacy_pkuseg.config import config

        self.folder = validate_model_folder(folder)
        data = srsly.read_msgpack(self.folder / "features.msgpack")
        try:
            self._unigram = frozenset(data["unigram"])
            self._f2i: dict[str, int] = dict(data["feature_to_idx"])
            tag_to_idx = dict(data["tag_to_idx"])
        except (KeyError, TypeError) as exc:
            raise ModelFolderError(Errors.E333.format(path=self.folder / "features.msgpack", detail=exc)) from exc
        with np.load(self.folder / "weights.npz", allow_pickle=False) as npz:
            sizes = [int(x) for x in npz["sizes"]]
            w = np.asarray(npz["w"], dtype=np.float64)
        n_tag, n_feature = sizes[0], sizes[1]
        if w.shape != (n_tag * (n_feature + n_tag),) or n_feature != len(self._f2i) or n_tag != len(tag_to_idx):
            raise ModelFolderError(Errors.E334.format(path=self.folder, weights=w.shape[0], features=n_feature, tags=n_tag))
        self.n_tag = n_tag
        self._node_w = w[: n_feature * n_tag].reshape(n_feature, n_tag)
        # spacy-pkuseg's edge scores: 1 + w[backoff + s * n_tag + s_pre] at [s_pre, s]
        self._edge = np.ascontiguousarray(1.0 + w[n_feature * n_tag :].reshape(n_tag, n_tag).T)
        self._viterbi = inference.run_viterbi
        self._begin = np.array([tag.startswith("B") for tag, _ in sorted(tag_to_idx.items(), key=lambda x: x[1])])
        self._word_min, self._word_max = int(config.wordMin), int(config.wordMax)
        self._slots = self._word_max - self._word_min + 1
        self._nonword_pair = {side: self._f2i.get(f"ww.{side}.{_NO_WORD}*{_NO_WORD}") for side in "lr"}
        num = set("0123456789.几二三四五六七八九十千万亿兆零１２３４５６７８９０％")
        letter = set("ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｇｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ／・－")
        # spacy-pkuseg's normalisation: -._,|/*: become &, then digits/letters become one node each
        table = {ord(c): "&" for c in "-._,|/*:"}
        table.update({ord(c): _NUM for c in num if c not in "-._,|/*:"})
        table.update({ord(c): _LETTER for c in letter if c not in "-._,|/*:"})
        self._table = table
        self._char_cache: dict[str, tuple[int, ...]] = {}
        self._pair_cache: dict[str, tuple[int, ...]] = {}
        self._word_cache: dict[str, tuple[int, ...]] = {}
        # word-pair features ww.l.A*B / ww.r.A*B between two dictionary words, keyed "A*B"
        pairs: dict[str, list[int]] = {}
        for name, index in self._f2i.items():
            if name.startswith(("ww.l.", "ww.r.")) and _NO_WORD not in name:
                pairs.setdefault(name[5:], [-1, -1])["lr".index(name[3])] = index
        self._word_pairs = {k: tuple(v) for k, v in pairs.items()}
        self._pair_left = frozenset(k.split("*", 1)[0] for k in pairs)
        # the first two nodes of the dictionary words of each length (a cheap filter)
        self._prefixes: dict[int, frozenset[str]] = {}
        for length in range(self._word_min, self._word_max + 1):
            self._prefixes[length] = frozenset(w[:2] for w in self._unigram if len(w) == length)

    def knows(self, word: str) -> bool:
        """Whether ``word`` is in the model's word list (the training vocabulary)."""
        return to_training_width(word) in self._unigram

    def _nodes(self, text: str) -> str:
        return to_training_width(text).translate(self._table)

    def _char_features(self, ch: str) -> tuple[int, ...]:
        """Indices (-1: absent) of c., c-1., c1., c-2., c2. for node ``ch``."""
        hit = self._char_cache.get(ch)
        if hit is None:
            name = _NODE_NAMES.get(ch, ch)
            get = self._f2i.get
            if len(self._char_cache) >= _CHAR_CACHE_LIMIT:
                self._char_cache.clear()
            hit = self._char_cache[ch] = tuple(get(p + name, -1) for p in ("c.", "c-1.", "c1.", "c-2.", "c2."))
        return hit

    def _pair_features(self, pair: str) -> tuple[int, ...]:
        """Indices (-1: absent) of c-1c., cc1., c-2c-1. for the node pair ``pair`` (a.b)."""
        hit = self._pair_cache.get(pair)
        if hit is None:
            a, b = (_NODE_NAMES.get(c, c) for c in pair)
            get = self._f2i.get
            if len(self._pair_cache) >= _PAIR_CACHE_LIMIT:
                self._pair_cache.clear()
            hit = self._pair_cache[pair] = tuple(get(f"{p}{a}.{b}", -1) for p in ("c-1c.", "cc1.", "c-2c-1."))
        return hit

    def _word_features(self, word: str) -> tuple[int, ...]:
        """Indices (-1: absent) of w1., w-1., ww.l.**noWord*w, ww.l.w***noWord, ww.r.**noWord*w,
        ww.r.w***noWord for a dictionary word."""
        hit = self._word_cache.get(word)
        if hit is None:
            get = self._f2i.get
            hit = self._word_cache[word] = (
                get("w1." + word, -1), get("w-1." + word, -1),
                get(f"ww.l.{_NO_WORD}*{word}", -1), get(f"ww.l.{word}*{_NO_WORD}", -1),
                get(f"ww.r.{_NO_WORD}*{word}", -1), get(f"ww.r.{word}*{_NO_WORD}", -1))
        return hit

    def scores(self, s: str) -> np.ndarray:
        """Node scores (nodes x tags) of a normalised node string (see :meth:`_nodes`); a node
        sequence of pieces joined with two ``_SEP`` has the scores of each piece alone."""
        n = len(s)
        slots, wmin, wmax = self._slots, self._word_min, self._word_max
        pos_parts: list[np.ndarray] = []
        feat_parts: list[np.ndarray] = []
        mult_parts: list[np.ndarray] = []

        def add(positions: np.ndarray, feats: np.ndarray, mult: np.ndarray | None = None) -> None:
            keep = feats >= 0
            pos_parts.append(positions[keep])
            feat_parts.append(feats[keep])
            mult_parts.append(np.ones(int(keep.sum())) if mult is None else np.asarray(mult, dtype=np.float64)[keep])

        idx = np.arange(n)
        add(idx, np.zeros(n, dtype=np.int64))  # the $$ feature at every node
        # character features, looked up once per distinct character
        chars, inverse = np.unique(np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32), return_inverse=True)
        table = np.array([self._char_features(chr(c)) for c in chars.tolist()], dtype=np.int64).reshape(-1, 5)
        t = table[inverse]
        add(idx, t[:, 0])                    # c.     at i
        add(idx[1:], t[:-1, 1])              # c-1.   at i (char i-1)
        add(idx[:-1], t[1:, 2])              # c1.    at i (char i+1)
        add(idx[2:], t[:-2, 3])              # c-2.   at i (char i-2)
        add(idx[:-2], t[2:, 4])              # c2.    at i (char i+2)
        if n >= 2:
            codes = inverse.astype(np.int64)
            pair_codes, pair_inverse = np.unique(codes[:-1] * len(chars) + codes[1:], return_inverse=True)
            chars_list = [chr(c) for c in chars.tolist()]
            k = len(chars)
            ptable = np.array([self._pair_features(chars_list[c // k] + chars_list[c % k]) for c in pair_codes.tolist()],
                              dtype=np.int64).reshape(-1, 3)
            pt = ptable[pair_inverse]           # pair j = nodes (j, j+1)
            add(idx[1:], pt[:, 0])              # c-1c.  at i = j+1
            add(idx[:-1], pt[:, 1])             # cc1.   at i = j
            add(idx[2:], pt[:-1, 2])            # c-2c-1. at i = j+2
        # dictionary words of wordMin..wordMax nodes
        unigram, prefixes = self._unigram, self._prefixes
        starts_l, lens_l, words = [], [], []
        two = [s[i : i + 2] for i in range(n - 1)]
        for length in range(wmin, wmax + 1):
            if length == 2:
                hits = [i for i, p in enumerate(two) if p in unigram]
            else:
                first = prefixes.get(length, ())
                hits = [i for i in range(n - length + 1) if two[i] in first and s[i : i + length] in unigram]
            if hits:
                starts_l.append(np.array(hits, dtype=np.int64))
                lens_l.append(np.full(len(hits), length, dtype=np.int64))
                words.extend(s[i : i + length] for i in hits)
        cs = np.zeros(n + 2, dtype=np.int64)  # words starting at node i (index i), i = n -> 0
        ce = np.zeros(n + 2, dtype=np.int64)  # words ending at node i stored at index i + 1 (i = -1 -> 0)
        if words:
            w_start = np.concatenate(starts_l)
            w_end = w_start + np.concatenate(lens_l) - 1
            np.add.at(cs, w_start, 1)
            np.add.at(ce, w_end + 1, 1)
            wt = np.array([self._word_features(w) for w in words], dtype=np.int64).reshape(-1, 6)
            gap_ends_before = slots - ce[w_start]        # words ending at start-1
            gap_starts_after = slots - cs[w_end + 1]     # words starting at end+1
            add(w_start, wt[:, 0])                                   # w1.
            add(w_end, wt[:, 1])                                     # w-1.
            add(w_start, wt[:, 2], gap_ends_before)                  # ww.l **noWord*w (w = post_in)
            inside = w_end + 1 < n
            add((w_end + 1)[inside], wt[inside, 3], gap_starts_after[inside])   # ww.l w***noWord (pre_ex)
            before = w_start >= 1
            add((w_start - 1)[before], wt[before, 4], gap_ends_before[before])  # ww.r **noWord*w (post_ex)
            add(w_end, wt[:, 5], gap_starts_after)                   # ww.r w***noWord (pre_in)
            # adjacent word pairs A|B: ww.l.A*B at B's start, ww.r.A*B at A's end
            pair_get = self._word_pairs.get
            if pair_get is not None and self._pair_left:
                by_start: dict[int, list[str]] = {}
                for st, w in zip(w_start.tolist(), words):
                    if st in by_start:
                        by_start[st].append(w)
                    else:
                        by_start[st] = [w]
                left = self._pair_left
                p_pos, p_feat = [], []
                for en, a in zip(w_end.tolist(), words):
                    if a in left and en + 1 in by_start:
                        for b in by_start[en + 1]:
                            f = pair_get(a + "*" + b)
                            if f is not None:
                                p_pos.append(en); p_feat.append(f)
                if p_pos:
                    pp = np.array(p_pos, dtype=np.int64)
                    pf = np.array(p_feat, dtype=np.int64).reshape(-1, 2)
                    add(pp + 1, pf[:, 0])
                    add(pp, pf[:, 1])
        # **noWord x **noWord pairs
        if self._nonword_pair["l"] is not None:
            mult = (slots - ce[idx]) * (slots - cs[idx])           # ends at i-1, starts at i
            add(idx, np.full(n, self._nonword_pair["l"], dtype=np.int64), mult)
        if self._nonword_pair["r"] is not None:
            mult = (slots - ce[idx + 1]) * (slots - cs[idx + 1])   # ends at i, starts at i+1
            add(idx, np.full(n, self._nonword_pair["r"], dtype=np.int64), mult)
        pos = np.concatenate(pos_parts)
        feats = np.concatenate(feat_parts)
        mult = np.concatenate(mult_parts)
        keep = mult != 0
        weights = self._node_w[feats[keep]] * mult[keep, None]
        out = np.empty((n, self.n_tag))
        for tag in range(self.n_tag):
            out[:, tag] = np.bincount(pos[keep], weights=weights[:, tag], minlength=n)
        return out

    def boundaries_many(self, text: str, pieces: list[tuple[int, int]]) -> list[int]:
        """Word starts (offsets into ``text``) of every piece ``text[a:b]`` (whitespace-free)."""
        pieces = [(a, b) for a, b in pieces if b > a]
        if not pieces:
            return []
        joined = (_SEP * 2).join(self._nodes(text[a:b]) for a, b in pieces)
        scores = self.scores(joined)
        viterbi, edge, begin = self._viterbi, self._edge, self._begin
        out: list[int] = []
        at = 0
        for a, b in pieces:
            length = b - a
            _, tags = viterbi(np.ascontiguousarray(scores[at : at + length]), edge)
            starts = np.flatnonzero(begin[np.asarray(tags)]) + a
            out.append(a)
            out.extend(x for x in starts.tolist() if x != a)
            at += length + 2
        return out

    def boundaries(self, text: str) -> list[int]:
        """Offsets in ``text`` (no whitespace) where a word starts; always starts with 0."""
        return self.boundaries_many(text, [(0, len(text))])


_LOADED: dict[tuple[str, int, int], PkusegCRF] = {}


def load_crf(folder: str | Path) -> PkusegCRF:
    """A :class:`PkusegCRF` for ``folder``, shared by every segmenter of the process (the folder
    is validated on every call; a changed ``weights.npz`` is loaded again)."""
    path = validate_model_folder(folder).resolve()
    stat = (path / "weights.npz").stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    crf = _LOADED.get(key)
    if crf is None:
        if len(_LOADED) >= 4:
            _LOADED.clear()
        crf = _LOADED[key] = PkusegCRF(path)
    return crf
