"""The event queue in NATS JetStream, for installations that run a broker.

Events are published on ``civitas.events.<registry>.<kind>`` to one stream (file
storage, work-queue retention: a message is kept until the worker acknowledges it).
Each message carries the event's key as ``Nats-Msg-Id``, so JetStream refuses a
duplicate inside the stream's duplicate window (an hour).

Publishing a feed page waits for JetStream's acknowledgement of every event, *then*
saves the feed's cursor in the operational database (the table the database queue
uses too). A worker killed in between publishes the page again: JetStream drops the
duplicates, and the store's handled check drops any that come after the window.

The worker takes events from a durable pull consumer and acknowledges them after
their effects are committed. An event taken and never acknowledged (the worker
stopped) is delivered again once ``ack_wait`` has passed, to this worker or to
another one sharing the consumer; the store knows it was handled and the worker
skips it. Handling that takes longer than ``ack_wait`` also leads to a redelivery,
which is skipped the same way: delivery is at least once, effects exactly once.

JetStream keeps the order of publishing; events of different registries interleave
in the order they arrived. Handling reads the registers' current state, so the order
does not change what is decided.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import nats.errors
import nats.js.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, RetentionPolicy, StorageType
from sqlalchemy import Engine

from civitas.core.errors import ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.proactive.database_queue import read_cursor, save_cursor
from civitas.proactive.domain import ChangeEvent
from civitas.proactive.ports import Received

log = logging.getLogger("civitas.proactive")

SUBJECTS = "civitas.events"  # + .<registry>.<kind>
DUPLICATE_WINDOW = 3600.0  # seconds JetStream remembers a message id
STREAM_IN_USE = 10058  # JetStream: a stream of that name exists with another configuration
REPLY_TIMEOUT = 10.0  # seconds to wait for JetStream's acknowledgements of a page

UNSET_HINT = N_(
    "Start NATS with JetStream (nats-server -js) there, or leave CIVITAS_EVENT_BROKER_URL "
    "empty to keep the events in the database."
)


class NatsQueue:
    """An ``EventQueue`` in a JetStream stream; open it with :meth:`connect`."""

    def __init__(
        self,
        client: Client,
        subscription: JetStreamContext.PullSubscription,
        engine: Engine,
        now: Callable[[], dt.datetime],
        url: str,
        fetch_timeout: float,
    ) -> None:
        self.client = client
        self.js = client.jetstream()
        self.subscription = subscription
        self.engine = engine
        self.now = now
        self.url = url
        self.fetch_timeout = fetch_timeout

    @classmethod
    async def connect(
        cls,
        url: str,
        *,
        engine: Engine,
        now: Callable[[], dt.datetime],
        stream: str = "CIVITAS_EVENTS",
        durable: str = "civitas-worker",
        ack_wait: float = 60.0,
        fetch_timeout: float = 0.5,
        connect_timeout: float = 5.0,
    ) -> NatsQueue:
        """Connect, create the stream and the durable consumer if missing, and subscribe.

        Waits up to ``connect_timeout`` seconds for the broker (it may be starting too).
        Once connected, the client reconnects by itself when the broker restarts; what
        is published or acknowledged meanwhile fails with ExternalServiceUnavailable,
        and the worker's next round tries again.
        """
        shown = shown_url(url)
        client = Client()

        said: list[str] = []  # the problem last reported: once each, not once per retry

        async def reported(error: Exception) -> None:
            text = str(error) or type(error).__name__
            if said != [text]:
                log.warning("event broker %s: %s; trying again", shown, text)
                said[:] = [text]

        async def reconnected() -> None:
            said.clear()
            log.info("event broker %s: connected again", shown)

        try:
            await asyncio.wait_for(
                client.connect(
                    url,
                    error_cb=reported,
                    reconnected_cb=reconnected,
                    connect_timeout=max(1, round(connect_timeout)),
                    reconnect_time_wait=1,
                    max_reconnect_attempts=-1,  # a running worker waits for the broker
                ),
                timeout=connect_timeout,
            )
        except (OSError, TimeoutError, nats.errors.Error) as error:
            await client.close()
            raise ExternalServiceUnavailable(
                N_("The event broker at {url} could not be reached."),
                hint=UNSET_HINT,
                params={"url": shown},
            ) from error
        try:
            subscription = await _subscribe(client.jetstream(), stream, durable, ack_wait)
        except nats.js.errors.ServiceUnavailableError as error:
            await client.close()
            raise ExternalServiceUnavailable(
                N_("The event broker at {url} answers, but without JetStream."),
                hint=UNSET_HINT,
                params={"url": shown},
            ) from error
        except (TimeoutError, nats.errors.Error) as error:
            await client.close()
            raise ExternalServiceUnavailable(
                N_("The event broker at {url} refused the event stream {stream}: {problem}"),
                hint=N_(
                    "Another stream may keep the subjects civitas.events.>, or another consumer "
                    "read this stream: remove it, or use a NATS account of its own for Civitas."
                ),
                params={"url": shown, "stream": stream, "problem": str(error)},
            ) from error
        return cls(client, subscription, engine, now, shown, fetch_timeout)

    async def publish(self, registry: str, events: Sequence[ChangeEvent], cursor: str) -> None:
        with self._answering():
            pending = [
                await self.js.publish_async(
                    subject_of(event), payload_of(event), headers={"Nats-Msg-Id": event.key}
                )
                for event in events
            ]
            await asyncio.wait_for(asyncio.gather(*pending), timeout=REPLY_TIMEOUT)
        with self.engine.begin() as connection:
            save_cursor(connection, registry, cursor, self.now())

    def cursor(self, registry: str) -> str | None:
        return read_cursor(self.engine, registry)

    async def take(self, limit: int) -> list[Received]:
        received = []
        with self._answering():
            try:
                messages = await self.subscription.fetch(limit, timeout=self.fetch_timeout)
            except TimeoutError:  # nats' own, or asyncio's when the wait ran out
                return []  # nothing waits
            for message in messages:
                try:
                    received.append(Received(event_of(message.data), token=message))
                except (ValueError, KeyError, TypeError) as error:
                    log.error(
                        "dropped a message on %s: no change event (%s)", message.subject, error
                    )
                    await message.term()  # never delivered again
        return received

    async def done(self, received: Sequence[Received]) -> None:
        with self._answering():
            for one in received:
                if isinstance(one.token, Msg):
                    with suppress(nats.errors.MsgAlreadyAckdError):
                        await one.token.ack()
            await self.client.flush(timeout=round(REPLY_TIMEOUT))

    async def close(self) -> None:
        await self.client.close()

    @contextmanager
    def _answering(self) -> Iterator[None]:
        """NATS errors as the error the worker and the edges expect."""
        try:
            yield
        except (TimeoutError, nats.errors.Error) as error:
            raise ExternalServiceUnavailable(
                N_("The event broker at {url} did not answer in time."),
                hint=N_(
                    "Check that NATS runs there with JetStream; the worker tries again on its "
                    "next round, and no event is lost."
                ),
                params={"url": self.url},
            ) from error


async def _subscribe(
    js: JetStreamContext, stream: str, durable: str, ack_wait: float
) -> JetStreamContext.PullSubscription:
    """The stream and the durable consumer, created when missing (a no-op when present)."""
    try:
        await js.add_stream(
            name=stream,
            subjects=[f"{SUBJECTS}.>"],
            storage=StorageType.FILE,
            retention=RetentionPolicy.WORK_QUEUE,
            duplicate_window=DUPLICATE_WINDOW,
        )
    except nats.js.errors.BadRequestError as error:
        if error.err_code != STREAM_IN_USE:
            raise
        log.info("keeping the event stream %s as its operators configured it", stream)
    config = ConsumerConfig(ack_wait=ack_wait, max_deliver=-1)
    return await js.pull_subscribe(f"{SUBJECTS}.>", durable=durable, stream=stream, config=config)


def subject_of(event: ChangeEvent) -> str:
    """``civitas.events.<registry>.<kind>``, each part made a safe subject token."""
    return f"{SUBJECTS}.{_token(event.registry)}.{_token(event.kind)}"


def _token(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", text) or "_"


def payload_of(event: ChangeEvent) -> bytes:
    """The event as JSON, dates as ISO text."""
    body: dict[str, Any] = {
        "registry": event.registry,
        "seq": event.seq,
        "occurred_on": event.occurred_on.isoformat(),
        "kind": event.kind,
        "national_id": event.national_id,
        "record_id": event.record_id,
        "changes": dict(event.changes),
        "message_id": event.message_id,
    }
    return json.dumps(body, sort_keys=True, default=str).encode()


def event_of(payload: bytes) -> ChangeEvent:
    """The event a payload carries (ValueError, KeyError or TypeError when it is none)."""
    body = json.loads(payload)
    changes = body["changes"]
    if not isinstance(changes, dict):
        raise TypeError("changes is not an object")
    return ChangeEvent(
        registry=str(body["registry"]),
        seq=int(body["seq"]),
        occurred_on=dt.date.fromisoformat(body["occurred_on"]),
        kind=str(body["kind"]),
        national_id=str(body["national_id"]),
        record_id=str(body["record_id"]),
        changes=changes,
        message_id=str(body.get("message_id", "")),
    )


def shown_url(url: str) -> str:
    """The URL without a password, to name it in messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
