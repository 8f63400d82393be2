"""The courier and its outbox on a migrated database: due deliveries are sent once, an
unreachable agency is tried again later with growing pauses, a refusal is final, and two
couriers never send the same delivery at the same time."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from civitas.core.clock import FixedClock
from civitas.core.errors import CivitasError, ExternalServiceUnavailable, InvalidInput
from civitas.core.rounds import pause_after
from civitas.db import create_engine_for, migrate
from civitas.deliveries import Courier, Delivery, DeliveryState, Parcel, SqlDeliveryStore

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def parcel(service: str = "tax-authority/tax/address-change") -> Parcel:
    return Parcel(service, "123456789", {"street": "Rua"}, "tell-us-once", "123456789", "t:1")


class Agencies:
    """Agencies that answer as a test tells them: a message id, or an error to raise."""

    def __init__(self) -> None:
        self.answers: dict[str, CivitasError | None] = {}
        self.sent: list[str] = []

    async def deliver(self, delivery: Delivery) -> str:
        self.sent.append(delivery.id)
        problem = self.answers.get(delivery.parcel.service)
        if problem is not None:
            raise problem
        return f"msg-{len(self.sent)}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqlDeliveryStore]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'portal.db'}")
    migrate(engine)
    yield SqlDeliveryStore(engine)
    engine.dispose()


def test_a_due_delivery_is_sent_once_and_noted(store: SqlDeliveryStore) -> None:
    clock, agencies = FixedClock(NOW), Agencies()
    (made,) = store.add([parcel()], NOW)
    courier = Courier(store, agencies, clock)
    assert asyncio.run(courier.send_due()) == 1
    assert asyncio.run(courier.send_due()) == 0
    (sent,) = store.of_topic("t:1")
    assert (sent.state, sent.message_id, sent.delivered_at, sent.attempts) == (
        DeliveryState.DELIVERED,
        "msg-1",
        NOW,
        1,
    )
    assert agencies.sent == [made.id]


def test_an_unreachable_agency_is_tried_again_after_growing_pauses(
    store: SqlDeliveryStore,
) -> None:
    clock, agencies = FixedClock(NOW), Agencies()
    agencies.answers["tax-authority/tax/address-change"] = ExternalServiceUnavailable("down")
    store.add([parcel()], NOW)
    courier = Courier(store, agencies, clock)
    asyncio.run(courier.send_due())
    (waiting,) = store.of_topic("t:1")
    assert waiting.state is DeliveryState.PENDING
    assert waiting.next_attempt_at == NOW + dt.timedelta(seconds=30)
    assert waiting.problem == "down"
    clock.advance(dt.timedelta(seconds=29))
    asyncio.run(courier.send_due())
    assert len(agencies.sent) == 1  # not due yet
    clock.advance(dt.timedelta(seconds=1))
    asyncio.run(courier.send_due())
    assert store.of_topic("t:1")[0].next_attempt_at == clock.now() + dt.timedelta(minutes=1)
    agencies.answers.clear()  # back up
    clock.advance(dt.timedelta(minutes=1))
    asyncio.run(courier.send_due())
    (done,) = store.of_topic("t:1")
    assert (done.state, done.attempts, done.problem) == (DeliveryState.DELIVERED, 3, "")


def test_a_refusal_is_final_and_kept_for_the_person_to_see(store: SqlDeliveryStore) -> None:
    clock, agencies = FixedClock(NOW), Agencies()
    agencies.answers["tax-authority/tax/address-change"] = InvalidInput("The street is missing.")
    store.add([parcel(), parcel("civil-registry/addresses/address-change")], NOW)
    courier = Courier(store, agencies, clock)
    assert asyncio.run(courier.send_due()) == 1
    clock.advance(dt.timedelta(days=1))
    asyncio.run(courier.send_due())
    states = {d.parcel.service: (d.state, d.problem) for d in store.of_topic("t:1")}
    assert states == {
        "tax-authority/tax/address-change": (DeliveryState.REFUSED, "The street is missing."),
        "civil-registry/addresses/address-change": (DeliveryState.DELIVERED, ""),
    }
    assert len(agencies.sent) == 2


def test_a_delivery_taken_by_one_courier_is_not_taken_by_another(
    store: SqlDeliveryStore,
) -> None:
    store.add([parcel()], NOW)
    assert len(store.take_due(NOW, 10)) == 1
    assert store.take_due(NOW, 10) == []  # leased
    later = NOW + dt.timedelta(minutes=3)  # the first courier died: the lease ends
    assert len(store.take_due(later, 10)) == 1


def test_the_pauses_grow_to_an_hour() -> None:
    assert [pause_after(n).total_seconds() for n in (1, 2, 3, 8, 30)] == [
        30,
        60,
        120,
        3600,
        3600,
    ]


def test_the_courier_runs_until_stopped_and_sends_when_woken(store: SqlDeliveryStore) -> None:
    clock, agencies = FixedClock(NOW), Agencies()
    courier = Courier(store, agencies, clock)

    async def scenario() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(courier.run(stop, every=60))
        await asyncio.sleep(0.05)
        store.add([parcel()], NOW)
        courier.wake()
        for _ in range(100):
            await asyncio.sleep(0.01)
            if agencies.sent:
                break
        stop.set()
        await asyncio.wait_for(running, 1)

    asyncio.run(scenario())
    assert store.of_topic("t:1")[0].state is DeliveryState.DELIVERED
