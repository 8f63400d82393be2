"""One small country and its registry nodes for every test of the block (they take seconds
to start)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.applications.support import Nodes, registry_nodes, write_registers


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("country")
    write_registers(data)
    return data


@pytest.fixture(scope="session")
def nodes(data_dir: Path) -> Iterator[Nodes]:
    with registry_nodes(data_dir) as urls:
        yield urls
