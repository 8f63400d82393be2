"""Fixtures of the exchange tests: a movable clock, a keyed data dir, parties closed after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import pytest

from civitas.core.clock import FixedClock
from tests.exchange.support import NOW, keyed


class Closable(Protocol):
    def close(self) -> None: ...


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return keyed(tmp_path / "data")


@pytest.fixture
def closing() -> Iterator[Callable[[Closable], None]]:
    """Register a party (or log) to close at the end of the test."""
    opened: list[Closable] = []
    yield opened.append
    for party in reversed(opened):
        party.close()
