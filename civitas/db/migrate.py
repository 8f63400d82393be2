"""Apply Alembic migrations from code, so ``make run`` and the tests need no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from civitas.core.errors import ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.db.engine import safe_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` (default: the newest)."""
    check_reachable(engine)
    command.upgrade(_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the schema back to ``revision`` (default: empty), for tests and rollbacks."""
    command.downgrade(_config(engine), revision)


def all_migrations() -> list[str]:
    """Every revision the code knows, oldest first."""
    script = ScriptDirectory(str(MIGRATIONS))
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def pending_migrations(engine: Engine) -> list[str]:
    """Revisions not yet applied to the database, oldest first.

    A SQLite file that does not exist yet lacks every migration; it is not created
    here, so that checking a configuration leaves no file behind.
    """
    if engine.dialect.name == "sqlite" and not _sqlite_file_exists(engine):
        return all_migrations()
    script = ScriptDirectory(str(MIGRATIONS))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    pending = []
    for revision in script.walk_revisions():
        if revision.revision in current:
            break
        pending.append(revision.revision)
    return list(reversed(pending))


def check_reachable(engine: Engine) -> None:
    """Connect once, so that a wrong address is reported as such and not as a traceback."""
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        raise ExternalServiceUnavailable(
            N_("Cannot connect to the database at {url}."),
            hint=N_("Check CIVITAS_DATABASE_URL, and that the database server is running."),
            params={"url": safe_url(engine.url)},
        ) from exc


def _sqlite_file_exists(engine: Engine) -> bool:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return True  # in memory, or a URI the driver resolves: nothing to find on disk
    return Path(database).exists()
