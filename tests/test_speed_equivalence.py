"""The speed paths (issue 20) give exactly what the one-by-one paths give, on real text.

Batched entity tagging (``FastTagger.tag_many``, the component's ``pipe``), the pipeline's batched
doc stages, the gazetteer's vectorised walk, the hash index of the tagger's tables, the themes'
vectorised n-gram counts and the shipped pinyin syllable list are each checked against the
straightforward path on shared samples, scraped web pages and government work reports.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import policytext
from policytext.components.entities import recognizer
from policytext.components.entities import fasttagger as ft
from policytext.components.entities.gazetteer import Gazetteer, default_gazetteer
from policytext.keyindex import KeyIndex


@pytest.fixture(scope="module")
def real_texts(shared_samples, shared_data) -> list[str]:
    """Whole documents: the shared samples, 25 web pages, 6 chunks of work reports."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(shared_samples.glob("*.txt"))]
    with open(shared_data / "web_pages" / "pages.jsonl", encoding="utf-8") as f:
        for line, _ in zip(f, range(25)):
            texts.append(json.loads(line)["text"])
    path = shared_data / "gov_work_reports_wikisource" / "government_work_reports.jsonl"
    with open(path, encoding="utf-8") as f:
        for line, _ in zip(f, range(2)):
            content = json.loads(line)["content"]
            texts.extend(content[i : i + 6000] for i in range(0, 18000, 6000))
    return texts


@pytest.fixture(scope="module")
def paragraphs(real_texts) -> list[str]:
    return [p for t in real_texts for p in t.split("\n") if p.strip()][:600]


@pytest.fixture(scope="module")
def fast_recognizer():
    rec = recognizer(backend="fast")
    if rec.backend is None:
        pytest.skip("models/ner_fast is not available")
    return rec


def test_tag_many_gives_each_text_its_own_tags(fast_recognizer, real_texts, paragraphs):
    tagger = fast_recognizer.backend
    texts = paragraphs + real_texts + ["", "中", "国务院", "２０２４年ＧＤＰ"]
    many = tagger.tag_many(texts, block=3000)  # small groups: many text edges inside one group
    assert len(many) == len(texts)
    for text, tags in zip(texts, many):
        assert np.array_equal(tags, tagger.tag(text)), text[:40]
    assert tagger.predict_texts(texts) == [tagger.predict_text(t) for t in texts]
    assert sum(len(s) for s in tagger.predict_texts(paragraphs)) > 100  # names were found at all


def test_lexicon_match_stops_at_the_text_end_in_a_group(fast_recognizer):
    # 北京 + 市 across two texts must not become the lexicon entry 北京市 (nor change the tags)
    tagger = fast_recognizer.backend
    texts = ["他来自北京", "市场很大", "北京", "市"]
    assert [t.tolist() for t in tagger.tag_many(texts)] == [tagger.tag(t).tolist() for t in texts]


def test_component_pipe_matches_one_call_per_doc(fast_recognizer, paragraphs):
    import spacy

    from policytext.components.extensions import TEXT_KEY
    from policytext.tokenizer import CharTokenizer

    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    comp = nlp.add_pipe("policytext_entities", config={"backend": "fast"})

    def docs():
        out = [nlp.make_doc(p) for p in paragraphs]
        for d, p in zip(out, paragraphs):
            d.user_data[TEXT_KEY] = p
        return out

    one = [[(e.start_char, e.end_char, e.label_) for e in comp(d).ents] for d in docs()]
    piped = [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in comp.pipe(docs(), batch_size=64)]
    assert piped == one
    assert fast_recognizer.spans_many(paragraphs[:50]) == [fast_recognizer.spans(p) for p in paragraphs[:50]]


def test_batched_pipeline_records_equal_one_document_at_a_time(real_texts):
    from policytext.intake import to_input_doc

    nlp = policytext.load()
    docs = real_texts[:12] + ["", "  "]
    one = [nlp.process(to_input_doc(d)).to_dict() for d in docs]  # one document at a time
    assert list(nlp.pipe_records(docs, batch_size=5)) == one
    assert [r.to_dict() for r in nlp.pipe(docs, batch_size=32)] == one


def _failing_entities(nlp, monkeypatch) -> None:
    """Make the entities stage raise on any document that holds FAIL."""
    comp = nlp.nlp.get_pipe("entities")
    original = comp._annotate

    def flaky(doc, model_spans):
        if "FAIL" in doc.text:
            raise RuntimeError("boom")
        return original(doc, model_spans)

    monkeypatch.setattr(comp, "_annotate", flaky)


def test_batched_pipeline_keeps_a_failing_stage_on_its_document(real_texts, monkeypatch):
    nlp = policytext.load(stages=["entities", "claims"])
    _failing_entities(nlp, monkeypatch)
    docs = [real_texts[0][:500], "FAIL 国务院", real_texts[1][:500]]
    records = list(nlp.pipe_records(docs, batch_size=3))
    assert [any("entities" in w for w in r["warnings"]) for r in records] == [False, True, False]
    assert records[0]["entities"] and records[2]["entities"]
    assert records[1]["claims"] is not None and not records[1]["error"]


def test_batched_pipeline_strict_failure_is_the_documents_own(real_texts, monkeypatch):
    nlp = policytext.load(stages=["entities"], strict=True)
    _failing_entities(nlp, monkeypatch)
    out = list(nlp.pipe_records([real_texts[0][:300], "FAIL", real_texts[1][:300]], batch_size=3))
    assert [bool(r["error"]) for r in out] == [False, True, False]
    seen = []
    with pytest.raises(policytext.StageError):
        for r in nlp.pipe([real_texts[0][:300], "FAIL", real_texts[1][:300]], batch_size=3, errors="raise"):
            seen.append(r)
    assert len(seen) == 1  # the document before the failing one still came out


def _find_reference(gaz: Gazetteer, text: str) -> list[tuple[int, int, str]]:
    """The gazetteer walk before issue 20: one dict probe per character."""
    out, i, n = [], 0, len(text)
    while i < n - 1:
        for ln in gaz._index.get(text[i : i + 2], ()):
            if i + ln <= n and text[i : i + ln] in gaz.names:
                out.append((i, i + ln, gaz.names[text[i : i + ln]]))
                i += ln
                break
        else:
            i += 1
    return out


def test_gazetteer_walk_matches_the_per_character_walk(real_texts):
    gaz = default_gazetteer()
    for text in real_texts:
        assert gaz.find(text) == _find_reference(gaz, text)
    text = real_texts[0]
    ranges = [(0, 40), (45, 300), (300, 301), (310, len(text))]
    assert gaz.find_in(text, ranges) == [(a + s, a + e, lab) for a, b in ranges for s, e, lab in _find_reference(gaz, text[a:b])]
    assert Gazetteer().find(text) == []
    small = Gazetteer([("北京市", "GPE")])
    assert small.find("在北京市") == [(1, 4, "GPE")]
    small.add("北京", "GPE")  # adding a name resets the vectorised index
    assert small.find("北京和北京市") == [(0, 2, "GPE"), (3, 6, "GPE")]


@pytest.mark.parametrize("dtype", [np.int64, np.uint64])
def test_key_index_answers_like_a_binary_search(dtype):
    rng = np.random.default_rng(7)
    high = 2**62 if dtype == np.int64 else 2**63
    keys = np.unique(rng.integers(0, high, 50_000, dtype=np.int64).astype(dtype))
    queries = np.concatenate([keys[rng.integers(0, len(keys), 20_000)], rng.integers(0, high, 20_000).astype(dtype)])
    idx = np.searchsorted(keys, queries)
    expect = np.where(keys[np.minimum(idx, len(keys) - 1)] == queries, idx + 1, 0)
    assert np.array_equal(KeyIndex(keys).lookup(queries), expect)
    # keys that all hash to neighbouring slots (a long probe run) and an empty table
    dense = np.arange(1000, dtype=dtype)
    assert np.array_equal(KeyIndex(dense).lookup(np.arange(2000, dtype=dtype)),
                          np.where(np.arange(2000) < 1000, np.arange(2000) + 1, 0))
    assert KeyIndex(np.zeros(0, dtype=dtype)).lookup(queries[:5]).tolist() == [0] * 5


def test_lexicon_codes_same_with_and_without_the_hash_index(fast_recognizer, paragraphs):
    tables = fast_recognizer.backend.tables
    keys, groups = tables["lex_keys"], tables["lex_groups"]
    index = KeyIndex(keys)
    for p in paragraphs[:100]:
        cps = ft.fold_codepoints(p)
        assert np.array_equal(ft.lexicon_codes(cps, keys, groups, 11, None, index), ft.lexicon_codes(cps, keys, groups, 11))


def test_theme_counts_vectorised_equal_the_python_count(real_texts, paragraphs):
    nlp = policytext.load(stages=["themes"])
    features = nlp.nlp.get_pipe("themes").model.features
    texts = paragraphs[:300] + real_texts[:5] + ["", "a", "A  B\t\tc", "數據要素"]
    fast = features.transform(texts)
    features._grams = {}  # no n-gram keys: the per-text Python count
    try:
        slow = features.transform(texts)
    finally:
        features._grams = None
    assert np.array_equal(fast.indptr, slow.indptr) and np.array_equal(fast.indices, slow.indices)
    assert np.array_equal(fast.data, slow.data) and fast.nnz > 1000


def test_shipped_pinyin_syllables_equal_pypinyin_table():
    from policytext.stages.repair.pinyin import _syllables, derive_syllables

    assert _syllables() == derive_syllables()
    assert {"shu", "ju", "zhong", "lv"} <= _syllables()


def test_pattern_gates_hold_a_literal_of_every_match(real_texts, paragraphs):
    """A pattern is skipped on a text without its necessary literals: every match must hold one."""
    from policytext.components.entities import extra_patterns, rules

    patterns = rules.DATE_PATTERNS + rules.EVENT_PATTERNS + extra_patterns.EXTRA_DATE_PATTERNS
    assert all(p.pattern in rules.GATES for p in patterns)
    matched = 0
    for text in real_texts + ["上世纪80年代初", "今年国庆期间", "2020/04/21", "近些年来", "十四届全国人大三次会议"]:
        text = text.translate(rules._FOLD)
        for pat in patterns:
            for m in pat.finditer(text):
                matched += 1
                assert any(w in m.group() for w in rules.GATES[pat.pattern]), (pat.pattern[:40], m.group())
    assert matched > 300
    # and the gated search finds what the ungated one finds
    gates = dict(rules.GATES)
    try:
        gated = [rules.find_patterns(p) for p in paragraphs]
        rules.GATES.clear()
        assert [rules.find_patterns(p) for p in paragraphs] == gated
    finally:
        rules.GATES.update(gates)


def test_sparse_viterbi_forward_equals_the_dense_one(fast_recognizer, real_texts, paragraphs, monkeypatch):
    tagger = fast_recognizer.backend
    assert ft._bioes_constrained(tagger.trans)  # the model's transitions take the sparse pass
    texts = real_texts + paragraphs[:200]
    sparse = [tagger.tag(t) for t in texts]
    monkeypatch.setattr(ft, "_bioes_constrained", lambda trans: False)
    dense = [tagger.tag(t) for t in texts]
    assert all(np.array_equal(a, b) for a, b in zip(sparse, dense))
    rng = np.random.default_rng(5)  # random scores under the same constraints, a batch of 300 rows
    emit = rng.normal(scale=20, size=(300, 30, len(ft.TAGS))).astype(np.float32)
    lengths = rng.integers(1, 31, 300)
    args = (emit, lengths, tagger.trans, tagger.start, tagger.end)
    dense_paths = ft.viterbi_batch(*args)
    monkeypatch.undo()
    assert np.array_equal(ft.viterbi_batch(*args), dense_paths)


def test_translate_chars_equals_str_translate(real_texts):
    from policytext.codepoints import map_code_points, translate_chars
    from policytext.components.entities import rules
    from policytext.numbers.parse import _HALF, _NUMERAL

    texts = real_texts + ["２０２４年一九九○年壹佰贰拾万" * 10, "\ud800 lone surrogate " * 10, "𠀀𪚥 astral ０" * 10, "短"]
    for table in (rules._FOLD, _HALF, _NUMERAL, ft._FOLD):
        for t in texts:
            assert translate_chars(t, table) == t.translate(table)
            assert map_code_points(t, table).tolist() == [ord(c) for c in t.translate(table)]
    deleting = str.maketrans("", "", "年")  # maps to None: not one to one, str.translate is used
    assert translate_chars(texts[0], deleting) == texts[0].translate(deleting)


def test_pipeline_batches_close_on_size():
    from policytext.inputs import InputDoc
    from policytext.pipeline import _batches

    docs = [InputDoc("短" * 10), InputDoc("长" * 300), InputDoc("a" * 5), InputDoc("b" * 5), InputDoc("c")]
    assert [len(b) for b in _batches(iter(docs), 3, 100)] == [2, 3]
    assert [len(b) for b in _batches(iter(docs), 2, 10**6)] == [2, 2, 1]
    assert [len(b) for b in _batches(iter(docs), 10, 5)] == [1, 1, 1, 1, 1]


def test_warm_up_before_forking_skips_pipelines_with_foreign_stages():
    from policytext.stages.base import TextStage

    class Counter(TextStage):  # a user's stage that counts what it sees
        seen = 0

        def __call__(self, state):
            Counter.seen += 1

    nlp = policytext.load(stages=["normalize"])
    nlp.add_stage(Counter(name="count"))
    nlp.warm_up()
    assert Counter.seen == 0
    shipped = policytext.load(stages=["normalize", "entities"])
    shipped.warm_up()
    assert shipped._warmed
