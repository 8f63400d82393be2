"""Sessions, sign-ins, staff roles, mandates and consent codes in the operational database
(SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    DateTime,
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
from civitas.identity.assurance import Level
from civitas.identity.consent_codes import CodeState, ConsentCode, Serving, ServingGround
from civitas.identity.domain import PendingSignIn, Person, Session
from civitas.identity.mandates import Act, Ground, Mandate, MandateState
from civitas.identity.staff import Role, StaffMember, StaffRole

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
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
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
    Column("started_at", DateTime(timezone=True), nullable=False, index=True),
)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; every time here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _session(row: Any) -> Session:
    return Session(
        id=row.id,
        person=Person(row.national_id, row.name, row.given_name, row.family_name, row.birthdate),
        provider=row.provider,
        level=Level(row.level),
        acr=row.acr,
        id_token=row.id_token,
        started_at=_aware(row.started_at),
        last_seen_at=_aware(row.last_seen_at),
        expires_at=_aware(row.expires_at),
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
            started_at=_aware(row.started_at),
        )

    def forget_older_than(self, when: dt.datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(pending_table).where(pending_table.c.started_at < when))


staff_table = Table(
    "identity_staff_roles",
    metadata,
    Column("national_id", String(64), primary_key=True),
    Column("role", String(32), primary_key=True),
    Column("organisation", String(100), primary_key=True),
    Column("granted_by", String(64), nullable=False),
    Column("granted_at", DateTime(timezone=True), nullable=False),
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
                _aware(row.granted_at),
            )
            for row in rows
        ]


def _staff_key(national_id: str, role: str, organisation: str) -> Any:
    return (
        (staff_table.c.national_id == national_id)
        & (staff_table.c.role == role)
        & (staff_table.c.organisation == organisation)
    )


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
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("changed_by", String(64), nullable=False),
)

acts_table = Table(
    "identity_mandate_acts",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
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
        created_at=_aware(row.created_at),
        changed_at=_aware(row.changed_at),
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
                at=_aware(row.at),
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


consent_codes_table = Table(
    "identity_consent_codes",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("holder", String(64), nullable=False, index=True),
    Column("holder_name", Text, nullable=False),
    Column("code_hash", String(64), nullable=False),  # SHA-256 of the code
    Column("services", Text, nullable=False),  # service ids, space-separated
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("state", String(16), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=True),
    Column("used_by", String(64), nullable=False),
    Column("used_by_name", Text, nullable=False),
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
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
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
        created_at=_aware(row.created_at),
        expires_at=_aware(row.expires_at),
        state=CodeState(row.state),
        changed_at=_aware(row.changed_at) if row.changed_at else None,
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
            opened_at=_aware(row.opened_at),
            expires_at=_aware(row.expires_at),
            mandate_id=row.mandate_id,
            code_id=row.code_id,
        )

    def close(self, staff_session: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                delete(serving_table).where(serving_table.c.staff_session == staff_session)
            )
