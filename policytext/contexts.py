"""``as_tuples=True`` (as in spaCy): ``(document, context)`` pairs in, ``(output, context)`` out."""

from __future__ import annotations

from collections import deque
from typing import Any, Callable, Iterable, Iterator
from .errors import Errors

__all__ = ["run_with_contexts"]


def run_with_contexts(run: Callable[[Iterable[Any]], Iterator[Any]], pairs: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
    """``run`` over the documents of ``(document, context)`` pairs, each output paired with its
    context again (``run`` yields in input order, so a queue of contexts lines them up)."""
    contexts: deque[Any] = deque()

    def documents() -> Iterator[Any]:
        for pair in pairs:
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise TypeError(Errors.E015.format(type=type(pair).__name__))
            contexts.append(pair[1])
            yield pair[0]

    for out in run(documents()):
        yield out, contexts.popleft()
