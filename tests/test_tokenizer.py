"""The char tokenizer: tokens, trailing spaces and text round trip (issue #22 made it build the
Doc from hash ids; these pin that nothing else changed)."""

from __future__ import annotations

import random

import pytest
import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from policytext.tokenizer import TOKEN_PATTERN, CharTokenizer, words_and_spaces


def per_token_rule(text: str) -> tuple[list[str], list[bool]]:
    """The rule stated one token at a time: a single ASCII space after a non-space token is its
    trailing space; a whitespace run starting with one gives that space to the token before."""
    words: list[str] = []
    spaces: list[bool] = []
    for m in TOKEN_PATTERN.finditer(text):
        tok = m.group()
        if tok.startswith(" ") and words and not spaces[-1] and not words[-1].isspace():
            spaces[-1] = True
            tok = tok[1:]
            if not tok:
                continue
        words.append(tok)
        spaces.append(False)
    return words, spaces


FRAGMENTS = [
    "国家数据局局长刘烈宏表示，日均Token消耗量已突破30万亿。",
    "截至6月底，数据产业规模达5.86万亿元 同比增长 11.2%。",
    "  开头两个空格\n\n第二段 \t 有制表符  和两个空格",
    "ＧＤＰ增长５．２％，Wi-Fi和don't in English  text ",
    "\u3000\u3000全角空格开头\xa0不换行空格\u2028行分隔符 ",
    "",
    " ",
]


@pytest.mark.parametrize("text", FRAGMENTS)
def test_tokens_follow_the_per_token_rule(text):
    assert words_and_spaces(text) == per_token_rule(text)
    doc = CharTokenizer(Vocab())(text)
    assert doc.text == text
    assert ([t.text for t in doc], [bool(t.whitespace_) for t in doc]) == per_token_rule(text)


def test_random_mixes_of_han_latin_digits_and_whitespace_match_the_rule():
    rng = random.Random(22)
    alphabet = list("中国数据局 ab12３.５Ｆｏ,'-\n\t\u3000\xa0\r\u200b")
    tokenizer = CharTokenizer(Vocab())
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        doc = tokenizer(text)
        assert doc.text == text
        assert ([t.text for t in doc], [bool(t.whitespace_) for t in doc]) == per_token_rule(text)


def test_docs_from_hash_ids_equal_docs_from_strings():
    text = "国务院关于2025年 GDP 目标的通知：增长5.2%"
    words, spaces = words_and_spaces(text)
    ours = CharTokenizer(spacy.blank("zh").vocab)(text)  # new lexemes made from hash ids
    theirs = Doc(spacy.blank("zh").vocab, words=words, spaces=spaces)  # ... and from strings
    attrs = ("orth", "is_digit", "like_num", "is_punct", "is_alpha", "is_space", "shape_")
    assert [[getattr(t, a) for a in attrs] for t in ours] == [[getattr(t, a) for a in attrs] for t in theirs]
    assert any(t.like_num for t in ours) and any(t.is_punct for t in ours)
