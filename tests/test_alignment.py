"""The provenance guarantee: every clean span maps back to the raw span it came from.

Property-tested against a naive oracle that carries each character's raw span and origin
through random sequences of insertions, deletions and replacements."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
import numpy as np

from policytext.alignment import Alignment, Edit, EditBatch, ForwardMap, OverlappingEditsError, apply_edits
from policytext.errors import fields_of
from policytext.state import TextState

ALPHABET = "数据局长。，ab \n"


@st.composite
def edit_batches(draw, length: int):
    """Non-overlapping random edits on a text of ``length`` characters."""
    points = sorted(draw(st.lists(st.integers(0, length), max_size=8)))
    edits = []
    last = 0
    i = 0
    while i + 1 < len(points) + 1 and i < len(points):
        start = max(points[i], last)
        end = points[i + 1] if i + 1 < len(points) and draw(st.booleans()) else start
        end = max(start, end)
        if start > length:
            break
        repl = draw(st.text(alphabet="XYZ新", max_size=3))
        if start == end and not repl:
            repl = "I"
        edits.append(Edit(start, end, repl, kind="test"))
        last = end
        i += 2 if end != start else 1
        # an insertion at the same point as the next edit's start would overlap ambiguously
        if end == start:
            last = end + 1 if end < length else end
            if last > length:
                break
    return [e for e in edits if e.end <= length and e.start <= length]


def oracle_apply(chars: list[tuple[str, int, int, object]], edits: list[Edit], raw_len: int, tag_base: str):
    """Naive application: each character carries (char, raw_start, raw_end, origin)."""
    def boundary(p: int) -> int:
        if p < len(chars):
            return chars[p][1]
        return chars[-1][2] if chars else raw_len

    out = []
    pos = 0
    for k, e in enumerate(sorted(edits, key=lambda e: (e.start, e.end))):
        out.extend(chars[pos:e.start])
        if e.end > e.start:
            rs, re_ = chars[e.start][1], chars[e.end - 1][2]
        else:
            rs = re_ = boundary(e.start)
        out.extend((c, rs, re_, f"{tag_base}{k}") for c in e.replacement)
        pos = e.end
    out.extend(chars[pos:])
    return out


@pytest.fixture(params=["few", "many"])
def alignment_path(request, monkeypatch):
    """Run a test through both ways TextState applies edits and Alignment rebuilds its segments
    (plain Python for few edits, vectorised for many)."""
    import policytext.alignment
    import policytext.state

    threshold = 10**9 if request.param == "few" else -1
    monkeypatch.setattr(policytext.state, "_FEW_EDITS", threshold)
    monkeypatch.setattr(policytext.alignment, "_FEW_EDITS", threshold)
    monkeypatch.setattr(policytext.alignment, "_FEW_SEGMENTS", threshold)
    return request.param


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(alphabet=ALPHABET, min_size=0, max_size=30), data=st.data())
def test_composed_alignment_matches_oracle(alignment_path, raw: str, data) -> None:
    state = TextState(raw=raw)
    chars = [(c, i, i + 1, None) for i, c in enumerate(raw)]
    n_stages = data.draw(st.integers(1, 4))
    for s in range(n_stages):
        edits = data.draw(edit_batches(len(state.text)))
        effective = _effective(state.text, edits)
        try:
            state.apply(edits, stage=f"s{s}")
        except OverlappingEditsError:
            continue
        chars = oracle_apply(chars, effective, len(raw), f"s{s}-")
    assert state.text == "".join(c for c, *_ in chars)
    for k, (c, rs, re_, origin) in enumerate(chars):
        assert state.alignment.to_raw(k, k + 1) == (rs, re_)
        if origin is None:  # never edited: maps to exactly its own raw character
            assert re_ == rs + 1 and raw[rs] == c
    # monotone: later characters never map before earlier ones
    starts = list(state.alignment.raw_start)
    assert starts == sorted(starts)
    assert all(s <= e for s, e in zip(state.alignment.raw_start, state.alignment.raw_end))


def _effective(text: str, edits: list[Edit]) -> list[Edit]:
    """The edits TextState keeps: no-op replacements are dropped."""
    return sorted((e for e in edits if text[e.start:e.end] != e.replacement), key=lambda e: (e.start, e.end))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(alphabet=ALPHABET, min_size=1, max_size=30), data=st.data())
def test_edit_records_point_at_their_output_in_final_text(alignment_path, raw: str, data) -> None:
    state = TextState(raw=raw)
    chars = [(c, i, i + 1, None) for i, c in enumerate(raw)]
    tags: list[str] = []
    for s in range(data.draw(st.integers(1, 3))):
        edits = data.draw(edit_batches(len(state.text)))
        effective = _effective(state.text, edits)
        try:
            state.apply(edits, stage=f"s{s}")
        except OverlappingEditsError:
            continue
        chars = oracle_apply(chars, effective, len(raw), f"s{s}-")
        tags.extend(f"s{s}-{k}" for k in range(len(effective)))
    final = state.text
    assert len(tags) == len(state.records)
    for tag, rec in zip(tags, state.records):
        assert 0 <= rec.start <= rec.end <= len(final)
        assert 0 <= rec.raw_start <= rec.raw_end <= len(raw)
        where = [k for k, ch in enumerate(chars) if ch[3] == tag]
        contiguous = bool(where) and where[-1] - where[0] + 1 == len(where)
        if rec.edit.replacement and len(where) == len(rec.edit.replacement) and contiguous:
            # the edit's output survived untouched: the record points exactly at it
            assert (rec.start, rec.end) == (where[0], where[-1] + 1)
            assert final[rec.start:rec.end] == rec.edit.replacement
            assert state.to_raw(rec.start, rec.end) == (rec.raw_start, rec.raw_end)


@st.composite
def many_edits(draw, length: int):
    """Up to 60 ordered, non-overlapping edits (replacements, deletions, insertions) on ``length`` characters."""
    cuts = sorted(set(draw(st.lists(st.integers(0, length), max_size=120))))
    # one kind (applied as columns) or two (applied edit by edit)
    label = draw(st.sampled_from(["t", "t/u"])).split("/")
    edits = []
    for k, (a, b) in enumerate(zip(cuts[0::2], cuts[1::2])):
        kind = draw(st.sampled_from(["replace", "delete", "insert", "same-length"]))
        name = label[k % len(label)]
        if kind == "insert":
            edits.append(Edit(a, a, draw(st.text(alphabet="XY新", min_size=1, max_size=3)), name))
        elif kind == "delete":
            edits.append(Edit(a, b, "", name))
        elif kind == "same-length":
            edits.append(Edit(a, b, "Z" * (b - a), name))
        else:
            edits.append(Edit(a, b, draw(st.text(alphabet="XY新", max_size=4)), name))
    return edits


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(alphabet=ALPHABET, min_size=0, max_size=300), data=st.data())
def test_segment_alignment_matches_oracle_on_longer_texts(alignment_path, monkeypatch, raw: str, data) -> None:
    """Many edits per stage on texts of a few hundred characters: the segments (cut, joined,
    dropped) map every character as the per-character oracle does, on both paths, with the
    edits given as a list or as an EditBatch (spliced as code points or as slices)."""
    import policytext.state

    monkeypatch.setattr(policytext.state, "_DENSE_EDITS", data.draw(st.sampled_from([0, 10**9])))
    state = TextState(raw=raw)
    chars = [(c, i, i + 1, None) for i, c in enumerate(raw)]
    for s in range(data.draw(st.integers(1, 5))):
        edits = data.draw(many_edits(len(state.text)))
        effective = _effective(state.text, edits)
        if edits and data.draw(st.booleans()):
            state.apply(EditBatch([e.start for e in edits], [e.end for e in edits], [e.replacement for e in edits], "t"), stage=f"s{s}")
        else:
            state.apply(edits, stage=f"s{s}")
        chars = oracle_apply(chars, effective, len(raw), f"s{s}-")
    assert state.text == "".join(c for c, *_ in chars)
    assert state.alignment.raw_start.tolist() == [rs for _, rs, _, _ in chars]
    assert state.alignment.raw_end.tolist() == [re_ for _, _, re_, _ in chars]
    n = len(chars)
    spans = [(a, b) for a in list(range(0, n + 1, 7)) + [n] for b in (a, min(n, a + 1), min(n, a + 9))]
    starts = np.asarray([a for a, _ in spans], dtype=np.int64)
    ends = np.asarray([b for _, b in spans], dtype=np.int64)
    vector = state.alignment.spans_to_raw(starts, ends)
    assert list(zip(vector[0].tolist(), vector[1].tolist())) == [state.to_raw(a, b) for a, b in spans]
    assert state.alignment.spans_to_raw_few(starts.tolist(), ends.tolist()) == (vector[0].tolist(), vector[1].tolist())


def test_alignment_from_per_character_arrays() -> None:
    """Built from per-character raw spans, the alignment gives back the same spans."""
    raw_start = np.array([0, 1, 2, 2, 2, 5, 6, 6, 9], dtype=np.int64)
    raw_end = np.array([1, 2, 5, 5, 5, 6, 9, 9, 10], dtype=np.int64)
    al = Alignment(10, raw_start, raw_end)
    assert al.segments == 5  # run (0, 1), replacement [2, 5) x3, run (5), replacement [6, 9) x2, run (9)
    assert al.raw_start.tolist() == raw_start.tolist() and al.raw_end.tolist() == raw_end.tolist()
    assert al.to_raw(3, 4) == (2, 5) and al.to_raw(4, 7) == (2, 9) and al.to_raw(9, 9) == (10, 10)


def test_runs_join_again_when_an_insertion_is_deleted(alignment_path) -> None:
    state = TextState(raw="abcdef")
    state.apply([Edit(3, 3, "XY", "t")], stage="s0")
    assert state.alignment.segments == 3
    state.apply([Edit(3, 5, "", "t")], stage="s1")
    assert state.text == "abcdef" and state.alignment.segments == 1
    assert state.to_raw(6, 6) == (6, 6) and state.to_raw(2, 6) == (2, 6)


def test_deleting_everything_after_many_stages() -> None:
    """Regression: the vectorised path with several segments and no text kept."""
    state = TextState(raw="aaaaaaaaaaaaa")
    batch = [Edit(0, 6, "XXX", "t"), Edit(6, 6, "XXX", "t")] + [Edit(k, k + 1, "b", "t") for k in range(7, 13)]
    state.apply(batch, stage="s0")
    state.apply([Edit(0, len(state.text), "", "t")], stage="s1")
    assert state.text == "" and state.to_raw(0, 0) == (13, 13) and state.alignment.segments == 0


def test_replacement_maps_to_whole_raw_span() -> None:
    state = TextState(raw="規??焖僭鲩L的发展")
    state.apply([Edit(0, 7, "规模快速增长", "mojibake")], stage="repair")
    assert state.text == "规模快速增长的发展"
    assert state.to_raw(0, 6) == (0, 7)
    assert state.to_raw(2, 3) == (0, 7)  # inside a replacement: the whole raw span
    assert state.to_raw(6, 9) == (7, 10)
    rec = state.records[0].to_dict()
    assert rec["before"] == "規??焖僭鲩L" and rec["after"] == "规模快速增长"
    assert (rec["raw_start"], rec["raw_end"], rec["start"], rec["end"]) == (0, 7, 0, 6)


def test_records_follow_later_stages() -> None:
    state = TextState(raw="<p>國家數據局</p>")
    state.apply([Edit(0, 3, "", "html_tag"), Edit(8, 12, "", "html_tag")], stage="html")
    state.apply([Edit(0, 1, "国", "t2s"), Edit(2, 3, "数", "t2s"), Edit(3, 4, "据", "t2s")], stage="normalize")
    assert state.text == "国家数据局"
    t2s = [r.to_dict() for r in state.records if r.stage == "normalize"]
    assert [(r["start"], r["end"], r["raw_start"], r["raw_end"]) for r in t2s] == [(0, 1, 3, 4), (2, 3, 5, 6), (3, 4, 6, 7)]
    state.apply([Edit(0, 0, "【", "insert")], stage="x")
    assert [r.start for r in state.records if r.stage == "normalize"] == [1, 3, 4]
    assert state.to_raw(1, 6) == (3, 8)
    assert state.raw[slice(*state.to_raw(1, 6))] == "國家數據局"


def test_removal_records_duplicate_of_in_final_coordinates() -> None:
    text = "甲段内容。\n乙段内容。\n甲段内容。\n"
    state = TextState(raw=text)
    state.apply([Edit(12, 18, "", "duplicate_section", removal=True, duplicate_of=(0, 5))], stage="dedup")
    state.apply([Edit(0, 0, "标题\n", "insert")], stage="x")
    removed = state.removed[0].to_dict()
    assert removed["duplicate_of"] == {"start": 3, "end": 8}
    assert state.text[3:8] == "甲段内容。"
    assert text[removed["raw_start"]:removed["raw_end"]] == "甲段内容。\n"


def test_overlapping_edits_are_refused() -> None:
    with pytest.raises(OverlappingEditsError):
        apply_edits("abcdef", [Edit(0, 3, "x", "k"), Edit(2, 4, "y", "k")])
    with pytest.raises(OverlappingEditsError):
        apply_edits("abc", [Edit(2, 5, "x", "k")])


def test_empty_text_and_all_deleted() -> None:
    state = TextState(raw="")
    assert state.to_raw(0, 0) == (0, 0)
    state = TextState(raw="abc")
    state.apply([Edit(0, 3, "", "del")], stage="s")
    assert state.text == "" and state.to_raw(0, 0) == (3, 3)


def test_forward_map_snaps_inside_edits() -> None:
    fm = ForwardMap([Edit(2, 5, "X", "k")])
    assert fm.map(1) == 1 and fm.map(5) == 3 and fm.map(6) == 4
    assert fm.map(3, "start") == 2 and fm.map(3, "end") == 3


def test_alignment_identity() -> None:
    al = Alignment(5)
    assert al.to_raw(1, 4) == (1, 4) and al.to_raw(5, 5) == (5, 5)
    with pytest.raises(IndexError):
        al.to_raw(3, 9)


@pytest.mark.parametrize("few", [True, False])
def test_state_apply_rejects_bad_edits_on_both_paths(monkeypatch, few: bool) -> None:
    import policytext.state

    monkeypatch.setattr(policytext.state, "_FEW_EDITS", 10**9 if few else -1)
    st = TextState(raw="abcdef")
    with pytest.raises(OverlappingEditsError, match=r"^\[E503\] ") as overlap:
        st.apply([Edit(0, 3, "x", "k"), Edit(2, 4, "y", "k")], stage="t")
    assert fields_of(str(overlap.value)) == {"start": "2", "end": "4", "reach": "3"}
    with pytest.raises(OverlappingEditsError, match=r"^\[E502\] ") as beyond:
        st.apply([Edit(2, 9, "x", "k")], stage="t")
    assert fields_of(str(beyond.value))["length"] == "6"
    # unordered edits are applied in order; insertions at one point keep their given order
    st.apply([Edit(4, 5, "E", "k"), Edit(1, 1, "1", "k"), Edit(1, 1, "2", "k")], stage="t")
    assert st.text == "a12bcdEf"
    assert [(r.start, r.end, r.raw_start, r.raw_end) for r in st.records] == [(1, 2, 1, 1), (2, 3, 1, 1), (6, 7, 4, 5)]
