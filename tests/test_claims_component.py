"""Claims as a spaCy component, the timeline API, the CLI command and the gold set."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import spacy

from policytext.components.claims import timeline
from policytext.components.claims.timeline import time_key

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"
GOLD = ROOT / "corpora" / "claims" / "gold.jsonl"


@pytest.fixture(scope="module")
def nlp():
    import policytext.components.claims  # noqa: F401  (registers the factory)

    nlp = spacy.blank("xx")
    nlp.add_pipe("policytext_claims")
    return nlp


def test_component_fills_doc_claims(nlp):
    doc = nlp.make_doc("截至6月底，日均Token消耗量已突破30万亿。")
    doc._.doc_date = "2025-08-14"
    doc = nlp(doc)
    (c,) = doc._.claims
    assert set(c) >= {"start", "end", "text", "subject", "value", "unit", "qualifier", "kind", "modality", "time",
                      "reference"}
    assert c["value"] == 3e13 and c["time"] == "2025-06"
    assert doc.text[c["start"]:c["end"]] == c["text"]


def test_component_finds_a_dateline_when_no_date(nlp):
    doc = nlp("2025-08-15 10:30\n截至6月底，日均Token消耗量已突破30万亿。")
    assert doc._.claims[0]["time"] == "2025-06"
    assert doc._.doc_date is None  # the stage reads the date; the pipeline owns it (issue #22)


def test_component_takes_no_date_from_inside_a_sentence(nlp):
    # the claims stage's own rule took the first full date anywhere in the head (2025-06-30 here)
    # and resolved 今年前三季度 against it ("2025-01/2025-09"); without a dateline 今年 has no year
    doc = nlp("截至2025年6月30日，全国公共数据开放数量达到3万个。\n"
              "今年前三季度，我国对“一带一路”沿线国家累计进出口6.75万亿元。")
    assert [c["time"] for c in doc._.claims] == ["2025", None]


def test_component_config_without_ranges():
    import policytext.components.claims  # noqa: F401

    nlp = spacy.blank("xx")
    nlp.add_pipe("policytext_claims", config={"ranges": False, "find_date": False})
    doc = nlp("每组3~5个")
    assert "value_max" not in doc._.claims[0]
    assert doc._.doc_date is None


def test_component_round_trips_to_disk(nlp, tmp_path):
    nlp.to_disk(tmp_path / "p")
    nlp2 = spacy.load(tmp_path / "p")
    assert nlp2("增长5%")._.claims[0]["unit"] == "%"


# ------------------------------------------------------------------ timeline
DOCS = [
    ("2024年初，我国日均Token的消耗量为1千亿。", "2024-03-01"),
    ("截至6月底，日均Token消耗量已突破30万亿，1年半时间增长了300多倍。", "2025-08-14"),
    ("截至6月底，日均Token消耗量已突破30万亿。", "2025-08-15"),  # a republished statement
    ("国内生产总值超过126万亿元。", "2024-03-05"),
]


def test_timeline_orders_by_time_and_folds_repeats():
    rows = timeline(DOCS, "日均Token", as_frame=False)
    assert [(r["when"], r["value"], r["qualifier"]) for r in rows] == [("2024", 1e11, "="), ("2025-06", 3e13, ">")]
    assert rows[1]["n_sources"] == 2


def test_timeline_all_kinds_and_no_dedupe():
    rows = timeline(DOCS, "日均Token", kinds=None, dedupe=False, as_frame=False)
    assert [r["kind"] for r in rows].count("multiple") == 1
    assert len(rows) == 4


def test_timeline_dataframe():
    df = timeline(DOCS, "日均Token")
    assert list(df["value"]) == [1e11, 3e13]
    assert "when" in df.columns and "subject" in df.columns


def test_timeline_accepts_records_docs_and_regex(nlp):
    import re

    record = {"id": "r1", "date": "2025-10-20", "claims": [
        {"subject": "日均Token消耗量", "value": 4e13, "unit": None, "qualifier": ">", "kind": "level",
         "modality": "actual", "time": "2025-09", "reference": None, "text": "…"}]}
    doc = nlp.make_doc("2024年初，我国日均Token的消耗量为1千亿。")
    doc._.doc_date = "2024-03-01"
    doc = nlp(doc)
    rows = timeline([record, doc], re.compile("Token"), as_frame=False)
    assert [r["when"] for r in rows] == ["2024", "2025-09"]


def test_time_key_orders_periods():
    whens = ["2025", "2024-H1", "2024-06", "2024", "2021/2025", "2024-Q3", None]
    assert sorted(whens, key=time_key) == ["2021/2025", "2024", "2024-H1", "2024-06", "2024-Q3", "2025", None]


# ------------------------------------------------------------------ CLI
def _run_cli(argv):
    from policytext.commands import claims as cmd

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    cmd.register(sub)
    args = parser.parse_args(["claims", *argv])
    return args.func(args)


def test_cli_metric_timeline_raw(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("2024年3月1日\n2024年初，我国日均Token的消耗量为1千亿。", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(
        {"id": "b", "date": "2025-08-14", "text": "截至6月底，日均Token消耗量已突破30万亿。"}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    out = tmp_path / "t.csv"
    assert _run_cli(["--raw", str(tmp_path / "a.txt"), str(tmp_path / "b.jsonl"), "--metric", "日均Token",
                     "--format", "csv", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("when,value,unit,qualifier")
    assert lines[1].startswith("2024,100000000000.0") and lines[2].startswith("2025-06,30000000000000.0")


def test_cli_jsonl_per_document_raw(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("国内生产总值超过126万亿元，增长5.2%。", encoding="utf-8")
    assert _run_cli(["--raw", str(tmp_path / "a.txt")]) == 0
    rec = json.loads(capsys.readouterr().out.splitlines()[0])
    assert [c["value"] for c in rec["claims"]] == [1.26e14, 5.2]


def test_cli_through_the_pipeline(tmp_path, capsys):
    pytest.importorskip("policytext.pipeline")
    (tmp_path / "a.txt").write_text("截至6月底,日均Token消耗量已突破30萬億。", encoding="utf-8")
    assert _run_cli([str(tmp_path / "a.txt"), "--date", "2025-08-14", "--metric", "日均Token", "--format", "jsonl"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["value"] == 3e13 and row["when"] == "2025-06"


def test_cli_missing_input_is_a_usage_error(tmp_path):
    assert _run_cli([str(tmp_path / "nope.txt")]) == 2


# ------------------------------------------------------------------ gold set and evaluation
def test_gold_set_is_well_formed():
    if not GOLD.exists():
        pytest.skip("gold set not built")
    rows = [json.loads(line) for line in GOLD.open(encoding="utf-8")]
    claims = [c for r in rows for c in r["claims"]]
    assert len(claims) >= 400
    for r in rows:
        for c in r["claims"]:
            assert r["text"][c["num_start"]:c["num_end"]] == c["num"]
            assert c["qualifier"] in {"=", ">", ">=", "<", "<=", "~"}
            assert c["kind"] in {"level", "change", "multiple", "share", "rank"}
            assert c["modality"] in {"actual", "target", "forecast"}


def test_evaluation_reaches_target_on_gold():
    if not GOLD.exists():
        pytest.skip("gold set not built")
    from policytext.evaluation.claims import load_gold, policytext_predict, score

    r = score(load_gold(GOLD, "all"), policytext_predict)
    assert r["f1"] >= 0.95 and r["acc"]["qualifier"] >= 0.95


def test_samples_token_claims():
    path = SAMPLES / "000_ae6d8b9b05a0dffa.txt"
    if not path.exists():
        pytest.skip("samples not available")
    import opencc

    from policytext.components.claims import extract_claims

    text = opencc.OpenCC("t2s").convert(path.read_text(encoding="utf-8", errors="replace"))
    token = [c for c in extract_claims(text, "2025-08-14") if c["subject"] and "Token" in c["subject"]
             and c["kind"] == "level"]
    assert {(c["value"], c["time"]) for c in token} == {(1e11, "2024"), (3e13, "2025-06")}


def test_timeline_over_pipeline_results():
    policytext = pytest.importorskip("policytext")
    nlp = policytext.load(disable=["entities", "themes"])
    results = [nlp("2024年初，我國日均Token的消耗量為1千億。", date="2024-03-01"),
               nlp("截至6月底,日均Token消耗量已突破30萬億", date="2025-08-14")]
    rows = timeline(results, "日均Token", as_frame=False)
    assert [(r["when"], r["value"]) for r in rows] == [("2024", 1e11), ("2025-06", 3e13)]
