"""The pkuseg CRF segmenter, loaded without pickle.

A model folder holds ``features.msgpack`` (feature names -> index, the word list the word features
look up, the tag names) and ``weights.npz`` (``sizes`` = [n_tag, n_feature] and the weight vector
``w``); see ``training/words/``. Feature extraction and Viterbi decoding are spacy-pkuseg's compiled
code; we only load the files (after :func:`~policytext.words.model_folder.validate_model_folder`)
and map the text the way the training data was written.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import Errors
from .lexicon_features import Lexicon, feature_positions, feature_table
from .node_codes import code_points, in_sorted, lookup_sorted, node_code, window_codes
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
_CHAR_PREFIXES = ("c", "c-1", "c1", "c-2", "c2")       # c.X, c-1.X ...: node features
_PAIR_PREFIXES = ("c-1c", "cc1", "c-2c-1")              # c-1c.A.B ...: node-pair features
_WIDE = {name: ch for ch, name in _NODE_NAMES.items()}  # **Num -> its placeholder node
# Two of these between pieces keep every feature window (at most two nodes, or a word) inside a piece.
_SEP = "\ufdd2"


class PkusegCRF:
    """A loaded pkuseg model: :meth:`boundaries` gives the word starts of a whitespace-free string.

    Scores are the same as spacy-pkuseg's ``pkuseg._cut`` (same features, same weights, its
    compiled Viterbi decoder), computed per text rather than per character: character and
    character-pair features with one numpy search in tables built at load (sorted code points;
    the 400,000 feature names are not kept, and nothing grows with the input), dictionary-word
    features from a table of the model's words, the lexicon-match features of the model's
    lexicons (:mod:`.lexicon_features`, when it has any), and the word-pair features (``ww.l``/``ww.r``,
    which pkuseg builds as 2x25 strings per character, most of them ``**noWord`` pairs) once per
    distinct pair with its multiplicity.
    """

    def __init__(self, folder: str | Path):
        import srsly
        from spacy_pkuseg import inference
        from spacy_pkuseg.config import config

        self.folder = validate_model_folder(folder)
        data = srsly.read_msgpack(self.folder / "features.msgpack")
        try:
            self._unigram = frozenset(data["unigram"])
            f2i: dict[str, int] = dict(data["feature_to_idx"])
            n_named = len(f2i)
            tag_to_idx = dict(data["tag_to_idx"])
            self._lexicons = [Lexicon.from_dict(d) for d in data.get("lexicons") or []]
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelFolderError(Errors.E333.format(path=self.folder / "features.msgpack", detail=exc)) from exc
        with np.load(self.folder / "weights.npz", allow_pickle=False) as npz:
            sizes = [int(x) for x in npz["sizes"]]
            w = np.asarray(npz["w"], dtype=np.float64)
        n_tag, n_feature = sizes[0], sizes[1]
        if w.shape != (n_tag * (n_feature + n_tag),) or n_feature != n_named or n_tag != len(tag_to_idx):
            raise ModelFolderError(Errors.E334.format(path=self.folder, weights=w.shape[0], features=n_feature, tags=n_tag))
        self.n_tag = n_tag
        self._node_w = w[: n_feature * n_tag].reshape(n_feature, n_tag)
        # spacy-pkuseg's edge scores: 1 + w[backoff + s * n_tag + s_pre] at [s_pre, s]
        self._edge = np.ascontiguousarray(1.0 + w[n_feature * n_tag :].reshape(n_tag, n_tag).T)
        self._viterbi = inference.run_viterbi
        self._begin = np.array([tag.startswith("B") for tag, _ in sorted(tag_to_idx.items(), key=lambda x: x[1])])
        self._word_min, self._word_max = int(config.wordMin), int(config.wordMax)
        self._slots = self._word_max - self._word_min + 1
        self._nonword_pair = {side: f2i.get(f"ww.{side}.{_NO_WORD}*{_NO_WORD}") for side in "lr"}
        num = set("0123456789.几二三四五六七八九十千万亿兆零１２３４５６７８９０％")
        letter = set("ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｇｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ／・－")
        # spacy-pkuseg's normalisation: -._,|/*: become &, then digits/letters become one node each
        table = {ord(c): "&" for c in "-._,|/*:"}
        table.update({ord(c): _NUM for c in num if c not in "-._,|/*:"})
        table.update({ord(c): _LETTER for c in letter if c not in "-._,|/*:"})
        self._table = table
        # Feature look-up tables, built once: the feature names are not kept (400,000 strings).
        # Node and node-pair features become sorted code-point keys with their indices, looked up
        # with numpy for a whole text; word features become one tuple per dictionary word.
        try:
            self._char_keys, self._char_vals, self._pair_keys, self._pair_vals = _node_tables(f2i)
        except (AttributeError, TypeError, ValueError) as exc:  # names that are not strings, indices not ints
            raise ModelFolderError(Errors.E333.format(path=self.folder / "features.msgpack", detail=exc)) from exc
        self._lexicon_tables = feature_table(self._lexicons, f2i)
        get = f2i.get
        word_table: dict[str, tuple[int, ...]] = {
            word: (get("w1." + word, -1), get("w-1." + word, -1),
                   get(f"ww.l.{_NO_WORD}*{word}", -1), get(f"ww.l.{word}*{_NO_WORD}", -1),
                   get(f"ww.r.{_NO_WORD}*{word}", -1), get(f"ww.r.{word}*{_NO_WORD}", -1))
            for word in self._unigram}
        # word-pair features ww.l.A*B / ww.r.A*B between two dictionary words, keyed "A*B"
        pairs: dict[str, list[int]] = {}
        for name, index in f2i.items():
            if name.startswith(("ww.l.", "ww.r.")) and _NO_WORD not in name:
                pairs.setdefault(name[5:], [-1, -1])["lr".index(name[3])] = index
        del data, f2i
        # the dictionary words as sorted integer codes of up to three nodes (21 bits per code point):
        # words of two and three nodes exactly, longer words by their first three nodes (a filter)
        # Each word gets an id (ordered by length, then by code for two and three nodes), its six
        # feature indices in one array row, and the word pairs become sorted keys idA * n_words + idB.
        self._word_codes: dict[int, np.ndarray] = {}
        self._code_offset: dict[int, int] = {}
        order: list[str] = []
        if self._word_min < 2:  # pkuseg's word features start at two nodes
            raise ModelFolderError(Errors.E333.format(path=self.folder / "features.msgpack", detail="wordMin < 2"))
        for length in range(self._word_min, self._word_max + 1):
            of_length = sorted((w for w in self._unigram if len(w) == length), key=node_code)
            self._word_codes[length] = np.unique(np.array([node_code(w[:3]) for w in of_length], dtype=np.int64))
            self._code_offset[length] = len(order)
            order.extend(of_length)
        self._word_id = {w: i for i, w in enumerate(order)}
        self._n_words = len(order)
        self._word_rows = np.array([word_table[w] for w in order], dtype=np.int64).reshape(-1, 6)
        keys, rows = [], []
        for pair, feats in pairs.items():
            a, _, b = pair.partition("*")
            if a in self._word_id and b in self._word_id:
                keys.append(self._word_id[a] * self._n_words + self._word_id[b])
                rows.append(feats)
        at = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
        self._pair_codes = np.array(keys, dtype=np.int64)[at]
        self._pair_rows = np.array(rows, dtype=np.int64).reshape(-1, 2)[at]

    def knows(self, word: str) -> bool:
        """Whether ``word`` is in the model's word list (the training vocabulary)."""
        return to_training_width(word) in self._unigram

    def _nodes(self, text: str) -> str:
        return to_training_width(text).translate(self._table)

    def scores(self, s: str) -> np.ndarray:
        """Node scores (nodes x tags) of a normalised node string (see :meth:`_nodes`); a node
        sequence of pieces joined with two ``_SEP`` has the scores of each piece alone."""
        n = len(s)
        slots, wmin, wmax = self._slots, self._word_min, self._word_max
        # features that fire once (most) and features with a multiplicity (the **noWord pairs),
        # kept apart so that only the few of the second kind pay for a multiplication
        pos_parts: list[np.ndarray] = []
        feat_parts: list[np.ndarray] = []
        mpos_parts: list[np.ndarray] = []
        mfeat_parts: list[np.ndarray] = []
        mult_parts: list[np.ndarray] = []

        def add(positions: np.ndarray, feats: np.ndarray, mult: np.ndarray | None = None) -> None:
            if mult is None:
                keep = feats >= 0
                pos_parts.append(positions[keep])
                feat_parts.append(feats[keep])
            else:
                mult = np.asarray(mult, dtype=np.float64)
                keep = (feats >= 0) & (mult != 0)
                mpos_parts.append(positions[keep])
                mfeat_parts.append(feats[keep])
                mult_parts.append(mult[keep])

        idx = np.arange(n)
        add(idx, np.zeros(n, dtype=np.int64))  # the $$ feature at every node
        # node and node-pair features: one vectorised look-up for the whole text
        cps = code_points(s)
        t = _lookup(self._char_keys, self._char_vals, cps)
        add(idx, t[:, 0])                    # c.     at i
        add(idx[1:], t[:-1, 1])              # c-1.   at i (char i-1)
        add(idx[:-1], t[1:, 2])              # c1.    at i (char i+1)
        add(idx[2:], t[:-2, 3])              # c-2.   at i (char i-2)
        add(idx[:-2], t[2:, 4])              # c2.    at i (char i+2)
        if n >= 2:
            pt = _lookup(self._pair_keys, self._pair_vals, (cps[:-1] << 21) | cps[1:])  # pair j = nodes (j, j+1)
            add(idx[1:], pt[:, 0])              # c-1c.  at i = j+1
            add(idx[:-1], pt[:, 1])             # cc1.   at i = j
            add(idx[2:], pt[:-1, 2])            # c-2c-1. at i = j+2
        # dictionary words of wordMin..wordMax nodes
        unigram, word_id = self._unigram, self._word_id
        starts_l, lens_l, ids_l = [], [], []
        code2, code3 = window_codes(cps)
        for length in range(wmin, wmax + 1):
            if n < length:
                continue
            if length in (2, 3):  # exact: the code table of this length is the word list itself
                found, at = lookup_sorted(code2 if length == 2 else code3, self._word_codes[length])
                hits = np.flatnonzero(found)
                ids = at[found] + self._code_offset[length]
            else:  # longer: first three nodes in the table, then the whole word
                cand = np.flatnonzero(in_sorted(code3[: n - length + 1], self._word_codes[length])).tolist()
                found_ids = [(i, word_id[s[i : i + length]]) for i in cand if s[i : i + length] in unigram]
                if not found_ids:
                    continue
                hits = np.array([i for i, _ in found_ids], dtype=np.int64)
                ids = np.array([w for _, w in found_ids], dtype=np.int64)
            if len(hits):
                starts_l.append(hits.astype(np.int64))
                lens_l.append(np.full(len(hits), length, dtype=np.int64))
                ids_l.append(ids.astype(np.int64))
        cs = np.zeros(n + 2, dtype=np.int64)  # words starting at node i (index i), i = n -> 0
        ce = np.zeros(n + 2, dtype=np.int64)  # words ending at node i stored at index i + 1 (i = -1 -> 0)
        if ids_l:
            w_start = np.concatenate(starts_l)
            w_end = w_start + np.concatenate(lens_l) - 1
            w_id = np.concatenate(ids_l)
            np.add.at(cs, w_start, 1)
            np.add.at(ce, w_end + 1, 1)
            wt = self._word_rows[w_id]
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
            # adjacent word pairs A|B: ww.l.A*B at B's start, ww.r.A*B at A's end; every word A is
            # paired with each word starting right after it (cs counts them), looked up as one key
            if len(self._pair_codes):
                by_start = np.argsort(w_start, kind="stable")
                first = np.searchsorted(w_start[by_start], w_end + 1)
                count = cs[w_end + 1]
                total = int(count.sum())
                if total:
                    a = np.repeat(np.arange(len(w_id)), count)
                    k = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
                    b = by_start[np.repeat(first, count) + k]
                    key = w_id[a] * self._n_words + w_id[b]
                    found, at = lookup_sorted(key, self._pair_codes)
                    pp = w_end[a[found]]
                    pf = self._pair_rows[at[found]]
                    add(pp + 1, pf[:, 0])
                    add(pp, pf[:, 1])
        if self._lexicons:  # generic lexicon-match features (lexicon_features.py)
            lp, lf = feature_positions(s, self._lexicons, self._lexicon_tables)
            add(lp, lf)
        # **noWord x **noWord pairs
        if self._nonword_pair["l"] is not None:
            mult = (slots - ce[idx]) * (slots - cs[idx])           # ends at i-1, starts at i
            add(idx, np.full(n, self._nonword_pair["l"], dtype=np.int64), mult)
        if self._nonword_pair["r"] is not None:
            mult = (slots - ce[idx + 1]) * (slots - cs[idx + 1])   # ends at i, starts at i+1
            add(idx, np.full(n, self._nonword_pair["r"], dtype=np.int64), mult)
        pos = np.concatenate(pos_parts)
        weights = self._node_w[np.concatenate(feat_parts)]
        out = np.empty((n, self.n_tag))
        for tag in range(self.n_tag):
            out[:, tag] = np.bincount(pos, weights=weights[:, tag], minlength=n)
        if mpos_parts:
            mpos = np.concatenate(mpos_parts)
            mweights = self._node_w[np.concatenate(mfeat_parts)] * np.concatenate(mult_parts)[:, None]
            for tag in range(self.n_tag):
                out[:, tag] += np.bincount(mpos, weights=mweights[:, tag], minlength=n)
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


def _node_name(name: str) -> str | None:
    """The node (one character, or the placeholder of **Num/**Letter) a feature name part means."""
    if name in _WIDE:
        return _WIDE[name]
    return name if len(name) == 1 else None


def _node_tables(f2i: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted code-point keys and feature indices (-1: absent) of the node features
    (``_CHAR_PREFIXES``, one column each) and of the node-pair features (``_PAIR_PREFIXES``; key
    ``a << 21 | b``)."""
    chars: dict[int, list[int]] = {}
    pairs: dict[int, list[int]] = {}
    char_col = {p: i for i, p in enumerate(_CHAR_PREFIXES)}
    pair_col = {p: i for i, p in enumerate(_PAIR_PREFIXES)}
    for name, index in f2i.items():
        dot = name.find(".")
        if dot <= 0:
            continue
        prefix, rest = name[:dot], name[dot + 1 :]
        if prefix in char_col:
            node = _node_name(rest)
            if node is not None:
                chars.setdefault(ord(node), [-1] * len(_CHAR_PREFIXES))[char_col[prefix]] = index
        elif prefix in pair_col:
            # rest is "A.B", each a character or **Num/**Letter (a character may itself be ".")
            for a_name in [n for n in _WIDE if rest.startswith(n + ".")] or [rest[:1]]:
                a, b = _node_name(a_name), _node_name(rest[len(a_name) + 1 :])
                if a is not None and b is not None and rest[len(a_name) : len(a_name) + 1] == ".":
                    key = ord(a) << 21 | ord(b)
                    pairs.setdefault(key, [-1] * len(_PAIR_PREFIXES))[pair_col[prefix]] = index

    def table(d: dict[int, list[int]], width: int) -> tuple[np.ndarray, np.ndarray]:
        keys = np.array(sorted(d), dtype=np.int64)
        vals = np.array([d[k] for k in keys.tolist()], dtype=np.int64).reshape(-1, width)
        return keys, vals

    return (*table(chars, len(_CHAR_PREFIXES)), *table(pairs, len(_PAIR_PREFIXES)))


def _lookup(keys: np.ndarray, vals: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Rows of ``vals`` for each ``query`` key (-1 where the key is absent)."""
    if len(keys) == 0:
        return np.full((len(query), vals.shape[1]), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    out = vals[at]
    out[keys[at] != query] = -1
    return out


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

