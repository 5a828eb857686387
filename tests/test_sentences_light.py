"""The one sentence splitter's light rule (``split_sentences(text, end_marks=...)``), which the
claims stage and corpus dedup use instead of their own splitters (issue #22): each caller keeps
its behaviour through its option."""

from __future__ import annotations

import re

import pytest

from policytext.components.claims.extract import CLAIM_END_MARKS
from policytext.components.sentences import split_sentences
from policytext.corpus_dedup import DEDUP_END_MARKS
from policytext.corpus_dedup import split_sentences as dedup_sentences

FRAGMENTS = [
    "国家数据局局长刘烈宏表示，日均Token消耗量已突破30万亿。截至6月底，我国已建成5G基站455万个！",
    "【数据】今年上半年，全国公共数据开放数量达3万个；同比增长12%。\n\n  \n下一步将出台《数据安全法》配套规定?",
    "问：数据从哪里来？答：“数据怎么用？”这是关键。。。\r\n——2024年3月5日在第十四届全国人民代表大会第二次会议上",
    "",
    "。；\n",
    "没有结束标点的一行",
]


def old_claims_sentences(t: str) -> list[tuple[int, int]]:
    """The claims stage's own splitter before issue #22 (reference copy)."""
    spans, start = [], 0
    for m in re.finditer(r"[。！？!?\n【】]", t):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(t):
        spans.append((start, len(t)))
    return spans


def old_dedup_sentences(text: str) -> list[str]:
    """corpus_dedup's own splitter before issue #22 (reference copy)."""
    return [s for s in re.split(r"[。！？!?；;\n\r]+", text) if s.strip()]


@pytest.mark.parametrize("text", FRAGMENTS)
def test_claims_option_keeps_the_claims_split(text):
    new = [(u["start"], u["end"]) for u in split_sentences(text, end_marks=CLAIM_END_MARKS)]
    # the old splitter also kept blank pieces (spaces between two line breaks): they hold no number
    assert new == [(s, e) for s, e in old_claims_sentences(text) if text[s:e].strip()]


@pytest.mark.parametrize("text", FRAGMENTS)
def test_dedup_option_keeps_the_dedup_split(text):
    assert dedup_sentences(text) == old_dedup_sentences(text)


def test_light_rule_against_the_full_rules():
    text = "问：数据从哪里来？答：“数据怎么用？”这是关键。"
    full = [text[u["start"]:u["end"]] for u in split_sentences(text)]
    light = [text[u["start"]:u["end"]] for u in split_sentences(text, end_marks=CLAIM_END_MARKS)]
    assert full == ["问：数据从哪里来？", "答：“数据怎么用？”", "这是关键。"]  # the quotation stays whole
    assert light == ["问：数据从哪里来", "答：“数据怎么用", "”这是关键"]
    assert [u["type"] for u in split_sentences("增长5%。没有句号", end_marks="。")] == ["sentence", "line"]


def test_light_rule_on_samples_matches_the_old_splitters(shared_samples):
    n = 0
    for path in sorted(shared_samples.glob("*.txt"))[:20]:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert dedup_sentences(text) == old_dedup_sentences(text)
        new = [(u["start"], u["end"]) for u in split_sentences(text, end_marks=CLAIM_END_MARKS)]
        assert new == [(s, e) for s, e in old_claims_sentences(text) if text[s:e].strip()]
        n += 1
    if n == 0:
        pytest.skip("no .txt samples")
