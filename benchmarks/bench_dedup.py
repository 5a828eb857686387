"""Benchmark of corpus deduplication on a synthetic corpus with planted duplicates.

Builds a corpus (default 100,000 documents) from the raw text corpora in ``../shared/data``
(CCTV xwlb news, laws and regulations, government work reports, People's Daily 1998, the
MSRA / People's Daily / CLUENER NER texts, SIGHAN test sets, THUCNews headlines, pkulaw titles;
short texts are grouped into paragraphs), plants
families of related documents (one per 5 requested documents) and measures how well :class:`policytext.corpus_dedup.CorpusDeduper`
finds them:

* ``orig``: a base document (60-320 characters of consecutive paragraphs);
* ``dup``: a copy with punctuation noise (doubled/ASCII marks, spaces), in traditional script
  (OpenCC s2t) half of the time, with a source line and an editor line added;
* ``rewrite``: ~30 % of the sentences lightly edited (a word swapped, a clause dropped), one
  sentence dropped (from documents of 6 sentences or more), one new sentence added;
* ``host``: the original embedded intact in a page 1.5-3.5x its length (unique filler paragraphs);
* ``summary``: the original's first 3-8 sentences (about its first half, at most 60 %).

Every other document is an unrelated base document. Source paragraphs are deduplicated first
(no sentence seen before, at most 60 % of sampled 5-grams seen before), so unrelated documents
share no sentence and no near-copy (the sources hold law versions and repeated news items).

Ground truth: near-duplicate pairs are the pairs within a family among ``orig``/``dup``/``rewrite``;
containment pairs (contained, container) are (summary, orig|dup|host) and (orig|dup, host). Pairs
of a rewrite with a host or summary are not scored (whether a rewritten text "contains" a summary
depends on which sentences the rewrite touched).

The deduper runs in a child process reading the corpus as JSON Lines (streaming), so the peak RSS
printed is the deduper's own (corpus building is not counted). The reference is a plain
datasketch ``MinHashLSH`` near-duplicate pass (default SHA-1 hashing of character 5-grams,
threshold 0.5) over the first ``--baseline-docs`` documents, run in the same child process.

    nice python benchmarks/bench_dedup.py            # 100k documents
    nice python benchmarks/bench_dedup.py --docs 20000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))

_TAG = re.compile(r"<[^>]+>")
_POS = re.compile(r"/[a-zA-Z]+\b")
_SENT = re.compile(r"(?<=[。！？])")
_KEY = re.compile(r"[\W_]+")


# ----- building the corpus ------------------------------------------------------------------------
def _source_paragraphs():
    for y in range(2022, 2027):
        p = DATA / "xwlb_cctv_news_tagged" / f"xwlb_tagged_{y}.jsonl"
        if p.exists():
            for line in p.open(encoding="utf-8"):
                html = json.loads(line).get("content_html") or ""
                yield [t.strip() for t in _TAG.sub("\n", html).split("\n")]
    for name in ("national_laws", "administrative_regulations", "departmental_rules"):
        p = DATA / "cn_laws_regulations_lawrefbook" / f"{name}.jsonl"
        if p.exists():
            for line in p.open(encoding="utf-8"):
                md = json.loads(line).get("text_markdown") or ""
                yield [t.strip().lstrip("#").strip() for t in md.split("\n")]
    for name in ("government_work_reports", "cpc_congress_reports"):
        p = DATA / "gov_work_reports_wikisource" / f"{name}.jsonl"
        if p.exists():
            for line in p.open(encoding="utf-8"):
                yield [t.strip() for t in (json.loads(line).get("content") or "").split("\n")]
    for name in ("msra_ner/msra_train_bio.txt", "msra_ner/msra_test_bio.txt", "people_daily_ner/example.dev",
                 "people_daily_ner/example.test"):
        p = DATA / name
        if p.exists():  # one character per line, blank line between sentences
            block, sent = [], []
            for line in p.open(encoding="utf-8"):
                parts = line.split()
                if parts:
                    sent.append(parts[0])
                    continue
                if sent:
                    block.append("".join(sent))
                    sent = []
                if len(block) >= 8:
                    yield ["".join(block[i : i + 2]) for i in range(0, len(block), 2)]
                    block = []
    # short texts grouped into paragraphs: NER sentences, segmentation test sets, headlines, titles
    def grouped(lines, per=4):
        block = []
        for t in lines:
            t = t.strip()
            if t:
                block.append(t if t[-1] in "。！？" else t + "。")
            if len(block) >= per * 6:
                yield ["".join(block[i : i + per]) for i in range(0, len(block), per)]
                block = []
        if block:
            yield ["".join(block[i : i + per]) for i in range(0, len(block), per)]

    for name in ("cluener2020/train.jsonl", "cluener2020/dev.jsonl"):
        p = DATA / name
        if p.exists():
            yield from grouped(json.loads(line).get("text", "") for line in p.open(encoding="utf-8"))
    for name in ("sighan2005_icwb2/msr_test.utf8", "sighan2005_icwb2/pku_test.utf8",
                 "sighan2005_icwb2/as_testing_gold.utf8", "sighan2005_icwb2/cityu_test_gold.utf8"):
        p = DATA / name
        if p.exists():
            yield from grouped((line.replace(" ", "").replace("\u3000", "") for line in p.open(encoding="utf-8")), 2)
    for name in ("thucnews_titles_10class/dev.tsv", "thucnews_titles_10class/test.tsv"):
        p = DATA / name
        if p.exists():
            yield from grouped((line.split("\t")[0] for line in p.open(encoding="utf-8")), 6)
    p = DATA / "pkulaw_policy_titles_themes" / "policy_titles.jsonl"
    if p.exists():
        yield from grouped((json.loads(line).get("title", "") for line in p.open(encoding="utf-8")), 4)
    p = DATA / "people_daily_1998_01_pos" / "199801.txt"
    if p.exists():
        block = []
        for line in p.open(encoding="utf-8"):
            text = _POS.sub("", line).replace(" ", "").strip()
            if text:
                block.append(text)
            if len(block) >= 12:
                yield block
                block = []


def _base_documents(rng: random.Random):
    """Unrelated base documents (lists of paragraphs), no sentence shared between two of them."""
    seen: set[int] = set()
    seen_grams: set[int] = set()
    for paras in _source_paragraphs():
        doc: list[str] = []
        size, target = 0, rng.randint(60, 320)
        for para in paras:
            if len(para) < 15 or "<!--" in para or para.startswith("|"):
                continue
            sents = [s for s in _SENT.split(para) if s]
            keys = [hash(_KEY.sub("", s)) for s in sents if len(_KEY.sub("", s)) >= 6]
            if not keys or any(k in seen for k in keys):
                continue
            key = _KEY.sub("", para)
            # consistent sample of the 5-grams (crc32: the same in every run, unlike str hash)
            grams = {h for h in (zlib.crc32(key[i : i + 5].encode("utf-8")) for i in range(len(key) - 4)) if h % 8 == 0}
            if grams and len(grams & seen_grams) > 0.6 * len(grams):
                continue  # a near-copy of text already used (law versions, repeated news)
            seen.update(keys)
            seen_grams.update(grams)
            doc.append(para)
            size += len(para)
            if size >= target:
                yield doc
                doc, size, target = [], 0, rng.randint(60, 320)
        if size >= 60:
            yield doc


_PUNCT_NOISE = [("，", ",,"), ("，", ",,,"), ("。", "。。"), ("、", "、、、"), ("：", ":"), ("（", "("), ("）", ")")]
_SWAPS = [("推进", "推动"), ("加强", "强化"), ("发展", "发展壮大"), ("工作", "各项工作"), ("进一步", "更"),
          ("我国", "中国"), ("提高", "提升"), ("建设", "建成"), ("全面", "全方位"), ("重要", "重大")]


def _noisy(text: str, rng: random.Random) -> str:
    for a, b in _PUNCT_NOISE:
        if rng.random() < 0.5:
            text = text.replace(a, b)
    if rng.random() < 0.3:
        text = text.replace("\n", "\n\n")
    return text


def _sentences(doc: list[str]) -> list[str]:
    return [s for p in doc for s in _SENT.split(p) if s]


def _rewrite(doc: list[str], extra: str, rng: random.Random) -> str:
    sents = _sentences(doc)
    out = []
    drop = rng.randrange(len(sents)) if len(sents) >= 6 else -1
    for k, s in enumerate(sents):
        if k == drop:
            continue
        if rng.random() < 0.3:
            for a, b in rng.sample(_SWAPS, len(_SWAPS)):
                if a in s:
                    s = s.replace(a, b, 1)
                    break
            else:
                parts = s.split("，")
                if len(parts) > 2:
                    del parts[rng.randrange(1, len(parts))]
                    s = "，".join(parts)
        out.append(s)
    out.insert(rng.randrange(len(out) + 1), extra)
    # paragraphs regrouped: three sentences per line
    return "\n".join("".join(out[i : i + 3]) for i in range(0, len(out), 3))


def build_corpus(n_docs: int, seed: int, path: Path, truth_path: Path) -> dict:
    import opencc

    s2t = opencc.OpenCC("s2t")
    rng = random.Random(seed)
    bases = _base_documents(rng)
    docs: list[tuple[str, str]] = []
    truth: dict[str, list] = {}
    n_fam = int(n_docs * 0.2)
    fam = 0
    filler: list[str] = []

    def take_filler(chars: int) -> list[str]:
        out, size = [], 0
        while size < chars:
            if not filler:
                filler.extend(next(bases))
            p = filler.pop()
            out.append(p)
            size += len(p)
        return out

    def add(text: str, family: int | None, kind: str) -> None:
        doc_id = f"d{len(docs)}"
        docs.append((doc_id, text))
        truth[doc_id] = [family, kind]

    exhausted = False
    while len(docs) < n_docs:
        try:
            base = next(bases)
        except StopIteration:
            exhausted = True
            break
        text = "\n".join(base)
        if fam < n_fam and len(_sentences(base)) >= 4:
            f = fam
            fam += 1
            add(text, f, "orig")
            for _ in range(rng.choice((1, 1, 2))):
                t = _noisy(text, rng)
                if rng.random() < 0.5:
                    t = s2t.convert(t)
                add(f"来源：{rng.choice(['新华网', '人民网', '央视网', '中国网'])}\n{t}\n责任编辑：{rng.choice('张王李赵刘陈')}某", f, "dup")
            if rng.random() < 0.8:
                add(_rewrite(base, "".join(_sentences(take_filler(30))[:1]), rng), f, "rewrite")
            if rng.random() < 0.5:
                before = take_filler(int(rng.uniform(0.5, 1.5) * len(text)))
                after = take_filler(int(rng.uniform(0.0, 0.8) * len(text)) + 20)
                add("\n".join(before + [_noisy(text, rng) if rng.random() < 0.5 else text] + after), f, "host")
            if rng.random() < 0.3:
                sents = _sentences(base)
                k = min(8, (len(sents) + 1) // 2)
                if k >= 3 and k <= 0.6 * len(sents):
                    add("".join(sents[:k]), f, "summary")
        else:
            add(text, None, "single")
    order = list(range(len(docs)))
    rng.shuffle(order)
    nbytes = 0
    with path.open("w", encoding="utf-8") as fh:
        for i in order:
            doc_id, text = docs[i]
            nbytes += len(text.encode("utf-8"))
            fh.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    truth_path.write_text(json.dumps(truth), encoding="utf-8")
    return {"docs": len(docs), "families": fam, "bytes": nbytes, "exhausted": exhausted}


# ----- child: run the deduper ---------------------------------------------------------------------
def child(corpus: str, out: str, baseline_docs: int, settings: dict) -> None:
    from policytext.corpus_dedup import CorpusDeduper

    dd = CorpusDeduper(**settings)
    nbytes = 0
    t0 = time.perf_counter()
    c0 = time.process_time()
    with open(corpus, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            nbytes += len(d["text"].encode("utf-8"))
            dd.add(d["id"], d["text"])
    t_add = time.perf_counter() - t0
    with open(out, "w", encoding="utf-8") as fh:
        for rec in dd.records():
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    rss_ours = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n_docs = len(dd.docs)
    verified = dd.pairs_verified
    del dd

    # reference: plain datasketch MinHashLSH near-duplicate pass over the first documents
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=64)
    bb = 0
    t1 = time.perf_counter()
    c1 = time.process_time()
    with open(corpus, encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            if k >= baseline_docs:
                break
            d = json.loads(line)
            bb += len(d["text"].encode("utf-8"))
            text = d["text"]
            m = MinHash(num_perm=64)
            m.update_batch([text[i : i + 5].encode("utf-8") for i in range(max(1, len(text) - 4))])
            lsh.query(m)
            lsh.insert(d["id"], m)
    tb = time.perf_counter() - t1
    cb = time.process_time() - c1
    print(json.dumps({"docs": n_docs, "bytes": nbytes, "seconds": seconds, "cpu_seconds": cpu, "seconds_add": t_add,
                      "peak_rss_mb": rss_ours, "pairs_verified": verified,
                      "baseline_docs": min(baseline_docs, n_docs), "baseline_bytes": bb, "baseline_seconds": tb,
                      "baseline_cpu_seconds": cb}))


# ----- scoring ------------------------------------------------------------------------------------
def score(truth: dict, records: list[dict]) -> dict:
    fam_members: dict[int, list[tuple[str, str]]] = {}
    for doc_id, (f, kind) in truth.items():
        if f is not None:
            fam_members.setdefault(f, []).append((doc_id, kind))
    true_dup, true_con, dontcare = set(), set(), set()
    for members in fam_members.values():
        for (a, ka), (b, kb) in combinations(members, 2):
            pair = frozenset((a, b))
            kinds = {ka, kb}
            if ka in ("orig", "dup", "rewrite") and kb in ("orig", "dup", "rewrite"):
                true_dup.add(pair)
            elif "summary" in kinds and kinds & {"orig", "dup", "host"}:
                s, c = (a, b) if ka == "summary" else (b, a)
                true_con.add((s, c))
            elif "host" in kinds and kinds & {"orig", "dup"}:
                h, o = (a, b) if ka == "host" else (b, a)
                true_con.add((o, h))
            else:
                dontcare.add(pair)
    pred_dup, pred_con = set(), set()
    for r in records:
        for u in r["reuse"]:
            if u["relation"] == "near_duplicate":
                pred_dup.add(frozenset((r["id"], u["other"])))
            elif u["relation"] == "contained_in":
                pred_con.add((r["id"], u["other"]))
    pred_dup = {p for p in pred_dup if p not in dontcare}
    pred_con = {p for p in pred_con if frozenset(p) not in dontcare}

    def pr(pred, true):
        tp = len(pred & true)
        return {"precision": tp / len(pred) if pred else 1.0, "recall": tp / len(true) if true else 1.0,
                "true": len(true), "predicted": len(pred), "tp": tp}

    # families gathered in one cluster, and clusters mixing families
    cluster = {r["id"]: r["cluster"] for r in records}
    whole = sum(1 for m in fam_members.values() if len({cluster[d] for d, _ in m}) == 1)
    fam_of = {d: (f if f is not None else f"s{d}") for d, (f, _) in truth.items()}
    by_cluster: dict[str, set] = {}
    for d, c in cluster.items():
        by_cluster.setdefault(c, set()).add(fam_of[d])
    mixed = sum(1 for fams in by_cluster.values() if len(fams) > 1)
    canonical = {r["id"]: r["canonical"] for r in records}
    canon_orig = sum(1 for m in fam_members.values() if truth[canonical[m[0][0]]][1] in ("orig", "dup"))
    return {"near_duplicate": pr(pred_dup, true_dup), "containment": pr(pred_con, true_con),
            "families_in_one_cluster": whole / max(1, len(fam_members)),
            "clusters_mixing_families": mixed, "clusters": len(by_cluster),
            "canonical_is_orig_or_copy": canon_orig / max(1, len(fam_members))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--baseline-docs", type=int, default=10_000)
    ap.add_argument("--keep", help="folder to keep the corpus, truth and clusters in")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=JSON",
                    help="a CorpusDeduper setting, e.g. --set lsh_threshold=null --set anchors=16")
    ap.add_argument("--child", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--settings", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.baseline_docs, json.loads(args.settings or "{}"))
        return 0
    if not DATA.exists():
        print(f"no data at {DATA}", file=sys.stderr)
        return 1
    settings = {k: json.loads(v) for k, v in (item.split("=", 1) for item in args.set)}
    if settings:
        print(f"settings: {settings}")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_dedup_"))
    work.mkdir(parents=True, exist_ok=True)
    corpus, truth_path, out = work / "corpus.jsonl", work / "truth.json", work / "clusters.jsonl"
    t0 = time.perf_counter()
    info = build_corpus(args.docs, args.seed, corpus, truth_path)
    print(f"corpus: {info['docs']} documents, {info['families']} planted families, "
          f"{info['bytes'] / 1e6:.1f} MB UTF-8 (built in {time.perf_counter() - t0:.0f} s)"
          + ("; source text exhausted before --docs" if info["exhausted"] else ""))
    proc = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(out),
                           "--baseline-docs", str(args.baseline_docs), "--settings", json.dumps(settings)],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)
        return proc.returncode
    run = json.loads(proc.stdout.strip().splitlines()[-1])
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    records = [json.loads(line) for line in out.open(encoding="utf-8")]
    sc = score(truth, records)
    mbs = run["bytes"] / 1e6 / run["seconds"]
    cpu_mbs = run["bytes"] / 1e6 / run["cpu_seconds"]
    base_mbs = run["baseline_bytes"] / 1e6 / run["baseline_seconds"]
    base_cpu_mbs = run["baseline_bytes"] / 1e6 / run["baseline_cpu_seconds"]
    print(f"dedup: {run['docs']} docs in {run['seconds']:.1f} s wall ({run['cpu_seconds']:.1f} s CPU) = "
          f"{mbs:.2f} MB/s wall, {cpu_mbs:.2f} MB/s CPU, {run['docs'] / run['seconds']:.0f} docs/s; "
          f"peak RSS {run['peak_rss_mb']:.0f} MB (imports alone ~135 MB); "
          f"{run['pairs_verified']} candidate pairs verified")
    print(f"reference (datasketch MinHashLSH only, SHA-1 5-grams, {run['baseline_docs']} docs): "
          f"{base_mbs:.2f} MB/s wall, {base_cpu_mbs:.2f} MB/s CPU; ratio ours/reference = "
          f"{mbs / base_mbs:.2f} wall, {cpu_mbs / base_cpu_mbs:.2f} CPU")
    for key in ("near_duplicate", "containment"):
        m = sc[key]
        print(f"{key:>15}: precision {m['precision']:.4f} recall {m['recall']:.4f} "
              f"(true {m['true']}, predicted {m['predicted']}, correct {m['tp']})")
    print(f"families gathered in one cluster: {sc['families_in_one_cluster']:.4f}; clusters mixing families: "
          f"{sc['clusters_mixing_families']} of {sc['clusters']}; canonical is the original or a copy: "
          f"{sc['canonical_is_orig_or_copy']:.4f}")
    if not args.keep:
        for p in (corpus, truth_path, out):
            p.unlink(missing_ok=True)
        work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
