"""Counters on the stream (policytext.stats): ``tag``, ``claims`` and ``dedup`` count each record
once, print one summary to standard error and write ``--stats FILE``, on the shipped samples."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from policytext.cli import main
from policytext.components.claims import extract_claims
from policytext.errors import Warnings, code_of
from policytext.stats import RECORD_STATS_FIELD, Stats

SAMPLES = Path(__file__).resolve().parents[1] / "corpora" / "samples"
FAST = ["--disable", "entities,themes"]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """The shipped samples (HTML page, Big5-era traditional release, GBK transcript, JSON Lines)
    and one file no reader takes."""
    d = tmp_path / "in"
    shutil.copytree(SAMPLES, d)
    (d / "scan.pdf").write_bytes(b"%PDF-1.4 ...")
    return d


def _run(args, capsys):
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_tag_counts_every_record_once_and_writes_stats(corpus, tmp_path, capsys):
    out, stats_file = tmp_path / "out.jsonl", tmp_path / "stats.json"
    code, _, err = _run(["tag", str(corpus), "-o", str(out), "--stats", str(stats_file), "--workers", "2", *FAST],
                        capsys)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    assert code == 1 and not any(RECORD_STATS_FIELD in r for r in records)  # the private field never leaks
    assert stats["documents"] == {"total": len(records), "failed": 1}
    assert stats["failures"] == {"E010": 1}  # the .pdf: unknown file type
    assert stats["warnings"] == dict(Counter(code_of(w) for r in records for w in r["warnings"]))
    assert "W010" in stats["warnings"]  # the GBK transcript's encoding was detected
    assert stats["edits"] == dict(Counter(e["kind"] for r in records for e in r["edits"]))
    assert stats["removed"] == dict(Counter(e["kind"] for r in records for e in r["removed"]))
    assert stats["edits"]["t2s"] > 0 and stats["removed"]["duplicate_section"] >= 1
    assert stats["claims"] == dict(Counter(c["kind"] for r in records for c in r["claims"]))
    # rejections counted in the worker processes equal a count made here on the same clean texts
    rejected: dict[str, int] = {}
    for r in records:
        extract_claims(r["text"], r["date"], rejected=rejected)
    assert stats["claims_rejected"] == rejected and sum(rejected.values()) > 10
    assert "time of day" in rejected  # 10:00 in the transcript is no claim
    assert f"policytext tag: {len(records)} document(s), 1 failed -> {out}" in err
    assert any(line.startswith("  warnings: ") and "W010 " in line for line in err.splitlines())
    assert "  claims_rejected: " in err and "  failures: E010 1" in err


def test_claims_and_dedup_print_the_same_summary(corpus, tmp_path, capsys):
    stats_file = tmp_path / "claims.json"
    code, out, err = _run(["claims", str(corpus), "--stats", str(stats_file), *FAST], capsys)
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    per_doc = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and stats["documents"]["total"] == len(per_doc) and stats["failures"] == {"E010": 1}
    assert sum(stats["claims"].values()) == sum(len(d["claims"]) for d in per_doc) > 0
    assert stats["claims_rejected"] and "policytext claims: " in err and "  claims_rejected: " in err
    assert out.count("\n") == len(per_doc)  # the summary stays off standard output

    stats_file = tmp_path / "dedup.json"
    code, out, err = _run(["dedup", str(corpus), "--light", "--stats", str(stats_file)], capsys)
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    clusters = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and stats["documents"] == {"total": len(clusters), "failed": 1}
    assert stats["failures"] == {"E010": 1} and stats["clusters"]["documents"] == len(clusters)
    assert "policytext dedup: " in err and "1 failed" in err


def test_stages_skipped_and_uncoded_warnings_are_counted():
    stats = Stats()
    failed = Warnings.W020.format(name="entities", exc_type="RuntimeError", exc="boom")
    stats.add_record({"warnings": [failed, "han=12", Warnings.W001], "edits": [], "error": None})
    stats.add_record({"warnings": [], "error": "RuntimeError: not coded"})
    assert stats.to_dict()["stages_skipped"] == {"entities": 1}
    assert stats["warnings"] == Counter({"W020": 1, "uncoded": 1, "W001": 1})
    assert stats["failures"] == Counter({"uncoded": 1}) and stats["documents"]["failed"] == 1
    merged = Stats().merge(stats).merge(stats)
    assert merged["documents"]["total"] == 4


def test_the_report_counts_documents_failures_warnings_and_claims_with_stats():
    """``policytext show``'s counters reuse :class:`Stats` for what the stream counts too: the batch
    figures agree with ``tag --stats`` on the same records, and the records stay untouched."""
    import io

    import policytext
    from policytext.report import write_report

    nlp = policytext.load(disable=["entities", "themes"])
    docs = ["2025年上半年，全国数据产量同比增长25%，占全球的比重为27%。", "", b"\x00\x01\x02\x03" * 100,
            "國家數據局發布《數據要素×三年行動計劃》，到2026年底數據產業規模年均增速超過20%。"]
    records = [dict(rec, _stats={"claims_rejected": {"year": 1}}) for rec in nlp.pipe_records(docs)]
    stats = Stats()
    for rec in records:
        stats.add_record(dict(rec))
    shown = [dict(rec) for rec in records]
    counts = write_report(shown, io.StringIO(), view="text")
    assert counts.stats.to_dict() == stats.to_dict()
    assert (counts.documents, counts.failed) == (4, 1)
    assert counts.warnings == sum(len(r["warnings"]) for r in records) >= 1
    assert counts.claims == sum(len(r["claims"]) for r in records) >= 2
    assert all(RECORD_STATS_FIELD in r for r in shown)  # the report counts from a copy
