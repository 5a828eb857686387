"""Mapping a function over a stream in forked worker processes that may die.

Used by :meth:`policytext.Pipeline.pipe` and ``policytext dedup`` (``--workers N``).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator

from .errors import Errors

__all__ = ["parallel_map", "WorkerPool", "WORKER_DIED"]

WORKER_DIED = Errors.E030


def parallel_map(fn: Callable[[Any], Any], items: Iterable[Any], *, n_process: int = 1, batch_size: int = 16,
                 on_failure: Callable[[Any, str], Any]) -> Iterator[Any]:
    """``fn(item)`` for each item, in input order, in ``n_process`` worker processes (forked, so
    ``fn`` and the globals it reads come from this process) when ``n_process > 1``. A worker that
    dies is replaced and the document it held is retried alone; ``on_failure(item, message)``
    gives the output of a document that cannot be done. ``fn`` should catch its own errors. At
    most ``batch_size * n_process * 2`` documents are in flight, so memory does not grow with the
    input."""
    if n_process <= 1:
        for item in items:
            yield fn(item)
        return
    window = max(1, batch_size) * n_process * 2
    pool = WorkerPool(fn, n_process, on_failure)
    try:
        pending: deque[tuple[Any, Future | None]] = deque()
        for item in items:
            pending.append((item, pool.submit(item)))
            while len(pending) >= window:
                yield pool.result(pending)
        while pending:
            yield pool.result(pending)
    finally:
        pool.close()


class WorkerPool:
    """A process pool that survives its workers dying (killed, out of memory, crashed).

    When a worker dies every unfinished document of the pool fails with ``BrokenProcessPool``; the
    first of them in input order is then rerun alone in a fresh one-worker pool (a document that
    kills that worker too gets ``on_failure``), and the others are resubmitted to a fresh pool.
    Each break thus settles at least one document, and every document yields exactly one result."""

    def __init__(self, fn: Callable[[Any], Any], n_process: int, on_failure: Callable[[Any, str], Any]):
        self.fn = fn
        self.on_failure = on_failure
        self.n_process = n_process
        self.ctx = multiprocessing.get_context("fork")
        self.pool = self._new_pool(n_process)

    def _new_pool(self, n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=n, mp_context=self.ctx)

    def submit(self, item: Any) -> Future | None:
        try:
            return self.pool.submit(self.fn, item)
        except BrokenProcessPool:
            return None  # settled in result()

    def result(self, pending: deque[tuple[Any, Future | None]]) -> Any:
        """The result of the first pending document (removed from ``pending``)."""
        item, fut = pending.popleft()
        try:
            if fut is None:
                raise BrokenProcessPool("the pool broke before the document was submitted")
            return fut.result()
        except BrokenProcessPool:
            pass
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
            return self.on_failure(item, Errors.E031.format(exc_type=type(exc).__name__, exc=exc))
        self.pool.shutdown(wait=True, cancel_futures=True)
        outcome = self._run_alone(item)
        self.pool = self._new_pool(self.n_process)
        for i, (other, f) in enumerate(pending):
            if f is None or not f.done() or f.exception() is not None:
                pending[i] = (other, self.submit(other))
        return outcome

    def _run_alone(self, item: Any) -> Any:
        pool = self._new_pool(1)
        try:
            return pool.submit(self.fn, item).result()
        except BrokenProcessPool:
            return self.on_failure(item, WORKER_DIED)
        except Exception as exc:  # noqa: BLE001
            return self.on_failure(item, Errors.E031.format(exc_type=type(exc).__name__, exc=exc))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
