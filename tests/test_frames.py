"""policytext.to_frames: tidy DataFrames of result records, keyed by document id."""

from __future__ import annotations

import json

import pytest

import policytext
from policytext.frames import FRAME_COLUMNS, to_frames

TEXT = ("国家数据局局长刘烈宏表示，截至2025年6月底，我国日均Token消耗量已突破30万亿，"
        "比2024年初增长了300多倍。\n\n要加快推进公共数据资源开发利用，推动数据要素市场化配置改革。")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    nlp = policytext.load()
    good = nlp(TEXT, id="d1", date="2025-08-14").to_dict()
    failed = next(iter(nlp.pipe([b"\x00\x01\x02\x03" * 64]))).to_dict()
    return [good, failed]


def test_frames_have_contract_columns_and_one_document_row_each(records):
    frames = to_frames(records)
    assert set(frames) == set(FRAME_COLUMNS)
    for name, frame in frames.items():
        assert tuple(frame.columns) == FRAME_COLUMNS[name]
    docs = frames["documents"]
    assert list(docs["id"])[0] == "d1" and len(docs) == 2
    assert docs.loc[0, "entities"] == len(records[0]["entities"]) > 0
    assert docs.loc[1, "error"]  # the failed document keeps its reason


def test_entity_claim_and_paragraph_rows_are_keyed_by_document(records):
    frames = to_frames(records)
    ents = frames["entities"]
    assert set(ents["id"]) == {"d1"}
    assert "国家数据局" in set(ents["text"])
    claims = frames["claims"]
    assert (claims["value"] == 3e13).any()
    paras = frames["paragraphs"]
    assert set(paras["paragraph"]) == {0, 1}
    first = paras[paras["paragraph"] == 1].iloc[0]
    assert first["text"] == records[0]["text"][first["start"]:first["end"]]
    assert first["text"].startswith("要加快推进")


def test_results_and_json_lines_give_the_same_frames(records):
    from_json = to_frames(json.loads(json.dumps(r, ensure_ascii=False)) for r in records)
    direct = to_frames(records)
    for name in FRAME_COLUMNS:
        assert from_json[name].equals(direct[name])


def test_empty_input_gives_empty_frames_with_columns():
    frames = to_frames([])
    assert all(f.empty and tuple(f.columns) == FRAME_COLUMNS[n] for n, f in frames.items())


def test_other_objects_are_refused_clearly():
    with pytest.raises(TypeError, match=r"^\[E606\] "):
        to_frames(["plain text"])
