"""The outbox of deliveries in the operational database (SQLite or PostgreSQL).

``enqueue`` writes deliveries on a connection the caller already has open, so a block
keeps what it was told and what to deliver in one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    String,
    Table,
    Text,
    insert,
    select,
    update,
)

from civitas.db.metadata import metadata
from civitas.db.types import UtcDateTime
from civitas.deliveries.domain import LEASE, Delivery, DeliveryState, Parcel, new_delivery

deliveries_table = Table(
    "deliveries",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("service", String(300), nullable=False),
    Column("national_id", String(64), nullable=False),
    Column("document", Text, nullable=False),  # JSON object
    Column("purpose", String(100), nullable=False),
    Column("user_id", String(200), nullable=False),
    Column("topic", String(100), nullable=False, index=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=True, index=True),
    Column("delivered_at", UtcDateTime(), nullable=True),
    Column("message_id", String(128), nullable=False),
    Column("problem", Text, nullable=False),
)


def enqueue(connection: Connection, parcels: Sequence[Parcel], at: dt.datetime) -> list[Delivery]:
    """New pending deliveries of ``parcels``, written on ``connection`` (the caller commits)."""
    made = [new_delivery(parcel, at) for parcel in parcels]
    if made:
        connection.execute(insert(deliveries_table), [_row(d) for d in made])
    return made


def deliveries_by_id(connection: Connection, ids: Sequence[str]) -> dict[str, Delivery]:
    """The deliveries with these ids, read on ``connection``."""
    if not ids:
        return {}
    query = select(deliveries_table).where(deliveries_table.c.id.in_(ids))
    return {row.id: delivery_of_row(row) for row in connection.execute(query)}


def deliveries_by_topic(connection: Connection, topics: Sequence[str]) -> dict[str, list[Delivery]]:
    """The deliveries of these topics, read on ``connection``; each topic's in id order."""
    table = deliveries_table
    query = select(table).where(table.c.topic.in_(topics)).order_by(table.c.id)
    found: dict[str, list[Delivery]] = {}
    for row in connection.execute(query):
        found.setdefault(row.topic, []).append(delivery_of_row(row))
    return found


class SqlDeliveryStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, parcels: Sequence[Parcel], at: dt.datetime) -> list[Delivery]:
        with self.engine.begin() as connection:
            return enqueue(connection, parcels, at)

    def take_due(self, now: dt.datetime, limit: int) -> list[Delivery]:
        table = deliveries_table
        due = (
            select(table)
            .where(table.c.state == DeliveryState.PENDING.value, table.c.next_attempt_at <= now)
            .order_by(table.c.next_attempt_at)
            .limit(limit)
        )
        taken: list[Delivery] = []
        with self.engine.begin() as connection:
            for row in connection.execute(due).all():
                # Lease it: only the courier whose update matched the old time sends it.
                leased = connection.execute(
                    update(table)
                    .where(table.c.id == row.id, table.c.next_attempt_at == row.next_attempt_at)
                    .values(next_attempt_at=now + LEASE, attempts=table.c.attempts + 1)
                ).rowcount
                if leased:
                    taken.append(delivery_of_row(row))
        return taken

    def delivered(self, delivery_id: str, at: dt.datetime, message_id: str) -> None:
        self._set(
            delivery_id,
            state=DeliveryState.DELIVERED.value,
            delivered_at=at,
            message_id=message_id,
            next_attempt_at=None,
            problem="",
        )

    def refused(self, delivery_id: str, at: dt.datetime, problem: str) -> None:
        self._set(
            delivery_id, state=DeliveryState.REFUSED.value, next_attempt_at=None, problem=problem
        )

    def postponed(self, delivery_id: str, until: dt.datetime, problem: str) -> None:
        self._set(delivery_id, next_attempt_at=until, problem=problem)

    def of_topic(self, topic: str) -> list[Delivery]:
        table = deliveries_table
        query = select(table).where(table.c.topic == topic).order_by(table.c.service)
        with self.engine.connect() as connection:
            return [delivery_of_row(row) for row in connection.execute(query)]

    def _set(self, delivery_id: str, **values: Any) -> None:
        table = deliveries_table
        with self.engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == delivery_id).values(**values))


def _row(delivery: Delivery) -> dict[str, Any]:
    parcel = delivery.parcel
    return {
        "id": delivery.id,
        "service": parcel.service,
        "national_id": parcel.national_id,
        "document": json.dumps(dict(parcel.document), ensure_ascii=False),
        "purpose": parcel.purpose,
        "user_id": parcel.user,
        "topic": parcel.topic,
        "created_at": delivery.created_at,
        "state": delivery.state.value,
        "attempts": delivery.attempts,
        "next_attempt_at": delivery.next_attempt_at,
        "delivered_at": delivery.delivered_at,
        "message_id": delivery.message_id,
        "problem": delivery.problem,
    }


def delivery_of_row(row: Any) -> Delivery:
    parcel = Parcel(
        service=row.service,
        national_id=row.national_id,
        document=json.loads(row.document),
        purpose=row.purpose,
        user=row.user_id,
        topic=row.topic,
    )
    return Delivery(
        id=row.id,
        parcel=parcel,
        created_at=row.created_at,
        state=DeliveryState(row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        delivered_at=row.delivered_at,
        message_id=row.message_id,
        problem=row.problem,
    )
