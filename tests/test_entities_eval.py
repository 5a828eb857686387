"""Evaluation helpers for the entity stage and the shipped gold set."""

from __future__ import annotations

from pathlib import Path

import pytest

from policytext.components.entities.labels import LABELS
from policytext.evaluation.entities import (
    DEV,
    GOLD,
    error_lines,
    main,
    parse_inline,
    read_bio,
    read_policy_dev,
    read_policy_gold,
    score,
)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def test_parse_inline():
    text, spans = parse_inline("[[国家数据局|ORG]][[局长|TITLE]][[刘烈宏|PERSON]]介绍，[[2025年6月底|DATE]]")
    assert text == "国家数据局局长刘烈宏介绍，2025年6月底"
    assert [(text[s:e], lab) for s, e, lab in spans] == [
        ("国家数据局", "ORG"), ("局长", "TITLE"), ("刘烈宏", "PERSON"), ("2025年6月底", "DATE")]


def test_policy_gold_is_well_formed():
    docs = read_policy_gold(GOLD)
    spans = [(t, s, e, lab) for t, sp in docs for s, e, lab in sp]
    assert len(spans) >= 800
    assert {lab for *_, lab in spans} == set(LABELS)
    for t, s, e, lab in spans:
        assert 0 <= s < e <= len(t) and t[s:e].strip() == t[s:e]
    assert "[[" not in "".join(t for t, _ in docs)


def test_score_counts_exact_matches():
    rows = score([[(0, 2, "ORG"), (3, 5, "GPE")]], [[(0, 2, "ORG"), (3, 4, "GPE")]])
    assert rows["ORG"]["f1"] == 1.0 and rows["GPE"]["tp"] == 0 and rows["ALL"]["tp"] == 1


def test_read_msra_test_nfkc(tmp_path):
    p = tmp_path / "bio.txt"
    p.write_text("李\tB-PER\n鹏\tI-PER\n在\tO\n１\tO\n北\tB-LOC\n京\tI-LOC\n\n", encoding="utf-8")
    (text, spans), = read_bio(p)
    assert text == "李鹏在1北京" and spans == [(0, 2, "PER"), (4, 6, "LOC")]


def test_msra_test_file_if_present():
    path = DATA / "msra_ner" / "msra_test_bio.txt"
    if not path.exists():
        pytest.skip("shared data not available")
    docs = read_bio(path)
    assert len(docs) == 3442
    assert sum(len(s) for _, s in docs) == 6190


def test_policy_dev_is_well_formed_and_disjoint_from_gold():
    docs = read_policy_dev()
    spans = [(t, s, e, lab) for t, sp in docs for s, e, lab in sp]
    assert len(spans) >= 400
    assert {lab for *_, lab in spans} == set(LABELS)
    for t, s, e, lab in spans:
        assert 0 <= s < e <= len(t) and t[s:e].strip() == t[s:e]
    gold = [t for t, _ in read_policy_gold(GOLD)]
    for t, _ in docs:
        assert not any(t in g or g in t for g in gold), t
    assert len({t for t, _ in docs}) == len(docs)  # no repeated paragraph
    assert "BosonNLP" not in DEV.read_text(encoding="utf-8")


def test_error_lines_name_both_sides():
    docs = [("国务院公安部门负责", [(0, 7, "ORG")])]
    preds = [[(0, 3, "ORG"), (3, 6, "ORG")]]
    lines = error_lines(docs, preds)
    assert "FN 国务院公安部门|ORG  pred: 国务院|ORG, 公安部|ORG" in lines[-1]
    assert lines[0].startswith("FP 国务院|ORG  gold: 国务院公安部门|ORG")


def test_dev_option_scores_the_dev_set_with_rules(capsys):
    assert main(["--dev", "--mode", "rules"]) == 0
    out = capsys.readouterr().out
    assert "== dev [rules]" in out and "ALL" in out
