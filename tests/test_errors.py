"""The catalogue of coded warnings and errors (policytext.errors): codes, templates, docs, no prose matching."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import policytext
from policytext.components.entities.backends import UnknownBackend, make_backend
from policytext.errors import Errors, Warnings, catalogue, code_of, fields_of, markdown

ROOT = Path(__file__).resolve().parents[1]


def test_every_message_starts_with_its_code():
    codes = [code for code, _, _ in catalogue()]
    assert len(codes) == len(set(codes)) > 30
    for code, kind, template in catalogue():
        cls = Warnings if kind == "warning" else Errors
        assert getattr(cls, code) == f"[{code}] {template}"
        assert code_of(getattr(cls, code)) == code
        assert code[0] == ("W" if kind == "warning" else "E")


def test_the_issue_example_formats_and_reads_back():
    message = Warnings.W104.format(spans=3, holes="")
    assert message == "[W104] repair: 3 misaligned GBK span(s) realigned"
    failed = Warnings.W020.format(name="entities", exc_type="ValueError", exc="bad (doc)")
    assert fields_of(failed) == {"name": "'entities'", "exc_type": "ValueError", "exc": "bad (doc)"}
    assert code_of("han=12") is None and fields_of("han=12") == {}  # a user's own plain warning


def test_docs_list_every_code_and_are_up_to_date():
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    assert doc == markdown(), "regenerate: python -m policytext.errors > docs/errors.md"
    for code, _, _ in catalogue():
        assert f"| {code} |" in doc


def test_no_code_branches_on_message_text():
    """Programs tell messages apart by code or exception class: ``"..." in str(exc)`` is gone."""
    offenders = []
    for path in (ROOT / "policytext").rglob("*.py"):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\"[^\"]+\" in str\((exc|e|err)\)", line):
                offenders.append(f"{path.relative_to(ROOT)}:{no}: {line.strip()}")
    assert not offenders, offenders


def test_unknown_entity_backend_is_a_coded_configuration_error():
    with pytest.raises(UnknownBackend) as info:
        make_backend("no-such-backend")
    assert code_of(str(info.value)) == "E102"
    with pytest.raises(ValueError, match=r"^\[E102\] "):  # not taken for a missing model (W501)
        policytext.load(stages=["entities"], config={"entities": {"backend": "no-such-backend"}})


def test_record_warnings_and_errors_carry_codes_through_the_pipeline():
    nlp = policytext.load(stages=["html", "repair", "normalize"])
    gbk_misread = "国家数据局发布数据要素统计报告。".encode("gbk").decode("big5", errors="replace")
    records = list(nlp.pipe_records([gbk_misread, "", b"\x00\x01\x02\x03" * 100]))
    assert all(code_of(w) for r in records for w in r["warnings"])
    assert [code_of(w) for w in records[1]["warnings"]] == ["W001"]
    assert code_of(records[2]["error"]) in {"E011", "E012"}
