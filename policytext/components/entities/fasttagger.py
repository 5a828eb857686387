"""A fast character tagger for PERSON/ORG/LOC: linear features from integer id tables, numpy decoding.

The model is a linear-chain tagger (BIOES over PERSON, ORG, LOC; trained as an averaged structured
perceptron by ``training/ner/train_fast.py``). Nothing is built from strings per character:

* the text is folded (NFKC full-width → half-width, digits → ``0``, Latin letters → ``A``) and read
  as an array of code points;
* character n-grams are integer keys (code points packed into 21-bit fields) looked up in sorted key
  tables with ``np.searchsorted``: unigrams at offsets −2…+2, bigrams at −2…+1, trigrams at −2…0;
* character and bigram cluster ids (k-means over PPMI+SVD context vectors of raw official text)
  and the pair of neighbouring character clusters add features that generalise to unseen names;
* optionally (models whose templates hold ``x`` kinds) lexicon matches: every substring of 2–16
  characters is hashed (a polynomial hash over the folded code points, vectorised per length) and
  looked up in a sorted table of gazetteer and dictionary entries, each with a bit mask of its
  groups (GPE, ORG, LOC, a person/place/organisation/word dictionary...). Per character and group the
  feature is the length bucket of the longest match starting there, of the longest ending there,
  and whether a match covers it inside: so the model learns when a listed name is part of a longer
  one (中国 in 中国人民银行) rather than obeying the list;
* emission scores are sums of weight-table rows gathered by feature id; Viterbi runs over all
  clause-sized segments of the text at once (vectorised over segments and labels, BIOES
  constraints built in) between positions that are surely O (punctuation; optionally a large O
  margin), so the Python loop is as long as the longest candidate region, not the text.

The model folder holds only ``meta.json`` and ``weights.npz`` (plain arrays, loaded with
``allow_pickle=False``); any other file, a missing array or a shape mismatch raises
:class:`ModelFolderError`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ...errors import Errors
from ...model_folders import UnsafeModelFolder, check_folder_files
from ...codepoints import map_code_points
from ...keyindex import KeyIndex

__all__ = ["FastTagger", "ModelFolderError", "TAGS", "ENTITY_LABELS", "fold_codepoints", "TEMPLATES",
           "feature_ids", "ALLOWED_FILES", "spans_from_tags", "allowed_transitions", "lexicon_codes",
           "lexicon_hashes", "LEX_VALUES"]

ENTITY_LABELS = ("PERSON", "ORG", "LOC")
TAGS = ("O",) + tuple(f"{p}-{lab}" for lab in ENTITY_LABELS for p in "BIES")
ALLOWED_FILES = frozenset({"meta.json", "weights.npz", "README.md"})
FORMAT = "policytext-fasttagger-1"

# (table, offset) per template: u = unigram, b = bigram starting at i+offset, t = trigram starting
# at i+offset, c = character cluster, d = bigram cluster, p = pair of character clusters (i+o, i+o+1);
# a model may add ("s", o): the skip bigram (i-1+o, i+1+o), and ("x", group): lexicon matches
TEMPLATES: tuple[tuple[str, int], ...] = (
    ("u", -2), ("u", -1), ("u", 0), ("u", 1), ("u", 2),
    ("b", -2), ("b", -1), ("b", 0), ("b", 1),
    ("t", -2), ("t", -1), ("t", 0),
    ("c", -1), ("c", 0), ("c", 1),
    ("p", -1), ("p", 0),
    ("d", -1), ("d", 0),
)
# lexicon templates are ("x", group): one per lexicon group, read at the position itself
KINDS = frozenset("ubtcpdx")
LEX_VALUES = 50  # 5 start buckets × 5 end buckets × inside (see lexicon_codes)
LEX_MIN_LEN, LEX_MAX_LEN = 2, 16
_LEX_MUL = np.uint64(0x9E3779B97F4A7C15)
_LEX_BUCKET = np.array([0, 0, 1, 2, 3] + [4] * (LEX_MAX_LEN - 4), dtype=np.int8)
BOS, EOS = 2, 3  # code points used as padding (control characters never occur in folded text)
_SHIFT = np.int64(21)
# a segment (the unit of Viterbi) ends after one of these; features still see across the cut
_CUT = frozenset("，。！？；：、,!?;\n\t \u3000")
# the same characters after folding (full-width punctuation folds to ASCII): always tagged O
_CUT_CPS = np.array(sorted({ord(c.translate({0xFF0C: ",", 0xFF01: "!", 0xFF1F: "?", 0xFF1B: ";", 0xFF1A: ":",
                                                 0x3000: " "})) for c in _CUT} | {ord("\r")}), dtype=np.int64)


def _fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for cp in range(0xFF01, 0xFF5F):  # full-width ASCII
        table[cp] = cp - 0xFEE0
    table[0x3000] = 0x20
    for cp in list(range(0x30, 0x3A)) + list(range(0xFF10, 0xFF1A)):
        table[cp] = ord("0")
    for cp in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):
        table[cp] = ord("A")
    for cp in (BOS, EOS):
        table[cp] = 0x20
    return table


_FOLD = _fold_table()


def fold_codepoints(text: str) -> np.ndarray:
    """The folded text as an int64 array of code points (same length as ``text``)."""
    return map_code_points(text, _FOLD).astype(np.int64)


def _lookup(keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    """1-based index of each query in the sorted ``keys``; 0 where absent."""
    ix = _INDEXES.get(id(keys))
    if ix is not None and ix[0] is keys:
        return ix[1].lookup(q)
    if len(keys) == 0:
        return np.zeros(len(q), dtype=np.int64)
    idx = np.searchsorted(keys, q)
    np.minimum(idx, len(keys) - 1, out=idx)
    return np.where(keys[idx] == q, idx + 1, 0)


# hash indexes of the key tables of loaded models (id(keys) -> (keys, KeyIndex)), see index_tables
_INDEXES: dict[int, tuple[np.ndarray, KeyIndex]] = {}


def index_tables(tables: dict[str, np.ndarray]) -> None:
    """Build hash indexes (:class:`KeyIndex`) for a model's key tables: lookups then take about
    one probe instead of a binary search, with the same results."""
    for name in ("uni", "bi", "tri", "bi_cluster_keys", "skip", "lex_keys"):
        keys = tables.get(name)
        if keys is not None and len(keys) and id(keys) not in _INDEXES:
            _INDEXES[id(keys)] = (keys, KeyIndex(keys))


def table_sizes(tables: dict[str, np.ndarray]) -> dict[str, int]:
    """Rows per template kind (index 0 = unknown)."""
    k_c = int(tables["uni_cluster"].max(initial=0)) + 1
    return {"u": len(tables["uni"]) + 1, "b": len(tables["bi"]) + 1, "t": len(tables["tri"]) + 1,
            "c": k_c, "p": k_c * k_c, "d": int(tables["bi_cluster"].max(initial=0)) + 1, "x": LEX_VALUES,
            "s": len(tables["skip"]) + 1 if "skip" in tables else 1}


def template_offsets(tables: dict[str, np.ndarray], templates=TEMPLATES) -> tuple[np.ndarray, int]:
    sizes = table_sizes(tables)
    offs, total = [], 0
    for kind, _o in templates:
        offs.append(total)
        total += sizes[kind]
    return np.array(offs, dtype=np.int64), total


def _padded(tables: dict[str, np.ndarray], name: str) -> np.ndarray:
    """``tables[name]`` with a leading 0 (the unknown id), cached in ``tables``."""
    key = "_pad_" + name
    if key not in tables:
        tables[key] = np.concatenate([[0], tables[name]]).astype(np.int64)
    return tables[key]


def lexicon_hashes(names: list[str]) -> np.ndarray:
    """uint64 hashes of the folded ``names`` (the hash :func:`lexicon_codes` computes for substrings)."""
    out = np.zeros(len(names), dtype=np.uint64)
    by_len: dict[int, list[int]] = {}
    for i, name in enumerate(names):
        by_len.setdefault(len(name), []).append(i)
    for length, idx in by_len.items():
        cps = fold_codepoints("".join(names[i] for i in idx)).reshape(len(idx), length).astype(np.uint64) + np.uint64(1)
        h = np.zeros(len(idx), dtype=np.uint64)
        for j in range(length):
            h = h * _LEX_MUL + cps[:, j]
        out[idx] = h
    return out


LEX_PREFIX_BIT = 15  # in lex_groups: the key is also a proper prefix (≥ 2 characters) of a longer entry
_LEX_ENTRY_MASK = (1 << LEX_PREFIX_BIT) - 1


def lexicon_codes(cps: np.ndarray, keys: np.ndarray, groups: np.ndarray, n_groups: int,
                  ends: np.ndarray | None = None, index: KeyIndex | None = None) -> np.ndarray:
    """(n_groups, n) lexicon feature values in ``0…LEX_VALUES-1`` for the folded code points.

    ``keys`` are the sorted uint64 hashes of the entries and of their proper prefixes
    (:func:`lexicon_hashes`), ``groups`` a bit mask per key: its groups, and bit
    :data:`LEX_PREFIX_BIT` when longer entries start with it. Per position and group:
    ``10 × start + 2 × end + inside``, where start/end are the length bucket (0 none, 1: 2 chars,
    2: 3, 3: 4, 4: ≥ 5) of the longest match starting/ending there and inside says a match of
    ≥ 3 characters covers it neither at its start nor at its end.

    Substrings grow one character per step, all start positions at once, and only those that are
    still a prefix of some entry go on: one hash lookup per step, no per-character Python.
    ``ends`` (optional, per position): the end of the text a position belongs to, when ``cps``
    holds several texts (:meth:`FastTagger.tag_many`); a match never runs past it. ``index``
    (optional): a :class:`KeyIndex` over ``keys``, the same answers as the binary search."""
    n = len(cps)
    start = np.zeros((n_groups, n), dtype=np.int64)
    end = np.zeros((n_groups, n), dtype=np.int64)
    diff = np.zeros((n_groups, n + 1), dtype=np.int64)
    if n >= LEX_MIN_LEN and len(keys):
        # code points + 1 (0 never occurs), padded so that growing substrings may run past the
        # end; matches that do are dropped below. Few numpy calls per step: the texts are short.
        c = np.concatenate([cps.astype(np.uint64) + np.uint64(1), np.zeros(LEX_MAX_LEN, dtype=np.uint64)])
        last_key = len(keys) - 1
        act = np.arange(n - 1)
        h = c[: n - 1] * _LEX_MUL + c[1:n]  # hash of cps[i : i + 2]
        length = 2
        hit_pos, hit_len, hit_mask = [], [], []
        while len(act):
            if index is not None:
                j = index.lookup(h)
                g = groups[j - 1] * (j > 0)
            else:
                idx = np.searchsorted(keys, h)
                np.minimum(idx, last_key, out=idx)
                g = groups[idx] * (keys[idx] == h)
            entry = g & _LEX_ENTRY_MASK
            nz = np.flatnonzero(entry)
            if len(nz):
                hit_pos.append(act[nz])
                hit_len.append(length)
                hit_mask.append(entry[nz])
            if length >= LEX_MAX_LEN:
                break
            go = np.flatnonzero(g >= 1 << LEX_PREFIX_BIT)
            act = act[go]
            h = h[go] * _LEX_MUL + c[act + length]
            length += 1
        if hit_pos:
            lens = np.repeat(np.array(hit_len, dtype=np.int64), [len(x) for x in hit_pos])
            pos, masks = np.concatenate(hit_pos), np.concatenate(hit_mask)
            keep = pos + lens <= (n if ends is None else ends[pos])
            pos, lens, masks = pos[keep], lens[keep], masks[keep]
            mi, gi = np.nonzero((masks[:, None] >> np.arange(n_groups)) & 1)
            p, ln = pos[mi], lens[mi]
            b = _LEX_BUCKET[ln].astype(np.int64)
            np.maximum.at(start, (gi, p), b)
            np.maximum.at(end, (gi, p + ln - 1), b)
            long = ln >= 3
            np.add.at(diff, (gi[long], p[long] + 1), 1)
            np.add.at(diff, (gi[long], p[long] + ln[long] - 1), -1)
    inside = np.cumsum(diff[:, :n], axis=1) > 0
    return start * 10 + end * 2 + inside


def feature_ids(cps: np.ndarray, tables: dict[str, np.ndarray], offsets: np.ndarray,
                templates=TEMPLATES, ends: np.ndarray | None = None) -> np.ndarray:
    """(len(templates), n) global feature row ids for the folded code points ``cps``
    (``ends``: see :func:`lexicon_codes`)."""
    n = len(cps)
    p = np.concatenate([[BOS, BOS], cps, [EOS, EOS]]).astype(np.int64)
    uni = _lookup(tables["uni"], p)  # len n+4
    bik = (p[:-1] << _SHIFT) | p[1:]
    bi = _lookup(tables["bi"], bik)  # len n+3, bi[j] = bigram (p[j], p[j+1])
    trk = (p[:-2] << (2 * _SHIFT)) | (p[1:-1] << _SHIFT) | p[2:]
    tri = _lookup(tables["tri"], trk)  # len n+2
    ucl = _padded(tables, "uni_cluster")[uni]  # cluster per padded position
    if "_k_c" not in tables:
        tables["_k_c"] = np.array(table_sizes(tables)["c"])
    k_c = int(tables["_k_c"])
    dcl = _padded(tables, "bi_cluster")[_lookup(tables["bi_cluster_keys"], bik)]
    pair = ucl[:-1] * k_c + ucl[1:]
    # every template reads n consecutive values of one of these sources, from index 2 + offset
    parts = [uni, bi, tri, ucl, pair, dcl]
    base = {"u": 0, "b": n + 4, "t": 2 * n + 7, "c": 3 * n + 9, "p": 4 * n + 13, "d": 5 * n + 16}
    if any(kind == "s" for kind, _o in templates):  # skip bigrams (p[j], p[j+2]), read at i-1+offset
        parts.append(_lookup(tables["skip"], (p[:-2] << _SHIFT) | p[2:]))  # len n+2
        base["s"] = sum(len(x) for x in parts[:-1])
    lex = [o for kind, o in templates if kind == "x"]
    if lex:  # lexicon codes, padded like the other sources (read at offset 0 only)
        ix = _INDEXES.get(id(tables["lex_keys"]))
        codes = lexicon_codes(cps, tables["lex_keys"], tables["lex_groups"], max(lex) + 1, ends,
                              ix[1] if ix is not None and ix[0] is tables["lex_keys"] else None)
        pad = np.zeros((codes.shape[0], 2), dtype=np.int64)
        parts.append(np.concatenate([pad, codes, pad], axis=1).ravel())
        base["x"] = sum(len(x) for x in parts[:-1])
    flat = np.concatenate(parts)
    first = {"x": lambda o: 2 + o * (n + 4), "s": lambda o: 1 + o}  # skip bigram j = i-1+o: (i-1+o, i+1+o)
    starts = np.array([base[kind] + first.get(kind, lambda o: 2 + o)(o) for kind, o in templates],
                      dtype=np.int64)
    return flat[starts[:, None] + np.arange(n)[None, :]] + offsets[:, None]


def allowed_transitions() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BIOES constraints: (trans_ok[prev, cur], start_ok[cur], end_ok[prev]) boolean arrays."""
    n = len(TAGS)
    ok = np.zeros((n, n), dtype=bool)
    start = np.zeros(n, dtype=bool)
    end = np.zeros(n, dtype=bool)
    for i, a in enumerate(TAGS):
        pa, la = (a.split("-") + [""])[:2]
        start[i] = pa in ("O", "B", "S")
        end[i] = pa in ("O", "E", "S")
        for j, b in enumerate(TAGS):
            pb, lb = (b.split("-") + [""])[:2]
            if pa in ("O", "E", "S"):
                ok[i, j] = pb in ("O", "B", "S")
            else:  # B or I: continue the same label
                ok[i, j] = pb in ("I", "E") and lb == la
    return ok, start, end


_NEG = np.float32(-1e6)


def viterbi_batch(emit: np.ndarray, lengths: np.ndarray, trans: np.ndarray, start: np.ndarray,
                  end: np.ndarray) -> np.ndarray:
    """Best tag paths for a padded batch. ``emit`` (B, T, L); ``trans`` (L, L) with constraints
    already folded in (−1e6); ``start``/``end`` (L,) or (B, L) additive scores. Returns (B, T)
    int tags (positions past a row's length hold its last tag).

    Laid out for numpy's fast paths: the forward max runs over the first axis of a
    (prev, B, cur) array (an element-wise maximum of slabs, not a reduction per row), and back
    pointers are recomputed only along the chosen path during the backward walk."""
    b, t_max, n_lab = emit.shape
    trans = np.asarray(trans, dtype=np.float32)
    trans_b = trans[:, None, :]  # (prev, 1, cur)
    hist = np.empty((t_max, b, n_lab), dtype=np.float32)
    delta = emit[:, 0, :] + start
    hist[0] = delta
    if b >= 128 and _bioes_constrained(trans):  # fewer rows: the dense pass makes fewer numpy calls
        _forward_bioes(emit, trans, hist)
    else:
        for t in range(1, t_max):
            delta = (np.ascontiguousarray(delta.T)[:, :, None] + trans_b).max(axis=0) + emit[:, t, :]
            hist[t] = delta
    rows = np.arange(b)
    last_t = np.asarray(lengths) - 1
    cur = (hist[last_t, rows] + end).argmax(axis=1)
    out = np.empty((b, t_max), dtype=np.int64)
    for t in range(t_max - 1, 0, -1):
        out[:, t] = cur
        prev = (hist[t - 1] + trans[:, cur].T).argmax(axis=1)
        cur = np.where(last_t >= t, prev, cur)
    out[:, 0] = cur
    return out


# the BIOES structure of TAGS: after O/E/S (closed) come O/B/S (opening); I and E of a label follow
# only B or I of the same label
_CLOSED = np.array([i for i, t in enumerate(TAGS) if t[0] in "OES"])
_OPENING = np.array([i for i, t in enumerate(TAGS) if t[0] in "OBS"])
_INNER = np.array([i for i, t in enumerate(TAGS) if t[0] in "IE"])
_INNER_B = np.array([TAGS.index("B-" + TAGS[i][2:]) for i in _INNER])
_INNER_I = np.array([TAGS.index("I-" + TAGS[i][2:]) for i in _INNER])


_CONSTRAINED: dict[bytes, bool] = {}


def _bioes_constrained(trans: np.ndarray) -> bool:
    """Is every transition outside the BIOES structure forbidden (≤ −1e5) in ``trans``?"""
    if trans.shape != (len(TAGS), len(TAGS)):
        return False
    key = trans.astype(np.float32).tobytes()
    if key not in _CONSTRAINED:
        _CONSTRAINED[key] = _check_bioes(trans)
    return _CONSTRAINED[key]


def _check_bioes(trans: np.ndarray) -> bool:
    allowed = np.zeros(trans.shape, dtype=bool)
    allowed[np.ix_(_CLOSED, _OPENING)] = True
    allowed[_INNER_B, _INNER] = True
    allowed[_INNER_I, _INNER] = True
    return bool(np.all(trans[~allowed] <= -1e5))


def _forward_bioes(emit: np.ndarray, trans: np.ndarray, hist: np.ndarray) -> None:
    """The forward pass of :func:`viterbi_batch` over the allowed transitions only (61 of 169):
    the same float32 sums as the dense pass; a forbidden one (−1e6 added) never reaches the
    maximum, since an allowed predecessor with an ordinary score exists at every step (O always,
    and B before I/E)."""
    t_max = emit.shape[1]
    t_open = trans[np.ix_(_CLOSED, _OPENING)][:, :, None]  # (prev, cur, 1)
    t_b = trans[_INNER_B, _INNER][:, None]
    t_i = trans[_INNER_I, _INNER][:, None]
    delta_t = np.ascontiguousarray(hist[0].T)  # (label, B)
    new = np.empty_like(delta_t)
    for t in range(1, t_max):
        new[_OPENING] = (delta_t[_CLOSED][:, None, :] + t_open).max(axis=0)
        new[_INNER] = np.maximum(delta_t[_INNER_B] + t_b, delta_t[_INNER_I] + t_i)
        new += emit[:, t, :].T
        hist[t] = new.T
        delta_t, new = new, delta_t


_IS_START = np.array([t[0] in "BS" for t in TAGS])
_IS_END = np.array([t[0] in "ES" for t in TAGS])


def spans_from_tags(tags: np.ndarray) -> list[tuple[int, int, str]]:
    """Well-formed BIOES tag ids → (start, end, label) spans."""
    tags = np.asarray(tags)
    starts = np.flatnonzero(_IS_START[tags])
    if len(starts) == 0:
        return []
    ends = np.flatnonzero(_IS_END[tags]) + 1
    return [(s, e, TAGS[tags[s]][2:]) for s, e in zip(starts.tolist(), ends.tolist()) if e > s]


_ALNUM_RUN = re.compile(r"[A-Za-z0-9\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]{2}")


def _is_alnum(ch: str) -> bool:
    return (ch.isascii() and ch.isalnum()) or "\uFF10" <= ch <= "\uFF19" or "\uFF21" <= ch <= "\uFF3A" \
        or "\uFF41" <= ch <= "\uFF5A"


class ModelFolderError(ValueError):
    """The model folder is not a valid fast-tagger model (unknown files, missing or bad arrays)."""


def parse_templates(raw) -> tuple[tuple[str, int], ...] | None:
    """A model's template list from ``meta.json``, or None when it is not one this version reads:
    the base :data:`TEMPLATES` followed by any number of lexicon templates ``["x", group]``."""
    if not isinstance(raw, list):
        return None
    try:
        out = tuple((str(k), int(o)) for k, o in raw)
    except (TypeError, ValueError):
        return None
    base, extra = out[: len(TEMPLATES)], out[len(TEMPLATES) :]
    if base != TEMPLATES or any(not ((k == "x" and 0 <= o < LEX_PREFIX_BIT) or (k == "s" and -1 <= o <= 1))
                                for k, o in extra):
        return None
    return out


REQUIRED_ARRAYS = ("uni", "bi", "tri", "uni_cluster", "bi_cluster_keys", "bi_cluster", "weights",
                   "transitions", "start", "end")


def load_model_folder(path: str | Path) -> tuple[dict, dict[str, np.ndarray]]:
    """Validate and read ``meta.json`` + ``weights.npz`` (no pickles)."""
    path = Path(path)
    if not path.is_dir():
        raise FileNotFoundError(Errors.E340.format(path=path))
    try:  # plain files on the allow-list only: no links, FIFOs, pickles or sub-folders
        names = {p.name for p in check_folder_files(path, sorted(ALLOWED_FILES))}
    except UnsafeModelFolder as exc:
        raise ModelFolderError(Errors.E341.format(path=path, detail=exc)) from None
    for need in ("meta.json", "weights.npz"):
        if need not in names or not (path / need).is_file():
            raise ModelFolderError(Errors.E342.format(path=path, name=need))
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFolderError(Errors.E343.format(path=path, detail=exc)) from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFolderError(Errors.E343.format(path=path, detail=f"format is not {FORMAT!r}"))
    templates = parse_templates(meta.get("templates"))
    if tuple(meta.get("tags", ())) != TAGS or templates is None:
        raise ModelFolderError(Errors.E343.format(path=path, detail="tags or templates differ from this version's"))
    try:
        with np.load(path / "weights.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError) as exc:
        raise ModelFolderError(Errors.E344.format(path=path, detail=exc)) from exc
    lex = [o for kind, o in templates if kind == "x"]
    need = REQUIRED_ARRAYS + (("lex_keys", "lex_groups") if lex else ()) + (("skip",) if any(k == "s" for k, _o in templates) else ())
    missing = [k for k in need if k not in arrays]
    if missing:
        raise ModelFolderError(Errors.E344.format(path=path, detail=f"missing arrays {missing}"))
    for k in ("uni", "bi", "tri", "bi_cluster_keys") + (("skip",) if "skip" in need else ()):
        a = arrays[k]
        if a.ndim != 1 or a.dtype.kind not in "iu" or (len(a) > 1 and np.any(a[1:] <= a[:-1])):
            raise ModelFolderError(Errors.E344.format(path=path, detail=f"{k} must be a sorted 1-D integer key array"))
        arrays[k] = a.astype(np.int64)
    if len(arrays["uni_cluster"]) != len(arrays["uni"]) or len(arrays["bi_cluster"]) != len(arrays["bi_cluster_keys"]):
        raise ModelFolderError(Errors.E344.format(path=path, detail="cluster arrays do not match their key arrays"))
    for k in ("uni_cluster", "bi_cluster"):
        if arrays[k].dtype.kind not in "iu" or (len(arrays[k]) and arrays[k].min() < 0):
            raise ModelFolderError(Errors.E344.format(path=path, detail=f"{k} must hold cluster ids ≥ 0"))
        arrays[k] = arrays[k].astype(np.int64)
    if lex:
        keys, groups = arrays["lex_keys"], arrays["lex_groups"]
        if keys.ndim != 1 or keys.dtype != np.uint64 or (len(keys) > 1 and np.any(keys[1:] <= keys[:-1])):
            raise ModelFolderError(Errors.E344.format(path=path, detail="lex_keys must be sorted unique uint64 hashes"))
        if groups.shape != keys.shape or groups.dtype.kind not in "iu" or (len(groups) and groups.min() < 0):
            raise ModelFolderError(Errors.E344.format(path=path, detail="lex_groups must be one group mask ≥ 0 per key"))
        arrays["lex_groups"] = groups.astype(np.int64)
    _offs, total = template_offsets(arrays, templates)
    n_lab = len(TAGS)
    shapes = {"weights": (total, n_lab), "transitions": (n_lab, n_lab), "start": (n_lab,), "end": (n_lab,)}
    for k, shape in shapes.items():
        if arrays[k].shape != shape or arrays[k].dtype.kind != "f":
            raise ModelFolderError(Errors.E344.format(path=path, detail=f"{k} has shape {arrays[k].shape}, expected {shape}"))
        if not np.isfinite(arrays[k]).all():
            raise ModelFolderError(Errors.E344.format(path=path, detail=f"{k} holds non-finite values"))
        arrays[k] = arrays[k].astype(np.float32)
    return meta, arrays


class FastTagger:
    """PERSON/ORG/LOC spans from a fast-tagger model folder (see module doc)."""

    def __init__(self, arrays: dict[str, np.ndarray], meta: dict | None = None):
        self.meta = meta or {}
        self.tables = arrays
        self.templates = parse_templates(self.meta.get("templates")) or TEMPLATES
        self.offsets, _ = template_offsets(arrays, self.templates)
        self.weights = arrays["weights"]
        ok, start_ok, end_ok = allowed_transitions()
        self.trans = np.where(ok, arrays["transitions"], _NEG).astype(np.float32)
        self.start = np.where(start_ok, arrays["start"], _NEG).astype(np.float32)
        self.end = np.where(end_ok, arrays["end"], _NEG).astype(np.float32)
        index_tables(arrays)  # built here, so forked workers share them
        margin = self.meta.get("o_margin")
        self.o_margin = float(margin) if margin is not None else None

    @classmethod
    def load(cls, path: str | Path) -> FastTagger:
        meta, arrays = load_model_folder(path)
        return cls(arrays, meta)

    def emissions(self, text: str) -> np.ndarray:
        """(len(text), len(TAGS)) emission scores."""
        return self.emissions_from(fold_codepoints(text))

    def tag(self, text: str, block: int = 20000) -> np.ndarray:
        """Tag ids per character. Texts longer than ``block`` are processed in blocks cut after
        punctuation; features see two characters (lexicon matches: 16) beyond each block, so the
        result is the same."""
        n = len(text)
        if n == 0:
            return np.zeros(0, dtype=np.int64)
        if n <= block:
            return self._tag_block(text, 0, n)
        tags = np.zeros(n, dtype=np.int64)
        a = 0
        while a < n:
            b = min(n, a + block)
            if b < n:  # cut after the last punctuation in the block, if any
                cut = max(text.rfind(ch, a, b) for ch in "。！？；\n")
                b = cut + 1 if cut > a else b
            tags[a:b] = self._tag_block(text, a, b)
            a = b
        return tags

    def _tag_block(self, text: str, a: int, b: int) -> np.ndarray:
        ctx = LEX_MAX_LEN if any(k == "x" for k, _o in self.templates) else 2  # what features see
        lo, hi = max(0, a - ctx), min(len(text), b + ctx)
        cps = fold_codepoints(text[lo:hi])
        em = self.emissions_from(cps)[a - lo : b - lo]
        return self.decode(em, cps[a - lo : b - lo], first=(a == 0), last=(b == len(text)))

    def emissions_from(self, cps: np.ndarray) -> np.ndarray:
        ids = feature_ids(cps, self.tables, self.offsets, self.templates)
        k, n = ids.shape
        return self.weights.take(ids.ravel(), axis=0).reshape(k, n, -1).sum(axis=0)

    def decode(self, em: np.ndarray, cps: np.ndarray, first: bool = True, last: bool = True,
               bounds: np.ndarray | None = None) -> np.ndarray:
        """Viterbi over the regions between *sure-O* positions, all regions in one batch.

        A position is sure O when it is punctuation/whitespace, or (``o_margin`` set) when its
        O score beats every other tag by more than ``o_margin``: the chain is cut there (a region
        starts with the O→tag transition and ends with the tag→O one), which keeps the Python loop
        as short as the longest candidate region. ``o_margin=None`` cuts at punctuation only.
        ``bounds``: the positions where a further text starts when ``em`` holds several texts
        (:meth:`tag_many`): a region never crosses one and is scored as that text's start and the
        previous text's end."""
        n = len(em)
        out = np.zeros(n, dtype=np.int64)
        if n == 0:
            return out
        pos = np.searchsorted(_CUT_CPS, cps)
        sure = _CUT_CPS[np.minimum(pos, len(_CUT_CPS) - 1)] == cps
        if self.o_margin is not None:
            sure |= em[:, 0] - em[:, 1:].max(axis=1) > self.o_margin
        cand = ~sure
        if bounds is None or len(bounds) == 0:
            edges = np.diff(np.concatenate([[0], cand.view(np.int8), [0]]))
            starts = np.flatnonzero(edges == 1)
            ends = np.flatnonzero(edges == -1)
            at_start, at_end = starts == 0, ends == n
        else:  # regions also start at each text's first position and end before it
            brk = np.zeros(n + 1, dtype=bool)
            brk[bounds] = True
            prev = np.concatenate([[False], cand[:-1]]) & ~brk[:n]
            nxt = np.concatenate([cand[1:], [False]]) & ~brk[1:]
            starts = np.flatnonzero(cand & ~prev)
            ends = np.flatnonzero(cand & ~nxt) + 1
            brk[0] = brk[n] = True
            at_start, at_end = brk[starts], brk[ends]
        if len(starts) == 0:
            return out
        lengths = ends - starts
        o = 0
        start_rows = np.where(at_start[:, None] & first, self.start, self.trans[o])
        end_rows = np.where(at_end[:, None] & last, self.end, self.trans[:, o])
        if len(lengths) * int(lengths.max()) <= 4 * int(lengths.sum()) + 4096:
            buckets = [np.arange(len(lengths))]  # little padding: one batch, one loop
        else:
            order = np.argsort(lengths, kind="stable")
            sorted_len = lengths[order]
            buckets = []
            k = 0
            while k < len(order):
                # buckets of similar length (longest ≤ 1.5 × shortest, or ≤ 8), ≤ 2048 regions
                lim = int(np.searchsorted(sorted_len, max(8, int(sorted_len[k] * 1.5)), side="right"))
                j = min(len(order), k + 2048, max(lim, k + 1))
                buckets.append(order[k:j])
                k = j
        for grp in buckets:
            lens = lengths[grp]
            t_max = int(lens.max())
            ar = np.arange(t_max)
            idx = starts[grp][:, None] + ar[None, :]
            mask = ar[None, :] < lens[:, None]
            batch = em[np.minimum(idx, n - 1)]
            paths = viterbi_batch(batch, lens, self.trans, start_rows[grp], end_rows[grp])
            out[idx[mask]] = paths[mask]
        return out

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        return spans_from_tags(self.tag(text))

    def tag_many(self, texts: list[str], block: int = 20000) -> list[np.ndarray]:
        """``[self.tag(t) for t in texts]`` with one feature/decode pass per group of texts of up to
        ``block`` characters (the fixed numpy cost of a call is paid once per group, not per
        text). The texts of a group are laid end to end with the padding each would see alone
        (two end marks, two start marks) between them; lexicon matches stop at each text's end
        and Viterbi regions at each text's edges, so every text gets exactly its own tags."""
        out: list[np.ndarray | None] = [None] * len(texts)
        group: list[int] = []
        size = 0
        for i, t in enumerate(texts):
            if len(t) >= block or not t:
                out[i] = self.tag(t, block)
                continue
            if group and size + len(t) > block:
                self._tag_group(texts, group, out)
                group, size = [], 0
            group.append(i)
            size += len(t) + 4
        if group:
            self._tag_group(texts, group, out)
        return out  # type: ignore[return-value]

    def _tag_group(self, texts: list[str], group: list[int], out: list) -> None:
        if len(group) == 1:
            out[group[0]] = self.tag(texts[group[0]])
            return
        sep = np.array([EOS, EOS, BOS, BOS], dtype=np.int64)
        parts, firsts = [], []
        pos = 0
        for k, i in enumerate(group):
            if k:
                parts.append(sep)
                pos += len(sep)
            firsts.append(pos)
            parts.append(fold_codepoints(texts[i]))
            pos += len(texts[i])
        cps = np.concatenate(parts)
        lens = np.array([len(texts[i]) for i in group], dtype=np.int64)
        firsts_a = np.array(firsts, dtype=np.int64)
        ends = np.repeat(firsts_a + lens, lens + len(sep))[: len(cps)]  # a separator: the text before it (no match starts there)
        keep = np.concatenate([np.arange(f, f + n) for f, n in zip(firsts, lens.tolist())])
        ids = feature_ids(cps, self.tables, self.offsets, self.templates, ends)[:, keep]
        k, n = ids.shape
        em = self.weights.take(ids.ravel(), axis=0).reshape(k, n, -1).sum(axis=0)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        tags = self.decode(em, cps[keep], bounds=starts[1:])
        for i, a, ln in zip(group, starts.tolist(), lens.tolist()):
            out[i] = tags[a : a + ln]

    def predict_texts(self, texts: list[str]) -> list[list[tuple[int, int, str]]]:
        """``[self.predict_text(t) for t in texts]``, tagged in groups (:meth:`tag_many`)."""
        return [self._snap(t, spans_from_tags(tags)) for t, tags in zip(texts, self.tag_many(texts))]

    def predict_text(self, text: str) -> list[tuple[int, int, str]]:
        """Spans over ``text``; a span edge inside a run of ASCII letters or digits (one token for
        the pipeline's tokenizer) is moved outwards to the run's edge."""
        return self._snap(text, self.spans(text))

    @staticmethod
    def _snap(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        if not spans or not _ALNUM_RUN.search(text):
            return spans
        out = []
        n = len(text)
        for s, e, lab in spans:
            while s > 0 and _is_alnum(text[s - 1]) and _is_alnum(text[s]):
                s -= 1
            while e < n and _is_alnum(text[e - 1]) and _is_alnum(text[e]):
                e += 1
            out.append((s, e, lab))
        return out

    def predict(self, words: list[str], spaces: list[bool]) -> list[tuple[int, int, str]]:
        """The backend interface: spans over ``words`` joined with their spaces, snapped outwards
        to token boundaries (a Latin word or a number is one token)."""
        text = "".join([w + " " if s else w for w, s in zip(words, spaces)])
        spans = self.spans(text)
        if not spans or len(text) == len(words):  # one character per token, no spaces
            return spans
        starts, ends = [], []
        pos = 0
        for w, s in zip(words, spaces):
            starts.append(pos)
            pos += len(w)
            ends.append(pos)
            pos += 1 if s else 0
        st, en = np.array(starts), np.array(ends)
        out = []
        for s, e, lab in spans:
            a = st[np.searchsorted(en, s, side="right")]
            b = en[np.searchsorted(st, e - 1, side="right") - 1]
            out.append((int(min(a, s)), int(max(b, e)), lab))
        return out
