"""One-time consent codes (by their hash) and the desk sessions opened with them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    update,
)

from civitas.db.metadata import metadata
from civitas.db.types import UtcDateTime
from civitas.identity.consent_codes import CodeState, ConsentCode, Serving, ServingGround

consent_codes_table = Table(
    "identity_consent_codes",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("holder", String(64), nullable=False, index=True),
    Column("holder_name", Text, nullable=False),
    Column("code_hash", String(64), nullable=False),  # SHA-256 of the code
    Column("services", Text, nullable=False),  # service ids, space-separated
    Column("created_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("state", String(16), nullable=False),
    Column("changed_at", UtcDateTime(), nullable=True),
    Column("used_by", String(64), nullable=False),
    Column("used_by_name", Text, nullable=False),
)

# Codes tried and refused: too many for one person in a while, and the desk must wait.
wrong_codes_table = Table(
    "identity_wrong_codes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("holder", String(64), nullable=False, index=True),
    Column("tried_by", String(64), nullable=False),
    Column("tried_at", UtcDateTime(), nullable=False),
)

serving_table = Table(
    "identity_serving",
    metadata,
    Column("staff_session", String(64), primary_key=True),  # the staff session's id
    Column("staff", String(64), nullable=False),
    Column("staff_name", Text, nullable=False),
    Column("person", String(64), nullable=False),
    Column("person_name", Text, nullable=False),
    Column("ground", String(16), nullable=False),
    Column("services", Text, nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("mandate_id", String(32), nullable=False),
    Column("code_id", String(32), nullable=False),
)


def _consent_code(row: Any) -> ConsentCode:
    return ConsentCode(
        id=row.id,
        holder=row.holder,
        holder_name=row.holder_name,
        code_hash=row.code_hash,
        services=tuple(row.services.split()),
        created_at=row.created_at,
        expires_at=row.expires_at,
        state=CodeState(row.state),
        changed_at=row.changed_at,
        used_by=row.used_by,
        used_by_name=row.used_by_name,
    )


class SqlConsentCodeStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, code: ConsentCode) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(consent_codes_table).values(
                    id=code.id,
                    holder=code.holder,
                    holder_name=code.holder_name,
                    code_hash=code.code_hash,
                    services=" ".join(code.services),
                    created_at=code.created_at,
                    expires_at=code.expires_at,
                    state=code.state.value,
                    changed_at=code.changed_at,
                    used_by=code.used_by,
                    used_by_name=code.used_by_name,
                )
            )

    def find(self, holder: str, code_hash: str) -> ConsentCode | None:
        table = consent_codes_table
        with self.engine.connect() as connection:
            row = connection.execute(
                select(table)
                .where((table.c.holder == holder) & (table.c.code_hash == code_hash))
                .order_by(table.c.created_at.desc())
            ).first()
        return _consent_code(row) if row else None

    def of_holder(self, national_id: str) -> list[ConsentCode]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(consent_codes_table)
                .where(consent_codes_table.c.holder == national_id)
                .order_by(consent_codes_table.c.created_at.desc())
            ).all()
        return [_consent_code(row) for row in rows]

    def use(self, code_id: str, when: dt.datetime, by: str, by_name: str) -> bool:
        """One conditional update, so two desks racing with one code cannot both win."""
        return self._change(
            code_id,
            None,
            state=CodeState.USED.value,
            changed_at=when,
            used_by=by,
            used_by_name=by_name,
        )

    def cancel(self, code_id: str, holder: str, when: dt.datetime) -> bool:
        return self._change(code_id, holder, state=CodeState.CANCELLED.value, changed_at=when)

    def wrong_code(self, holder: str, by: str, when: dt.datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(wrong_codes_table).values(holder=holder, tried_by=by, tried_at=when)
            )

    def wrong_codes_since(self, holder: str, since: dt.datetime) -> int:
        table = wrong_codes_table
        query = select(func.count()).where(table.c.holder == holder, table.c.tried_at > since)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def _change(self, code_id: str, holder: str | None, **values: Any) -> bool:
        table = consent_codes_table
        condition = (table.c.id == code_id) & (table.c.state == CodeState.ACTIVE.value)
        if holder is not None:
            condition = condition & (table.c.holder == holder)
        with self.engine.begin() as connection:
            result = connection.execute(update(table).where(condition).values(**values))
        return bool(result.rowcount)


class SqlServingStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def open(self, serving: Serving) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                delete(serving_table).where(serving_table.c.staff_session == serving.staff_session)
            )
            connection.execute(
                insert(serving_table).values(
                    staff_session=serving.staff_session,
                    staff=serving.staff,
                    staff_name=serving.staff_name,
                    person=serving.person,
                    person_name=serving.person_name,
                    ground=serving.ground.value,
                    services=" ".join(serving.services),
                    opened_at=serving.opened_at,
                    expires_at=serving.expires_at,
                    mandate_id=serving.mandate_id,
                    code_id=serving.code_id,
                )
            )

    def of_session(self, staff_session: str) -> Serving | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(serving_table).where(serving_table.c.staff_session == staff_session)
            ).first()
        if row is None:
            return None
        return Serving(
            staff_session=row.staff_session,
            staff=row.staff,
            staff_name=row.staff_name,
            person=row.person,
            person_name=row.person_name,
            ground=ServingGround(row.ground),
            services=tuple(row.services.split()),
            opened_at=row.opened_at,
            expires_at=row.expires_at,
            mandate_id=row.mandate_id,
            code_id=row.code_id,
        )

    def close(self, staff_session: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                delete(serving_table).where(serving_table.c.staff_session == staff_session)
            )
