"""Emails over a real SMTP server (aiosmtpd on loopback): what arrives, in both languages,
once; the same Message-ID when sent again; waiting while no server is set."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from civitas.notifications import Channel, DeliveryState, MailSink, Preferences
from civitas.notifications.domain import MOST_ATTEMPTS
from civitas.notifications.store import SqlNotificationStore
from tests.notifications.support import ANA, BRUNO, PORTAL, World, offer
from tests.support.live_server import free_port


def by_email(world: World, who: str = ANA, language: str = "en") -> None:
    world.choose(who, Preferences(language, f"{who}@example.org", email_on=True, letters_on=False))


def email_delivery(world: World, message_id: str) -> tuple[DeliveryState, str, int]:
    (delivery,) = [d for d in world.message(message_id).deliveries if d.channel is Channel.EMAIL]
    return delivery.state, delivery.problem, delivery.attempts


def parts(email: EmailMessage) -> tuple[str, str]:
    plain = email.get_body(("plain",))
    html = email.get_body(("html",))
    assert plain is not None
    assert html is not None
    return plain.get_content(), html.get_content()


def test_an_email_arrives_with_its_headers_and_both_parts(
    world: World, mail_sink: MailSink
) -> None:
    by_email(world)
    (kept,) = world.keep(offer())
    assert world.send_due(world.dispatcher(world.email(mail_sink.port))) == 1
    (email,) = mail_sink.emails()
    assert email["Subject"] == "You can get Child benefit"
    assert email["From"] == "Valdoria <no-reply@gov.vd.example>"
    assert email["To"] == f"{ANA}@example.org"
    assert email["Content-Language"] == "en"
    assert email["Auto-Submitted"] == "auto-generated"
    assert email["Message-ID"].endswith("@gov.vd.example>")
    assert email.get_content_type() == "multipart/alternative"
    plain, html = parts(email)
    assert "The amount is €120.50." in plain
    assert f"Accept the offer: {PORTAL}/en/inbox/decision-1" in plain
    assert f"Read this message in your account: {PORTAL}/en/messages/{kept}" in plain
    assert '<html lang="en">' in html
    assert "<title>You can get Child benefit</title>" in html
    assert f'<a href="{PORTAL}/en/inbox/decision-1"' in html
    assert email_delivery(world, kept) == (DeliveryState.SENT, "", 1)
    sent = world.message(kept).deliveries[1]
    assert (sent.sent_at, sent.language) == (world.clock.now(), "en")


def test_an_email_in_portuguese_writes_money_the_portuguese_way(
    world: World, mail_sink: MailSink
) -> None:
    by_email(world, language="pt")
    world.keep(offer())
    world.send_due(world.dispatcher(world.email(mail_sink.port)))
    (email,) = mail_sink.emails()
    assert email["Subject"] == "Pode receber: Abono de família"
    assert email["Content-Language"] == "pt"
    plain, html = parts(email)
    assert "O valor é 120,50\u00a0€." in plain
    assert "Porque lho propomos: A sua filha Carla nasceu." in plain
    assert f"Aceitar a proposta: {PORTAL}/pt/inbox/decision-1" in plain
    assert '<html lang="pt">' in html


def test_each_person_gets_their_own_email_once(world: World, mail_sink: MailSink) -> None:
    by_email(world)
    by_email(world, BRUNO, "pt")
    world.keep(offer(), offer(key="decision:2", national_id=BRUNO))
    dispatcher = world.dispatcher(world.email(mail_sink.port))
    assert world.send_due(dispatcher) == 2
    assert world.send_due(dispatcher) == 0
    assert sorted(e["To"] for e in mail_sink.emails()) == [
        f"{ANA}@example.org",
        f"{BRUNO}@example.org",
    ]


def test_nothing_is_sent_twice_when_the_dispatcher_restarts(
    world: World, mail_sink: MailSink
) -> None:
    by_email(world)
    world.keep(offer(), offer(key="decision:2"))

    async def run_for_a_moment() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(
            world.dispatcher(world.email(mail_sink.port)).run(stop, every=0.05)
        )
        await asyncio.sleep(0.5)
        stop.set()
        await running

    asyncio.run(run_for_a_moment())
    asyncio.run(run_for_a_moment())  # a new dispatcher over the same database
    assert len(mail_sink.emails()) == 2


class ForgetfulStore(SqlNotificationStore):
    """An outbox whose first note that an email went is lost (the process stopped)."""

    forgot = False

    def done(self, delivery_id: str, state: DeliveryState, at: dt.datetime, language: str) -> None:
        if not self.forgot:
            self.forgot = True
            raise RuntimeError("stopped before noting it")
        super().done(delivery_id, state, at, language)


def test_an_email_sent_again_after_a_crash_carries_the_same_message_id(
    world: World, mail_sink: MailSink
) -> None:
    by_email(world)
    (kept,) = world.keep(offer())
    forgetful = ForgetfulStore(world.engine)
    dispatcher = world.dispatcher(world.email(mail_sink.port))
    dispatcher.outbox = forgetful
    with contextlib.suppress(RuntimeError):
        world.send_due(dispatcher)
    world.clock.advance(dt.timedelta(minutes=3))  # the lease ends
    assert world.send_due(dispatcher) == 1
    first, again = mail_sink.emails()
    assert first["Message-ID"] == again["Message-ID"]
    assert email_delivery(world, kept)[0] is DeliveryState.SENT


def test_without_a_mail_server_emails_wait_untried_until_one_is_set(
    world: World, mail_sink: MailSink
) -> None:
    by_email(world)
    (kept,) = world.keep(offer())
    assert world.send_due(world.dispatcher(world.email(None))) == 0
    assert email_delivery(world, kept) == (
        DeliveryState.WAITING,
        "No mail server is set (CIVITAS_SMTP_HOST), so emails wait until one is.",
        0,
    )
    assert world.send_due(world.dispatcher(world.email(mail_sink.port))) == 1
    assert email_delivery(world, kept) == (DeliveryState.SENT, "", 1)
    assert len(mail_sink.emails()) == 1


def test_an_unreachable_server_is_tried_again_later_then_the_email_fails(world: World) -> None:
    by_email(world)
    (kept,) = world.keep(offer())
    dispatcher = world.dispatcher(world.email(free_port()))  # nobody listens there
    world.send_due(dispatcher)
    state, problem, attempts = email_delivery(world, kept)
    assert (state, attempts) == (DeliveryState.PENDING, 1)
    assert problem.startswith("The mail server 127.0.0.1:")
    for _ in range(MOST_ATTEMPTS - 1):
        world.clock.advance(dt.timedelta(hours=1))
        world.send_due(dispatcher)
    state, problem, attempts = email_delivery(world, kept)
    assert (state, attempts) == (DeliveryState.FAILED, MOST_ATTEMPTS)
    assert "could not be reached" in problem


class RefusingHandler:
    """An SMTP server that knows no such mailbox (550)."""

    async def handle_RCPT(  # noqa: N802
        self, server: object, session: object, envelope: object, address: str, options: object
    ) -> str:
        return "550 5.1.1 No such mailbox here"


def test_an_address_the_server_refuses_fails_at_once_with_its_answer(
    world: World, tmp_path: Path
) -> None:
    by_email(world)
    (kept,) = world.keep(offer())
    controller = Controller(RefusingHandler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        world.send_due(world.dispatcher(world.email(controller.port)))
    finally:
        controller.stop()
    state, problem, attempts = email_delivery(world, kept)
    assert (state, attempts) == (DeliveryState.FAILED, 1)
    assert "550 5.1.1 No such mailbox here" in problem
