"""Sessions (by the hash of their cookie token) and sign-ins waiting for the provider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from civitas.db.metadata import metadata
from civitas.db.types import UtcDateTime
from civitas.identity.assurance import Level
from civitas.identity.domain import PendingSignIn, Person, Session
from civitas.identity.mandates import ActingFor, Ground

sessions_table = Table(
    "identity_sessions",
    metadata,
    Column("id", String(64), primary_key=True),  # SHA-256 of the cookie's token
    Column("national_id", String(64), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("given_name", Text, nullable=False),
    Column("family_name", Text, nullable=False),
    Column("birthdate", String(10), nullable=False),
    Column("provider", String(64), nullable=False),
    Column("level", Integer, nullable=False),
    Column("acr", Text, nullable=False),
    Column("id_token", Text, nullable=False),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    # whom the session acts for online (none: the person's own affairs); checked each request
    Column("acting_for", String(64), nullable=True),
    Column("acting_name", Text, nullable=True),
    Column("acting_ground", String(16), nullable=True),
    Column("acting_mandate", String(32), nullable=True),  # for a granted mandate
)

pending_table = Table(
    "identity_pending_sign_ins",
    metadata,
    Column("state", String(64), primary_key=True),
    Column("nonce", String(64), nullable=False),
    Column("code_verifier", String(128), nullable=False),
    Column("provider", String(64), nullable=False),
    Column("level", Integer, nullable=False),
    Column("return_to", Text, nullable=False),
    Column("language", String(8), nullable=False),
    Column("started_at", UtcDateTime(), nullable=False, index=True),
)


def _acting(row: Any) -> ActingFor | None:
    if not row.acting_for:
        return None
    return ActingFor(
        row.acting_for, row.acting_name or "", Ground(row.acting_ground), row.acting_mandate or ""
    )


def _session(row: Any) -> Session:
    return Session(
        id=row.id,
        person=Person(row.national_id, row.name, row.given_name, row.family_name, row.birthdate),
        provider=row.provider,
        level=Level(row.level),
        acr=row.acr,
        id_token=row.id_token,
        started_at=row.started_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        acting=_acting(row),
    )


class SqlSessionStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, session: Session) -> None:
        person = session.person
        with self.engine.begin() as connection:
            connection.execute(
                insert(sessions_table).values(
                    id=session.id,
                    national_id=person.national_id,
                    name=person.name,
                    given_name=person.given_name,
                    family_name=person.family_name,
                    birthdate=person.birthdate,
                    provider=session.provider,
                    level=int(session.level),
                    acr=session.acr,
                    id_token=session.id_token,
                    started_at=session.started_at,
                    last_seen_at=session.last_seen_at,
                    expires_at=session.expires_at,
                    **_acting_values(session.acting),
                )
            )

    def get(self, session_id: str) -> Session | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(sessions_table).where(sessions_table.c.id == session_id)
            ).first()
        return _session(row) if row else None

    def touch(self, session_id: str, when: dt.datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(sessions_table)
                .where(sessions_table.c.id == session_id)
                .values(last_seen_at=when)
            )

    def act_for(self, session_id: str, acting: ActingFor | None) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(sessions_table)
                .where(sessions_table.c.id == session_id)
                .values(**_acting_values(acting))
            )

    def remove(self, session_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(sessions_table).where(sessions_table.c.id == session_id))

    def remove_all_of(self, national_id: str) -> int:
        with self.engine.begin() as connection:
            result = connection.execute(
                delete(sessions_table).where(sessions_table.c.national_id == national_id)
            )
        return int(result.rowcount)

    def of_person(self, national_id: str) -> Sequence[Session]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(sessions_table)
                .where(sessions_table.c.national_id == national_id)
                .order_by(sessions_table.c.started_at.desc())
            ).all()
        return [_session(row) for row in rows]


def _acting_values(acting: ActingFor | None) -> dict[str, str | None]:
    if acting is None:
        return dict.fromkeys(("acting_for", "acting_name", "acting_ground", "acting_mandate"))
    return {
        "acting_for": acting.national_id,
        "acting_name": acting.name,
        "acting_ground": acting.ground.value,
        "acting_mandate": acting.mandate_id or None,
    }


class SqlPendingStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, pending: PendingSignIn) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                insert(pending_table).values(
                    state=pending.state,
                    nonce=pending.nonce,
                    code_verifier=pending.code_verifier,
                    provider=pending.provider,
                    level=int(pending.level),
                    return_to=pending.return_to,
                    language=pending.language,
                    started_at=pending.started_at,
                )
            )

    def take(self, state: str) -> PendingSignIn | None:
        with self.engine.begin() as connection:
            row = connection.execute(
                delete(pending_table).where(pending_table.c.state == state).returning(pending_table)
            ).first()
        if row is None:
            return None
        return PendingSignIn(
            state=row.state,
            nonce=row.nonce,
            code_verifier=row.code_verifier,
            provider=row.provider,
            level=Level(row.level),
            return_to=row.return_to,
            language=row.language,
            started_at=row.started_at,
        )

    def forget_older_than(self, when: dt.datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(pending_table).where(pending_table.c.started_at < when))
