"""Tests of corpus deduplication (``policytext.corpus_dedup`` and ``policytext dedup``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from policytext.corpus_dedup import (
    CorpusDeduper,
    assign_clusters,
    cluster_documents,
    sentence_share,
    split_sentences,
)

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"

RELEASE = (
    "国务院新闻办公室8月14日举行新闻发布会，介绍“十四五”时期数字中国建设发展成就。"
    "国家数据局局长刘烈宏表示，截至今年6月底，日均Token消耗量已突破30万亿，1年半时间增长了300多倍。"
    "我国已经建设高质量数据集超过3.5万个，总体量超过了400PB。"
    "已布局了成都、沈阳、合肥等7个数据标注基地，助力高质量数据集的建设。"
    "截至2025年6月底，5G基站总数与2020年相比增长了5倍达到455万个。"
    "千兆宽带用户增长了34倍达2.26亿户，算力总规模位于全球第二。"
    "数据产业规模快速增长，数据企业数量超过40万家。"
    "下一步，国家数据局将加快推进数据基础设施建设，繁荣产业生态。"
)
OTHER = (
    "今年以来，各地认真贯彻落实党中央决策部署，扎实推进乡村全面振兴。"
    "春耕生产有序推进，农业机械化水平持续提高，粮食播种面积保持稳定。"
    "农村人居环境整治提升五年行动深入实施，农村卫生厕所普及率稳步提高。"
    "各地因地制宜发展特色产业，带动农民增收致富，脱贫攻坚成果持续巩固拓展。"
    "农村基础设施建设加快推进，农村公路、供水、电网等条件明显改善。"
)
FILLER = (
    "本市今年将新建改建城市公园二十座，新增绿道一百公里，打造城市绿色休闲空间。"
    "市交通部门表示，地铁新线将于年底开通试运营，沿线居民出行将更加便捷。"
    "气象部门预计，本周后期我市将迎来一次明显降温过程，请市民注意添衣保暖。"
    "全市中小学今年秋季学期新增学位两万个，进一步缓解入学压力。"
    "市场监管部门开展食品安全专项检查，共检查经营主体三千余家，责令整改一百余家。"
    "文化部门推出系列惠民演出活动，丰富群众精神文化生活。"
)


def _noisy(text: str) -> str:
    return text.replace("，", ",,").replace("。", "。。 ").replace("、", "、、")


def _by_id(records):
    return {r["id"]: r for r in records}


def test_split_sentences():
    assert split_sentences("第一句。第二句！第三句?第四\n第五；") == ["第一句", "第二句", "第三句", "第四", "第五"]
    assert split_sentences("") == []


def test_copy_with_punctuation_noise_and_traditional_script_is_a_near_duplicate():
    import opencc

    trad = "來源：新華網\n" + opencc.OpenCC("s2t").convert(_noisy(RELEASE)) + "\n责任编辑：张某"
    recs = _by_id(cluster_documents([("a", RELEASE), ("b", OTHER), ("c", trad)]))
    assert recs["a"]["cluster"] == recs["c"]["cluster"] != recs["b"]["cluster"]
    assert recs["a"]["reuse"] == [{"other": "c", "share": 1.0, "relation": "near_duplicate"}]
    # source and editor lines are not content: the copy's share is complete too
    assert recs["c"]["reuse"] == [{"other": "a", "share": 1.0, "relation": "near_duplicate"}]
    assert recs["b"]["reuse"] == [] and recs["b"]["canonical"] == "b"
    assert recs["c"]["canonical"] == "a"


def test_rewrite_is_a_near_duplicate_with_partial_share():
    rewrite = (RELEASE.replace("已布局了成都、沈阳、合肥等7个数据标注基地，助力高质量数据集的建设。",
                               "成都、沈阳、合肥等地已建成数据标注基地共7个。")
               .replace("数据产业规模快速增长，数据企业数量超过40万家。", "全国数据企业已超40万家，产业规模增长迅速。")
               + "专家认为，这为数字经济发展打下了坚实基础。")
    recs = _by_id(cluster_documents([("a", RELEASE), ("r", rewrite)]))
    (u,) = recs["r"]["reuse"]
    assert u["relation"] == "near_duplicate"
    assert 0.6 < u["share"] < 1.0
    assert recs["a"]["reuse"][0]["relation"] == "near_duplicate"


def test_embedded_release_and_summary_are_containment():
    page = FILLER + "\n" + _noisy(RELEASE) + "\n" + OTHER
    summary = "".join(s + "。" for s in RELEASE.split("。")[:4])
    recs = _by_id(cluster_documents([
        {"id": "page", "text": page, "source": "p.html"},
        {"id": "release", "text": RELEASE},
        {"id": "summary", "text": summary},
        {"id": "other", "text": FILLER.replace("本市", "该市").replace("两万", "三万")[:40]},
    ]))
    rel = {u["other"]: u for u in recs["release"]["reuse"]}
    assert rel["page"]["relation"] == "contained_in" and rel["page"]["share"] == 1.0
    assert rel["summary"]["relation"] == "contains"
    page_rel = {u["other"]: u for u in recs["page"]["reuse"]}
    assert page_rel["release"]["relation"] == "contains"
    assert 0.3 < page_rel["release"]["share"] < 0.5
    summ = {u["other"]: u for u in recs["summary"]["reuse"]}
    assert summ["release"] == {"other": "release", "share": 1.0, "relation": "contained_in"}
    # one cluster; the canonical is the pure release, not the page embedding it
    assert recs["page"]["cluster"] == recs["release"]["cluster"] == recs["summary"]["cluster"]
    assert {recs[k]["canonical"] for k in ("page", "release", "summary")} == {"release"}
    assert recs["page"]["source"] == "p.html"


def test_unrelated_documents_stay_apart():
    recs = cluster_documents([RELEASE, OTHER, FILLER, ""])
    assert len({r["cluster"] for r in recs}) == 4
    assert all(r["reuse"] == [] and r["canonical"] == r["id"] for r in recs)
    assert [r["id"] for r in recs] == ["0", "1", "2", "3"]


def test_streaming_api_and_settings():
    dd = CorpusDeduper(containment_share=0.9)
    dd.add("x", RELEASE)
    dd.add("y", RELEASE + OTHER + FILLER)
    assert [p.relation for p in dd.pairs] == ["contained_in"]
    with pytest.raises(ValueError):
        CorpusDeduper(threshold=0.3)
    with pytest.raises(TypeError):
        cluster_documents([42])


def test_assign_clusters_for_tag_records():
    records = [
        {"id": "r1", "text": RELEASE, "source": "a.txt", "error": None},
        {"id": "r2", "text": _noisy(RELEASE), "source": "b.txt", "error": None},
        {"id": "r3", "text": OTHER, "source": "c.txt", "error": None},
        {"id": "r4", "text": None, "source": "d.txt", "error": "input error"},
    ]
    out = assign_clusters(records)
    assert out["r1"] == out["r2"] == (out["r1"][0], "r1")
    assert out["r3"][1] == "r3" and out["r3"][0] != out["r1"][0]
    assert out["r4"] == (out["r4"][0], "r4")


@pytest.fixture(scope="module")
def samples_000_002():
    a = sorted(SAMPLES.glob("000_*.txt"))
    b = sorted(SAMPLES.glob("002_*.txt"))
    if not a or not b:
        pytest.skip("../shared/samples not available")
    return a[0].read_text(encoding="utf-8"), b[0].read_text(encoding="utf-8")


def test_samples_000_and_002_are_one_conference(samples_000_002):
    """000 (traditional press release) is contained in 002 (traditional transcript, mojibake)."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    a, b = (t2s.convert(x) for x in samples_000_002)
    share = sentence_share(a, b)
    assert share >= 0.8  # sentence-level containment (paragraph level finds 3 of 18)
    assert sentence_share(b, a) < 0.35
    recs = _by_id(cluster_documents([("000", a), ("002", b)]))
    assert recs["000"]["cluster"] == recs["002"]["cluster"]
    assert recs["000"]["reuse"][0]["relation"] == "contained_in"
    assert recs["002"]["reuse"][0]["relation"] == "contains"
    assert recs["000"]["canonical"] == "000"
    # the matcher folds the script itself: the raw traditional texts give the same result
    raw = _by_id(cluster_documents([("000", samples_000_002[0]), ("002", samples_000_002[1])]))
    assert raw["000"]["reuse"][0]["share"] == recs["000"]["reuse"][0]["share"]


def test_cli_writes_contract_records(tmp_path, samples_000_002):
    from policytext.commands import dedup as cmd

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text(_noisy(RELEASE), encoding="gb18030")
    (tmp_path / "in" / "c.jsonl").write_text(
        json.dumps({"id": "t000", "text": samples_000_002[0]}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "t002", "text": samples_000_002[1]}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    parser = argparse.ArgumentParser()
    cmd.register(parser.add_subparsers())
    out = tmp_path / "clusters.jsonl"
    args = parser.parse_args(["dedup", str(tmp_path / "in"), "-o", str(out), "--light", "--progress", "never"])
    assert args.func(args) == 0
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(recs) == 4
    for r in recs:
        assert set(r) == {"id", "source", "cluster", "canonical", "reuse"}
    by_src = {Path(r["source"].split(":")[0]).name + (r["source"][-2:] if ":" in r["source"] else ""): r for r in recs}
    a, b = by_src["a.txt"], by_src["b.txt"]
    assert a["cluster"] == b["cluster"] and a["reuse"][0]["relation"] == "near_duplicate"
    ids = {r["id"]: r for r in recs}
    assert ids["t000"]["cluster"] == ids["t002"]["cluster"] != a["cluster"]
    assert ids["t000"]["reuse"][0]["relation"] == "contained_in"
    # a bad threshold is a usage error
    bad = parser.parse_args(["dedup", str(tmp_path / "in"), "--containment-share", "2"])
    assert bad.func(bad) == 2


def test_anchor_index_flushes_to_sorted_arrays():
    page = FILLER + "\n" + RELEASE + "\n" + OTHER
    dd = CorpusDeduper()
    dd._anchor_index.flush_at = 10  # merge the buffer into the sorted arrays after every document
    for k in range(5):
        dd.add(f"f{k}", FILLER.replace("本市", f"第{k}市") * (k + 1))
    dd.add("page", page)
    dd.add("release", RELEASE)
    assert len(dd._anchor_index.keys) > 0
    rel = {(dd.docs[p.a].id, dd.docs[p.b].id): p.relation for p in dd.pairs}
    assert rel[("page", "release")] == "contains"


def test_boilerplate_buckets_are_skipped():
    from policytext.corpus_dedup import _AnchorIndex
    import numpy as np

    idx = _AnchorIndex(max_bucket=3, flush=4)
    for i in range(5):
        idx.add(np.array([7, 100 + i], dtype=np.uint64), i)
    assert idx.query(np.array([7], dtype=np.uint64)) == set()  # 5 documents > max_bucket
    assert idx.query(np.array([102, 104], dtype=np.uint64)) == {2, 4}


def test_dedup_command_names_failed_documents_on_stderr(tmp_path, capsys):
    from policytext.commands import dedup as cmd

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "in" / "b.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    parser = argparse.ArgumentParser()
    cmd.register(parser.add_subparsers())
    args = parser.parse_args(["dedup", str(tmp_path / "in"), "--light", "--progress", "never"])
    assert args.func(args) == 1
    out, err = capsys.readouterr()
    recs = [json.loads(line) for line in out.splitlines()]
    assert [bool(r.get("error")) for r in recs] == [False, True]
    assert "policytext dedup: 2 document(s), 1 failed, 1 cluster(s)" in err


# ----- where the corpus state lives: memory, SQLite, or memory then SQLite -----------------------
def _store_corpus():
    """Families sharing text (copies, a rewrite, a page embedding a release, a summary) among
    unrelated documents, plus one boilerplate sentence shared by many (a full anchor bucket)."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    summary = "".join(s + "。" for s in RELEASE.split("。")[:4])
    docs = [("release", RELEASE), ("other", OTHER), ("copy", s2t.convert(_noisy(RELEASE))),
            ("page", FILLER + "\n" + RELEASE + "\n" + OTHER), ("summary", summary), ("filler", FILLER)]
    sents = [s for t in (RELEASE, OTHER, FILLER) for s in t.split("。") if s]
    for k in range(14):  # one shared footer sentence and a mix of others
        body = "".join(sents[(k * 3 + j) % len(sents)] + "。" for j in range(3))
        docs.append((f"n{k}", f"第{k}号通知。{body}本网站所有内容未经授权不得转载，违者必究。"))
    return docs


@pytest.mark.parametrize("settings", [{"store": "disk"}, {"store": "auto", "spill_documents": 5}])
def test_disk_store_gives_the_same_records_as_memory(settings):
    docs = _store_corpus()
    common = {"max_bucket": 3}  # small: the shared footer's anchors overflow their buckets
    with CorpusDeduper(store="memory", **common) as mem, CorpusDeduper(**settings, **common) as disk:
        for k, (doc_id, text) in enumerate(docs):
            meta = {"n": k} if k % 2 else None
            mem.add(doc_id, text, meta=meta)
            disk.add(doc_id, text, meta=meta)
        assert disk.store.kind == "disk" and mem.store.kind == "memory"
        assert disk.store.anchors.full  # overflowing buckets were met (and skipped) on disk too
        expected = list(mem.records())
        assert list(disk.records(chunk=4)) == expected
        assert any(r["reuse"] for r in expected) and expected[1]["meta"] == {"n": 1} and "meta" not in expected[0]
        assert disk.pairs == mem.pairs and disk.pairs_verified == mem.pairs_verified
        path = disk.store.path
        assert Path(path).exists()
    assert not Path(path).exists()  # the temporary file goes with the deduper


@pytest.mark.parametrize("store,batch", [("disk", 1), ("disk", 5), ("disk", 64), ("auto", 4), ("memory", 8)])
def test_batched_adding_gives_the_same_records_as_one_by_one(store, batch, monkeypatch):
    """``add_fingerprints`` (what ``policytext dedup`` calls, BATCH documents at a time; the disk
    store reads the batch's index entries and MinHash rows ahead) finds the same candidates, pairs
    and clusters as ``add`` one by one, also when index buffers flush and buckets overflow inside
    a batch and when the read-ahead is off."""
    import policytext.corpus_store as cs

    docs = _store_corpus() + [(f"r{k}", RELEASE[: 80 + 11 * k] + OTHER[: 30 + 5 * k]) for k in range(20)]
    common = {"max_bucket": 3, "spill_documents": 9}
    for read_ahead in (cs.READ_AHEAD, 0):
        monkeypatch.setattr(cs, "READ_AHEAD", read_ahead)
        with CorpusDeduper(store="memory", **common) as ref, CorpusDeduper(store=store, **common) as dd:
            for k, (doc_id, text) in enumerate(docs):
                ref.add(doc_id, text, meta={"n": k})
            fps = [(dd.fingerprint(doc_id, text), {"n": k}) for k, (doc_id, text) in enumerate(docs)]
            if dd.store.kind == "disk":  # tiny buffers: flushes fall inside batches
                for index in (dd.store.anchors, dd.store.bands):
                    index.flush_at = 7
            for lo in range(0, len(fps), batch):
                assert dd.add_fingerprints(fps[lo:lo + batch]) == list(range(lo, min(lo + batch, len(fps))))
            assert dd.store.kind == ("memory" if store == "memory" else "disk")
            assert list(dd.records(chunk=7)) == list(ref.records())
            assert dd.pairs == ref.pairs and dd.pairs_verified == ref.pairs_verified > 20


def test_disk_store_queries_use_few_in_list_lengths():
    """sqlite3 caches a prepared statement per SQL text (128 per connection): IN lists of a new
    length per query kept up to 128 statements of thousands of parameters (RSS +130 MB in a
    48 MB run). Every IN list has one of a few lengths, whatever the batch and candidate counts."""
    import re

    lengths: set[int] = set()

    def trace(sql: str) -> None:
        for m in re.finditer(r" IN \(([^)]*)\)", sql):
            lengths.add(m.group(1).count(",") + 1)

    docs = _store_corpus() + [(f"r{k}", RELEASE[: 80 + 11 * k] + OTHER[: 30 + 5 * k]) for k in range(30)]
    with CorpusDeduper(store="disk") as dd:
        dd.store.db.set_trace_callback(trace)
        fps = [(dd.fingerprint(doc_id, text), None) for doc_id, text in docs]
        lo = 0
        for size in (1, 2, 3, 5, 7, 11, 13):  # batches of many sizes: key and candidate counts vary
            dd.add_fingerprints(fps[lo:lo + size])
            lo += size
        for fp in fps[lo:]:
            dd.add_fingerprint(*fp)
        list(dd.records(chunk=3))
    assert lengths and lengths <= {32, 256, 2048}


def test_minhash_values_are_datasketchs():
    from datasketch import MinHash

    from policytext.stages.dedup import minhash_values, window_hashes

    for text in ("", "数据", RELEASE, OTHER * 3):
        h = np.unique(window_hashes(text, 5))
        ref = MinHash(num_perm=64, scheme="affine32", hashfunc=lambda x: x)
        ref.update_batch(h.tolist())
        assert (minhash_values(h, 64) == ref.hashvalues).all()


def test_band_index_finds_what_datasketch_minhashlsh_finds():
    from datasketch import MinHashLSH

    from policytext.stages.dedup import lsh_params

    dd = CorpusDeduper(store="memory")
    lsh = MinHashLSH(num_perm=64, params=lsh_params(0.7, 64))
    docs = _store_corpus()
    docs += [(f"v{k}", RELEASE[: 60 + 9 * k] + OTHER[: 40 + 7 * k]) for k in range(12)]
    from policytext.stages.dedup import minhash_of

    for k, (doc_id, text) in enumerate(docs):
        (fp, hv, nsh), _ = dd.fingerprint(doc_id, text)
        m = minhash_of(np.zeros(0, dtype=np.uint32), 64)
        m.hashvalues = hv  # the fingerprint keeps only the MinHash values
        bands = dd._band_keys(hv)
        assert dd.store.bands.query(bands) == set(lsh.query(m))
        dd.store.bands.add(bands, k)
        lsh.insert(k, m)


def test_datelines_and_bylines_are_not_dedup_keys():
    from policytext.corpus_dedup import sentence_hashes

    # one rule with the dedup stage: is_dateline_or_byline (datelines, reporter and author lines too)
    body = "国务院新闻办公室8月14日举行新闻发布会，介绍数字中国建设发展成就。"
    for line in ("新华社北京8月14日电", "（记者 张三 李四）", "文：王五", "来源：新华网", "责任编辑：张某"):
        assert len(sentence_hashes(line + "\n" + body)) == 1, line


def test_cli_store_options_give_the_same_output(tmp_path):
    from policytext.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t, "title": i.upper()}, ensure_ascii=False) + "\n"
                           for i, t in _store_corpus()), encoding="utf-8")
    outs = []
    for extra in ([], ["--store", "disk", "--store-dir", str(tmp_path)], ["--spill-documents", "3"]):
        out = tmp_path / f"out{len(outs)}.jsonl"
        assert main(["dedup", str(src), "--light", "--keep", "title", "--progress", "never", "-o", str(out), *extra]) == 0
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1] == outs[2]
    assert json.loads(outs[0].splitlines()[3])["meta"] == {"title": "PAGE"}
    assert not list(tmp_path.glob("*.sqlite"))
    assert main(["dedup", str(src), "--spill-documents", "-1"]) == 2


def test_union_find_roots_in_place_a_chunk_at_a_time():
    """``roots()`` compresses the parent array in place, chunk by chunk, and hands back int32
    roots (the records' cluster arrays held ~93 bytes a document before, ~34 now); the answers
    are those of a plain union-find, and the array still grows afterwards."""
    import random

    from policytext.corpus_dedup import _UnionFind

    rng = random.Random(3)
    n = 5000
    uf, ref = _UnionFind(), list(range(n))

    def find(x: int) -> int:
        while ref[x] != x:
            x = ref[x]
        return x

    for _ in range(n):
        uf.add()
    for _ in range(3500):
        a, b = rng.randrange(n), rng.randrange(n)
        uf.union(a, b)
        ra, rb = find(a), find(b)
        ref[max(ra, rb)] = min(ra, rb)
    roots = uf.roots(chunk=97)
    assert roots.dtype == np.int32 and roots.tolist() == [find(i) for i in range(n)]
    assert uf.roots().tolist() == roots.tolist()
    uf.add()  # no buffer export left behind
    assert uf.roots()[-1] == n
