"""Alembic environment: runs against the engine handed over by civitas.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from civitas.db.metadata import metadata

# Several workers may start at once: the first takes a write lock and migrates, the
# others wait for it (released at commit) and then find nothing left to do.
MIGRATION_LOCK = 0x43495649  # "CIVI"

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    else:
        # pysqlite runs DDL outside any transaction; an explicit one makes the whole
        # migration atomic and serialises concurrent starts on the database file.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
