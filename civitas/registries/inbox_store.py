"""A node's inbox in its own SQLite file, beside the platform's database, never in it.

A register is its own organisation's system: what it receives stays in its own file
(``<data dir>/registries/<registry>/inbox.sqlite``). The two tables are made on first
use; their shape is this module's alone, so they need no migration chain.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Date, Engine, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.exc import IntegrityError

from civitas.db import create_engine_for
from civitas.db.types import UtcDateTime
from civitas.registries.consents import Consent, ConsentEvent, ConsentState, history_json
from civitas.registries.notices import Notice, NoticeKind

metadata = MetaData()

notices_table = Table(
    "notices",
    metadata,
    Column("message_id", String(128), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("national_id", String(64), nullable=False, index=True),
    Column("details", Text, nullable=False),  # JSON object
    Column("sender", String(200), nullable=False),
    Column("user_id", String(200), nullable=False),
    Column("case_ref", String(200), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False, index=True),
)

consents_table = Table(
    "consents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("national_id", String(64), nullable=False, index=True),
    Column("purpose", String(100), nullable=False),
    Column("client", String(200), nullable=False),
    Column("items", Text, nullable=False),  # JSON list
    Column("state", String(16), nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("history", Text, nullable=False),  # JSON list of {at, state, by}
)


def inbox_path(data_dir: Path, registry: str) -> Path:
    return data_dir / "registries" / registry / "inbox.sqlite"


class SqlInboxStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        metadata.create_all(engine)

    @classmethod
    def open(cls, path: Path) -> SqlInboxStore:
        return cls(create_engine_for(f"sqlite:///{path}"))

    def add_notice(self, notice: Notice) -> None:
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(notices_table).values(
                        message_id=notice.message_id,
                        kind=notice.kind.value,
                        national_id=notice.national_id,
                        details=json.dumps(dict(notice.details), ensure_ascii=False),
                        sender=notice.sender,
                        user_id=notice.user,
                        case_ref=notice.case,
                        received_at=notice.received_at,
                    )
                )
        except IntegrityError:
            pass  # the same message again: kept once

    def notices(self, limit: int) -> list[Notice]:
        query = select(notices_table).order_by(notices_table.c.received_at.desc()).limit(limit)
        with self.engine.connect() as connection:
            return [_notice(row) for row in connection.execute(query)]

    def consent(self, consent_id: str) -> Consent | None:
        query = select(consents_table).where(consents_table.c.id == consent_id)
        with self.engine.connect() as connection:
            row = connection.execute(query).first()
        return _consent(row) if row is not None else None

    def consents_of(self, national_id: str) -> list[Consent]:
        return self._newest_first(national_id=national_id)

    def latest(self, national_id: str, client: str, purpose: str) -> Consent | None:
        found = self._newest_first(national_id=national_id, client=client, purpose=purpose)
        return found[0] if found else None

    def _newest_first(self, **equal: str) -> list[Consent]:
        """The consents whose columns equal ``equal``, newest request first."""
        query = select(consents_table).filter_by(**equal)
        with self.engine.connect() as connection:
            found = [_consent(row) for row in connection.execute(query)]
        return sorted(found, key=lambda c: c.history[0].at, reverse=True)

    def save_consent(self, consent: Consent) -> None:
        values = {
            "national_id": consent.national_id,
            "purpose": consent.purpose,
            "client": consent.client,
            "items": json.dumps(list(consent.items)),
            "state": consent.state.value,
            "valid_until": consent.valid_until,
            "history": json.dumps(history_json(consent)),
        }
        table = consents_table
        with self.engine.begin() as connection:
            changed = connection.execute(
                update(table).where(table.c.id == consent.id).values(**values)
            ).rowcount
            if not changed:
                connection.execute(insert(table).values(id=consent.id, **values))

    def close(self) -> None:
        self.engine.dispose()


def _notice(row: Any) -> Notice:
    return Notice(
        message_id=row.message_id,
        kind=NoticeKind(row.kind),
        national_id=row.national_id,
        details=json.loads(row.details),
        sender=row.sender,
        user=row.user_id,
        case=row.case_ref,
        received_at=row.received_at,
    )


def _consent(row: Any) -> Consent:
    return Consent(
        id=row.id,
        national_id=row.national_id,
        purpose=row.purpose,
        client=row.client,
        items=tuple(json.loads(row.items)),
        state=ConsentState(row.state),
        valid_until=row.valid_until,
        history=tuple(
            ConsentEvent(dt.datetime.fromisoformat(e["at"]), ConsentState(e["state"]), e["by"])
            for e in json.loads(row.history)
        ),
    )
