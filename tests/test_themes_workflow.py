"""Theme training workflow as a new user meets it: Label Studio exports, skipped-task counts,
charts with Chinese label ids and a taxonomy without ``other``, web-page references, text
normalisation, evaluation sources."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from policytext.components import themes
from policytext.components.themes import report as report_mod
from policytext.components.themes.corpus import (default_data_dir, iter_web_paragraphs, rebuild_text, text_sha1,
                                                 web_corpus_path)
from policytext.components.themes.data import LabelledDataError, describe_skipped
from policytext.components.themes.model import ModelFormatError, text_normalizer

ROOT = Path(__file__).resolve().parents[1]

# Label Studio JSON-MIN rows as the export writes them (single choice: a plain string).
JSON_MIN = [
    {"text": "财政部下达2026年中央对地方转移支付预算。", "id": 11, "theme": "finance", "annotator": 1,
     "annotation_id": 21, "created_at": "2026-12-01T08:00:00Z", "updated_at": "2026-12-01T08:00:00Z", "lead_time": 4.1},
    {"text": "加快建设全国一体化算力网，深入实施“东数西算”工程。", "id": 12,
     "theme": {"choices": ["computing", "ai"]}, "annotator": 1, "annotation_id": 22, "lead_time": 3.0},
    {"text": "各位代表！", "id": 13},  # exported without an annotation
]


def _write(path: Path, obj) -> Path:
    path.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_min_single_choice_is_read(tmp_path):
    skipped = Counter()
    rows = themes.read_labelled(_write(tmp_path / "export.json", JSON_MIN), skipped=skipped)
    assert [r["labels"] for r in rows] == [["finance"], ["computing", "ai"]]
    assert skipped == {"unannotated": 1}


def test_json_min_single_choice_only_file_is_not_empty(tmp_path):
    rows = themes.read_labelled(_write(tmp_path / "export.json", JSON_MIN[:1]))
    assert rows[0]["labels"] == ["finance"]


def test_json_min_with_two_candidate_fields_is_not_guessed(tmp_path):
    row = dict(JSON_MIN[0], comment="看过")  # two plain-string fields: which is the label?
    skipped = Counter()
    with pytest.raises(LabelledDataError, match=r"^\[E427\] .*1 without an annotation"):
        themes.read_labelled(_write(tmp_path / "export.json", [row]), skipped=skipped)


def test_label_studio_full_export_counts_cancelled_and_unannotated(tmp_path):
    tasks = [
        {"id": 1, "data": {"text": "推进政务数据共享，打破信息孤岛。"}, "annotations": [
            {"id": 1, "was_cancelled": False, "result": [
                {"from_name": "theme", "to_name": "text", "type": "choices", "value": {"choices": ["public_data"]}}]}]},
        {"id": 2, "data": {"text": "本条例自公布之日起施行。"}, "annotations": [{"id": 2, "was_cancelled": True, "result": []}]},
        {"id": 3, "data": {"text": "稳定粮食生产。"}, "annotations": []},
    ]
    skipped = Counter()
    rows = themes.read_labelled(_write(tmp_path / "full.json", tasks), skipped=skipped)
    assert [r["labels"] for r in rows] == [["public_data"]]
    assert skipped == {"cancelled": 1, "unannotated": 1}
    assert describe_skipped(skipped) == "1 cancelled, 1 without an annotation"
    with pytest.raises(LabelledDataError, match=r"^\[E427\] .*\(skipped: 1 cancelled, 1 without"):
        themes.read_labelled(_write(tmp_path / "none.json", tasks[1:]))


def test_cli_reports_skipped_tasks(tmp_path, capsys):
    from policytext.cli import main

    data = _write(tmp_path / "export.json", [dict(r, theme="ai") if "theme" in r else r for r in JSON_MIN])
    rc = main(["evaluate-themes", str(data), "--chart", str(tmp_path / "c.png")])
    err = capsys.readouterr().err
    assert rc == 0
    assert "read 2 labelled texts" in err and "skipped 1 without an annotation" in err


# ----- charts ----------------------------------------------------------------------------------
def test_chart_names_fall_back_to_pinyin_without_a_cjk_font(monkeypatch):
    monkeypatch.setattr(report_mod, "font_covering", lambda text: None)
    names, font, note = report_mod.chart_label_names(["财政", "教育", "other"])
    assert names == ["caizheng", "jiaoyu", "other"] and font is None and "pinyin" in note


def test_chart_names_use_a_font_that_covers_them(monkeypatch):
    monkeypatch.setattr(report_mod, "font_covering", lambda text: "/fonts/NotoSansCJK.ttc")
    assert report_mod.chart_label_names(["财政", "other"]) == (["财政", "other"], "/fonts/NotoSansCJK.ttc", None)
    assert report_mod.chart_label_names(["ai", "other"]) == (["ai", "other"], None, None)


def test_font_covering_checks_glyphs():
    assert report_mod.font_covering("abc") is not None  # DejaVu ships with matplotlib
    assert report_mod.font_covering("\U000f0000") is None  # a private-use plane: no font has it


def test_confusion_matrix_has_a_none_row_and_column_without_other():
    Y = np.array([[1, 0], [0, 0], [0, 1]])
    pred = np.array([[1, 0], [0, 1], [0, 0]])
    axis, counts, share = report_mod.confusion_counts(Y, pred, ["财政", "教育"])
    assert axis == ["财政", "教育", report_mod.NONE_LABEL]
    assert counts.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]  # gold none -> 教育; 教育 -> none
    axis, counts, _ = report_mod.confusion_counts(Y, pred, ["ai", themes.OTHER])
    assert axis == ["ai", themes.OTHER]


def test_chart_with_chinese_labels_is_written(tmp_path):
    Y = np.array([[1, 0], [0, 1], [0, 0]])
    pred = np.array([[1, 0], [0, 0], [0, 1]])
    m = themes.multilabel_metrics(Y, pred, ["财政", "教育"])
    out = themes.save_chart(m, Y, pred, ["财政", "教育"], tmp_path / "c.png", title="标注.json: 3 texts")
    assert out.stat().st_size > 1000


# ----- web-page references ---------------------------------------------------------------------
PAGE = "滚动新闻:\n\n · 菜单\n  会议指出,要深化科技领域“放管服”改革,赋予科研人员更大自主权。\n\nshare this page now, please!\n發(fā)布會(huì)介紹數字經濟發展情況和下一步工作安排。"


def test_web_paragraphs_offsets_point_into_the_raw_page():
    paras = list(iter_web_paragraphs(PAGE))
    assert [p[0] for p in paras] == [2, 4]  # line indexes count every non-blank line
    for _, start, end, text in paras:
        assert PAGE[start:end] == text
    assert paras[0][3].startswith("会议指出")


def test_web_reference_detects_a_changed_page(tmp_path):
    (tmp_path / "web_pages").mkdir()
    page = {"id": "w001", "text": PAGE}
    (tmp_path / "web_pages" / "pages.jsonl").write_text(json.dumps(page, ensure_ascii=False) + "\n", encoding="utf-8")
    _, start, end, text = next(iter_web_paragraphs(PAGE))
    ref = {"source": "web", "file": "pages.jsonl", "page": "w001", "start": start, "end": end, "sha1": text_sha1(text)}
    assert rebuild_text(ref, tmp_path) == text
    page["text"] = PAGE.replace("科技", "科学")
    (tmp_path / "web_pages" / "pages.jsonl").write_text(json.dumps(page, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"^\[E428\] "):
        rebuild_text(ref, tmp_path)


def test_web_corpus_stores_references_only():
    rows = [json.loads(line) for line in open(web_corpus_path(), encoding="utf-8")]
    assert len(rows) >= 600
    assert all("text" not in r and r["ref"]["source"] == "web" and r["labels"] for r in rows)
    pages = {}
    for r in rows:
        pages.setdefault(r["ref"]["page"], set()).add(r["split"])
    assert all(len(s) == 1 for s in pages.values())  # split by page, never by paragraph
    assert {r["genre"] for r in rows} == {"web", "press"}


@pytest.mark.skipif(not (default_data_dir() / "web_pages" / "pages.jsonl").is_file(), reason="needs ../shared/data")
def test_web_corpus_rebuilds_from_shared_data():
    from policytext.components.themes.corpus import load_corpus

    rows = load_corpus(web_corpus_path())
    assert len(rows) >= 600 and all(r["text"] for r in rows)


# ----- normalisation ---------------------------------------------------------------------------
def test_t2s_normaliser_drops_pinyin_glosses_and_converts():
    norm = text_normalizer("t2s")
    assert norm("市人大常委會(huì)調(diào)研組 中【zhōng】央") == "市人大常委会调研组 中央"
    assert norm("居民消费价格(CPI)上涨") == "居民消费价格(CPI)上涨"
    assert text_normalizer(None)("數據") == "數據"
    with pytest.raises(ModelFormatError):
        text_normalizer("lower")


# ----- evaluation sources ----------------------------------------------------------------------
def test_source_of_groups_rows():
    from policytext.evaluation.themes_by_source import source_of

    assert source_of({"source": "gov"}) == "report"
    assert source_of({"source": "pkulaw"}) == "law"
    assert source_of({"source": "xwlb"}) == "cctv"
    assert source_of({"source": "web", "genre": "press"}) == "press"
    assert source_of({"source": "sample", "file": "002_b21ce947c00f9f10.txt"}) == "press"
    assert source_of({"source": "sample", "file": "000_ae6d8b9b05a0dffa.txt"}) == "web"


def test_model_with_t2s_normalisation_scores_traditional_like_simplified(tmp_path):
    texts = ["加快建设全国一体化算力网。", "5G基站总数达到337万个。", "建设超大规模智算中心，提升算力供给。",
             "稳定粮食生产。", "各位代表！", "加强生态环境保护，持续打好蓝天保卫战。"]
    labels = [["computing"]] * 3 + [["other"]] * 3
    model, _ = themes.train(texts, labels, cv=2, min_df=1, normalize="t2s")
    loaded = themes.load_model(model.save(tmp_path / "m"))
    assert loaded.features.normalize == "t2s"
    simplified = loaded.predict_proba(["建设超大规模智算中心，提升算力供给。"])
    traditional = loaded.predict_proba(["建設超大規模智(zhì)算中心，提升算力供給。"])
    assert np.allclose(simplified, traditional)
    spec = json.loads((tmp_path / "m" / "model.json").read_text(encoding="utf-8"))
    spec["features"]["normalize"] = "rot13"
    (tmp_path / "m" / "model.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ModelFormatError):
        themes.load_model(tmp_path / "m")


def test_web_agreement_subset_and_scoring(tmp_path):
    from policytext.evaluation.themes_by_source import agreement_ids, web_agreement

    ids = agreement_ids()
    assert len(ids) == 150 and len(set(ids)) == 150
    gold = {json.loads(line)["id"]: json.loads(line)["labels"] for line in open(web_corpus_path(), encoding="utf-8")}
    assert set(ids) <= set(gold)
    same = tmp_path / "same.jsonl"
    same.write_text("".join(json.dumps({"id": i, "labels": gold[i]}) + "\n" for i in ids), encoding="utf-8")
    res = web_agreement(same)
    assert res["n"] == 150 and res["micro_f1_agreement"] == 1.0
    flipped = tmp_path / "flipped.jsonl"
    flipped.write_text("".join(json.dumps({"id": i, "labels": ["other"]}) + "\n" for i in ids), encoding="utf-8")
    assert web_agreement(flipped)["micro_f1_agreement"] < 0.7
