"""Times read back from the database."""

from __future__ import annotations

import datetime as dt


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives naive datetimes back; every time here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
