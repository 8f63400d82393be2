"""Engines for the supported databases: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_

SUPPORTED = ("sqlite", "postgresql")
# The one driver per database the code is written and tested for (synchronous DB-API).
DRIVERS = {"sqlite": "pysqlite", "postgresql": "psycopg"}
_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")  # user:password@ in a URL
_EXAMPLE = N_("Write it like sqlite:///var/civitas.db or postgresql+psycopg://host/db.")


def database_kind(url: str) -> str:
    """``sqlite`` or ``postgresql``; anything else is a configuration error."""
    return _backend(_parse(url))


def normalise_url(url: str) -> URL:
    """The URL with the driver Civitas uses: ``postgresql://`` means psycopg 3."""
    parsed = _parse(url)
    backend = _backend(parsed)
    driver = parsed.drivername.partition("+")[2] or DRIVERS[backend]
    if driver != DRIVERS[backend]:
        raise InvalidInput(
            N_("Civitas does not support the database {backend}."),
            hint=_EXAMPLE,
            params={"backend": parsed.drivername},
        )
    return parsed.set(drivername=f"{backend}+{driver}")


def create_engine_for(url: str) -> Engine:
    """An engine tuned for the database kind: WAL and foreign keys on SQLite."""
    parsed = normalise_url(url)
    if _backend(parsed) == "sqlite":
        database = parsed.database
        if not database or database == ":memory:":
            # One shared connection, or each connection would see its own empty database.
            engine = create_engine(
                parsed, poolclass=StaticPool, connect_args={"check_same_thread": False}
            )
        else:
            engine = create_engine(parsed, connect_args={"check_same_thread": False})
            # The folder is made on first connection: building an engine touches nothing.
            folder = Path(database).parent
            event.listen(engine, "do_connect", lambda *_: _make_folder(folder))
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(
        parsed,
        pool_pre_ping=True,
        # Fail within seconds when the server is unreachable, instead of hanging.
        connect_args={"connect_timeout": 10, "application_name": "civitas"},
    )


def safe_url(url: str | URL) -> str:
    """The URL as it may be shown to a person: without the password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable URL)"


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except Exception as exc:
        raise InvalidInput(
            N_("The database URL {url} cannot be read."),
            hint=_EXAMPLE,
            params={"url": _PASSWORD.sub(r"\1:***@", url)},
        ) from exc


def _backend(url: URL) -> str:
    backend = url.get_backend_name()
    if backend == "postgres":  # the short name many hosting providers hand out
        return "postgresql"
    if backend not in SUPPORTED:
        raise InvalidInput(
            N_("Civitas does not support the database {backend}."),
            hint=N_("Use SQLite or PostgreSQL."),
            params={"backend": backend},
        )
    return backend


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInput(
            N_("The folder {folder} for the database cannot be created."),
            hint=N_("Set CIVITAS_DATA_DIR to a folder this user may write to."),
            params={"folder": str(folder)},
        ) from exc


def _tune_sqlite(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL lets readers go on while the index is rebuilt; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
