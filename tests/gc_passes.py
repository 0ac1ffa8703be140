"""Counting the passes of CPython's cyclic garbage collector, for the tests that check that
building and differentiating a graph start none.

What holds on every CPython (3.10 to 3.13): a pass starts only when a container object is
allocated while the collector is enabled and enough allocations have been counted since the last
pass. 3.10 and 3.11 run the pass inside that allocation; 3.12 and later only schedule it there
and run it at the interpreter's next check for pending work (a loop's jump back, a call), in the
same thread. Either way, code that allocates its containers with the collector paused starts no
pass itself. Its allocations still count, though, so the next container allocated with the
collector running starts the pass they called for: the counter must not be that allocation. It
calls the work instead of wrapping a ``with`` block around it, because on 3.10 every frame is a
container (a call without a cached frame allocates one), and a ``with`` block's ``__exit__``
would start, inside the block, the pass the block's allocations left behind.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def passes_while(work: Callable[[], T]) -> tuple[list[int], T]:
    """The generations of the collector passes that start while ``work()`` runs, and its result.

    The count starts fresh (a full collection first), so only ``work``'s own allocations count.
    """
    passes: list[int] = []

    def seen(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            passes.append(info["generation"])

    gc.collect()
    gc.callbacks.append(seen)
    try:
        result = work()
    finally:  # a call into C: no frame, no container
        gc.callbacks.remove(seen)
    return passes, result
