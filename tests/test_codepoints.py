"""Code-point helpers: cutting many substrings out of a text at once."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from policytext.codepoints import chars_at, code_points, strings_at


def _spans(data, n: int) -> tuple[np.ndarray, np.ndarray]:
    points = sorted(data.draw(st.lists(st.integers(0, n), max_size=24)))
    starts = points[0::2][: len(points) // 2]
    ends = points[1::2]
    return np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64)


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="國家数据\x00 a\U00020000，", max_size=80), data=st.data())
def test_strings_at_equals_slicing(text: str, data) -> None:
    starts, ends = _spans(data, len(text))
    expected = [text[a:b] for a, b in zip(starts.tolist(), ends.tolist())]
    assert strings_at(text, code_points(text), starts, ends) == expected


def test_strings_at_long_spans_and_trailing_nul() -> None:
    text = "國家數據局\x00这场发布会信息量很大，涉及数据要素市场化配置改革的方方面面\x00"
    starts = np.array([0, 3, 6, 30], dtype=np.int64)
    ends = np.array([2, 6, 30, len(text)], dtype=np.int64)  # a 24-character span, spans ending in NUL
    assert strings_at(text, code_points(text), starts, ends) == [text[0:2], text[3:6], text[6:30], text[30:]]


def test_chars_at_keeps_nul() -> None:
    text = "a\x00國"
    assert chars_at(code_points(text), np.array([0, 1, 2])) == ["a", "\x00", "國"]
