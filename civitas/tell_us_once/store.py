"""Changes of address and their deliveries, in the operational database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Column, Date, Engine, String, Table, Text, insert, select

from civitas.db.metadata import metadata
from civitas.db.types import UtcDateTime
from civitas.deliveries.domain import Delivery, Parcel
from civitas.deliveries.store import deliveries_by_topic, enqueue
from civitas.tell_us_once.domain import AddressChange, NewAddress, topic

changes_table = Table(
    "tell_us_once_changes",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("national_id", String(64), nullable=False, index=True),
    Column("told_by", String(64), nullable=False),
    Column("street", Text, nullable=False),
    Column("house_number", String(20), nullable=False),
    Column("postcode", String(20), nullable=False),
    Column("municipality", Text, nullable=False),
    Column("moved_on", Date, nullable=False),
    Column("told_at", UtcDateTime(), nullable=False),
)


class SqlChangeStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, change: AddressChange, parcels: Sequence[Parcel]) -> AddressChange:
        address = change.address
        with self.engine.begin() as connection:
            connection.execute(
                insert(changes_table).values(
                    id=change.id,
                    national_id=change.national_id,
                    told_by=change.told_by,
                    street=address.street,
                    house_number=address.house_number,
                    postcode=address.postcode,
                    municipality=address.municipality,
                    moved_on=address.moved_on,
                    told_at=change.told_at,
                )
            )
            deliveries = enqueue(connection, parcels, change.told_at)
        return replace(change, deliveries=tuple(deliveries))

    def of_person(self, national_id: str) -> list[AddressChange]:
        changes = changes_table
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(changes)
                .where(changes.c.national_id == national_id)
                .order_by(changes.c.told_at.desc())
            ).all()
            sent = deliveries_by_topic(connection, [topic(row.id) for row in rows])
        return [_change(row, sent.get(topic(row.id), [])) for row in rows]


def _change(row: Any, deliveries: list[Delivery]) -> AddressChange:
    address = NewAddress(row.street, row.house_number, row.postcode, row.municipality, row.moved_on)
    return AddressChange(
        row.id, row.national_id, row.told_by, address, row.told_at, tuple(deliveries)
    )
