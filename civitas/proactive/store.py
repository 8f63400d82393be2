"""The proactive services' tables: events received, feed cursors, decisions.

``proactive_events`` is the inbox: one row per change event (its key is the
idempotency key), marked handled in the same transaction as the decisions and the
messages it led to. ``proactive_decisions`` keeps each decision once (unique key)
with its reasons, the rules' trace and the exchange messages of the data used.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    Engine,
    Index,
    String,
    Table,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.engine import Row

from civitas.db.metadata import metadata
from civitas.db.types import UtcDateTime
from civitas.db.upsert import insert_new
from civitas.notifications import Notice, notify
from civitas.proactive.domain import (
    Action,
    ChangeEvent,
    DataUsed,
    Decision,
    OfferState,
    Reason,
)
from civitas.proactive.ports import Settled

events_table = Table(
    "proactive_events",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("registry", String(64), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("kind", String(64), nullable=False),
    Column("national_id", String(64), nullable=False, index=True),
    Column("record_id", String(128), nullable=False),
    Column("changes", Text, nullable=False),  # JSON object
    Column("message_id", String(128), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Column("handled_at", UtcDateTime(), nullable=True),
    Column("outcome", Text, nullable=False),
    Column("problem", Text, nullable=False),
    Index("proactive_events_waiting", "handled_at", "occurred_on", "registry", "seq"),
)

cursors_table = Table(
    "proactive_cursors",
    metadata,
    Column("registry", String(64), primary_key=True),
    Column("cursor", String(200), nullable=False),
    Column("read_at", UtcDateTime(), nullable=False),
)

decisions_table = Table(
    "proactive_decisions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("key", String(400), nullable=False, unique=True),
    Column("national_id", String(64), nullable=False, index=True),
    Column("beneficiary", String(64), nullable=False, index=True),
    Column("service", String(100), nullable=False),
    Column("life_event", String(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("period", String(7), nullable=False),
    Column("cause", String(200), nullable=False),
    Column("amount_cents", BigInteger, nullable=True),
    Column("reasons", Text, nullable=False),  # JSON list
    Column("missing", Text, nullable=False),  # JSON list
    Column("data_used", Text, nullable=False),  # JSON list
    Column("trace", Text, nullable=False),  # JSON object
    Column("decided_at", UtcDateTime(), nullable=False),
    Column("state", String(16), nullable=False),
    Column("answered_at", UtcDateTime(), nullable=True),
    Column("application", String(64), nullable=False),
)


def event_row(event: ChangeEvent, at: dt.datetime) -> dict[str, Any]:
    return {
        "key": event.key,
        "registry": event.registry,
        "seq": event.seq,
        "occurred_on": event.occurred_on,
        "kind": event.kind,
        "national_id": event.national_id,
        "record_id": event.record_id,
        "changes": json.dumps(event.changes, sort_keys=True, default=str),
        "message_id": event.message_id,
        "received_at": at,
        "handled_at": None,
        "outcome": "",
        "problem": "",
    }


def event_of_row(row: Row[Any]) -> ChangeEvent:
    return ChangeEvent(
        registry=row.registry,
        seq=row.seq,
        occurred_on=row.occurred_on,
        kind=row.kind,
        national_id=row.national_id,
        record_id=row.record_id,
        changes=json.loads(row.changes),
        message_id=row.message_id,
    )


class SqlDecisionStore:
    """Decisions and handled events in the operational database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, now: Callable[[], dt.datetime]) -> None:
        self.engine = engine
        self.now = now  # when an event is marked handled

    def settle(self, settled: Sequence[Settled]) -> list[Decision]:
        at = self.now()
        kept: list[Decision] = []
        with self.engine.begin() as connection:
            # an event that came through a broker has no row yet: it gets one here
            insert_new(connection, events_table, [event_row(s.event, at) for s in settled], ["key"])
            for one in settled:
                marked = connection.execute(
                    update(events_table)
                    .where(events_table.c.key == one.event.key, events_table.c.handled_at.is_(None))
                    .values(handled_at=at, outcome=one.outcome[:2000], problem=one.problem[:4000])
                ).rowcount
                if not marked:
                    continue  # handled before (a redelivery): its effects are kept already
                kept += _keep(connection, one.decisions, one.notices, at)
        return kept

    def keep(self, decisions: Sequence[Decision], notices: Sequence[Notice]) -> list[Decision]:
        """Keep decisions made without an event (a scan's offers) and tell the people of
        those newly kept, in one transaction; the decisions newly kept."""
        with self.engine.begin() as connection:
            return _keep(connection, decisions, notices, self.now())

    def handled(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        table = events_table
        query = select(table.c.key).where(table.c.key.in_(keys), table.c.handled_at.is_not(None))
        with self.engine.connect() as connection:
            return set(connection.execute(query).scalars())

    def history(self, national_ids: Sequence[str]) -> list[Decision]:
        if not national_ids:
            return []
        table = decisions_table
        query = select(table).where(table.c.beneficiary.in_(national_ids))
        with self.engine.connect() as connection:
            return [decision_of_row(row) for row in connection.execute(query)]

    def of_person(self, national_id: str) -> list[Decision]:
        table = decisions_table
        query = (
            select(table)
            .where(table.c.national_id == national_id)
            .order_by(table.c.decided_at.desc(), table.c.id)
        )
        with self.engine.connect() as connection:
            return [decision_of_row(row) for row in connection.execute(query)]

    def open_services(self, national_id: str) -> list[str]:
        table = decisions_table
        query = select(table.c.service).where(
            table.c.national_id == national_id, table.c.state == OfferState.OPEN.value
        )
        with self.engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def get(self, decision_id: str) -> Decision | None:
        query = select(decisions_table).where(decisions_table.c.id == decision_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return decision_of_row(row) if row else None

    def answer(self, decision: Decision) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(decisions_table)
                .where(decisions_table.c.id == decision.id)
                .values(
                    state=decision.state.value,
                    answered_at=decision.answered_at,
                    application=decision.application,
                )
            )

    def problems(self, limit: int = 100) -> list[tuple[ChangeEvent, str, dt.datetime]]:
        """Events that could not be fully handled, newest first: for staff to look into."""
        table = events_table
        query = (
            select(table)
            .where(table.c.problem != "")
            .order_by(table.c.handled_at.desc(), table.c.key)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [(event_of_row(r), r.problem, r.handled_at) for r in connection.execute(query)]

    def counts(self) -> Mapping[str, int]:
        """How many events were received, handled, and left with a problem."""
        table = events_table
        query = select(
            func.count(),
            func.count(table.c.handled_at),
            func.count().filter(table.c.problem != ""),
        )
        with self.engine.connect() as connection:
            received, handled, problems = connection.execute(query).one()
        return {"received": received, "handled": handled, "problems": problems}


def _keep(
    connection: Connection,
    decisions: Sequence[Decision],
    notices: Sequence[Notice],
    at: dt.datetime,
) -> list[Decision]:
    """Insert the decisions whose key is new and tell their people; those newly kept."""
    rows = [_decision_row(d) for d in decisions]
    new = set(insert_new(connection, decisions_table, rows, ["key"]))
    made = [d for d in decisions if d.key in new]
    told = {f"decision:{d.id}" for d in made}
    notify(connection, [n for n in notices if n.key in told], at)
    return made


def _decision_row(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.id,
        "key": decision.key,
        "national_id": decision.national_id,
        "beneficiary": decision.beneficiary,
        "service": decision.service,
        "life_event": decision.life_event,
        "action": decision.action.value,
        "period": decision.period,
        "cause": decision.cause,
        "amount_cents": decision.amount_cents,
        "reasons": json.dumps([_reason(r) for r in decision.reasons]),
        "missing": json.dumps([dict(m) for m in decision.missing]),
        "data_used": json.dumps([vars(d) for d in decision.data_used]),
        "trace": json.dumps(decision.trace),
        "decided_at": decision.decided_at,
        "state": decision.state.value,
        "answered_at": decision.answered_at,
        "application": decision.application,
    }


def _reason(reason: Reason) -> dict[str, Any]:
    return {"label": dict(reason.label), "met": reason.met, "reference": reason.reference}


def decision_of_row(row: Row[Any]) -> Decision:
    return Decision(
        id=row.id,
        key=row.key,
        national_id=row.national_id,
        beneficiary=row.beneficiary,
        service=row.service,
        life_event=row.life_event,
        action=Action(row.action),
        period=row.period,
        cause=row.cause,
        amount_cents=row.amount_cents,
        reasons=tuple(Reason(**r) for r in json.loads(row.reasons)),
        missing=tuple(json.loads(row.missing)),
        data_used=tuple(DataUsed(**d) for d in json.loads(row.data_used)),
        trace=json.loads(row.trace),
        decided_at=row.decided_at,
        state=OfferState(row.state),
        answered_at=row.answered_at,
        application=row.application,
    )
