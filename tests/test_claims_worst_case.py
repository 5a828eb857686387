"""The claims stage stays linear on adversarial runs (the full check is benchmarks/bench_claims.py --worst-case)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from policytext.components.claims import extract_claims

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "claims" / "gold.jsonl"
RUNS = ["1%", "1至", "1", "a.b", "增长12.5%，", "一", "百分之一", "2020年"]


def _best(text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        extract_claims(text, "2025-03-05")
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.fixture(scope="module")
def normal_text() -> str:
    return "".join(json.loads(line)["text"] + "。" for line in GOLD.open(encoding="utf-8"))


@pytest.mark.parametrize("unit", RUNS)
def test_adversarial_run_is_linear_and_cheap(unit, normal_text):
    small, large = 6_000, 24_000
    t_small = _best((unit * small)[:small])
    t_large = _best((unit * large)[:large])
    t_normal = _best((normal_text * 3)[:large])
    # quadratic would be 16x for 4x the length; generous bounds for a loaded CI machine
    assert t_large <= 10 * t_small + 0.05, (unit, t_small, t_large)
    assert t_large <= 8 * t_normal + 0.05, (unit, t_large, t_normal)


def test_packed_numbers_are_not_claims_but_prose_is():
    assert len(extract_claims("1%" * 500)) < 10
    assert len(extract_claims("增长12.5%，" * 100)) == 100
