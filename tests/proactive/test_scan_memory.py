"""While the scan runs, NumPy asks for no huge pages and glibc keeps freed memory for
the next array; afterwards both are as they were."""

from __future__ import annotations

import ctypes
import resource
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from civitas.proactive.scan import memory
from civitas.proactive.scan.memory import scan_memory

SIZE = 64 << 20  # far above glibc's threshold for mapping a block apart


@pytest.mark.parametrize("before", [True, False])
def test_small_pages_last_until_the_block_ends(before: bool) -> None:
    toggle = _toggle()
    was = toggle(before)
    try:
        with scan_memory():
            assert toggle(False) is False  # (it says what it was)
        assert toggle(before) is before
    finally:
        toggle(was)


def test_large_arrays_are_served_from_the_heap_and_kept_there_until_the_block_ends() -> None:
    libc = _libc()
    with scan_memory():
        mapped, resident = _info(libc).hblkhd, _resident()
        array = np.ones(SIZE // 8)
        assert _info(libc).hblkhd == mapped  # from the heap, not mapped apart
        del array
        assert _info(libc).fordblks >= SIZE  # freed, and kept for the next array
        assert _resident() >= resident + SIZE * 0.9
    assert _resident() <= resident + SIZE * 0.1  # given back to the system afterwards
    larger = _info(libc).fordblks + SIZE  # than all the heap keeps free
    array = np.empty(larger // 8)
    assert _info(libc).hblkhd >= mapped + larger  # as before: mapped apart
    del array


def _resident() -> int:
    """The bytes of this process in memory."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _info(libc: Any) -> _MallInfo2:
    info: _MallInfo2 = libc.mallinfo2()
    return info


def _libc() -> Any:
    libc = memory._glibc()
    assert libc is not None, "the C library is not glibc: the scan keeps no memory"
    assert hasattr(libc, "mallinfo2"), "glibc 2.33 or newer is needed to read its heap"
    libc.mallinfo2.restype = _MallInfo2
    return libc


def _toggle() -> Callable[[bool], bool]:
    toggle = memory._numpy_toggle()
    assert toggle is not None, "this NumPy has no switch for huge pages"
    return toggle
