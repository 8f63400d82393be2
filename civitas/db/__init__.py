"""The operational database: engine, shared metadata and migrations."""

from __future__ import annotations

from civitas.db.engine import create_engine_for, database_kind
from civitas.db.metadata import metadata
from civitas.db.migrate import migrate, pending_migrations

__all__ = ["create_engine_for", "database_kind", "metadata", "migrate", "pending_migrations"]
