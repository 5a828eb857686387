"""Timing shared by the benchmark scripts (not a test; not part of the package)."""

from __future__ import annotations

import time
from typing import Callable, Iterable


def best_time(fn: Callable[[str], object], items: Iterable[str], repeat: int,
              clock: Callable[[], float] = time.perf_counter) -> float:
    """Best of ``repeat`` rounds of ``fn`` over every item, in seconds of ``clock``."""
    items = list(items)
    best = float("inf")
    for _ in range(repeat):
        t0 = clock()
        for item in items:
            fn(item)
        best = min(best, clock() - t0)
    return best
