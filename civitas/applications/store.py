"""Applications, the provenance of every value, and the errors to report, in the
operational database (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    func,
    insert,
    select,
    update,
)

from civitas.applications.domain import (
    Answer,
    Application,
    Burden,
    Choice,
    Fact,
    Origin,
    ReportedError,
    Status,
    reported_error_parcel,
)
from civitas.db.metadata import metadata
from civitas.db.types import UtcDateTime
from civitas.deliveries.store import deliveries_by_id, enqueue

applications_table = Table(
    "applications_applications",
    metadata,
    Column("id", String(40), primary_key=True),  # the reference shown to the person
    Column("service_id", String(100), nullable=False, index=True),
    Column("national_id", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("submitted_at", UtcDateTime(), nullable=True),
    Column("choices", Text, nullable=False),  # JSON: field id -> [[value, label], ...]
    Column("unanswered", Text, nullable=False),  # JSON: registers that did not answer
)

# One row per fact a register gave (from the draft on) and per value sent: the provenance.
fields_table = Table(
    "applications_fields",
    metadata,
    Column(
        "application_id",
        String(40),
        ForeignKey("applications_applications.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("field_id", String(100), primary_key=True),
    Column("value", Text, nullable=True),  # what was sent; NULL while a draft
    Column("origin", String(16), nullable=True),  # prefilled, corrected or typed
    Column("registry_value", Text, nullable=True),  # what the register said, if it did
    Column("party", String(200), nullable=True),  # the register, member/subsystem
    Column("item", String(100), nullable=True),
    Column("message_id", String(128), nullable=True),  # X-Road-Id of the answer
    Column("record_id", String(100), nullable=True),
)

# The corrections people made, each sent to its register through the outbox (deliveries).
reported_errors_table = Table(
    "applications_reported_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "application_id",
        String(40),
        ForeignKey("applications_applications.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("party", String(200), nullable=False),
    Column("national_id", String(64), nullable=False),
    Column("record_id", String(100), nullable=False),
    Column("item", String(100), nullable=False),
    Column("registry_value", Text, nullable=False),
    Column("person_value", Text, nullable=False),
    Column("reported_at", UtcDateTime(), nullable=False),
    Column("delivery_id", String(40), nullable=False, server_default=""),  # in the outbox
)


class SqlApplicationStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, application: Application) -> None:
        choices = {
            field_id: [[c.value, c.label] for c in found]
            for field_id, found in application.choices.items()
        }
        with self.engine.begin() as connection:
            connection.execute(
                insert(applications_table).values(
                    id=application.id,
                    service_id=application.service_id,
                    national_id=application.national_id,
                    status=application.status.value,
                    created_at=application.created_at,
                    submitted_at=None,
                    choices=json.dumps(choices),
                    unanswered=json.dumps(list(application.unanswered)),
                )
            )
            for field_id, fact in application.facts.items():
                connection.execute(
                    insert(fields_table).values(
                        application_id=application.id,
                        field_id=field_id,
                        registry_value=fact.value,
                        party=fact.party,
                        item=fact.item,
                        message_id=fact.message_id,
                        record_id=fact.record_id,
                    )
                )

    def get(self, application_id: str) -> Application | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(applications_table).where(applications_table.c.id == application_id)
            ).first()
            if row is None:
                return None
            fields = connection.execute(
                select(fields_table).where(fields_table.c.application_id == application_id)
            ).all()
        return _application(row._mapping, [f._mapping for f in fields])

    def submit(
        self,
        application: Application,
        answers: Sequence[Answer],
        errors: Sequence[ReportedError],
        at: dt.datetime,
    ) -> None:
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(applications_table)
                .where(applications_table.c.id == application.id)
                .where(applications_table.c.status == Status.DRAFT.value)
                .values(status=Status.SUBMITTED.value, submitted_at=at)
            )
            if changed.rowcount != 1:
                return  # sent meanwhile, from another tab: the first one counts
            for answer in answers:
                values: dict[str, Any] = {"value": answer.value, "origin": answer.origin.value}
                if answer.fact is not None:
                    connection.execute(
                        update(fields_table)
                        .where(fields_table.c.application_id == application.id)
                        .where(fields_table.c.field_id == answer.field_id)
                        .values(**values)
                    )
                else:
                    connection.execute(
                        insert(fields_table).values(
                            application_id=application.id, field_id=answer.field_id, **values
                        )
                    )
            parcels = [reported_error_parcel(error) for error in errors]
            for error, delivery in zip(errors, enqueue(connection, parcels, at), strict=True):
                connection.execute(
                    insert(reported_errors_table).values(
                        application_id=error.application_id,
                        party=error.party,
                        national_id=error.national_id,
                        record_id=error.record_id,
                        item=error.item,
                        registry_value=error.registry_value,
                        person_value=error.person_value,
                        reported_at=error.reported_at,
                        delivery_id=delivery.id,
                    )
                )

    def of_person(self, national_id: str) -> list[Application]:
        apps, fields = applications_table, fields_table
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(apps)
                .where(apps.c.national_id == national_id)
                .order_by(apps.c.created_at.desc())
            ).all()
            found = connection.execute(
                select(fields)
                .join(apps, fields.c.application_id == apps.c.id)
                .where(apps.c.national_id == national_id)
            ).all()
        by_application: dict[str, list[Any]] = {}
        for field_row in found:
            by_application.setdefault(field_row.application_id, []).append(field_row._mapping)
        return [_application(row._mapping, by_application.get(row.id, [])) for row in rows]

    def reported_errors(self, application_id: str) -> list[ReportedError]:
        table = reported_errors_table
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(table).where(table.c.application_id == application_id).order_by(table.c.id)
            ).all()
            sent = deliveries_by_id(connection, [row.delivery_id for row in rows])
        return [
            ReportedError(
                application_id=row.application_id,
                party=row.party,
                national_id=row.national_id,
                record_id=row.record_id,
                item=row.item,
                registry_value=row.registry_value,
                person_value=row.person_value,
                reported_at=row.reported_at,
                delivery=sent.get(row.delivery_id),
            )
            for row in rows
        ]

    def burden(self) -> list[Burden]:
        apps, fields = applications_table, fields_table
        submitted = apps.c.status == Status.SUBMITTED.value
        with self.engine.connect() as connection:
            counted = connection.execute(
                select(apps.c.service_id, func.count()).where(submitted).group_by(apps.c.service_id)
            ).all()
            by_origin = connection.execute(
                select(apps.c.service_id, fields.c.origin, func.count())
                .join(fields, fields.c.application_id == apps.c.id)
                .where(submitted)
                .group_by(apps.c.service_id, fields.c.origin)
            ).all()
        origins: dict[tuple[str, str], int] = {(s, o): n for s, o, n in by_origin}
        return [
            Burden(
                service_id=service_id,
                applications=count,
                prefilled=origins.get((service_id, Origin.PREFILLED.value), 0),
                corrected=origins.get((service_id, Origin.CORRECTED.value), 0),
                typed=origins.get((service_id, Origin.TYPED.value), 0),
            )
            for service_id, count in sorted(counted)
        ]


def _application(row: Any, fields: Sequence[Any]) -> Application:
    facts = {
        f["field_id"]: Fact(
            f["registry_value"], f["party"], f["item"], f["message_id"], f["record_id"] or ""
        )
        for f in fields
        if f["party"] is not None
    }
    answers = tuple(
        Answer(f["field_id"], f["value"], Origin(f["origin"]), facts.get(f["field_id"]))
        for f in fields
        if f["origin"] is not None
    )
    choices = {
        field_id: tuple(Choice(value, label) for value, label in found)
        for field_id, found in json.loads(row["choices"]).items()
    }
    return Application(
        id=row["id"],
        service_id=row["service_id"],
        national_id=row["national_id"],
        status=Status(row["status"]),
        created_at=row["created_at"],
        facts=facts,
        choices=choices,
        unanswered=tuple(json.loads(row["unanswered"])),
        answers=answers,
        submitted_at=row["submitted_at"],
    )
