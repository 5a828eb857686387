"""The shared NER corpus readers (policytext/evaluation/_ner_data.py) on small fragments in each format."""

from __future__ import annotations

import json

from policytext.evaluation import _ner_data as nd


def test_bio_reader_normalises_width_and_splits_label_changes(tmp_path):
    f = tmp_path / "msra.txt"
    f.write_text("新\tB-ORG\n华\tI-ORG\n社\tI-ORG\n北\tB-LOC\n京\tI-LOC\n电\tO\n\n１\tO\n月\tO\n", encoding="utf-8")
    assert nd.read_bio(f) == [("新华社北京电", [(0, 3, "ORG"), (3, 5, "LOC")]), ("1月", [])]


def test_weibo_reader_keeps_names_only_and_folds_gpe_on_request(tmp_path):
    f = tmp_path / "weibo.txt"
    rows = ["我0\tO", "在0\tO", "北0\tB-GPE.NAM", "京0\tI-GPE.NAM", "见0\tO", "老0\tB-PER.NOM", "师0\tI-PER.NOM",
            "张0\tB-PER.NAM", "三0\tI-PER.NAM"]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert nd.read_weibo(f) == [("我在北京见老师张三", [(2, 4, "LOC"), (7, 9, "PER")])]
    assert nd.read_weibo(f, gpe="GPE")[0][1] == [(2, 4, "GPE"), (7, 9, "PER")]


def test_cluener_reader_maps_types_and_returns_unknown_ranges(tmp_path):
    f = tmp_path / "cluener.jsonl"
    row = {"text": "浙江省杭州市的阿里巴巴集团", "label": {"address": {"浙江省杭州市": [[0, 5]]},
                                                   "company": {"阿里巴巴集团": [[7, 12]]}}}
    f.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert nd.read_cluener(f, {"company": "ORG"}, {"address"}) == [("浙江省杭州市的阿里巴巴集团", [(7, 13, "ORG")], [(0, 6)])]
    assert nd.read_cluener(f, {"company": "ORG"}) == [("浙江省杭州市的阿里巴巴集团", [(7, 13, "ORG")], [])]


def test_people_daily_pos_reader_joins_surnames_and_leaves_unbracketed_bodies_unknown(tmp_path):
    f = tmp_path / "pd.txt"
    f.write_text("中央/n  人民/n  广播/vn  电台/n  报道/v  ，/w  江/nr  泽民/nr  在/p  北京/ns  。/w  新华社/nt  电/n\n",
                 encoding="utf-8")
    first, second = list(nd.read_pd_pos(f))
    assert first == ("中央人民广播电台报道,江泽民在北京。", [(11, 14, "PER"), (15, 17, "LOC")], [(0, 8)])
    assert second == ("新华社电", [(0, 3, "ORG")], [])
