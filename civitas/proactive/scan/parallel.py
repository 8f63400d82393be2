"""The scan's threads: DuckDB's, and NumPy and Arrow work shared out on the two cores
(both release the GIL while they compute)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

THREADS = 2  # the cores of the machine the scan is measured on
Item = TypeVar("Item")
Result = TypeVar("Result")


def each(function: Callable[[Item], Result], items: Iterable[Item]) -> list[Result]:
    """``function`` of each item, in order, on :data:`THREADS` threads."""
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(function, items))
