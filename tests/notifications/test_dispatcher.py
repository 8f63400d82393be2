"""The dispatcher with a sender that answers as a test tells it: growing pauses between
tries, a final failure with the problem kept, one sender per delivery at a time."""

from __future__ import annotations

import asyncio
import datetime as dt

from civitas.core.errors import CivitasError, ExternalServiceUnavailable
from civitas.core.rounds import pause_after
from civitas.notifications import Channel, DeliveryState, Preferences
from civitas.notifications.domain import MOST_ATTEMPTS, Outgoing
from civitas.notifications.ports import Written
from tests.notifications.support import ANA, World, offer


class Post:
    """A letter channel that fails as told, and keeps what it sent."""

    def __init__(self, problem: CivitasError | None = None) -> None:
        self.problem = problem
        self.sent: list[tuple[str, Written]] = []

    @property
    def channel(self) -> Channel:
        return Channel.LETTER

    def unavailable(self) -> str:
        return ""

    async def send(self, outgoing: Outgoing, written: Written) -> None:
        await asyncio.sleep(0)
        if self.problem is not None:
            raise self.problem
        self.sent.append((outgoing.delivery.id, written))


def letter(world: World, message_id: str) -> tuple[DeliveryState, int, str, dt.datetime | None]:
    found = [d for d in world.message(message_id).deliveries if d.channel is Channel.LETTER]
    return found[0].state, found[0].attempts, found[0].problem, found[0].next_attempt_at


def test_a_due_letter_is_sent_once_with_its_links_in_the_readers_language(world: World) -> None:
    world.choose(ANA, Preferences("pt"))
    (kept,) = world.keep(offer())
    post = Post()
    dispatcher = world.dispatcher(post)
    assert world.send_due(dispatcher) == 1
    assert world.send_due(dispatcher) == 0
    ((_id, written),) = post.sent
    assert written.filled.subject == "Pode receber: Abono de família"
    assert written.link_url == "https://services.gov.vd.example/pt/inbox/decision-1"
    assert written.message_url == f"https://services.gov.vd.example/pt/messages/{kept}"
    assert written.preferences_url.endswith("/pt/account/notifications")
    assert letter(world, kept)[:2] == (DeliveryState.PRINTED, 1)


def test_without_preferences_the_letter_is_in_the_default_language_noted_when_sent(
    world: World,
) -> None:
    (kept,) = world.keep(offer())
    world.send_due(world.dispatcher(Post()))
    (printed,) = [d for d in world.message(kept).deliveries if d.channel is Channel.LETTER]
    assert (printed.language, printed.sent_at) == ("en", world.clock.now())


def test_a_failure_that_may_pass_is_tried_again_after_doubling_pauses(world: World) -> None:
    (kept,) = world.keep(offer())
    post = Post(ExternalServiceUnavailable("The print house is closed."))
    dispatcher = world.dispatcher(post)
    now = world.clock.now()
    world.send_due(dispatcher)
    assert letter(world, kept) == (
        DeliveryState.PENDING,
        1,
        "The print house is closed.",
        now + dt.timedelta(seconds=30),
    )
    world.clock.advance(dt.timedelta(seconds=29))
    world.send_due(dispatcher)
    assert letter(world, kept)[1] == 1  # not due yet
    world.clock.advance(dt.timedelta(seconds=1))
    world.send_due(dispatcher)
    assert letter(world, kept)[1:] == (
        2,
        "The print house is closed.",
        world.clock.now() + dt.timedelta(minutes=1),
    )
    assert [pause_after(n).total_seconds() for n in (1, 2, 3, 4, 8, 9, 30)] == [
        30,
        60,
        120,
        240,
        3600,
        3600,
        3600,
    ]


def test_after_the_last_try_the_delivery_has_failed_with_the_problem(world: World) -> None:
    (kept,) = world.keep(offer())
    dispatcher = world.dispatcher(Post(ExternalServiceUnavailable("Out of paper.")))
    for _ in range(MOST_ATTEMPTS + 3):
        world.send_due(dispatcher)
        world.clock.advance(dt.timedelta(hours=1))
    assert letter(world, kept) == (DeliveryState.FAILED, MOST_ATTEMPTS, "Out of paper.", None)


def test_a_refusal_fails_at_once(world: World) -> None:
    (kept,) = world.keep(offer())
    world.send_due(world.dispatcher(Post(CivitasError("The address does not exist."))))
    assert letter(world, kept) == (
        DeliveryState.FAILED,
        1,
        "The address does not exist.",
        None,
    )


def test_a_message_whose_template_is_gone_fails_saying_so(world: World) -> None:
    (kept,) = world.keep(offer(template="an-old-template"))
    world.send_due(world.dispatcher(Post()))
    state, _attempts, problem, _next = letter(world, kept)
    assert (state, problem) == (
        DeliveryState.FAILED,
        "There is no message template 'an-old-template'.",
    )


def test_two_dispatchers_never_send_the_same_delivery(world: World) -> None:
    world.keep(*(offer(key=f"decision:{n}") for n in range(20)))
    post = Post()
    first, second = world.dispatcher(post), world.dispatcher(post)

    async def both() -> list[int]:
        return list(await asyncio.gather(first.send_due(), second.send_due()))

    assert sum(asyncio.run(both())) == 20
    assert len({delivery for delivery, _written in post.sent}) == 20 == len(post.sent)


def test_a_woken_dispatcher_sends_at_once(world: World) -> None:
    post = Post()
    dispatcher = world.dispatcher(post)

    async def scenario() -> int:
        stop = asyncio.Event()
        running = asyncio.create_task(dispatcher.run(stop, every=60))
        await asyncio.sleep(0.05)
        world.keep(offer())
        dispatcher.wake()
        for _ in range(100):
            if post.sent:
                break
            await asyncio.sleep(0.01)
        stop.set()
        await running
        return len(post.sent)

    assert asyncio.run(scenario()) == 1
