"""Three registry nodes of different organisations, each its own process with its own key,
serve a client over loopback only through the exchange; every party's log verifies."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from civitas.config import DEMO_PACK
from civitas.core.errors import NotAllowed
from civitas.exchange import Consumer, ExchangeClient, log_path, open_consumer
from civitas.exchange.cli import exchange_app
from civitas.registries.pack import load_registry_definitions
from tests.registries.fixtures import national_ids, registry_table, write_country
from tests.registries.test_node_process import environment
from tests.support.live_server import free_port

PEOPLE = 30
PERSON = f"{national_ids(PEOPLE)[5]:09d}"
PARENT = f"{national_ids(PEOPLE)[2]:09d}"  # the fixtures' first parent of rows 6 to 11
PROVIDERS = {"tax": "tax-authority", "benefits": "social-security", "population": "civil-registry"}
RELATIVES = {
    "national_id",
    "first_name",
    "family_name",
    "birth_date",
    "death_date",
    "mother_national_id",
    "father_national_id",
}


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        exchange_app, list(args), env={"CIVITAS_COUNTRY_PACK": str(DEMO_PACK)}
    )
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A country with the demo pack's tax, benefits and population registries, and every
    member's key."""
    data = tmp_path_factory.mktemp("data")
    definitions = {d.id: d for d in load_registry_definitions(DEMO_PACK)}
    owners = national_ids(PEOPLE)
    write_country(
        data / "country",
        {
            "tax": registry_table(definitions["tax"], owners),
            "benefits": registry_table(definitions["benefits"], owners.repeat(2)),
            "population": registry_table(definitions["population"], owners),
        },
    )
    assert cli("keys", "--data-dir", str(data))[0] == 0
    return data


@pytest.fixture(scope="module")
def nodes(data_dir: Path) -> Iterator[dict[str, tuple[str, subprocess.Popen[bytes]]]]:
    started: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}
    for registry in PROVIDERS:
        port = free_port()
        with (data_dir / f"{registry}.err").open("wb") as stderr:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "civitas",
                    "registry",
                    "serve",
                    registry,
                    "--port",
                    str(port),
                    "--exchange",
                ],
                cwd=data_dir,
                env=environment(data_dir),
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        started[registry] = (f"http://127.0.0.1:{port}", process)
    try:
        for registry, (url, process) in started.items():
            wait_until_answering(url, process, data_dir / f"{registry}.err")
        yield started
    finally:
        for _url, process in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()


def wait_until_answering(url: str, process: subprocess.Popen[bytes], stderr: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, stderr.read_text()
        try:
            httpx.get(url + "/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not answer: {stderr.read_text()}")


@pytest.fixture(scope="module")
def portal(data_dir: Path) -> Iterator[Consumer]:
    consumer = open_consumer(DEMO_PACK, data_dir, "civil-registry", "portal")
    yield consumer
    consumer.close()


def locations(nodes: dict[str, tuple[str, subprocess.Popen[bytes]]]) -> dict[str, str]:
    return {f"{PROVIDERS[r]}/{r}": url for r, (url, _p) in nodes.items()}


def test_a_client_calls_both_providers_through_the_exchange(
    nodes: dict[str, tuple[str, subprocess.Popen[bytes]]], portal: Consumer
) -> None:
    async def scenario() -> None:
        async with ExchangeClient(portal, locations(nodes)) as exchange:
            ask = {"purpose": "own-data", "user": f"VLD{PERSON}", "case": "portal-session-1"}
            tax = await exchange.get("tax-authority/tax/person", PERSON, **ask)
            benefits = await exchange.get("social-security/benefits/person", PERSON, **ask)
            assert [r["national_id"] for r in tax.json()["records"]] == [int(PERSON)]  # type: ignore[index]
            assert len(benefits.json()["records"]) == 2  # type: ignore[index]
            with pytest.raises(NotAllowed, match="may not call tax-authority/tax/person"):
                await exchange.get(
                    "tax-authority/tax/person",
                    PERSON,
                    purpose="fraud-investigation",
                    user="u",
                    case="c",
                    legal_basis="https://legislacao.gov.vd.example/family-benefits-act-2018#article-40",
                )
            uses = await exchange.get(
                "tax-authority/tax/data-use", PERSON, purpose="data-use-report", user="u", case="c"
            )
            assert [u["purpose"] for u in uses.json()["uses"]] == ["own-data"]  # type: ignore[index]

    asyncio.run(scenario())


def test_the_portal_finds_whom_a_parent_may_act_for_with_only_the_granted_columns(
    nodes: dict[str, tuple[str, subprocess.Popen[bytes]]], portal: Consumer
) -> None:
    async def scenario() -> None:
        async with ExchangeClient(portal, locations(nodes)) as exchange:
            ask = {"user": f"VLD{PARENT}", "case": "portal-session-2"}
            answer = await exchange.get(
                "civil-registry/population/related", PARENT, purpose="representation", **ask
            )
            records = answer.json()["records"]  # type: ignore[index]
            children = [int(n) for n in national_ids(PEOPLE)[6:12]]
            assert [r["national_id"] for r in records] == children
            assert all(set(r) == RELATIVES for r in records)
            assert {r["mother_national_id"] for r in records} == {int(PARENT)}
            with pytest.raises(NotAllowed, match="may not call civil-registry/population/related"):
                await exchange.get(
                    "civil-registry/population/related", PARENT, purpose="own-data", **ask
                )
            child = f"{children[0]:09d}"
            uses = await exchange.get(
                "civil-registry/population/data-use", child, purpose="data-use-report", **ask
            )
            assert [u["purpose"] for u in uses.json()["uses"]] == ["representation"]  # type: ignore[index]

    asyncio.run(scenario())


def test_forbidden_tampered_replayed_and_plain_requests_are_refused(
    nodes: dict[str, tuple[str, subprocess.Popen[bytes]]], portal: Consumer
) -> None:
    url = nodes["tax"][0]
    with httpx.Client(base_url=url, timeout=10) as http:
        forbidden = portal.prepare(
            "tax-authority/tax/person",
            PERSON,
            purpose="benefit-eligibility",
            user="u",
            case="c",
            legal_basis="https://legislacao.gov.vd.example/family-benefits-act-2018#article-12",
        )
        refused = http.get(forbidden.target, headers=forbidden.headers)
        assert (refused.status_code, refused.headers["x-road-error"]) == (
            403,
            "Server.AccessDenied",
        )
        assert refused.json()["ok"] is False

        outgoing = portal.prepare(
            "tax-authority/tax/person", PERSON, purpose="own-data", user="u", case="c"
        )
        header, payload, signature = outgoing.headers["X-Civitas-Signature"].split(".")
        tampered = {
            **outgoing.headers,
            "X-Civitas-Signature": f"{header}.{payload}.{signature[::-1]}",
        }
        refused = http.get(outgoing.target, headers=tampered)
        assert (refused.status_code, refused.headers["x-road-error"]) == (
            403,
            "Client.InvalidSignature",
        )

        assert http.get(outgoing.target, headers=outgoing.headers).status_code == 200
        replayed = http.get(outgoing.target, headers=outgoing.headers)
        assert (replayed.status_code, replayed.headers["x-road-error"]) == (403, "Client.Replayed")

        plain = http.get(f"/people/{PERSON}", headers=outgoing.headers)
        assert plain.status_code == 403
        assert "only through the once-only exchange" in plain.json()["error"]

        unknown = http.get("/r1/VLD/GOV/tax-authority/tax/nothing/1", headers=outgoing.headers)
        assert (unknown.status_code, unknown.headers["x-road-error"]) == (
            404,
            "Server.UnknownService",
        )


def test_every_partys_log_verifies_after_the_nodes_stop(
    nodes: dict[str, tuple[str, subprocess.Popen[bytes]]], portal: Consumer, data_dir: Path
) -> None:
    for _url, process in nodes.values():
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    portal.close()
    logs = [log_path(data_dir, member, registry) for registry, member in PROVIDERS.items()]
    logs.append(log_path(data_dir, "civil-registry", "portal"))
    for path in logs:
        code, output = cli("verify-log", str(path))
        assert code == 0, output
        assert "The log is intact." in output
    tax_log = logs[0]
    lines = tax_log.read_bytes().splitlines(keepends=True)
    lines[2], lines[3] = lines[3], lines[2]
    tax_log.write_bytes(b"".join(lines))
    code, output = cli("verify-log", str(tax_log))
    assert code == 1
    assert "out of order" in output


def test_serving_with_the_exchange_before_the_keys_exist_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "civitas", "registry", "serve", "tax", "--exchange"],
        cwd=tmp_path,
        env=environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "tax-authority has no exchange key yet" in result.stderr
    assert "Make the keys with: civitas exchange keys" in result.stderr
