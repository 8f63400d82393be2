"""`civitas registry serve NAME` runs a node as its own process, answering over loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from civitas.config import DEMO_PACK
from civitas.registries.pack import load_registry_definitions
from tests.registries.fixtures import change_events, national_ids, registry_table, write_country
from tests.support.live_server import REPO_ROOT, free_port

PEOPLE = 50


def environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVITAS_")}
    env["CIVITAS_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


def civitas(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "civitas", *args],
        cwd=data_dir,
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose country holds the demo pack's tax and benefits registries."""
    data = tmp_path_factory.mktemp("data")
    definitions = {d.id: d for d in load_registry_definitions(DEMO_PACK)}
    owners = national_ids(PEOPLE)
    tax = registry_table(definitions["tax"], owners)
    tables = {
        "tax": tax,
        "benefits": registry_table(definitions["benefits"], owners.repeat(2)),
    }
    write_country(data / "country", tables, {"tax": [change_events(definitions["tax"], tax, 5)]})
    return data


@pytest.fixture(scope="module")
def node(data_dir: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    stderr_path = data_dir / "node.err"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "civitas", "registry", "serve", "tax", "--port", str(port)],
            cwd=data_dir,
            env=environment(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, stderr_path.read_text()
        try:
            httpx.get(base_url + "/", timeout=2)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    try:
        yield base_url, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_a_node_process_answers_lookups_extracts_and_changes_over_loopback(
    node: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base_url, _process = node
    with httpx.Client(base_url=base_url, timeout=10) as client:
        assert client.get("/").json()["rows"] == PEOPLE
        person = f"{national_ids(PEOPLE)[4]:09d}"
        records = client.get(f"/people/{person}").json()["records"]
        assert [r["national_id"] for r in records] == [int(person)]
        number = records[0]["taxpayer_number"]
        assert client.get(f"/records/{number}").json()["record"] == records[0]
        assert client.get("/records/TX-123456789").status_code == 404
        assert client.get("/records/TX-1").json()["status"] == 400
        extract = pq.read_table(pa.BufferReader(client.get("/extract.parquet").content))
        assert extract.num_rows == PEOPLE
        assert [e["seq"] for e in client.get("/changes").json()["events"]] == [1, 2, 3, 4, 5]
        assert "/changes" in client.get("/openapi.json").json()["paths"]


def test_a_node_process_stops_cleanly_on_sigterm(
    node: tuple[str, subprocess.Popen[bytes]],
) -> None:
    _base_url, process = node
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0


def test_serving_before_the_country_is_generated_says_what_to_do(tmp_path: Path) -> None:
    result = civitas("registry", "serve", "tax", data_dir=tmp_path)
    assert result.returncode == 1
    assert "has not been generated yet" in result.stderr
    assert "Generate it first: civitas country generate" in result.stderr


def test_serving_an_unknown_registry_lists_the_known_ones(data_dir: Path) -> None:
    result = civitas("registry", "serve", "taxes", data_dir=data_dir)
    assert result.returncode == 1
    assert "no registry called 'taxes'" in result.stderr
    assert "population, addresses, tax" in result.stderr


def test_a_node_refuses_to_start_on_a_damaged_file(tmp_path: Path, data_dir: Path) -> None:
    damaged = tmp_path / "data"
    (damaged / "country").mkdir(parents=True)
    for path in (data_dir / "country").rglob("*"):
        if path.is_file():
            target = damaged / "country" / path.relative_to(data_dir / "country")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    tax = damaged / "country" / "registries" / "tax.parquet"
    tax.write_bytes(tax.read_bytes()[:-100])
    result = civitas("registry", "serve", "tax", "--port", str(free_port()), data_dir=damaged)
    assert result.returncode == 1
    assert "registries/tax.parquet" in result.stderr


def test_list_shows_each_registry_owner_and_whether_its_file_is_verified(data_dir: Path) -> None:
    result = civitas("registry", "list", data_dir=data_dir)
    assert result.returncode == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    tax_owner = next(d for d in load_registry_definitions(DEMO_PACK) if d.id == "tax").organisation
    assert f"owner {tax_owner}" in lines["tax"]
    assert f"verified, {PEOPLE} rows" in lines["tax"]
    assert "not in the manifest" in lines["population"]
