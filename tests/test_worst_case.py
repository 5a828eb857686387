"""Worst-case time: adversarial inputs cost about what normal text of the same length costs.

Growth tests: the time at 4n characters over the time at n, best of three; linear work gives about
4, quadratic 16 (CPU time, best of three; the bound leaves room for noise). The full table with ratios to normal
text is ``benchmarks/bench_worst_case.py`` (issue #18)."""

from __future__ import annotations

import time

import pytest

from policytext.components.entities.bodies import match_department
from policytext.components.entities.rules import find_generic_departments
from policytext.components.sentences import split_sentences
from policytext.stages.html import find_html_edits, looks_like_html
from policytext.stages.normalize.lines import line_join_edits
from policytext.stages.normalize.punct import punct_width_edits
from policytext.stages.repair.misaligned import find_misaligned_gbk
from policytext.stages.repair.whole_text import find_whole_text_mojibake


def _best(fn, text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()  # CPU time: other processes on a busy machine do not count
        fn(text)
        best = min(best, time.process_time() - t0)
    return best


def _growth(fn, unit: str, n: int) -> float:
    small, large = (unit * (n // len(unit) + 1))[:n], (unit * (4 * n // len(unit) + 1))[: 4 * n]
    return _best(fn, large) / max(_best(fn, small), 5e-3)


def test_department_run_without_ending_is_not_exponential():
    text = "市" + "发展改革" * 24 + "啊。"  # 70 s with the backtracking regex
    t0 = time.process_time()
    for i in range(len(text)):
        match_department(text, i)
    assert time.process_time() - t0 < 1.0
    assert match_department("市发展改革委员会", 1) == 8 and match_department("工业和信息化局", 0) == 7
    assert find_generic_departments("国务院" + "发展改革" * 30) == []


@pytest.mark.parametrize("fn, unit, n", [
    (lambda t: [match_department(t, i) for i in range(0, len(t), 5)], "市发展改革", 16000),
    (split_sentences, "a.", 5000),
    (split_sentences, "a.b", 5000),
    (lambda t: find_html_edits(t, True), '<a "', 16000),
    (lambda t: find_html_edits(t, True), "<a '", 16000),
    (lambda t: find_html_edits(t, True), "<!--", 16000),
    (lambda t: find_html_edits(t, False), "<p", 16000),
    (looks_like_html, "<p", 16000),
    (lambda t: find_html_edits(t, True), "<script", 16000),
    (find_whole_text_mojibake, "中\ufffd\ufffd", 1500),
    (find_whole_text_mojibake, "\ufffd", 1500),
    (find_misaligned_gbk, "\ufffd", 1500),
    (find_misaligned_gbk, "?中", 1000),
    (punct_width_edits, "?", 4000),
    (punct_width_edits, "? ", 4000),
    (line_join_edits, "国\n", 4000),
    (line_join_edits, "国\n\n", 4000),
], ids=["department", "a.", "a.b", '<a "', "<a '", "<!--", "<p", "hint <p", "<script", "中��", "FFFD", "FFFD misaligned",
        "?中", "?? punct", "? ? punct", "join chain", "join chain blank"])
def test_adversarial_runs_grow_linearly(fn, unit, n):
    assert _growth(fn, unit, n) < 9


def test_punctuation_context_across_long_transparent_runs_matches_the_walk():
    """The linear look-up beyond ``_NEAR`` transparent marks gives what the per-mark walk gives."""
    import numpy as np

    from policytext.stages.normalize import punct
    from policytext.stages.normalize.scan import char_flags

    for text in ("中" + "?" * 40 + "a", "a" + "?" * 40 + "中", "?" * 60, "数据" + "? " * 30 + "，", "x" + " " * 50):
        flags = char_flags(text)
        starts = np.arange(len(text), dtype=np.int64)
        got = punct._chinese_context_many(text, flags, starts, starts + 1)
        want = [punct._chinese_context(text, s, s + 1) for s in range(len(text))]
        assert got.tolist() == want
