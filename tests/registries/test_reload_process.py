"""A node process behind the exchange follows its country while it runs: `civitas country
advance` publishes a period, the node serves its records and change events without a
restart, and a feed reader that paged before resumes without gaps or repeats."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from civitas.config import DEMO_PACK
from civitas.exchange import Consumer, ExchangeClient, ensure_keys, load_exchange, open_consumer
from civitas.registries import FeedPage, load_registry_definitions, read_changes
from civitas.synthetic import generate_country
from civitas.synthetic.next_period import advance_country
from civitas.synthetic.shape import load_shape
from tests.support.live_server import free_port, server_environment, stop, wait_until_answering

POPULATION = "civil-registry/population"
PURPOSE = "proactive-services"
PEOPLE, SEED = 1000, 2  # a birth in the second month, a few deaths and marriages in the first


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    generate_country(DEMO_PACK, PEOPLE, SEED, data / "country")
    ensure_keys(data, load_exchange(DEMO_PACK).member_codes)
    return data


@pytest.fixture(scope="module")
def node(data_dir: Path) -> Iterator[str]:
    url = f"http://127.0.0.1:{free_port()}"
    command = [sys.executable, "-m", "civitas", "registry", "serve", "population"]
    options = ["--port", url.rsplit(":", 1)[1], "--exchange", "--reload-seconds", "0.2"]
    stderr = data_dir / "population.err"
    with stderr.open("wb") as errors:
        process = subprocess.Popen(
            [*command, *options],
            cwd=data_dir,
            env=server_environment(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    try:
        wait_until_answering(process, url + "/openapi.json", stderr)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def worker(data_dir: Path) -> Iterator[Consumer]:
    party = open_consumer(DEMO_PACK, data_dir, "civil-registry", "proactive")
    yield party
    party.close()


def advance(country: Path) -> None:
    advance_country(
        country,
        days=30,
        shape=load_shape(DEMO_PACK),
        definitions=load_registry_definitions(DEMO_PACK),
    )


def period_events(country: Path, period: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = pq.read_table(
        country / "changes" / "population" / f"{period:05d}.parquet"
    ).to_pylist()
    return rows


async def until(read: Any, done: Any) -> FeedPage:
    """Read until ``done(page)``: the node swaps the period in within a few polls."""
    deadline = time.monotonic() + 60
    while True:
        page: FeedPage = await read()
        if done(page):
            return page
        assert time.monotonic() < deadline, "the node did not serve the new period"
        await asyncio.sleep(0.1)


def test_a_node_follows_the_country_and_a_feed_reader_resumes_across_periods(
    data_dir: Path, node: str, worker: Consumer
) -> None:
    country = data_dir / "country"

    async def scenario() -> None:
        async with ExchangeClient(worker, {POPULATION: node}) as exchange:

            def page(after: str | None, limit: int) -> Any:
                return read_changes(exchange, POPULATION, after, limit, PURPOSE)

            start = await page(None, 100)
            assert (start.events, start.more) == ([], False)  # period 0 has no changes

            await asyncio.to_thread(advance, country)
            first = period_events(country, 1)
            assert len(first) > 2
            opened = await until(lambda: page(start.next, 2), lambda p: p.events)
            assert [e["seq"] for e in opened.events] == [1, 2]
            assert opened.more is True
            read = [e["seq"] for e in opened.events]

            await asyncio.to_thread(advance, country)
            second = period_events(country, 2)
            last = second[-1]["seq"]
            rest = await until(
                lambda: page(opened.next, 1000), lambda p: p.events[-1]["seq"] == last
            )
            read += [e["seq"] for e in rest.events]
            assert read == [e["seq"] for e in first + second]  # no gap, no repeat
            assert rest.more is False

            # The period's new records are served: a baby born in it.
            (baby,) = [e["national_id"] for e in second if e["kind"] == "birth"][:1]
            born = f"{baby:09d}"
            answer = await exchange.get(
                f"{POPULATION}/person", born, purpose=PURPOSE, user="proactive", case="c"
            )
            record = answer.json()["records"][0]  # type: ignore[index]
            assert record["national_id"] == baby
            assert "citizen_number" not in record  # only the granted columns
            assert record["birth_date"] == next(
                e["occurred_on"].isoformat() for e in second if e["kind"] == "birth"
            )

    asyncio.run(scenario())
