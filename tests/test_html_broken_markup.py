"""The html stage applies on any markup, however broken: its finders' matches may overlap on
fuzzed markup, and overlapping edits are resolved instead of failing the stage (issue #18)."""

from __future__ import annotations

import random

import pytest

import policytext
from policytext.stages.html import find_html_edits

SOUP = ["<", ">", "</", "/>", "<!--", "-->", "&amp;", "&#x4e2d;", "&nbsp;", "&", ";", "<p>", "</p>", "<br>",
        "<a ", '"', "'", "<script>", "</script>", "<li>", "<ul>", "</ul>", "<td>", "\n", " ", "国", "家", "o",
        "=", "<!DOCTYPE html>", "<html>", "</body>", "<style", "<?xml ?>"]


@pytest.fixture(scope="module")
def html_only():
    return policytext.load(stages=["html"])


@pytest.mark.parametrize("markup", ["<o<!---->&amp;", "<a <script>x</script>国家", "<p <!-- c -->数据</p>&nbsp;",
                                    '<a href="<!--">-->政策</a>'])
@pytest.mark.parametrize("is_html", [False, True])
def test_overlapping_matches_do_not_skip_the_stage(html_only, markup, is_html):
    result = html_only({"html": markup} if is_html else {"text": markup})
    assert not any("failed" in w for w in result.warnings), result.warnings
    assert "<!--" not in result.text


def test_edits_never_overlap_on_markup_soup():
    rng = random.Random(18)
    for _ in range(400):
        text = "".join(rng.choice(SOUP) for _ in range(rng.randint(1, 40)))
        for document in (False, True):
            spans = sorted((e.start, e.end) for e in find_html_edits(text, document))
            assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), text
