"""Text stage ``dedup``: remove repeated runs of paragraphs inside one document.

Scraped pages often carry the same article twice (a "print" copy, an infinite-scroll reload, a
mirror block). This stage finds later copies of earlier paragraphs and removes them, keeping the
first copy, and records each removal as ``Edit(start, end, "", kind="duplicate_section",
removal=True, duplicate_of=(kept_start, kept_end))``.

How a copy is found (all on the current text, i.e. after ``normalize``):

1. The text is split into paragraphs (lines). Each paragraph gets a *match key*: NFKC, lower
   case, everything but letters, digits and Han characters dropped. Punctuation noise
   (``,,,,`` ``、、、`` ``。。``), whitespace and invisible characters therefore never matter.
2. *Substantial* paragraphs (key at least ``min_paragraph_chars`` long and not a dateline or
   byline) are the only ones that can start a match. A substantial paragraph repeats an earlier
   kept one if the keys are equal, or (``near_duplicates``) if the Jaccard similarity of their
   character ``shingle_size``-gram sets is at least ``jaccard_threshold``. Candidates come from a
   datasketch ``MinHashLSH`` index over the kept paragraphs; every candidate is verified with the
   exact Jaccard of the shingle sets.
3. Matched substantial paragraphs whose sources go forward through the text form *runs* (up to
   ``max_gap`` unmatched substantial paragraphs may interrupt a run; they are kept). A run is
   removed only if its substantial paragraphs total at least ``min_run_chars`` key characters.
4. Short paragraphs (headings, list markers, datelines) are never matched on their own. They
   are removed only as part of a run: inside a run when an equal short paragraph sits between
   the corresponding source paragraphs, and at a run's edges while they equal the paragraphs
   next to the source (this takes a repeated table of contents with its copy). So a heading that
   recurs between a table of contents and the body, or a byline that recurs per article, stays.
5. Unique paragraphs inside or after a run are kept; the removal is split around them.

``mode``: ``"remove"`` (default) applies the removals; ``"mark"`` changes no text: each
duplicate section becomes a warning and an entry in ``state.meta["duplicate_sections"]``, which
reaches the record as ``duplicates`` (``duplicate_marks``: ``start``/``end``/``duplicate_of`` on
the final text, ``raw_start``/``raw_end`` on the raw input);
``"off"`` does nothing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..alignment import Edit
from ..errors import Errors, Warnings
from ..state import TextState
from .base import TextStage, register_text_stage

__all__ = [
    "DedupStage",
    "duplicate_marks",
    "DuplicateSection",
    "find_duplicate_sections",
    "duplicate_section_edits",
    "match_key",
    "is_dateline_or_byline",
    "shingle_hashes",
    "minhash_of",
    "minhash_values",
    "make_lsh",
    "lsh_params",
]

_NON_WORD = re.compile(r"[\W_]+")

# Lines that recur legitimately (one per article on a newspaper page): never a match seed when
# short (a key under 40 characters): datelines, bylines, source and editor lines.
_DATELINE_BYLINE = re.compile(
    r"\d{1,2}月\d{1,2}日\s*电"
    r"|^[(（【\[]?\s*(记者|通讯员|作者|编辑|责任编辑|责编|审核|校对|来源|出处|转自|摄影|图|文)\s*[:：]"
    r"|[(（【\[]\s*(记者|通讯员)\s*[^)）】\]]{1,20}[)）】\]]\s*$"
)


def is_dateline_or_byline(line: str, key: str | None = None) -> bool:
    """A short line that names a place/date, an author, a source or an editor."""
    key = match_key(line) if key is None else key
    return len(key) < 40 and _DATELINE_BYLINE.search(line.strip()) is not None


# A paragraph with no sentence-final mark and a short key is a heading (never a match seed).
_SENTENCE_END = re.compile(r"[。！？!?；;…]")

DEFAULT_CONFIG: dict[str, Any] = {
    "mode": "remove",
    "min_paragraph_chars": 20,
    "min_run_chars": 80,
    "near_duplicates": True,
    "jaccard_threshold": 0.8,
    "shingle_size": 4,
    "num_perm": 64,
    "max_gap": 2,
}


def match_key(text: str) -> str:
    """What two strings are compared on: NFKC, lower case, letters/digits/Han only."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text)).lower()


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(16)
    return h


def window_hashes(key: str, k: int = 4) -> np.ndarray:
    """32-bit hash of the character ``k``-gram starting at each position of ``key`` (deterministic).

    A key shorter than ``k`` gives one hash of the whole key.
    """
    if not key:
        return np.zeros(0, dtype=np.uint32)
    cps = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    k = max(1, min(k, len(cps)))
    n = len(cps) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for j in range(k):
        h = (h * np.uint64(1000003) + cps[j : j + n]) & np.uint64(0xFFFFFFFFFFFF)
    return _fmix32(h ^ (h >> np.uint64(32))).astype(np.uint32)


def shingle_hashes(key: str, k: int = 4) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the character ``k``-grams of ``key``."""
    return np.unique(window_hashes(key, k))


def _identity(x: int) -> int:
    return x


_PERMS: dict[tuple[int, int], Any] = {}


def minhash_of(hashes: np.ndarray, num_perm: int = 64, seed: int = 1):
    """A datasketch ``MinHash`` (scheme ``affine32``) of pre-hashed 32-bit values.

    Permutations are cached per setting. The values are fed in one vectorised step equal to
    ``MinHash.update_batch`` with an identity hash function (checked in the tests); if
    datasketch's internals change, ``update_batch`` itself is used.
    """
    from datasketch import MinHash

    if _FMIX is None:  # datasketch < 2.0 (no schemes): the plain, slower path
        m = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity)
        if len(hashes):
            m.update_batch(np.asarray(hashes).tolist())
        return m
    perms = _PERMS.get((num_perm, seed))
    if perms is None:
        perms = _PERMS[(num_perm, seed)] = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=_identity, permutations=perms, scheme="affine32")
    if len(hashes):
        hv = _FMIX(np.asarray(hashes, dtype=np.uint32).reshape(-1, 1), 32)
        a, b = perms
        m.hashvalues = np.minimum(m.hashvalues, (hv * a + b).min(axis=0))
    return m


def minhash_values(hashes: np.ndarray, num_perm: int = 64, seed: int = 1) -> np.ndarray:
    """The ``hashvalues`` of :func:`minhash_of` without building a datasketch ``MinHash`` (whose
    constructor parses its permutations on every call): the same numbers, for callers that need
    only the signature (corpus dedup fingerprints every document)."""
    if _FMIX is None:  # pragma: no cover - datasketch 1.x
        return minhash_of(hashes, num_perm, seed).hashvalues
    perms = _PERMS.get((num_perm, seed))
    if perms is None:
        minhash_of(np.zeros(0, dtype=np.uint32), num_perm, seed)  # fills the cache
        perms = _PERMS[(num_perm, seed)]
    a, b = perms
    if not len(hashes):
        return np.full(num_perm, np.iinfo(a.dtype).max, dtype=a.dtype)
    hv = _FMIX(np.asarray(hashes, dtype=np.uint32).reshape(-1, 1), 32)
    return (hv * a + b).min(axis=0)


try:  # datasketch >= 2.0: the affine32 pre-mix used by update_batch
    from datasketch.minhash import _SCHEME_WIDTHS  # type: ignore[attr-defined]  # noqa: F401
    from datasketch.minhash import _fmix as _FMIX  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - datasketch 1.x
    _FMIX = None


_LSH_PARAMS: dict[tuple[float, int], tuple[int, int]] = {}


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` that datasketch's ``MinHashLSH`` picks for ``threshold`` (cached)."""
    from datasketch.lsh import _optimal_param

    key = (round(float(threshold), 4), int(num_perm))
    params = _LSH_PARAMS.get(key)
    if params is None:
        params = _LSH_PARAMS[key] = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return params


def make_lsh(threshold: float, num_perm: int):
    """A datasketch ``MinHashLSH`` (its band/row optimisation is cached per setting)."""
    from datasketch import MinHashLSH

    return MinHashLSH(num_perm=num_perm, params=lsh_params(threshold, num_perm))


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if not len(a) and not len(b):
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


@dataclass
class _Para:
    start: int
    end: int
    key: str
    substantial: bool


@dataclass(frozen=True)
class DuplicateSection:
    """A removable copy: ``[start, end)`` repeats ``[dup_start, dup_end)`` (current-text offsets)."""

    start: int
    end: int
    dup_start: int
    dup_end: int
    chars: int  # key characters of the removed paragraphs
    paragraphs: int
    similarity: float  # lowest paragraph similarity in the section (1.0 = all exact)


def _paragraphs(text: str, min_chars: int) -> list[_Para]:
    out: list[_Para] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        key = match_key(line)
        if key:
            stripped = line.strip()
            substantial = (
                len(key) >= min_chars
                and not is_dateline_or_byline(stripped, key)
                and not (len(key) < 2 * min_chars + 20 and not _SENTENCE_END.search(stripped))
            )
            out.append(_Para(pos, end, key, substantial))
        pos = end + 1
    return out


def find_duplicate_sections(
    text: str,
    min_paragraph_chars: int = 20,
    min_run_chars: int = 80,
    near_duplicates: bool = True,
    jaccard_threshold: float = 0.8,
    shingle_size: int = 4,
    num_perm: int = 64,
    max_gap: int = 2,
    **_: Any,
) -> list[DuplicateSection]:
    """Later copies of earlier paragraph runs in ``text`` (see the module docstring)."""
    paras = _paragraphs(text, min_paragraph_chars)
    n = len(paras)
    src: list[int | None] = [None] * n
    sim: list[float] = [1.0] * n

    # 1. seeds: substantial paragraphs repeating an earlier one (chains resolved in step 4)
    seen: dict[str, list[int]] = {}
    lsh = None
    sigs: dict[int, np.ndarray] = {}
    if near_duplicates:
        # candidates from an index tuned below the threshold (LSH recall at the threshold itself
        # is only ~50 %); every candidate is verified with the exact Jaccard
        lsh = make_lsh(max(0.2, jaccard_threshold - 0.3), num_perm)
    prev_src = -1
    for j, p in enumerate(paras):
        if not p.substantial:
            continue
        earlier = seen.setdefault(p.key, [])
        sh = m = None
        if earlier:
            # prefer the occurrence continuing the current run, else the first one
            src[j] = next((i for i in earlier if i > prev_src), earlier[0])
        elif lsh is not None:
            sh = shingle_hashes(p.key, shingle_size)
            m = minhash_of(sh, num_perm)
            best: tuple[int, float] | None = None
            best_score: tuple[int, int, float] | None = None
            for cand in lsh.query(m):
                s = _jaccard(sh, sigs[cand])
                if s < jaccard_threshold:
                    continue
                ahead = cand > prev_src
                score = (int(ahead), -(cand - prev_src) if ahead else 0, s)
                if best_score is None or score > best_score:
                    best, best_score = (cand, s), score
            if best is not None:
                src[j], sim[j] = best
        if src[j] is not None:
            prev_src = src[j]  # type: ignore[assignment]
        if not earlier:
            if lsh is not None and sh is not None:
                sigs[j] = sh
                lsh.insert(j, m)
        earlier.append(j)

    # 2. runs of matched substantial paragraphs with forward-moving sources before the run
    subst = [j for j in range(n) if paras[j].substantial]
    runs: list[list[int]] = []
    cur: list[int] = []
    gap = 0
    for j in subst:
        if src[j] is None:
            if cur:
                gap += 1
                if gap > max_gap:
                    runs.append(cur)
                    cur, gap = [], 0
            continue
        if cur and (src[j] <= src[cur[-1]] or src[j] >= cur[0]):  # type: ignore[operator]
            runs.append(cur)
            cur = []
        cur.append(j)
        gap = 0
    if cur:
        runs.append(cur)

    removed = [False] * n
    sections: list[DuplicateSection] = []
    for run in runs:
        chars = sum(len(paras[j].key) for j in run)
        if chars < min_run_chars:
            continue
        members = set(run)
        # 3a. short paragraphs between consecutive seeds, matched inside the source gap
        for a, b in zip(run, run[1:]):
            sa, sb = src[a], src[b]
            assert sa is not None and sb is not None
            ptr = sa + 1
            for j in range(a + 1, b):
                if paras[j].substantial:
                    continue
                for i in range(ptr, sb):
                    if paras[i].key == paras[j].key:
                        src[j] = i
                        members.add(j)
                        ptr = i + 1
                        break
        # 3b. edges: extend while paragraphs equal their source's neighbours
        j, i = run[0] - 1, src[run[0]] - 1  # type: ignore[operator]
        while j > i >= 0 and not paras[j].substantial and paras[i].key == paras[j].key and not removed[j]:
            src[j] = i
            members.add(j)
            j, i = j - 1, i - 1
        j, i = run[-1] + 1, src[run[-1]] + 1  # type: ignore[operator]
        while j < n and i < run[0] and not paras[j].substantial and paras[i].key == paras[j].key:
            src[j] = i
            members.add(j)
            j, i = j + 1, i + 1
        # 4. contiguous blocks of matched paragraphs -> sections
        lo, hi = min(members), max(members)
        block: list[int] = []
        for j in range(lo, hi + 2):
            if j <= hi and j in members:
                block.append(j)
                continue
            if block and any(paras[k].substantial for k in block):
                sections.append(_section(text, paras, src, sim, block, removed))
                for k in block:
                    removed[k] = True
            block = []
    sections.sort(key=lambda s: s.start)
    return sections


def _root(src: list[int | None], removed: list[bool], i: int) -> int:
    """Follow a source that was itself removed back to the kept paragraph it copies."""
    while removed[i] and src[i] is not None:
        i = src[i]  # type: ignore[assignment]
    return i


def _section(
    text: str, paras: list[_Para], src: list[int | None], sim: list[float], block: list[int], removed: list[bool]
) -> DuplicateSection:
    first, last = paras[block[0]], paras[block[-1]]
    nxt = block[-1] + 1
    end = paras[nxt].start if nxt < len(paras) else len(text)
    sources = [_root(src, removed, src[k]) for k in block if src[k] is not None]  # type: ignore[arg-type]
    ds = paras[min(sources)].start  # type: ignore[type-var]
    de = paras[max(sources)].end  # type: ignore[type-var]
    start = first.start
    if nxt >= len(paras) and block[0] > 0 and not removed[block[0] - 1]:
        start = paras[block[0] - 1].end  # at the end of the text: take the line break before it
    return DuplicateSection(
        start=start,
        end=max(end, last.end),
        dup_start=ds,
        dup_end=de,
        chars=sum(len(paras[k].key) for k in block),
        paragraphs=len(block),
        similarity=min(sim[k] for k in block),
    )


def duplicate_section_edits(text: str, **config: Any) -> list[Edit]:
    """The stage's edits for ``text``: one removal per duplicate section."""
    edits = []
    for s in find_duplicate_sections(text, **config):
        edits.append(
            Edit(
                s.start,
                s.end,
                "",
                kind="duplicate_section",
                confidence=round(s.similarity, 4),
                removal=True,
                duplicate_of=(s.dup_start, s.dup_end),
                note=f"{s.paragraphs} paragraphs ({s.chars} chars) repeating an earlier copy",
            )
        )
    return edits


_MODES = ("remove", "mark", "off")


@register_text_stage("dedup", default_config=DEFAULT_CONFIG)
class DedupStage(TextStage):
    """Remove (or mark) later copies of repeated paragraph runs. See the module docstring."""

    def __init__(self, name: str | None = None, **config: Any) -> None:
        super().__init__(name=name, **config)
        if self.config["mode"] not in _MODES:
            raise ValueError(Errors.E108.format(stage="dedup", modes=_MODES, mode=self.config["mode"]))

    def __call__(self, state: TextState) -> None:
        cfg = dict(self.config)
        mode = cfg.pop("mode")
        if mode == "off":
            return
        edits = duplicate_section_edits(state.text, **cfg)
        if not edits:
            return
        if mode == "remove":
            state.apply(edits, stage=self.name)
            return
        marks = state.meta.setdefault("duplicate_sections", [])
        state.meta["duplicate_sections_text"] = state.text  # the text the marks' start/end index
        for e in edits:
            raw_start, raw_end = state.to_raw(e.start, e.end)
            assert e.duplicate_of is not None
            marks.append(
                {
                    "stage": self.name,
                    "kind": e.kind,
                    "start": e.start,
                    "end": e.end,
                    "raw_start": raw_start,
                    "raw_end": raw_end,
                    "duplicate_of": {"start": e.duplicate_of[0], "end": e.duplicate_of[1]},
                    "_raw_duplicate_of": state.to_raw(*e.duplicate_of),
                    "note": e.note,
                }
            )
            state.warn(Warnings.W301.format(stage=self.name, start=e.start, end=e.end, of_start=e.duplicate_of[0],
                                            of_end=e.duplicate_of[1], raw_start=raw_start, raw_end=raw_end))


def _clean_offset(state: TextState, raw_pos: int) -> int:
    """The first position of the current text whose raw span ends after ``raw_pos`` (text a later
    stage inserted at ``raw_pos`` stays outside)."""
    lo, hi = 0, len(state.text)
    while lo < hi:  # raw ends grow with the position: binary search, O(log n) look-ups
        mid = (lo + hi) // 2
        if state.to_raw(mid, mid + 1)[1] <= raw_pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _clean_span(state: TextState, raw_start: int, raw_end: int) -> dict[str, int]:
    start = _clean_offset(state, raw_start)
    return {"start": start, "end": max(start, _clean_offset(state, raw_end))}


def duplicate_marks(state: TextState) -> list[dict[str, Any]]:
    """The record's ``duplicates``: the sections mode ``"mark"`` kept, with ``start``/``end`` and
    ``duplicate_of`` on the final text (moved through their raw offsets when a later text stage
    changed the text) and ``raw_start``/``raw_end`` on the raw input."""
    marks = state.meta.get("duplicate_sections") or []
    unchanged = state.meta.get("duplicate_sections_text") is state.text
    out = []
    for m in marks:
        mark = {k: v for k, v in m.items() if not k.startswith("_")}
        if not unchanged:
            mark.update(_clean_span(state, m["raw_start"], m["raw_end"]))
            mark["duplicate_of"] = _clean_span(state, *m["_raw_duplicate_of"])
        out.append(mark)
    return out
