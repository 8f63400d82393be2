"""Keep the generator's memory close to what it really holds, on glibc systems.

At 10 million people every array is tens of megabytes. By default glibc serves
blocks under 32 MB from its heap and keeps them after they are freed; a few
steps later the heap is full of holes and the process holds about twice the
memory it uses. Serving every block of a megabyte or more straight from the
operating system (``mallopt``) returns it the moment it is freed, and
``malloc_trim`` hands back what the heap still keeps. Elsewhere (musl, macOS,
Windows) neither call exists and nothing is done.
"""

from __future__ import annotations

import ctypes
from functools import cache
from typing import Any

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
MMAP_THRESHOLD = 1 << 20  # bytes


@cache
def _libc() -> Any:
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt  # noqa: B018 - both calls must exist
        libc.malloc_trim  # noqa: B018
    except (AttributeError, OSError, TypeError):
        return None
    return libc


def map_large_blocks() -> None:
    """Serve large blocks straight from the operating system, for the whole process."""
    libc = _libc()
    if libc is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def release_free_memory() -> None:
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
