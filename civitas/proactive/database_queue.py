"""The embedded event queue: the ``proactive_events`` inbox in the operational database.

Publishing a feed page keeps its events (a key already kept is skipped) and moves the
feed's cursor on in one transaction, so a worker killed while reading either kept the
page and its cursor, or neither: it reads the page again and nothing is lost or doubled.
Events wait until the store marks them handled; ``take`` gives the oldest first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, select, update

from civitas.db.upsert import insert_new
from civitas.proactive.domain import ChangeEvent
from civitas.proactive.ports import Received
from civitas.proactive.store import cursors_table, event_of_row, event_row, events_table


class DatabaseQueue:
    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self.engine = engine
        self.now = now

    async def publish(self, registry: str, events: Sequence[ChangeEvent], cursor: str) -> None:
        at = self.now()
        with self.engine.begin() as connection:
            insert_new(connection, events_table, [event_row(e, at) for e in events], ["key"])
            save_cursor(connection, registry, cursor, at)

    def cursor(self, registry: str) -> str | None:
        return read_cursor(self.engine, registry)

    async def take(self, limit: int) -> list[Received]:
        table = events_table
        query = (
            select(table)
            .where(table.c.handled_at.is_(None))
            .order_by(table.c.occurred_on, table.c.registry, table.c.seq)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [Received(event_of_row(row)) for row in connection.execute(query)]

    async def done(self, received: Sequence[Received]) -> None:
        return None  # handled_at, set with the effects, is the acknowledgement

    async def close(self) -> None:
        return None


def read_cursor(engine: Engine, registry: str) -> str | None:
    query = select(cursors_table.c.cursor).where(cursors_table.c.registry == registry)
    with engine.connect() as connection:
        found: str | None = connection.execute(query).scalar()
    return found


def save_cursor(connection: Connection, registry: str, cursor: str, at: datetime) -> None:
    """Move a feed's cursor on, on the caller's connection (inside its transaction)."""
    table = cursors_table
    moved = connection.execute(
        update(table).where(table.c.registry == registry).values(cursor=cursor, read_at=at)
    ).rowcount
    if not moved:
        insert_new(
            connection,
            table,
            [{"registry": registry, "cursor": cursor, "read_at": at}],
            ["registry"],
        )
