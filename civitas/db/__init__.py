"""The operational database: engine, shared metadata and migrations."""

from __future__ import annotations

from civitas.db.engine import create_engine_for, database_kind, safe_url
from civitas.db.metadata import metadata
from civitas.db.migrate import check_reachable, downgrade, migrate, pending_migrations

__all__ = [
    "check_reachable",
    "create_engine_for",
    "database_kind",
    "downgrade",
    "metadata",
    "migrate",
    "pending_migrations",
    "safe_url",
]
