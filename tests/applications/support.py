"""A small country with the demo pack's population and address registers, served by real
registry nodes behind the exchange, and a portal that signs people in through the
development provider in-process (as tests/identity/test_sign_in.py does).

The nodes check each request's time against their own clock, so the portal runs on
the system clock here.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from civitas.config import DEMO_PACK
from civitas.core.clock import SystemClock
from civitas.exchange.cli import exchange_app
from civitas.registries import load_registry_definitions
from tests.identity.portal_support import sign_in
from tests.identity.provider_support import NUMBERS, PEOPLE
from tests.registries.fixtures import registry_table, write_country
from tests.support.live_server import free_port, server_environment, stop, wait_until_answering
from tests.support.signed_portal import (
    ISSUER,
    population_table,
    portal_app,
    portal_settings,
    trusting_provider,
)

REGISTERS = ("population", "addresses")
CIVITAS = (sys.executable, "-m", "civitas")
Nodes = dict[str, str]


@dataclasses.dataclass
class World:
    portal: TestClient
    provider: TestClient

    def sign_in(self, row: int, level: str) -> None:
        """Start at the portal, choose a person and a level at the provider, come back."""
        back = sign_in(self.portal, self.provider, row, level)
        landed = self.portal.get(back.headers["location"], follow_redirects=True)
        assert landed.status_code == 200, landed.text


def write_registers(data_dir: Path, others: tuple[str, ...] = ()) -> None:
    """Population (the identity tests' families), one address for each person, and a record
    for each in every register of ``others``."""
    population = population_table(PEOPLE, NUMBERS)
    definitions = {d.id: d for d in load_registry_definitions(DEMO_PACK)}
    tables = {name: registry_table(definitions[name], NUMBERS) for name in ("addresses", *others)}
    write_country(data_dir / "country", {"population": population, **tables})
    keys = CliRunner().invoke(
        exchange_app,
        ["keys", "--data-dir", str(data_dir)],
        env={"CIVITAS_COUNTRY_PACK": str(DEMO_PACK)},
    )
    assert keys.exit_code == 0, keys.output


@contextmanager
def registry_nodes(
    data_dir: Path, registers: tuple[str, ...] = REGISTERS, ports: dict[str, int] | None = None
) -> Iterator[Nodes]:
    """The registers (population and addresses unless told), each its own process behind its
    exchange gate; on the given ``ports``, or free ones."""
    started: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}
    try:
        for registry in registers:
            port = (ports or {}).get(registry) or free_port()
            with (data_dir / f"{registry}.err").open("wb") as stderr:
                started[registry] = (
                    f"http://127.0.0.1:{port}",
                    subprocess.Popen(
                        [
                            *CIVITAS,
                            "registry",
                            "serve",
                            registry,
                            "--port",
                            str(port),
                            "--exchange",
                        ],
                        cwd=data_dir,
                        env=server_environment(data_dir),
                        stdout=subprocess.DEVNULL,
                        stderr=stderr,
                    ),
                )
        for registry, (url, process) in started.items():
            wait_until_answering(process, url + "/openapi.json", data_dir / f"{registry}.err")
        yield {registry: url for registry, (url, _process) in started.items()}
    finally:
        for _url, process in started.values():
            stop(process)


@contextmanager
def portal(data_dir: Path, nodes: Nodes, database: Path) -> Iterator[World]:
    """The portal, pointed at the nodes, with its own database; the provider in-process."""
    clock = SystemClock()
    provider_app = trusting_provider(data_dir / "country", data_dir / "idp" / "key.json", clock)
    settings = portal_settings(
        data_dir,
        database_url=f"sqlite:///{database}",
        registry_urls=nodes,
        delivery_seconds=0.2,  # the outbox is sent at once, not every ten seconds
    )
    with (
        TestClient(
            portal_app(settings, provider_app, clock), raise_server_exceptions=False
        ) as client,
        TestClient(provider_app, base_url=ISSUER, raise_server_exceptions=False) as provider,
    ):
        yield World(client, provider)
