"""Character and bigram clusters from raw text, for the fast tagger's features.

Context vectors (counts of the character to the left and to the right, both sides separately),
positive PMI, truncated SVD, then k-means on the normalised vectors. Raw text: laws and
regulations (lawrefbook), government work reports, People's Daily 1998-01 and the SIGHAN 2005
PKU/MSR *training* word lists (words joined), all from ``../shared/data``; no test file is read.
Shuffled by paragraph and cut at ``--chars`` characters (the shipped clusters: 10 M, about 2.5
minutes on one shared core).

Output: ``tmp/ner_fast/clusters.npz`` with ``uni`` (code points, sorted), ``uni_cluster`` (1..K),
``bi_keys`` (packed code-point pairs, sorted), ``bi_cluster`` (1..K').

    python training/ner/clusters.py [--data ../shared/data] [--chars 12000000]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policytext.components.entities.fasttagger import BOS, EOS, fold_codepoints  # noqa: E402

SHIFT = 21


def raw_paragraphs(data: Path):
    """Yield raw paragraphs from the sources named in the module doc."""
    for f in sorted((data / "cn_laws_regulations_lawrefbook").glob("*.jsonl")):
        for line in open(f, encoding="utf-8"):
            yield from (json.loads(line).get("text_markdown") or "").split("\n")
    for line in open(data / "gov_work_reports_wikisource" / "government_work_reports.jsonl", encoding="utf-8"):
        yield from json.loads(line)["content"].split("\n")
    for line in open(data / "people_daily_1998_01_pos" / "199801.txt", encoding="utf-8"):
        yield "".join(item.rpartition("/")[0] for item in line.split())
    for name in ("pku_training_words.utf8", "msr_training_words.utf8"):
        p = data / "sighan2005_icwb2" / name
        if p.exists():
            for line in open(p, encoding="utf-8"):
                yield "".join(line.split())


def _index(sorted_keys: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Row of each query in ``sorted_keys``, -1 where absent."""
    idx = np.searchsorted(sorted_keys, q)
    idx[idx >= len(sorted_keys)] = 0
    return np.where(sorted_keys[idx] == q, idx, -1)


def context_matrix(stream: np.ndarray, keys: np.ndarray, width: int, vocab: np.ndarray,
                   ctx: np.ndarray) -> sparse.csr_matrix:
    """Sparse (len(vocab), 2*len(ctx)) counts of the character left and right of each key.

    ``stream``: all paragraphs' code points joined by BOS/EOS; ``keys[j]`` the unit starting at j
    (``width`` characters)."""
    n = len(keys)
    rows = _index(vocab, keys)
    left = np.concatenate([[BOS], stream[: n - 1]])
    right = stream[width : width + n]
    if len(right) < n:
        right = np.concatenate([right, np.full(n - len(right), EOS)])
    ctx_sorted = np.sort(ctx)
    cl, cr = _index(ctx_sorted, left), _index(ctx_sorted, right)
    ok_l = (rows >= 0) & (cl >= 0)
    ok_r = (rows >= 0) & (cr >= 0)
    r = np.concatenate([rows[ok_l], rows[ok_r]])
    c = np.concatenate([cl[ok_l], cr[ok_r] + len(ctx)])
    m = sparse.coo_matrix((np.ones(len(r), dtype=np.float32), (r, c)), shape=(len(vocab), 2 * len(ctx))).tocsr()
    m.sum_duplicates()
    return m


def ppmi(m: sparse.csr_matrix) -> sparse.csr_matrix:
    total = m.sum()
    rs = np.asarray(m.sum(axis=1)).ravel()
    cs = np.asarray(m.sum(axis=0)).ravel() ** 0.75
    cs = cs / cs.sum() * total
    m = m.tocoo()
    val = np.log(m.data * total / (rs[m.row] * cs[m.col] + 1e-9) + 1e-12)
    keep = val > 0
    return sparse.csr_matrix((val[keep], (m.row[keep], m.col[keep])), shape=m.shape)


def cluster(m: sparse.csr_matrix, dims: int, k: int, seed: int) -> np.ndarray:
    vec = TruncatedSVD(dims, random_state=seed).fit_transform(ppmi(m))
    vec /= np.linalg.norm(vec, axis=1, keepdims=True) + 1e-9
    km = MiniBatchKMeans(k, random_state=seed, batch_size=4096, n_init=3).fit(vec)
    return km.labels_.astype(np.int64) + 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    ap.add_argument("--chars", type=int, default=10_000_000)
    ap.add_argument("--out", default=str(ROOT / "tmp" / "ner_fast" / "clusters.npz"))
    ap.add_argument("--k-uni", type=int, default=128)
    ap.add_argument("--k-bi", type=int, default=256)
    ap.add_argument("--bigrams", type=int, default=60000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    t0 = time.time()
    paras = [p.strip() for p in raw_paragraphs(Path(args.data))]
    paras = [p for p in paras if len(p) >= 4]
    random.Random(args.seed).shuffle(paras)
    seqs, total = [], 0
    for p in paras:
        seqs.append(fold_codepoints(p))
        total += len(p)
        if total >= args.chars:
            break
    print(f"{len(seqs)} paragraphs, {total:,} chars ({time.time() - t0:.0f} s)", flush=True)
    stream = np.concatenate([np.concatenate([p, [EOS, BOS]]) for p in seqs]).astype(np.int64)
    bikeys = (stream[:-1] << SHIFT) | stream[1:]
    chars, counts = np.unique(stream, return_counts=True)
    ctx = chars[np.argsort(-counts)[:4000]]
    chars = chars[(counts >= 3) & (chars != BOS) & (chars != EOS)]
    m = context_matrix(stream, stream, 1, chars, ctx)
    uni_cluster = cluster(m, 64, args.k_uni, args.seed)
    print(f"chars: {len(chars)} -> {args.k_uni} clusters ({time.time() - t0:.0f} s)", flush=True)
    bk, bc = np.unique(bikeys, return_counts=True)
    real = ((bk >> SHIFT) != EOS) & ((bk >> SHIFT) != BOS) & ((bk & ((1 << SHIFT) - 1)) != EOS) & ((bk & ((1 << SHIFT) - 1)) != BOS)
    bk, bc = bk[real], bc[real]
    top = np.argsort(-bc)[: args.bigrams]
    bis = np.sort(bk[top][bc[top] >= 3])
    m = context_matrix(stream, bikeys, 2, bis, ctx)
    bi_cluster = cluster(m, 64, args.k_bi, args.seed)
    print(f"bigrams: {len(bis)} -> {args.k_bi} clusters ({time.time() - t0:.0f} s)", flush=True)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, uni=chars.astype(np.int64), uni_cluster=uni_cluster,
                        bi_keys=bis.astype(np.int64), bi_cluster=bi_cluster)
    print(f"-> {out} ({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
