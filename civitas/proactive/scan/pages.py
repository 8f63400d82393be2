"""The scan's arrays in small memory pages.

NumPy asks Linux for transparent huge pages (2 MB) for every array of 4 MB or more. On a
virtual machine whose host takes freed memory back, a huge page costs far more to get
than the 512 small pages it replaces: on the 2-core machine the benchmarks run on,
filling 1 GB of new memory took 2.4 s in huge pages and 0.6 s in small ones, and the
ten-million-person scan, which touches about 4 GB, ran about 2 s faster without them.
So the scan turns them off while it runs, as ``NUMPY_MADVISE_HUGEPAGE=0`` does for a
whole process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np


@contextmanager
def small_pages() -> Iterator[None]:
    """NumPy's new arrays in small pages until the block ends (then as before)."""
    toggle = _toggle()
    if toggle is None:
        yield
        return
    before = toggle(False)
    try:
        yield
    finally:
        toggle(before)


def _toggle() -> Callable[[bool], bool] | None:
    """NumPy's switch behind ``NUMPY_MADVISE_HUGEPAGE``: sets it, returns what it was."""
    core = getattr(np, "_core", None)
    return getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
