"""The scan turns NumPy's huge pages off while it runs, and back as they were after."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from civitas.proactive.scan import pages
from civitas.proactive.scan.pages import small_pages


@pytest.mark.parametrize("before", [True, False])
def test_small_pages_last_until_the_block_ends(before: bool) -> None:
    toggle = _toggle()
    was = toggle(before)
    try:
        with small_pages():
            assert toggle(False) is False  # (it says what it was)
        assert toggle(before) is before
    finally:
        toggle(was)


def _toggle() -> Callable[[bool], bool]:
    toggle = pages._toggle()
    assert toggle is not None, "this NumPy has no switch for huge pages"
    return toggle
