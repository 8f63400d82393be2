"""The event queue an installation uses: the database's, or NATS JetStream's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import Engine

from civitas.config import Settings
from civitas.proactive.database_queue import DatabaseQueue
from civitas.proactive.nats_queue import NatsQueue
from civitas.proactive.ports import EventQueue


class OpenQueue(EventQueue, Protocol):
    """An event queue the composition root opened, and closes when the worker stops."""

    async def close(self) -> None: ...


async def open_queue(
    settings: Settings, engine: Engine, now: Callable[[], dt.datetime]
) -> OpenQueue:
    """NATS JetStream when ``event_broker_url`` is set, else the operational database.

    ExternalServiceUnavailable when the broker cannot be reached.
    """
    if settings.event_broker_url:
        return await NatsQueue.connect(settings.event_broker_url, engine=engine, now=now)
    return DatabaseQueue(engine, now)
