"""paragraph_spans: blank-line blocks, one paragraph per line otherwise, spans stripped."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policytext.paragraphs import paragraph_spans


def paras(text: str) -> list[str]:
    return [text[s:e] for s, e in paragraph_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", []),
        ("   \n\n  \n", []),
        ("一段。", ["一段。"]),
        # no blank line: one paragraph per non-empty line (sample 000 layout)
        ("国家数据局这场发布会，信息量很大！\n国务院新闻办公室8月14日举行发布会。\n", ["国家数据局这场发布会，信息量很大！", "国务院新闻办公室8月14日举行发布会。"]),
        # blank lines: blocks (sample 002 layout), a block may hold several lines
        (
            "2025-08-14 10:28:07\n\n国家数据局副局长 陈荣辉：\n\n谢谢。\n\n分享到：\n链接已复制",
            ["2025-08-14 10:28:07", "国家数据局副局长 陈荣辉：", "谢谢。", "分享到：\n链接已复制"],
        ),
        # spans are stripped, whitespace-only lines count as blank, \r\n works
        ("  甲。  \r\n \t \r\n　乙。\r\n", ["甲。", "乙。"]),
        # blank lines only around the text do not switch to block mode
        ("\n\n甲\n乙\n\n", ["甲", "乙"]),
        # mostly single breaks with a stray blank line (sample 001 layout): per line
        ("一、标题\n正文一。\n正文二。\n\n二、标题\n正文三。", ["一、标题", "正文一。", "正文二。", "二、标题", "正文三。"]),
        # mostly blank-line breaks with one two-line block: blocks
        ("甲。\n\n乙。\n\n丙一\n丙二\n\n丁。", ["甲。", "乙。", "丙一\n丙二", "丁。"]),
    ],
)
def test_paragraph_spans(text, expected):
    assert paras(text) == expected


def test_offsets_index_the_text():
    text = "  first line\n\n\n  second   \n\nthird"
    spans = paragraph_spans(text)
    assert spans == [(2, 12), (17, 23), (28, 33)]
    assert [text[s:e] for s, e in spans] == ["first line", "second", "third"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="甲乙 \t\n\r\u3000。", max_size=60))
def test_spans_are_ordered_stripped_and_disjoint(text):
    spans = paragraph_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        last = e
    # every non-space character belongs to a paragraph
    covered = sum(len(text[s:e].replace(" ", "")) for s, e in spans)
    assert covered >= sum(1 for c in text if not c.isspace())
