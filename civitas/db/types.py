"""Column types every block's tables share."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A moment, written and read back in UTC with its time zone.

    PostgreSQL keeps the zone; SQLite gives naive datetimes back. Every moment Civitas
    writes is UTC, so a naive one read back is UTC: said once here, not in every store.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=dt.UTC)
