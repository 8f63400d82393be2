"""What the courier needs from the outside: the outbox, and an agency to hand documents to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from civitas.deliveries.domain import Delivery, Parcel


class DeliveryStore(Protocol):
    def add(self, parcels: Sequence[Parcel], at: dt.datetime) -> list[Delivery]: ...

    def take_due(self, now: dt.datetime, limit: int) -> list[Delivery]:
        """Up to ``limit`` pending deliveries due by ``now``, each leased to the caller
        (another courier does not take it until the lease ends)."""
        ...

    def delivered(self, delivery_id: str, at: dt.datetime, message_id: str) -> None: ...

    def refused(self, delivery_id: str, at: dt.datetime, problem: str) -> None: ...

    def postponed(self, delivery_id: str, until: dt.datetime, problem: str) -> None: ...

    def of_topic(self, topic: str) -> list[Delivery]: ...


class Agencies(Protocol):
    async def deliver(self, delivery: Delivery) -> str:
        """Hand the delivery's document to its service; the exchange message id.

        Raises ``ExternalServiceUnavailable`` when the agency cannot be reached (try again
        later) and another ``CivitasError`` when it refuses (do not).
        """
        ...
