"""Insert rows unless their key is already kept: the idempotent write of inboxes and outboxes.

``INSERT ... ON CONFLICT DO NOTHING`` in both SQLite and PostgreSQL, so two writers of
the same key (a worker and its restarted self) keep one row and neither fails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_new(
    connection: Connection, table: Table, rows: Sequence[Mapping[str, Any]], key: Sequence[str]
) -> list[Any]:
    """Insert the ``rows`` whose ``key`` columns match no kept row; the keys inserted.

    The keys come back as the first ``key`` column's values, in no particular order.
    """
    if not rows:
        return []
    dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
    first = table.c[key[0]]
    statement = (
        dialect.insert(table).on_conflict_do_nothing(index_elements=list(key)).returning(first)
    )
    inserted: list[Any] = []
    for row in rows:  # RETURNING with executemany is not portable: one row at a time
        inserted += connection.execute(statement, dict(row)).scalars().all()
    return inserted
