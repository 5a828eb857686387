"""Invariants of the splitter on arbitrary text (hypothesis)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policytext.components.sentences import find_turns, split_sentences

ALPHABET = list("数据是新型生产要素刘烈宏说表示一二三第条章") + list("。！？!?；;：:，,、…….\"'“”‘’《》（）()【】●•— \u3000\n\n\t") + list("0123456789AbcUS.@/")
TEXT = st.text(alphabet=st.sampled_from(ALPHABET), max_size=300)
WORD = re.compile(r"[^\W_]")


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_units_are_ordered_stripped_and_never_punctuation_only(text):
    units = split_sentences(text)
    prev = 0
    for u in units:
        s, e = u["start"], u["end"]
        assert prev <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert WORD.search(text, s, e)
        assert u["type"] in {"sentence", "heading", "line"}
        prev = e
    # every word character is in some unit
    covered = set()
    for u in units:
        covered.update(range(u["start"], u["end"]))
    assert all(i in covered for i, ch in enumerate(text) if WORD.match(ch))
    for t in find_turns(text, units):
        assert 0 <= t["start"] < t["end"] <= len(text)


@settings(max_examples=100, deadline=None)
@given(TEXT, st.booleans(), st.booleans())
def test_config_variants_never_fail(text, semi, colon):
    for u in split_sentences(text, semicolon_ends=semi, colon_ends=colon, join_wrapped_lines=not semi):
        assert u["start"] < u["end"]


_NLP = None


def _nlp():
    global _NLP
    if _NLP is None:
        import spacy

        import policytext.components.sentences  # noqa: F401
        from policytext.tokenizer import CharTokenizer

        _NLP = spacy.blank("zh")
        _NLP.tokenizer = CharTokenizer(_NLP.vocab)
        _NLP.add_pipe("policytext_sentences")
    return _NLP


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_component_sentence_starts_match_units(text):
    doc = _nlp()(text)
    if len(doc) == 0:
        return
    assert doc[0].is_sent_start and all(t.is_sent_start is not None for t in doc)
    starts = {t.idx for t in doc if t.is_sent_start}
    for u in doc._.sentences[1:]:
        assert u["start"] in starts
    # each unit lies inside one spaCy sentence
    for u in doc._.sentences:
        span = doc.char_span(u["start"], u["end"], alignment_mode="expand")
        assert span is not None and span.sent.start <= span.start and span.end <= span.sent.end
