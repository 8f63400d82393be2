"""The scan's memory: small pages, and freed memory kept for the next array.

On a virtual machine whose host takes back the memory its guest frees (free page
reporting), memory a process has never touched, or gave back a few seconds ago, costs
far more to get than memory it reuses: on the 2-core machine the benchmarks run on,
filling 1 GB took 2.5 s in fresh huge pages, 0.6 s in fresh small pages and 0.13 s in
memory freed a moment before. The scan makes and drops arrays of tens of megabytes all
the time, so while it runs:

- NumPy asks for no huge pages (as ``NUMPY_MADVISE_HUGEPAGE=0`` does for a process);
- glibc's allocator serves large arrays from its heap instead of mapping each one
  apart, and keeps what is freed there for the next array instead of returning it to
  the system (``M_MMAP_MAX`` 0, ``M_TRIM_THRESHOLD`` unlimited); afterwards the
  settings are glibc's defaults again and the heap is trimmed.

On the ten-million-person country that halves the memory the scan faults in (8 GB to
5 GB) for a peak about 0.5 GB higher. Where the C library is not glibc only NumPy's
switch applies.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

# mallopt's parameters and glibc's defaults for them (see mallopt(3))
M_TRIM_THRESHOLD, M_MMAP_MAX = -1, -4
DEFAULT_TRIM_THRESHOLD, DEFAULT_MMAP_MAX = 128 * 1024, 65536
_KEEP_ALL = 2**31 - 1  # the largest threshold mallopt takes: freed memory is never trimmed


@contextmanager
def scan_memory() -> Iterator[None]:
    """Small pages for NumPy and freed memory kept in the heap until the block ends."""
    toggle, libc = _numpy_toggle(), _glibc()
    huge_before = toggle(False) if toggle else None
    if libc:
        libc.mallopt(M_MMAP_MAX, 0)
        libc.mallopt(M_TRIM_THRESHOLD, _KEEP_ALL)
    try:
        yield
    finally:
        if libc:
            libc.mallopt(M_MMAP_MAX, DEFAULT_MMAP_MAX)
            libc.mallopt(M_TRIM_THRESHOLD, DEFAULT_TRIM_THRESHOLD)
            libc.malloc_trim(0)
        if toggle and huge_before is not None:
            toggle(huge_before)


def _numpy_toggle() -> Callable[[bool], bool] | None:
    """NumPy's switch behind ``NUMPY_MADVISE_HUGEPAGE``: sets it, returns what it was."""
    core = getattr(np, "_core", None)
    return getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)


def _glibc() -> Any | None:
    """The process's C library when it is glibc (it has mallopt and malloc_trim)."""
    try:
        libc = ctypes.CDLL(None)
    except OSError:
        return None
    if not all(hasattr(libc, name) for name in ("mallopt", "malloc_trim", "gnu_get_libc_version")):
        return None
    return libc
