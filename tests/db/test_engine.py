"""Engines: the right driver and settings per database, clear errors for the wrong URL."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import text

from civitas.core.errors import ExternalServiceUnavailable, InvalidInput
from civitas.db import check_reachable, create_engine_for, database_kind, safe_url
from civitas.db.engine import normalise_url


def _pragma(url: str, name: str) -> object:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(f"PRAGMA {name}")).scalar()
    finally:
        engine.dispose()


def test_sqlite_writes_ahead_so_readers_never_wait(tmp_path: Path) -> None:
    assert _pragma(f"sqlite:///{tmp_path / 'c.db'}", "journal_mode") == "wal"


def test_sqlite_enforces_foreign_keys(tmp_path: Path) -> None:
    assert _pragma(f"sqlite:///{tmp_path / 'c.db'}", "foreign_keys") == 1


def test_sqlite_waits_for_a_busy_database_instead_of_failing(tmp_path: Path) -> None:
    assert _pragma(f"sqlite:///{tmp_path / 'c.db'}", "busy_timeout") == 5000


def test_the_sqlite_folder_is_made_on_first_connection_not_before(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "data"
    engine = create_engine_for(f"sqlite:///{folder / 'c.db'}")
    assert not folder.exists()
    with engine.connect():
        pass
    engine.dispose()
    assert (folder / "c.db").exists()


def test_a_sqlite_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    engine = create_engine_for(f"sqlite:///{tmp_path / 'a-file' / 'data' / 'c.db'}")
    with pytest.raises(InvalidInput) as raised, engine.connect():
        pass
    message, hint = raised.value.render()
    assert (
        message == f"The folder {tmp_path / 'a-file' / 'data'} for the database cannot be created."
    )
    assert "CIVITAS_DATA_DIR" in hint


def test_in_memory_sqlite_keeps_one_database_across_connections() -> None:
    engine = create_engine_for("sqlite://")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 0
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("sqlite:///var/civitas.db", "sqlite"),
        ("sqlite+pysqlite:///var/civitas.db", "sqlite"),
        ("postgresql+psycopg://host/db", "postgresql"),
        ("postgresql://host/db", "postgresql"),
        ("postgres://user:secret@host/db", "postgresql"),
    ],
)
def test_sqlite_and_postgresql_urls_are_recognised(url: str, kind: str) -> None:
    assert database_kind(url) == kind


@pytest.mark.parametrize(
    "url", ["postgresql://host/db", "postgres://host/db", "postgresql+psycopg://host/db"]
)
def test_postgresql_urls_use_psycopg_3_whatever_the_spelling(url: str) -> None:
    assert normalise_url(url).drivername == "postgresql+psycopg"


def test_an_unsupported_database_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput) as raised:
        create_engine_for("mysql://user@host/db")
    assert raised.value.render() == (
        "Civitas does not support the database mysql.",
        "Use SQLite or PostgreSQL.",
    )


@pytest.mark.parametrize("url", ["postgresql+asyncpg://host/db", "sqlite+aiosqlite:///x.db"])
def test_an_unsupported_driver_is_a_clear_error_that_shows_the_right_spelling(url: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        create_engine_for(url)
    message, hint = raised.value.render()
    assert message == f"Civitas does not support the database {url.split(':')[0]}."
    assert "postgresql+psycopg://" in hint


def test_an_unreadable_url_is_a_clear_error_that_hides_the_password() -> None:
    with pytest.raises(InvalidInput) as raised:
        create_engine_for("postgresql://bob:s3cret@host:port-is-not-a-number/db")
    message, hint = raised.value.render()
    assert "cannot be read" in message
    assert "s3cret" not in message
    assert "sqlite:///" in hint


def test_urls_shown_to_people_hide_the_password() -> None:
    assert safe_url("postgresql+psycopg://bob:s3cret@host/db") == (
        "postgresql+psycopg://bob:***@host/db"
    )


def test_an_unreachable_postgresql_is_reported_with_its_address_and_no_password() -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    engine = create_engine_for(f"postgresql://bob:s3cret@127.0.0.1:{port}/civitas")
    with pytest.raises(ExternalServiceUnavailable) as raised:
        check_reachable(engine)
    message, hint = raised.value.render()
    assert (
        message
        == f"Cannot connect to the database at postgresql+psycopg://bob:***@127.0.0.1:{port}/civitas."
    )
    assert "CIVITAS_DATABASE_URL" in hint
    assert raised.value.status == 503


@pytest.mark.postgres
def test_postgresql_connections_name_the_application(postgres_url: str) -> None:
    engine = create_engine_for(postgres_url)
    with engine.connect() as connection:
        name = connection.execute(text("SELECT current_setting('application_name')")).scalar()
    engine.dispose()
    assert name == "civitas"
