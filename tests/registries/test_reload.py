"""A running node follows its country: a new period is verified and swapped in without a
restart, cursors stay valid across the swap, and a period that fails a check is not served."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from civitas.registries.node import create_registry_app, load_registry
from civitas.registries.ports import OpenAccessLog
from civitas.registries.reload import PeriodReloader
from civitas.registries.services import RegistryNode
from tests.registries.fixtures import (
    TAX,
    change_events,
    national_ids,
    publish_period,
    registry_table,
    small_country,
    small_tables,
)

PEOPLE = 30
FIRST = 12  # change events in the country as generated (three periods of four)
NEXT = 7  # change events of the period published while the node runs
NEWCOMERS = 5  # tax records the next period adds


@pytest.fixture
def country(tmp_path: Path) -> Path:
    return small_country(tmp_path / "country", PEOPLE, events=FIRST)


def next_tax(people: int = PEOPLE + NEWCOMERS) -> pa.Table:
    return registry_table(TAX, national_ids(people))


def advance(country: Path, period: int = 4, first_seq: int = FIRST + 1) -> pa.Table:
    """Publish the next period: more taxpayers, NEXT new events numbered on."""
    tax = next_tax()
    events = change_events(TAX, tax, NEXT, first_seq=first_seq)
    publish_period(country, {"tax": tax}, {"tax": events}, period)
    return tax


def check(app: FastAPI) -> bool:
    reloader: PeriodReloader = app.state.reloader
    return asyncio.run(reloader.check())


@pytest.fixture
def node(country: Path) -> Iterator[tuple[TestClient, FastAPI]]:
    # Looks only when the test says so (check), so each step is deterministic.
    app = create_registry_app(TAX, country, reload_seconds=3600)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, app


def feed(client: TestClient, after: str | None = None, limit: int = 1000) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit}
    if after:
        params["after"] = after
    answer: dict[str, Any] = client.get("/changes", params=params).json()
    return answer


def test_a_node_serves_the_next_period_without_a_restart(
    node: tuple[TestClient, FastAPI], country: Path
) -> None:
    client, app = node
    newcomer = f"{national_ids(PEOPLE + NEWCOMERS)[-1]:09d}"
    assert client.get(f"/people/{newcomer}").status_code == 404
    assert client.get("/").json()["period"] == 3
    assert check(app) is False  # nothing new yet

    advance(country)
    assert check(app) is True
    info = client.get("/").json()
    assert (info["period"], info["rows"], info["changes"]) == (4, PEOPLE + NEWCOMERS, FIRST + NEXT)
    assert client.get(f"/people/{newcomer}").json()["records"][0]["national_id"] == int(newcomer)
    assert [e["seq"] for e in feed(client)["events"]] == list(range(1, FIRST + NEXT + 1))
    assert check(app) is False  # the same manifest is not loaded twice


def test_a_reader_that_paged_before_the_advance_resumes_without_gaps_or_repeats(
    node: tuple[TestClient, FastAPI], country: Path
) -> None:
    client, app = node
    read: list[int] = []
    page = feed(client, limit=5)
    read += [e["seq"] for e in page["events"]]
    page = feed(client, page["next"], limit=5)
    read += [e["seq"] for e in page["events"]]
    assert page["more"] is True
    cursor = page["next"]  # kept across the swap: seq 10 of 12

    advance(country)
    assert check(app) is True
    while True:
        page = feed(client, cursor, limit=4)
        read += [e["seq"] for e in page["events"]]
        cursor = page["next"]
        if not page["more"]:
            break
    assert read == list(range(1, FIRST + NEXT + 1))


def test_a_reader_at_the_end_of_the_feed_gets_the_new_events_after_the_swap(
    node: tuple[TestClient, FastAPI], country: Path
) -> None:
    client, app = node
    done = feed(client)
    assert (len(done["events"]), done["more"]) == (FIRST, False)
    advance(country)
    assert check(app) is True
    new = feed(client, done["next"])
    assert [e["seq"] for e in new["events"]] == list(range(FIRST + 1, FIRST + NEXT + 1))
    assert new["more"] is False


def test_a_period_that_fails_verification_is_not_served_and_the_reason_is_logged(
    node: tuple[TestClient, FastAPI], country: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client, app = node
    advance(country)
    damaged = country / "changes" / "tax" / "00004.parquet"
    whole = damaged.read_bytes()
    damaged.write_bytes(whole[:-40])  # after the manifest measured it
    with caplog.at_level(logging.WARNING, "civitas.registries.reload"):
        assert check(app) is False
    assert client.get("/").json()["period"] == 3  # the old period, whole
    assert [e["seq"] for e in feed(client)["events"]] == list(range(1, FIRST + 1))
    (line,) = [r.getMessage() for r in caplog.records]
    assert line.startswith("registry=tax keeps period 3: the new data was refused:")
    assert "changes/tax/00004.parquet" in line
    assert app.state.reloader.refused is not None

    damaged.write_bytes(whole)
    advance(country, period=5, first_seq=FIRST + NEXT + 1)  # the next good period is served
    assert check(app) is True
    assert client.get("/").json()["period"] == 5
    assert app.state.reloader.refused is None


def test_a_period_whose_feed_goes_back_is_not_served(
    node: tuple[TestClient, FastAPI], country: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client, app = node
    tax = small_tables(PEOPLE)["tax"]
    # Same feed, but period 1 with fewer events: cursors given out would skip events.
    publish_period(country, {"tax": tax}, {"tax": change_events(TAX, tax, 2)}, 1, fresh=True)
    with caplog.at_level(logging.WARNING, "civitas.registries.reload"):
        assert check(app) is False
    assert "goes back (period 1, feed up to seq 2)" in caplog.text
    assert client.get("/").json()["period"] == 3


def test_a_country_generated_again_is_a_new_feed_and_old_cursors_are_refused(
    node: tuple[TestClient, FastAPI], country: Path
) -> None:
    client, app = node
    cursor = feed(client)["next"]
    tax = small_tables(PEOPLE)["tax"]
    publish_period(country, {"tax": tax}, {"tax": change_events(TAX, tax, 3)}, 1, 2, fresh=True)
    assert check(app) is True
    refused = client.get("/changes", params={"after": cursor})
    assert refused.status_code == 400
    assert "has started again since this cursor" in refused.json()["error"]
    assert [e["seq"] for e in feed(client)["events"]] == [1, 2, 3]


def test_a_request_in_flight_finishes_on_the_period_it_started_with(
    node: tuple[TestClient, FastAPI], country: Path
) -> None:
    _client, app = node
    registry: RegistryNode = app.state.node
    _columns, pieces = registry.extract(None, {})
    first = next(pieces)  # the extract has started on period 3
    advance(country)
    assert check(app) is True
    rest = b"".join(pieces)
    assert pq.read_table(pa.BufferReader(first + rest)).num_rows == PEOPLE
    _columns, again = registry.extract(None, {})
    assert pq.read_table(pa.BufferReader(b"".join(again))).num_rows == PEOPLE + NEWCOMERS


def test_a_running_node_finds_the_new_period_by_itself(country: Path) -> None:
    app = create_registry_app(TAX, country, reload_seconds=0.05)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/").json()["period"] == 3
        advance(country)
        deadline = time.monotonic() + 30
        while client.get("/").json()["period"] != 4:
            assert time.monotonic() < deadline, "the node did not serve the new period"
            time.sleep(0.05)
        assert client.get("/").json()["changes"] == FIRST + NEXT


def test_a_node_given_its_data_does_not_look_for_new_periods(country: Path) -> None:
    app = create_registry_app(TAX, country, data=load_registry(TAX, country))
    assert app.state.reloader is None
    assert create_registry_app(TAX, country, reload_seconds=0).state.reloader is None


@pytest.fixture(scope="module")
def two_periods(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    """Period 3 and, from another folder, period 4 of the same country, both loaded."""
    before = small_country(tmp_path_factory.mktemp("before"), PEOPLE, events=FIRST)
    after = small_country(tmp_path_factory.mktemp("after"), PEOPLE, events=FIRST)
    advance(after)
    return load_registry(TAX, before), load_registry(TAX, after)


@settings(max_examples=60, deadline=None)
@given(size=st.integers(min_value=1, max_value=8), swap_after=st.integers(min_value=0, max_value=6))
def test_every_event_is_read_once_in_order_wherever_the_swap_falls(
    two_periods: tuple[Any, Any], size: int, swap_after: int
) -> None:
    before, after = two_periods
    node = RegistryNode(before, OpenAccessLog())
    read: list[int] = []
    cursor: str | None = None
    pages = 0
    while True:
        if pages == swap_after:
            node.swap(after)
        page = node.changes(cursor, size, {})
        pages += 1
        read += [e["seq"] for e in page.events]
        cursor = page.next
        if not page.more and pages > swap_after:
            break
    assert read == list(range(1, FIRST + NEXT + 1))
