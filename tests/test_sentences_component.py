"""The ``policytext_sentences`` spaCy component, the real transcript sample and the gold set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

import policytext.components.sentences  # noqa: F401  (registers the factory)
from policytext.components.sentences import find_turns, split_sentences
from policytext.tokenizer import CharTokenizer

REPO = Path(__file__).resolve().parent.parent
GOLD = REPO / "corpora" / "sentences" / "gold.jsonl"


def make_nlp(**config):
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("policytext_sentences", config=config)
    return nlp


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


def test_component_sets_every_token_and_fills_extensions(nlp):
    text = "\u3000\u3000国家数据局发布工作要点\n数据产业规模达到5.86万亿元。“东数西算”工程全面启动！\n\nU.S. policy变化。"
    doc = nlp(text)
    assert all(tok.is_sent_start is not None for tok in doc)
    assert [s.text.strip() for s in doc.sents] == [
        "国家数据局发布工作要点", "数据产业规模达到5.86万亿元。", "“东数西算”工程全面启动！", "U.S. policy变化。"]
    assert doc._.sentences == split_sentences(text)
    assert [text[u["start"]:u["end"]] for u in doc._.sentences][0] == "国家数据局发布工作要点"
    assert doc._.sentences[0]["type"] == "heading"
    assert doc._.turns == []
    # the decimal 5.86 is one token and never a sentence start; leading spaces join the first sentence
    assert doc[0].is_sent_start and not any(t.is_sent_start for t in doc if t.text == "5.86")
    assert sum(t.is_sent_start for t in doc) == 4


def test_component_config(nlp):
    text = "一是完善制度；二是培育市场。"
    assert len(list(nlp(text).sents)) == 1
    nlp2 = make_nlp(semicolon_ends=True)
    assert [s.text for s in nlp2(text).sents] == ["一是完善制度；", "二是培育市场。"]
    assert nlp2.get_pipe("policytext_sentences").config["semicolon_ends"] is True
    with pytest.raises(Exception):
        make_nlp(no_such_setting=True)


def test_component_empty_doc(nlp):
    doc = nlp("")
    assert doc._.sentences == [] and doc._.turns == []
    doc = nlp("\n\n")
    assert doc._.sentences == []


def test_component_transcript_turns(nlp):
    text = "2025-08-14 10:28:07\n\n国家数据局副局长 陈荣辉：\n\n谢谢您的提问。当前网民数量达到11.23亿人。\n\n" \
           "2025-08-14 10:28:29\n\n中国证券报记者：\n\n请问进展怎么样？"
    doc = nlp(text)
    assert [(t["speaker"], t["time"]) for t in doc._.turns] == [
        ("国家数据局副局长 陈荣辉", "2025-08-14T10:28:07"), ("中国证券报记者", "2025-08-14T10:28:29")]
    first = doc._.turns[0]
    assert text[first["start"]:first["end"]].endswith("11.23亿人。")
    assert doc.char_span(first["start"], first["end"]) is not None


def test_real_transcript_sample(shared_samples):
    """Sample 002 as scraped (traditional script, ASCII colons, mojibake): every
    timestamp + speaker label pair becomes a turn."""
    path = shared_samples / "002_b21ce947c00f9f10.txt"
    if not path.exists():
        pytest.skip("sample 002 missing")
    text = path.read_text(encoding="utf-8")
    sents = split_sentences(text)
    turns = find_turns(text, sents)
    timed = [t for t in turns if t["time"]]
    assert len(timed) == 23
    assert turns[0]["speaker"].endswith("壽小麗") and turns[0]["time"] is None
    assert timed[0] == {**timed[0], "speaker": "國家發展改革委黨組成員、國家數據局局長 劉烈宏",
                        "time": "2025-08-14T10:00:28"}
    assert {t["speaker"] for t in turns} >= {"國家數據局副局長 陳榮輝", "中國財經報記者", "國家數據局副局長 夏冰"}
    # page furniture ("分享到:", "字體:") is never a speaker
    assert not any("分享" in t["speaker"] or "字體" in t["speaker"] for t in turns)
    # turns are ordered and disjoint, and no unit is punctuation only
    for a, b in zip(turns, turns[1:]):
        assert a["end"] <= b["start"]
    assert all(any(ch.isalnum() for ch in text[u["start"]:u["end"]]) for u in sents)


def test_gold_set_is_consistent_and_large_enough():
    docs = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    n = sum(len(d["sentences"]) for d in docs)
    assert n >= 600
    for d in docs:
        text = d["text"]
        prev = 0
        for u in d["sentences"]:
            assert u["type"] in {"sentence", "heading", "line"}
            assert text[u["start"]:u["end"]] == u["text"] and u["text"] == u["text"].strip()
            assert u["start"] >= prev
            prev = u["end"]
    assert sum(len(d["turns"]) for d in docs) >= 10
    # gold_src.txt rebuilds gold.jsonl exactly
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_gold", REPO / "corpora" / "sentences" / "build_gold.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rebuilt = mod.parse_src((REPO / "corpora" / "sentences" / "gold_src.txt").read_text(encoding="utf-8"))
    assert rebuilt == docs


def test_gold_scores():
    """Our splitter on the gold set: boundary F1 and turns (measured, see docs/sentences.md)."""
    from policytext.evaluation.sentences import load_gold, ours, score, score_types_and_turns

    docs = load_gold(GOLD)
    r = score(docs, ours)
    assert r["f1"] >= 0.99 and r["punct_only_fragments"] == 0
    extra = score_types_and_turns(docs)
    assert extra["type_accuracy"] >= 0.97
    assert extra["turns_exact"] == extra["turns_gold"]
