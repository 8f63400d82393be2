"""One small country with its population and health registers, each a real node behind its
exchange gate, for every test of the block (they take seconds to start)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.applications.support import Nodes, registry_nodes, write_registers

REGISTERS = ("population", "health")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("consents-country")
    write_registers(data, others=("health",))
    return data


@pytest.fixture(scope="session")
def nodes(data_dir: Path) -> Iterator[Nodes]:
    with registry_nodes(data_dir, REGISTERS) as urls:
        yield urls
