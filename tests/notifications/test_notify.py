"""Keeping notices: one message per key, ever, also when two writers race; the deliveries
follow the person's preferences as they are when the notice is kept."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from civitas.core.errors import InvalidInput
from civitas.db import create_engine_for, migrate
from civitas.notifications import (
    Channel,
    DeliveryState,
    Preferences,
    SqlNotificationStore,
    notify,
)
from civitas.notifications.tables import deliveries_table, messages_table
from tests.notifications.conftest import NOW
from tests.notifications.support import ANA, BRUNO, World, offer


def channels(world: World, message_id: str) -> dict[str, tuple[str, str, str]]:
    """Channel -> (state, language, recipient) of a message's deliveries."""
    return {
        d.channel.value: (d.state.value, d.language, d.recipient)
        for d in world.message(message_id).deliveries
    }


def test_a_notice_is_in_the_persons_messages_at_once(world: World) -> None:
    (kept,) = world.keep(offer())
    (message,) = world.store.messages_of(ANA)
    assert message.id == kept
    assert (message.template, message.link, message.unread) == (
        "offer-made",
        "/inbox/decision-1",
        True,
    )
    assert message.params["amount_cents"] == 12050
    portal = message.deliveries[0]
    assert (portal.channel, portal.state, portal.sent_at) == (
        Channel.PORTAL,
        DeliveryState.DELIVERED,
        NOW,
    )


def test_the_same_key_twice_keeps_one_message(world: World) -> None:
    first = world.keep(offer())
    assert world.keep(offer(params={"name": "Someone else"})) == []
    assert world.keep(offer(key="decision:2"), offer(key="decision:2")) != []
    kept = {m.key: m for m in world.store.messages_of(ANA)}
    assert sorted(kept) == ["decision:1", "decision:2"]
    assert kept["decision:1"].id == first[0]
    assert kept["decision:1"].params["name"] == "Ana Costa"  # the first one counts, forever


def test_nothing_is_kept_when_the_callers_transaction_is_rolled_back(world: World) -> None:
    with world.engine.connect() as connection:
        transaction = connection.begin()
        assert len(notify(connection, [offer()], NOW)) == 1
        transaction.rollback()
    assert world.store.messages_of(ANA) == []
    assert len(world.keep(offer())) == 1  # the key was never kept


def test_a_malformed_notice_keeps_nothing_and_names_each_problem(world: World) -> None:
    bad = offer(
        key="",
        national_id="12345",
        template="Offer Made",
        link="//evil.example/x",
        params={"amount_cents": "12.50", "Name": "x", "flag": True},
    )
    with pytest.raises(InvalidInput) as refused:
        world.keep(offer(key="decision:ok"), bad)
    assert sorted(e.dotted_path for e in refused.value.errors) == [
        "[1].key",
        "[1].link",
        "[1].national_id",
        "[1].params.Name",
        "[1].params.amount_cents",
        "[1].params.flag",
        "[1].template",
    ]
    assert world.store.messages_of(ANA) == []


def test_without_saved_preferences_a_letter_goes_in_the_default_language(world: World) -> None:
    (kept,) = world.keep(offer())
    assert channels(world, kept) == {
        "portal": ("delivered", "", ""),
        "letter": ("pending", "", ""),
    }


def test_a_letter_without_an_address_is_failed_with_the_reason(world: World) -> None:
    (kept,) = world.keep(offer(address=None))
    letter = world.message(kept).deliveries[1]
    assert (letter.channel, letter.state) == (Channel.LETTER, DeliveryState.FAILED)
    assert letter.problem == (
        "The notice came without a postal address, so no letter could be made."
    )


def test_saved_preferences_are_respected_exactly(world: World) -> None:
    world.choose(ANA, Preferences("pt", "ana@example.org", email_on=True, letters_on=False))
    world.choose(BRUNO, Preferences("en", "bruno@example.org", email_on=False, letters_on=False))
    ana, bruno = world.keep(offer(), offer(key="decision:2", national_id=BRUNO))
    assert channels(world, ana) == {
        "portal": ("delivered", "pt", ""),
        "email": ("pending", "pt", "ana@example.org"),
    }
    assert channels(world, bruno) == {"portal": ("delivered", "en", "")}


def test_a_change_of_preferences_does_not_change_what_is_on_its_way(world: World) -> None:
    (before,) = world.keep(offer())
    world.choose(ANA, Preferences("pt", "ana@example.org", email_on=True, letters_on=False))
    (after,) = world.keep(offer(key="decision:2"))
    assert set(channels(world, before)) == {"portal", "letter"}
    assert set(channels(world, after)) == {"portal", "email"}


# ---------------------------------------------------------------- two writers at once


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def test_two_writers_of_the_same_notice_keep_one_message_and_neither_fails(
    engine: Engine,
) -> None:
    """The first holds its transaction open; the second waits for it, then keeps nothing."""
    results: dict[str, list[str]] = {}
    first_wrote = threading.Event()
    second_started = threading.Event()

    def first() -> None:
        with engine.begin() as connection:
            results["first"] = notify(connection, [offer()], NOW)
            first_wrote.set()
            second_started.wait(10)
            threading.Event().wait(0.3)  # the second is now blocked on the key

    def second() -> None:
        first_wrote.wait(10)
        second_started.set()
        with engine.begin() as connection:
            results["second"] = notify(connection, [offer()], NOW + dt.timedelta(seconds=1))

    writers = [threading.Thread(target=first), threading.Thread(target=second)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(30)
    assert len(results["first"]) == 1
    assert results["second"] == []
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(messages_table)).scalar() == 1
        deliveries = connection.execute(select(func.count()).select_from(deliveries_table))
        assert deliveries.scalar() == 2  # the portal and one letter, not two


def test_choices_are_replaced_and_the_outbox_leased_alike_on_both_databases(
    engine: Engine,
) -> None:
    store = SqlNotificationStore(engine)
    store.save_preferences(ANA, Preferences("en", "ana@example.org", True, True), NOW)
    store.save_preferences(ANA, Preferences("pt", "ana@example.org", True, False), NOW)
    assert store.preferences(ANA) == Preferences("pt", "ana@example.org", True, False)
    (kept,) = store.keep([offer()], NOW)
    (taken,) = store.take_due(NOW, 10, [Channel.EMAIL, Channel.LETTER])
    assert (taken.delivery.channel, taken.message.id) == (Channel.EMAIL, kept)
    assert store.take_due(NOW, 10, [Channel.EMAIL]) == []  # leased
    store.done(taken.delivery.id, DeliveryState.SENT, NOW, "pt")
    assert store.counts() == {
        (Channel.PORTAL, DeliveryState.DELIVERED): 1,
        (Channel.EMAIL, DeliveryState.SENT): 1,
    }
