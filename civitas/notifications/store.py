"""Messages, their deliveries and people's preferences, in the operational database.

``notify`` keeps notices on a connection the caller already has open, so a block keeps
what it decided and what it tells people in one transaction. A notice whose key was kept
before is ignored (``INSERT ... ON CONFLICT DO NOTHING`` on the key, in SQLite and
PostgreSQL alike), so two writers of the same notice keep one message and neither fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from civitas.db.upsert import insert_new
from civitas.notifications.domain import (
    LEASE,
    Channel,
    Delivery,
    DeliveryState,
    Message,
    Notice,
    Outgoing,
    Preferences,
    check_notices,
    new_message_id,
    plan,
)
from civitas.notifications.tables import (
    deliveries_table,
    delivery_of_row,
    delivery_row,
    message_of_row,
    message_row,
    messages_table,
    preferences_of_row,
    preferences_table,
)

DUE = (DeliveryState.PENDING.value, DeliveryState.WAITING.value)


def notify(connection: Connection, notices: Sequence[Notice], at: dt.datetime) -> list[str]:
    """Keep ``notices`` on ``connection`` (the caller commits): a message each, in the
    person's messages at once, and the email and letter deliveries their preferences ask
    for. The ids of the messages newly kept; a notice whose key was kept before makes none.

    Raises :class:`~civitas.core.errors.InvalidInput` for a malformed notice, before
    anything is written.
    """
    check_notices(list(notices))
    first: dict[str, tuple[str, Notice]] = {}
    for notice in notices:  # the same key twice in one call: the first counts
        first.setdefault(notice.key, (new_message_id(), notice))
    if not first:
        return []
    rows = [message_row(mid, notice, at) for mid, notice in first.values()]
    new = set(insert_new(connection, messages_table, rows, ["key"]))
    chosen = _preferences(connection, {notice.national_id for _mid, notice in first.values()})
    kept: list[str] = []
    deliveries: list[Delivery] = []
    for key, (message_id, notice) in first.items():
        if key in new:
            kept.append(message_id)
            deliveries += plan(message_id, notice, chosen.get(notice.national_id), at)
    if deliveries:
        connection.execute(insert(deliveries_table), [delivery_row(d) for d in deliveries])
    return kept


def _preferences(connection: Connection, national_ids: Collection[str]) -> dict[str, Preferences]:
    table = preferences_table
    query = select(table).where(table.c.national_id.in_(national_ids))
    return {row.national_id: preferences_of_row(row) for row in connection.execute(query)}


def _messages(connection: Connection, where: Any, order: Iterable[Any] = ()) -> list[Message]:
    """The messages matching ``where``, each with its deliveries (portal, email, letter)."""
    rows = connection.execute(select(messages_table).where(where).order_by(*order)).all()
    if not rows:
        return []
    table = deliveries_table
    query = select(table).where(table.c.message_id.in_([row.id for row in rows]))
    found: dict[str, list[Delivery]] = {}
    for row in connection.execute(query):
        found.setdefault(row.message_id, []).append(delivery_of_row(row))
    order_of = list(Channel)
    return [
        message_of_row(
            row, tuple(sorted(found.get(row.id, []), key=lambda d: order_of.index(d.channel)))
        )
        for row in rows
    ]


class SqlNotificationStore:
    """The messages and preferences for the portal, and the outbox for the dispatcher."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def keep(self, notices: Sequence[Notice], at: dt.datetime) -> list[str]:
        """``notify`` in a transaction of its own."""
        with self.engine.begin() as connection:
            return notify(connection, notices, at)

    # ------------------------------------------------------------ the portal

    def messages_of(self, national_id: str) -> list[Message]:
        table = messages_table
        with self.engine.connect() as connection:
            return _messages(
                connection,
                table.c.national_id == national_id,
                (table.c.created_at.desc(), table.c.id.desc()),
            )

    def message(self, message_id: str) -> Message | None:
        with self.engine.connect() as connection:
            found = _messages(connection, messages_table.c.id == message_id)
        return found[0] if found else None

    def mark_read(self, message_id: str, at: dt.datetime) -> None:
        table = messages_table
        with self.engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.id == message_id, table.c.read_at.is_(None))
                .values(read_at=at)
            )

    def preferences(self, national_id: str) -> Preferences | None:
        with self.engine.connect() as connection:
            return _preferences(connection, [national_id]).get(national_id)

    def save_preferences(self, national_id: str, chosen: Preferences, at: dt.datetime) -> None:
        values = {
            "language": chosen.language,
            "email": chosen.email,
            "email_on": chosen.email_on,
            "letters_on": chosen.letters_on,
            "updated_at": at,
        }
        with self.engine.begin() as connection:
            dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
            statement = dialect.insert(preferences_table).values(national_id=national_id, **values)
            connection.execute(
                statement.on_conflict_do_update(index_elements=["national_id"], set_=values)
            )

    # ------------------------------------------------------------ the outbox

    def due(self, now: dt.datetime) -> set[Channel]:
        table = deliveries_table
        query = (
            select(table.c.channel)
            .where(table.c.state.in_(DUE), table.c.next_attempt_at <= now)
            .distinct()
        )
        with self.engine.connect() as connection:
            return {Channel(channel) for channel in connection.execute(query).scalars()}

    def hold(self, channel: Channel, problem: str) -> int:
        table = deliveries_table
        with self.engine.begin() as connection:
            return connection.execute(
                update(table)
                .where(
                    table.c.channel == channel.value, table.c.state == DeliveryState.PENDING.value
                )
                .values(state=DeliveryState.WAITING.value, problem=problem)
            ).rowcount

    def take_due(
        self, now: dt.datetime, limit: int, channels: Collection[Channel]
    ) -> list[Outgoing]:
        table = deliveries_table
        due = (
            select(table)
            .where(
                table.c.state.in_(DUE),
                table.c.channel.in_([c.value for c in channels]),
                table.c.next_attempt_at <= now,
            )
            .order_by(table.c.next_attempt_at)
            .limit(limit)
        )
        taken: list[Delivery] = []
        with self.engine.begin() as connection:
            for row in connection.execute(due).all():
                # Lease it: only the dispatcher whose update matched the old time sends it.
                leased = connection.execute(
                    update(table)
                    .where(
                        table.c.id == row.id,
                        table.c.state == row.state,
                        table.c.next_attempt_at == row.next_attempt_at,
                    )
                    .values(
                        state=DeliveryState.PENDING.value,
                        next_attempt_at=now + LEASE,
                        attempts=table.c.attempts + 1,
                    )
                ).rowcount
                if leased:
                    taken.append(delivery_of_row(row))
            ids = list({d.message_id for d in taken})
            messages = {m.id: m for m in _messages(connection, messages_table.c.id.in_(ids))}
        return [Outgoing(d, messages[d.message_id]) for d in taken]

    def done(self, delivery_id: str, state: DeliveryState, at: dt.datetime, language: str) -> None:
        self._set(
            delivery_id,
            state=state.value,
            sent_at=at,
            language=language,
            next_attempt_at=None,
            problem="",
        )

    def retry(self, delivery_id: str, until: dt.datetime, problem: str) -> None:
        self._set(
            delivery_id, state=DeliveryState.PENDING.value, next_attempt_at=until, problem=problem
        )

    def failed(self, delivery_id: str, problem: str) -> None:
        self._set(
            delivery_id, state=DeliveryState.FAILED.value, next_attempt_at=None, problem=problem
        )

    def counts(self) -> dict[tuple[Channel, DeliveryState], int]:
        """How many deliveries each channel has in each state."""
        table = deliveries_table
        query = select(table.c.channel, table.c.state, func.count()).group_by(
            table.c.channel, table.c.state
        )
        with self.engine.connect() as connection:
            return {
                (Channel(channel), DeliveryState(state)): count
                for channel, state, count in connection.execute(query)
            }

    def _set(self, delivery_id: str, **values: Any) -> None:
        table = deliveries_table
        with self.engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == delivery_id).values(**values))
