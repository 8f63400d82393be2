"""A small country whose registers the law says must hear of a new address, served by
real registry nodes behind the exchange; one of them (benefits) is down until a test
starts it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.applications.support import Nodes, registry_nodes, write_registers
from tests.support.live_server import free_port

UP = ("addresses", "tax", "social-security", "health", "education")
DOWN = "benefits"  # starts later: its delivery waits


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("country")
    write_registers(data, others=tuple(r for r in (*UP, DOWN) if r != "addresses"))
    return data


@pytest.fixture(scope="session")
def down_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def nodes(data_dir: Path, down_port: int) -> Iterator[Nodes]:
    with registry_nodes(data_dir, UP) as urls:
        yield {**urls, DOWN: f"http://127.0.0.1:{down_port}"}
