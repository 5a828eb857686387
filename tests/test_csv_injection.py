"""CSV output never hands a spreadsheet a formula (OWASP CSV injection): cells that start with
= + - @ (or tab/CR/LF, or the full-width forms) are written with a leading apostrophe."""

from __future__ import annotations

import csv
import io
import json

import pytest

from policytext.cli import main
from policytext.output import csv_safe_cell


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"点击\")", "+1+cmd|' /C calc'!A0", "-2+3",
                                  "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "＝1+1"])
def test_formula_cells_are_neutralised(cell):
    assert csv_safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["国家数据局", "12.5%", "", "a=b", 3, -2.5, None])
def test_other_cells_are_unchanged(cell):
    assert csv_safe_cell(cell) == cell


def test_tag_csv_output_has_no_formula_cells(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    rows = [{"id": "=cmd|' /C calc'!A0", "source": "@evil", "text": "=1+2 国家数据局发布通知。"},
            {"id": "ok", "text": "-增长12.5%。"}]
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["tag", str(src), "-o", str(out), "--disable", "entities,themes"]) == 0
    capsys.readouterr()
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["id"] for r in table] == ["'=cmd|' /C calc'!A0", "ok"]
    assert table[0]["source"] == "'@evil"
    assert table[0]["text"].startswith("'=1+2") and table[1]["text"].startswith("'-增长")
    for row in table:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values())


def test_claims_csv_output_has_no_formula_cells(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "=1+1", "text": "今年全国日均Token消耗量已突破30万亿。"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    out = tmp_path / "claims.csv"
    main(["claims", "--raw", str(src), "--format", "csv", "-o", str(out)])
    capsys.readouterr()
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert table and all(r["doc_id"] == "'=1+1" for r in table)
