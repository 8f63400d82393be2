"""Staff roles, one row per person, role and organisation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    String,
    Table,
    delete,
    insert,
    select,
)

from civitas.db.metadata import metadata
from civitas.db.types import UtcDateTime
from civitas.identity.staff import Role, StaffMember, StaffRole

staff_table = Table(
    "identity_staff_roles",
    metadata,
    Column("national_id", String(64), primary_key=True),
    Column("role", String(32), primary_key=True),
    Column("organisation", String(100), primary_key=True),
    Column("granted_by", String(64), nullable=False),
    Column("granted_at", UtcDateTime(), nullable=False),
)


class SqlStaffStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def grant(self, held: StaffRole) -> bool:
        """Record a role; False when the person already held it."""
        key = (held.national_id, held.role.value, held.organisation)
        with self.engine.begin() as connection:
            if connection.execute(select(staff_table).where(_staff_key(*key))).first():
                return False
            connection.execute(
                insert(staff_table).values(
                    national_id=held.national_id,
                    role=held.role.value,
                    organisation=held.organisation,
                    granted_by=held.granted_by,
                    granted_at=held.granted_at,
                )
            )
        return True

    def revoke(self, national_id: str, role: Role, organisation: str) -> bool:
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(staff_table).where(_staff_key(national_id, role.value, organisation))
            )
        return bool(result.rowcount)

    def member(self, national_id: str) -> StaffMember:
        return StaffMember(national_id, tuple(self.roles(national_id)))

    def roles(self, national_id: str | None = None) -> list[StaffRole]:
        query = select(staff_table).order_by(
            staff_table.c.organisation, staff_table.c.national_id, staff_table.c.role
        )
        if national_id is not None:
            query = query.where(staff_table.c.national_id == national_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            StaffRole(
                row.national_id,
                Role(row.role),
                row.organisation,
                row.granted_by,
                row.granted_at,
            )
            for row in rows
        ]


def _staff_key(national_id: str, role: str, organisation: str) -> Any:
    return (
        (staff_table.c.national_id == national_id)
        & (staff_table.c.role == role)
        & (staff_table.c.organisation == organisation)
    )
