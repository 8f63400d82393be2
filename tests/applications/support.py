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

import httpx2
import pyarrow as pa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from civitas.app import build_platform, create_app
from civitas.config import DEMO_PACK, IdentityProviderSetting, Settings
from civitas.core.clock import SystemClock
from civitas.exchange.cli import exchange_app
from civitas.identity.provider import Client, ProviderConfig, create_provider_app
from civitas.registries import load_registry_definitions
from tests.identity.provider_support import NUMBERS, PEOPLE, number, request_id_in
from tests.registries.fixtures import formatted_ids, registry_table, write_country
from tests.support.live_server import free_port, server_environment, stop, wait_until_answering

REGISTERS = ("population", "addresses")
CIVITAS = (sys.executable, "-m", "civitas")
ISSUER = "http://127.0.0.1:8090"
PORTAL = "http://testserver"
SECRET = "portal-test-secret"
Nodes = dict[str, str]


@dataclasses.dataclass
class World:
    portal: TestClient
    provider: TestClient

    def sign_in(self, row: int, level: str) -> None:
        """Start at the portal, choose a person and a level at the provider, come back."""
        started = self.portal.get("/en/sign-in", follow_redirects=False)
        assert started.status_code == 303, started.text
        page = self.provider.get(started.headers["location"].removeprefix(ISSUER))
        form = {"request_id": request_id_in(page.text), "identity": number(row), "level": level}
        answer = self.provider.post("/authorize", data=form, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        back = self.portal.get(answer.headers["location"].removeprefix(PORTAL))
        assert back.status_code == 200, back.text


def write_registers(data_dir: Path, others: tuple[str, ...] = ()) -> None:
    """Population (the identity tests' families), one address for each person, and a record
    for each in every register of ``others``."""

    def ids(rows: list[int | None]) -> pa.Array:
        return pa.array([int(NUMBERS[r]) if r is not None else None for r in rows], pa.int64())

    population = pa.table(
        {
            "citizen_number": formatted_ids(NUMBERS),
            "national_id": pa.array(NUMBERS, pa.int64()),
            "first_name": [p[0] for p in PEOPLE],
            "family_name": [p[1] for p in PEOPLE],
            "sex": ["F"] * len(PEOPLE),
            "birth_date": pa.array([p[2] for p in PEOPLE], pa.date32()),
            "death_date": pa.array([p[3] for p in PEOPLE], pa.date32()),
            "mother_national_id": ids([p[4] for p in PEOPLE]),
            "father_national_id": ids([p[5] for p in PEOPLE]),
            "partner_national_id": ids([None] * len(PEOPLE)),
            "municipality": ["VLD-SV"] * len(PEOPLE),
        }
    )
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
    provider_app: FastAPI = create_provider_app(
        ProviderConfig(
            issuer=ISSUER,
            clients=(
                Client("civitas-portal", SECRET, (f"{PORTAL}/sign-in/callback",), (f"{PORTAL}/",)),
            ),
            country_dir=data_dir / "country",
            key_file=data_dir / "idp" / "key.json",
        ),
        clock=clock,
    )
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data_dir,
        database_url=f"sqlite:///{database}",
        public_url=PORTAL,
        registry_urls=nodes,
        delivery_seconds=0.2,  # the outbox is sent at once, not every ten seconds
        identity_providers=[
            IdentityProviderSetting(
                id="valdoria-id",
                name="Valdoria ID",
                issuer=ISSUER,
                client_id="civitas-portal",
                client_secret=SecretStr(SECRET),
            )
        ],
    )
    transport = httpx2.ASGITransport(app=provider_app)
    platform = build_platform(settings, clock=clock, identity_transport=transport)
    with (
        TestClient(create_app(settings, platform), raise_server_exceptions=False) as client,
        TestClient(provider_app, base_url=ISSUER, raise_server_exceptions=False) as provider,
    ):
        yield World(client, provider)
