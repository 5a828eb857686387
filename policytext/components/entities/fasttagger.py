"""A fast character tagger for PERSON/ORG/LOC: linear features from integer id tables, numpy decoding.

The model is a linear-chain tagger (BIOES over PERSON, ORG, LOC; trained as an averaged structured
perceptron by ``training/ner/train_fast.py``). Nothing is built from strings per character:

* the text is folded (NFKC full-width → half-width, digits → ``0``, Latin letters → ``A``) and read
  as an array of code points;
* character n-grams are integer keys (code points packed into 21-bit fields) looked up in sorted key
  tables with ``np.searchsorted``: unigrams at offsets −2…+2, bigrams at −2…+1, trigrams at −2…0;
* character and bigram cluster ids (k-means over PPMI+SVD context vectors of raw official text)
  and the pair of neighbouring character clusters add features that generalise to unseen names;
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

__all__ = ["FastTagger", "ModelFolderError", "TAGS", "ENTITY_LABELS", "fold_codepoints", "TEMPLATES",
           "feature_ids", "ALLOWED_FILES", "spans_from_tags", "allowed_transitions"]

ENTITY_LABELS = ("PERSON", "ORG", "LOC")
TAGS = ("O",) + tuple(f"{p}-{lab}" for lab in ENTITY_LABELS for p in "BIES")
ALLOWED_FILES = frozenset({"meta.json", "weights.npz", "README.md"})
FORMAT = "policytext-fasttagger-1"

# (table, offset) per template: u = unigram, b = bigram starting at i+offset, t = trigram starting
# at i+offset, c = character cluster, d = bigram cluster, p = pair of character clusters (i+o, i+o+1)
TEMPLATES: tuple[tuple[str, int], ...] = (
    ("u", -2), ("u", -1), ("u", 0), ("u", 1), ("u", 2),
    ("b", -2), ("b", -1), ("b", 0), ("b", 1),
    ("t", -2), ("t", -1), ("t", 0),
    ("c", -1), ("c", 0), ("c", 1),
    ("p", -1), ("p", 0),
    ("d", -1), ("d", 0),
)
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
    folded = text.translate(_FOLD)
    return np.frombuffer(folded.encode("utf-32-le"), dtype="<u4").astype(np.int64)


def _lookup(keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    """1-based index of each query in the sorted ``keys``; 0 where absent."""
    if len(keys) == 0:
        return np.zeros(len(q), dtype=np.int64)
    idx = np.searchsorted(keys, q)
    np.minimum(idx, len(keys) - 1, out=idx)
    return np.where(keys[idx] == q, idx + 1, 0)


def table_sizes(tables: dict[str, np.ndarray]) -> dict[str, int]:
    """Rows per template kind (index 0 = unknown)."""
    k_c = int(tables["uni_cluster"].max(initial=0)) + 1
    return {"u": len(tables["uni"]) + 1, "b": len(tables["bi"]) + 1, "t": len(tables["tri"]) + 1,
            "c": k_c, "p": k_c * k_c, "d": int(tables["bi_cluster"].max(initial=0)) + 1}


def template_offsets(tables: dict[str, np.ndarray]) -> tuple[np.ndarray, int]:
    sizes = table_sizes(tables)
    offs, total = [], 0
    for kind, _o in TEMPLATES:
        offs.append(total)
        total += sizes[kind]
    return np.array(offs, dtype=np.int64), total


def _padded(tables: dict[str, np.ndarray], name: str) -> np.ndarray:
    """``tables[name]`` with a leading 0 (the unknown id), cached in ``tables``."""
    key = "_pad_" + name
    if key not in tables:
        tables[key] = np.concatenate([[0], tables[name]]).astype(np.int64)
    return tables[key]


def feature_ids(cps: np.ndarray, tables: dict[str, np.ndarray], offsets: np.ndarray) -> np.ndarray:
    """(len(TEMPLATES), n) global feature row ids for the folded code points ``cps``."""
    n = len(cps)
    p = np.concatenate([[BOS, BOS], cps, [EOS, EOS]]).astype(np.int64)
    uni = _lookup(tables["uni"], p)  # len n+4
    bik = (p[:-1] << _SHIFT) | p[1:]
    bi = _lookup(tables["bi"], bik)  # len n+3, bi[j] = bigram (p[j], p[j+1])
    trk = (p[:-2] << (2 * _SHIFT)) | (p[1:-1] << _SHIFT) | p[2:]
    tri = _lookup(tables["tri"], trk)  # len n+2
    ucl = _padded(tables, "uni_cluster")[uni]  # cluster per padded position
    k_c = int(tables.setdefault("_k_c", np.array(table_sizes(tables)["c"])))
    dcl = _padded(tables, "bi_cluster")[_lookup(tables["bi_cluster_keys"], bik)]
    pair = ucl[:-1] * k_c + ucl[1:]
    # every template reads n consecutive values of one of these sources, from index 2 + offset
    flat = np.concatenate([uni, bi, tri, ucl, pair, dcl])
    base = {"u": 0, "b": n + 4, "t": 2 * n + 7, "c": 3 * n + 9, "p": 4 * n + 13, "d": 5 * n + 16}
    starts = np.array([base[kind] + 2 + o for kind, o in TEMPLATES], dtype=np.int64)
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
    if tuple(meta.get("tags", ())) != TAGS or [list(t) for t in TEMPLATES] != meta.get("templates"):
        raise ModelFolderError(Errors.E343.format(path=path, detail="tags or templates differ from this version's"))
    try:
        with np.load(path / "weights.npz", allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError) as exc:
        raise ModelFolderError(Errors.E344.format(path=path, detail=exc)) from exc
    missing = [k for k in REQUIRED_ARRAYS if k not in arrays]
    if missing:
        raise ModelFolderError(Errors.E344.format(path=path, detail=f"missing arrays {missing}"))
    for k in ("uni", "bi", "tri", "bi_cluster_keys"):
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
    _offs, total = template_offsets(arrays)
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
        self.offsets, _ = template_offsets(arrays)
        self.weights = arrays["weights"]
        ok, start_ok, end_ok = allowed_transitions()
        self.trans = np.where(ok, arrays["transitions"], _NEG).astype(np.float32)
        self.start = np.where(start_ok, arrays["start"], _NEG).astype(np.float32)
        self.end = np.where(end_ok, arrays["end"], _NEG).astype(np.float32)
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
        punctuation; features see two characters beyond each block, so the result is the same."""
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
        lo, hi = max(0, a - 2), min(len(text), b + 2)
        cps = fold_codepoints(text[lo:hi])
        em = self.emissions_from(cps)[a - lo : b - lo]
        return self.decode(em, cps[a - lo : b - lo], first=(a == 0), last=(b == len(text)))

    def emissions_from(self, cps: np.ndarray) -> np.ndarray:
        ids = feature_ids(cps, self.tables, self.offsets)
        k, n = ids.shape
        return self.weights.take(ids.ravel(), axis=0).reshape(k, n, -1).sum(axis=0)

    def decode(self, em: np.ndarray, cps: np.ndarray, first: bool = True, last: bool = True) -> np.ndarray:
        """Viterbi over the regions between *sure-O* positions, all regions in one batch.

        A position is sure O when it is punctuation/whitespace, or (``o_margin`` set) when its
        O score beats every other tag by more than ``o_margin``: the chain is cut there (a region
        starts with the O→tag transition and ends with the tag→O one), which keeps the Python loop
        as short as the longest candidate region. ``o_margin=None`` cuts at punctuation only."""
        n = len(em)
        out = np.zeros(n, dtype=np.int64)
        if n == 0:
            return out
        pos = np.searchsorted(_CUT_CPS, cps)
        sure = _CUT_CPS[np.minimum(pos, len(_CUT_CPS) - 1)] == cps
        if self.o_margin is not None:
            sure |= em[:, 0] - em[:, 1:].max(axis=1) > self.o_margin
        cand = ~sure
        edges = np.diff(np.concatenate([[0], cand.view(np.int8), [0]]))
        starts = np.flatnonzero(edges == 1)
        ends = np.flatnonzero(edges == -1)
        if len(starts) == 0:
            return out
        lengths = ends - starts
        o = 0
        start_rows = np.where((starts == 0)[:, None] & first, self.start, self.trans[o])
        end_rows = np.where((ends == n)[:, None] & last, self.end, self.trans[:, o])
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

    def predict_text(self, text: str) -> list[tuple[int, int, str]]:
        """Spans over ``text``; a span edge inside a run of ASCII letters or digits (one token for
        the pipeline's tokenizer) is moved outwards to the run's edge."""
        spans = self.spans(text)
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
