"""The event queue in NATS JetStream, against a real nats-server: events are queued once,
taken in order, delivered again until acknowledged, and handled once however often
they arrive."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import pytest
from sqlalchemy import Engine, delete, select

from civitas.catalogue import load_catalogue
from civitas.config import DEMO_PACK, Settings
from civitas.core.clock import FixedClock
from civitas.core.errors import ExternalServiceUnavailable
from civitas.db import create_engine_for, migrate
from civitas.proactive.database_queue import DatabaseQueue
from civitas.proactive.domain import ChangeEvent
from civitas.proactive.nats_queue import NatsQueue
from civitas.proactive.plan import plan_of
from civitas.proactive.ports import Received, Settled
from civitas.proactive.queues import open_queue
from civitas.proactive.services import EventHandler
from civitas.proactive.store import SqlDecisionStore, cursors_table, decisions_table
from civitas.proactive.worker import Worker
from civitas.registries import load_registry_definitions
from civitas.rules import load_rules
from tests.proactive.fakes import (
    BABY,
    FATHER,
    MOTHER,
    FakeFeeds,
    FakeRegisters,
    event,
    household,
    person,
)
from tests.support.live_server import free_port
from tests.support.nats import throwaway_nats

pytestmark = pytest.mark.anyio

NOW = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)


def now() -> dt.datetime:
    return NOW


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'civitas.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
async def queue(nats_url: str, engine: Engine) -> AsyncIterator[NatsQueue]:
    opened = await NatsQueue.connect(nats_url, engine=engine, now=now)
    yield opened
    await opened.close()


def page(registry: str = "population", first: int = 1, count: int = 3) -> list[ChangeEvent]:
    return [
        event("move", MOTHER, registry=registry, seq=seq, changes={"municipality": "VLD-SV"})
        for seq in range(first, first + count)
    ]


def events_of(received: list[Received]) -> list[ChangeEvent]:
    return [r.event for r in received]


async def taken_within(queue: NatsQueue, seconds: float) -> list[Received]:
    """What the queue gives, waiting up to ``seconds`` for something to be given."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not (found := await queue.take(10)):
        assert asyncio.get_running_loop().time() < deadline, "nothing was delivered again"
    return found


async def test_events_published_are_taken_in_the_order_they_were_published(
    queue: NatsQueue,
) -> None:
    population, social = page("population"), page("social-security", first=7, count=2)
    await queue.publish("population", population, "3")
    await queue.publish("social-security", social, "8")
    taken = await queue.take(10)
    assert events_of(taken) == population + social  # dates and changes come back as they went
    await queue.done(taken)
    assert await queue.take(10) == []


async def test_the_feed_cursor_is_saved_in_the_database_after_publishing(
    queue: NatsQueue, engine: Engine
) -> None:
    assert queue.cursor("population") is None
    await queue.publish("population", page(), "3")
    await queue.publish("population", [], "5")  # a page of nothing still moves the cursor
    assert queue.cursor("population") == "5"
    assert DatabaseQueue(engine, now).cursor("population") == "5"  # one table for both queues


async def test_publishing_the_same_page_twice_queues_each_event_once(queue: NatsQueue) -> None:
    await queue.publish("population", page(), "3")
    await queue.publish("population", page(), "3")  # the worker died before saving the cursor
    taken = await queue.take(10)
    assert len(taken) == 3
    await queue.done(taken)
    await queue.publish("population", page(), "3")  # even once handled and acknowledged
    assert await queue.take(10) == []


async def test_an_event_not_acknowledged_comes_again_and_handling_it_twice_changes_nothing(
    nats_url: str, engine: Engine
) -> None:
    store = SqlDecisionStore(engine, now)
    birth = event("birth", BABY)
    first = await NatsQueue.connect(nats_url, engine=engine, now=now, ack_wait=1)
    await first.publish("population", [birth], "1")
    (taken,) = await first.take(10)
    store.settle([Settled(taken.event, outcome="ignored")])
    await first.close()  # the worker is killed after committing, before acknowledging

    again = await NatsQueue.connect(nats_url, engine=engine, now=now, ack_wait=1)
    try:
        (redelivered,) = await taken_within(again, seconds=5)
        assert redelivered.event == birth
        assert store.handled([birth.key]) == {birth.key}  # so the worker skips it
        assert store.settle([Settled(redelivered.event, outcome="ignored")]) == []
        assert store.counts() == {"received": 1, "handled": 1, "problems": 0}
        await again.done([redelivered])
        await asyncio.sleep(1.5)  # longer than ack_wait: an acknowledged event stays gone
        assert await again.take(10) == []
    finally:
        await again.close()


async def test_a_message_that_is_no_change_event_is_dropped_for_good(
    queue: NatsQueue, nats_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = await nats.connect(nats_url)
    await client.jetstream().publish("civitas.events.population.birth", b"not json")
    await client.close()
    await queue.publish("population", page(count=1), "1")
    taken = await queue.take(10)
    assert events_of(taken) == page(count=1)
    assert "dropped a message on civitas.events.population.birth: no change event" in caplog.text
    await queue.done(taken)
    for _ in range(100):  # the broker counts acknowledgements a moment after it has them
        if (await queue.subscription.consumer_info()).num_ack_pending == 0:
            break
        await asyncio.sleep(0.02)
    assert (await queue.subscription.consumer_info()).num_ack_pending == 0  # not coming back


async def test_a_restarted_queue_resumes_where_the_old_one_stopped(
    nats_url: str, engine: Engine
) -> None:
    events = page(count=5)
    first = await NatsQueue.connect(nats_url, engine=engine, now=now)
    await first.publish("population", events, "5")
    taken = await first.take(2)
    await first.done(taken)
    await first.close()

    restarted = await NatsQueue.connect(nats_url, engine=engine, now=now)
    try:
        assert restarted.cursor("population") == "5"
        rest = await restarted.take(10)
        assert events_of(taken) + events_of(rest) == events
    finally:
        await restarted.close()


async def test_an_unreachable_broker_is_named_with_what_to_do_and_no_password(
    engine: Engine,
) -> None:
    url = f"nats://civitas:secret@127.0.0.1:{free_port()}"
    with pytest.raises(ExternalServiceUnavailable) as raised:
        await NatsQueue.connect(url, engine=engine, now=now, connect_timeout=0.5)
    message, hint = raised.value.render()
    assert "civitas:***@127.0.0.1" in message
    assert "could not be reached" in message
    assert "secret" not in message
    assert "nats-server -js" in hint
    assert "CIVITAS_EVENT_BROKER_URL" in hint


async def test_a_broker_without_jetstream_is_told_apart(engine: Engine) -> None:
    with (
        throwaway_nats(jetstream=False) as url,
        pytest.raises(ExternalServiceUnavailable) as raised,
    ):
        await NatsQueue.connect(url, engine=engine, now=now)
    message, hint = raised.value.render()
    assert f"{url} answers, but without JetStream" in message
    assert "nats-server -js" in hint


async def test_the_setting_chooses_the_queue(nats_url: str, engine: Engine, tmp_path: Path) -> None:
    embedded = Settings(data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert isinstance(await open_queue(embedded, engine, now), DatabaseQueue)
    brokered = Settings(  # type: ignore[call-arg]
        data_dir=tmp_path, event_broker_url=nats_url, _env_file=None
    )
    opened = await open_queue(brokered, engine, now)
    assert isinstance(opened, NatsQueue)
    await opened.close()


async def test_the_worker_over_nats_handles_every_event_once(nats_url: str, engine: Engine) -> None:
    home = household(
        MOTHER,
        {MOTHER: person("1990-05-01", 60_000), FATHER: person("1988-02-03", 0)},
        {BABY: person("2026-03-10")},
    )
    registers = FakeRegisters({MOTHER: home, FATHER: home}, {BABY: (MOTHER, FATHER)})
    feeds = FakeFeeds(
        {
            "population": [
                event("birth", BABY, seq=1),
                event("move", MOTHER, seq=2),
                event("birth", "999999990", seq=3),  # unknown: kept with its problem
                event("move", FATHER, seq=4),
            ],
            "social-security": [event("job_loss", FATHER, registry="social-security", seq=1)],
        }
    )
    plan = plan_of(DEMO_PACK, load_catalogue(DEMO_PACK), load_registry_definitions(DEMO_PACK))
    store = SqlDecisionStore(engine, now)
    handler = EventHandler(plan, load_rules(DEMO_PACK), registers, store, FixedClock(NOW))
    queue = await NatsQueue.connect(nats_url, engine=engine, now=now)
    try:
        worker = Worker(feeds, queue, handler, store, batch=2)
        first = await worker.round()
        assert (first.read, first.handled) == (5, 5)
        assert first.decisions > 0
        assert store.counts() == {"received": 5, "handled": 5, "problems": 1}

        with engine.begin() as connection:  # as if the cursors were never saved
            connection.execute(delete(cursors_table))
        again = await worker.round()
        assert (again.read, again.handled, again.decisions) == (5, 0, 0)
    finally:
        await queue.close()
    with engine.connect() as connection:
        kept = connection.execute(select(decisions_table.c.key)).scalars().all()
    assert len(kept) == first.decisions == len(set(kept))
    assert store.counts() == {"received": 5, "handled": 5, "problems": 1}
