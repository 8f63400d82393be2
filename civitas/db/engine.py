"""Engines for the supported databases: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_

SUPPORTED = ("sqlite", "postgresql")


def database_kind(url: str) -> str:
    """``sqlite`` or ``postgresql``; anything else is a configuration error."""
    try:
        backend = make_url(url).get_backend_name()
    except Exception as exc:
        raise InvalidInput(
            N_("The database URL {url} cannot be read."),
            hint=N_("Write it like sqlite:///var/civitas.db or postgresql+psycopg://host/db."),
            params={"url": url},
        ) from exc
    if backend not in SUPPORTED:
        raise InvalidInput(
            N_("Civitas does not support the database {backend}."),
            hint=N_("Use SQLite or PostgreSQL."),
            params={"backend": backend},
        )
    return backend


def create_engine_for(url: str) -> Engine:
    """An engine tuned for the database kind: WAL and foreign keys on SQLite."""
    kind = database_kind(url)
    if kind == "sqlite":
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _tune_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
