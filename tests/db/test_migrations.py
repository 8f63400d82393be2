"""Migrations, applied to an empty SQLite file and an empty PostgreSQL database alike."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

import civitas.applications.store  # declares its tables on the metadata, like the next
import civitas.deliveries.store
import civitas.identity.store
import civitas.notifications.store
import civitas.tell_us_once.store  # noqa: F401  (declares its tables on the metadata)
from civitas.db import create_engine_for, downgrade, migrate, pending_migrations
from civitas.db.metadata import metadata
from civitas.db.migrate import all_migrations


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


def _tables(engine: Engine) -> set[str]:
    names = set(inspect(engine).get_table_names())
    # SQLite's FTS5 keeps its data in shadow tables named after the virtual table.
    return {name for name in names if not name.startswith("catalogue_search_")}


def test_migrations_are_a_single_line_from_the_first_to_the_newest() -> None:
    known = all_migrations()
    assert known[0] == "0001"
    assert len(known) == len(set(known))


def test_an_empty_database_lacks_every_migration(engine: Engine) -> None:
    assert pending_migrations(engine) == all_migrations()


def test_migrating_an_empty_database_creates_the_schema(engine: Engine) -> None:
    migrate(engine)
    declared = set(metadata.tables)  # every block's tables (their stores are imported)
    assert _tables(engine) == {"alembic_version", "catalogue_search", *declared}
    assert pending_migrations(engine) == []


def test_the_migrations_build_exactly_the_tables_the_code_declares(engine: Engine) -> None:
    migrate(engine)

    def declared_here(name: str | None, kind: str, parent: object) -> bool:
        # the search index is raw SQL per database (0001), not a table of the metadata
        return kind != "table" or not (name or "").startswith("catalogue_search")

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": declared_here})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_migrating_twice_changes_nothing(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    assert pending_migrations(engine) == []


def test_every_migration_can_be_undone_down_to_an_empty_schema(engine: Engine) -> None:
    migrate(engine)
    downgrade(engine, "base")
    assert _tables(engine) == {"alembic_version"}
    assert pending_migrations(engine) == all_migrations()
    migrate(engine)
    assert pending_migrations(engine) == []


def test_a_database_part_way_lacks_only_the_newer_migrations(engine: Engine) -> None:
    first, *rest = all_migrations()
    migrate(engine, first)
    assert pending_migrations(engine) == rest


def test_looking_for_pending_migrations_does_not_create_a_sqlite_file(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'data' / 'civitas.db'}")
    assert pending_migrations(engine) == all_migrations()
    assert not (tmp_path / "data").exists()


def test_workers_starting_together_all_migrate_successfully(database_url: str) -> None:
    # Each worker process migrates at start-up; they must not trip over one another.
    script = "import sys; from civitas.db import *; migrate(create_engine_for(sys.argv[1]))"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0, 0, 0], outputs
    engine = create_engine_for(database_url)
    assert pending_migrations(engine) == []
    engine.dispose()
