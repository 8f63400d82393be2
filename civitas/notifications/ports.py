"""What the notifications use cases and the dispatcher need from the outside."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol

from civitas.notifications.domain import Channel, DeliveryState, Message, Outgoing, Preferences
from civitas.notifications.templates import Filled


class MessageStore(Protocol):
    def messages_of(self, national_id: str) -> list[Message]:
        """The person's messages, newest first, each with its deliveries."""
        ...

    def message(self, message_id: str) -> Message | None: ...

    def mark_read(self, message_id: str, at: dt.datetime) -> None:
        """Note the first time the message was read (later reads change nothing)."""
        ...

    def preferences(self, national_id: str) -> Preferences | None:
        """The person's saved choices; None when they never chose."""
        ...

    def save_preferences(self, national_id: str, chosen: Preferences, at: dt.datetime) -> None: ...


class Outbox(Protocol):
    def due(self, now: dt.datetime) -> set[Channel]:
        """The channels with deliveries due by ``now`` (pending or waiting)."""
        ...

    def hold(self, channel: Channel, problem: str) -> int:
        """Mark the channel's pending deliveries as waiting, for ``problem``; how many."""
        ...

    def take_due(
        self, now: dt.datetime, limit: int, channels: Collection[Channel]
    ) -> list[Outgoing]:
        """Up to ``limit`` deliveries of ``channels`` due by ``now`` (pending or waiting),
        each leased to the caller: another dispatcher does not take it until the lease ends."""
        ...

    def done(
        self, delivery_id: str, state: DeliveryState, at: dt.datetime, language: str
    ) -> None: ...

    def retry(self, delivery_id: str, until: dt.datetime, problem: str) -> None: ...

    def failed(self, delivery_id: str, problem: str) -> None: ...


@dataclass(frozen=True)
class Written:
    """What a delivery says: the message filled in, and the addresses it points to."""

    filled: Filled
    message_url: str  # the message in the portal, in the delivery's language
    link_url: str  # the notice's own link, in full; "" when it has none
    preferences_url: str  # where the person changes how they are told


class Sender(Protocol):
    """One channel's way out: an SMTP server, a print house's folder."""

    @property
    def channel(self) -> Channel: ...

    def unavailable(self) -> str:
        """Why nothing can be sent now (no mail server set, no Pango), in words; "" when
        it can. Deliveries wait, untried, while it says so."""
        ...

    async def send(self, outgoing: Outgoing, written: Written) -> None:
        """Send it. Raises ``ExternalServiceUnavailable`` when trying later may work, and
        another ``CivitasError`` when it will not (the address was refused)."""
        ...
