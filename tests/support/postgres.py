"""A real PostgreSQL for the tests, and a ``database_url`` that runs a test on both backends.

``postgres_url`` (session) is a database on either the server named by
``CIVITAS_TEST_POSTGRES_URL`` or a throwaway server started from the installed
binaries (``initdb`` + ``pg_ctl``) in a temporary folder, on a free loopback port,
with durability switched off for speed. ``postgres_database`` (per test) is a new,
empty database on that server, dropped afterwards, so tests never share a schema.
Without PostgreSQL binaries the tests that need them skip with the install command
(``CIVITAS_REQUIRE_ALL=1`` turns that skip into a failure).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import URL, make_url

ENV_URL = "CIVITAS_TEST_POSTGRES_URL"
INSTALL_HINT = "PostgreSQL not installed: apt-get install postgresql"


@dataclass(frozen=True)
class PostgresServer:
    """Where the server is, and how to reach its maintenance database."""

    url: URL  # SQLAlchemy URL of the main test database

    def admin_connection(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection for CREATE/DROP DATABASE (not allowed in a transaction)."""
        return psycopg.connect(_libpq_dsn(self.url.set(database="postgres")), autocommit=True)

    def create_database(self, name: str) -> URL:
        with self.admin_connection() as connection:
            # FILE_COPY (PostgreSQL 15+) copies the template's files: the fastest way here.
            strategy = " STRATEGY = FILE_COPY" if connection.info.server_version >= 150000 else ""
            connection.execute(
                sql.SQL("CREATE DATABASE {}" + strategy).format(sql.Identifier(name))
            )
        return self.url.set(database=name)

    def drop_database(self, name: str) -> None:
        # FORCE ends connections a test's engine still holds in its pool.
        with self.admin_connection() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _libpq_dsn(url: URL) -> str:
    """The psycopg connection string for a SQLAlchemy URL."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: pg_config's answer, else Debian's layout."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            answer = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            )
            candidates.append(Path(answer.stdout.strip()))
    # Newest version first: /usr/lib/postgresql/16/bin before /usr/lib/postgresql/15/bin.
    debian = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += [Path(p) for p in debian]
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _fast_folder() -> str | None:
    """Memory-backed /dev/shm when there is room (the cluster needs ~50 MB), else the default."""
    shm = Path("/dev/shm")
    with contextlib.suppress(OSError):
        if os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 512 * 1024 * 1024:
            return str(shm)
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayServer:
    """A PostgreSQL cluster living in a temporary folder for one test session."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="civitas-pg-", dir=_fast_folder()))
        self.data = self.root / "data"
        self.port = _free_port()
        # initdb refuses to run as root: run the server as an unprivileged system user.
        self.user = _server_user() if os.geteuid() == 0 else None

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError(
                f"{args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
                + self._log_tail()
            )

    def _log_tail(self) -> str:
        log = self.root / "server.log"
        return "\nserver log:\n" + log.read_text()[-3000:] if log.exists() else ""

    def start(self) -> URL:
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run(
            "initdb", "--pgdata", str(self.data), "--username", "civitas", "--auth", "trust",
            "--encoding", "UTF8", "--locale", "C.UTF-8", "--no-sync", "--no-instructions",
        )  # fmt: skip
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{self.root}'",
            # A throwaway cluster needs no durability; these make it several times faster.
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "wal_level": "minimal",
            "max_wal_senders": "0",
            "max_connections": "50",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        log = str(self.root / "server.log")
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", log, "--wait", "start")
        url = URL.create("postgresql+psycopg", username="civitas", host="127.0.0.1", port=self.port)
        with psycopg.connect(_libpq_dsn(url.set(database="postgres")), autocommit=True) as conn:
            conn.execute("CREATE DATABASE civitas")
        return url.set(database="civitas")

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "fast", "--wait", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def _server_user() -> str:
    """The ``postgres`` user Debian's package creates, else ``nobody``."""
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("Running as root, and neither 'postgres' nor 'nobody' exists.")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    given = os.environ.get(ENV_URL)
    if given:
        yield PostgresServer(make_url(given))
        return
    bindir = find_bindir()
    if bindir is None:
        pytest.skip(INSTALL_HINT)
    server = ThrowawayServer(bindir)
    try:
        url = server.start()
        yield PostgresServer(url)
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """SQLAlchemy URL (``postgresql+psycopg://...``) of a database shared by the session."""
    return postgres_server.url.render_as_string(hide_password=False)


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> Iterator[str]:
    """SQLAlchemy URL of a new, empty database for this test only."""
    name = f"civitas_test_{uuid.uuid4().hex[:12]}"
    url = postgres_server.create_database(name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, once on SQLite (a file) and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'civitas.db'}"
    return str(request.getfixturevalue("postgres_database"))
