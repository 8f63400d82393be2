"""Mandates and the acts done under them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Date,
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
from civitas.identity.mandates import Act, Ground, Mandate, MandateState

mandates_table = Table(
    "identity_mandates",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("grantor", String(64), nullable=False, index=True),
    Column("grantor_name", Text, nullable=False),
    Column("delegate", String(64), nullable=False, index=True),
    Column("delegate_name", Text, nullable=False),
    Column("services", Text, nullable=False),  # service ids, space-separated
    Column("valid_until", Date, nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("changed_at", UtcDateTime(), nullable=False),
    Column("changed_by", String(64), nullable=False),
)

acts_table = Table(
    "identity_mandate_acts",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(64), nullable=False, index=True),
    Column("actor_name", Text, nullable=False),
    Column("represented", String(64), nullable=False, index=True),
    Column("ground", String(16), nullable=False),
    Column("service", String(200), nullable=False),
    Column("action", Text, nullable=False),
    Column("mandate_id", String(32), nullable=False),
    Column("channel", String(16), nullable=False),
)


def _mandate(row: Any) -> Mandate:
    return Mandate(
        id=row.id,
        grantor=row.grantor,
        grantor_name=row.grantor_name,
        delegate=row.delegate,
        delegate_name=row.delegate_name,
        services=tuple(row.services.split()),
        valid_until=row.valid_until,
        state=MandateState(row.state),
        created_at=row.created_at,
        changed_at=row.changed_at,
        changed_by=row.changed_by,
    )


class SqlMandateStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, mandate: Mandate) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(mandates_table).values(
                    id=mandate.id,
                    grantor=mandate.grantor,
                    grantor_name=mandate.grantor_name,
                    delegate=mandate.delegate,
                    delegate_name=mandate.delegate_name,
                    services=" ".join(mandate.services),
                    valid_until=mandate.valid_until,
                    state=mandate.state.value,
                    created_at=mandate.created_at,
                    changed_at=mandate.changed_at,
                    changed_by=mandate.changed_by,
                )
            )

    def get(self, mandate_id: str) -> Mandate | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(mandates_table).where(mandates_table.c.id == mandate_id)
            ).first()
        return _mandate(row) if row else None

    def change(self, mandate: Mandate) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(mandates_table)
                .where(mandates_table.c.id == mandate.id)
                .values(
                    state=mandate.state.value,
                    delegate_name=mandate.delegate_name,
                    changed_at=mandate.changed_at,
                    changed_by=mandate.changed_by,
                )
            )

    def given_by(self, national_id: str) -> list[Mandate]:
        return self._where(mandates_table.c.grantor == national_id)

    def given_to(self, national_id: str) -> list[Mandate]:
        return self._where(mandates_table.c.delegate == national_id)

    def _where(self, condition: Any) -> list[Mandate]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(mandates_table).where(condition).order_by(mandates_table.c.created_at.desc())
            ).all()
        return [_mandate(row) for row in rows]

    def record(self, act: Act) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(acts_table).values(
                    at=act.at,
                    actor=act.actor,
                    actor_name=act.actor_name,
                    represented=act.represented,
                    ground=act.ground.value,
                    service=act.service,
                    action=act.action,
                    mandate_id=act.mandate_id,
                    channel=act.channel,
                )
            )

    def acts_for(self, national_id: str) -> list[Act]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(acts_table)
                .where(acts_table.c.represented == national_id)
                .order_by(acts_table.c.seq.desc())
            ).all()
        return [
            Act(
                at=row.at,
                actor=row.actor,
                actor_name=row.actor_name,
                represented=row.represented,
                ground=Ground(row.ground),
                service=row.service,
                action=row.action,
                mandate_id=row.mandate_id,
                channel=row.channel,
            )
            for row in rows
        ]
