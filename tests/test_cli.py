"""The ``civitas`` command, run as a person runs it: a real process, real exit codes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from civitas.config import DEMO_PACK
from civitas.db import create_engine_for, migrate
from civitas.db.migrate import all_migrations
from civitas.synthetic import generate_country


def civitas(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``civitas`` with only the given CIVITAS_ settings (no .env: cwd is empty)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CIVITAS_")}
    clean.update({f"CIVITAS_{key.upper()}": value for key, value in env.items()})
    return subprocess.run(
        [sys.executable, "-m", "civitas", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> str:
    """A data folder holding a small synthetic country, as after a first `civitas run`."""
    generate_country(DEMO_PACK, 300, 1, tmp_path / "data" / "country")
    return str(tmp_path / "data")


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = civitas("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("serve", "check", "catalogue"):
        assert command in result.stdout


def test_no_arguments_shows_the_help_instead_of_doing_something(tmp_path: Path) -> None:
    result = civitas(cwd=tmp_path)
    assert "Usage:" in result.stdout + result.stderr
    assert result.returncode == 2


def test_an_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = civitas("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "No such command 'frobnicate'" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_on_a_migrated_installation_finds_no_problems(tmp_path: Path, data_dir: str) -> None:
    engine = create_engine_for(f"sqlite:///{data_dir}/civitas.db")
    migrate(engine)
    engine.dispose()
    result = civitas("check", cwd=tmp_path, data_dir=data_dir)
    assert result.returncode == 0
    assert result.stdout.strip() == "No problems found."


def test_check_warns_about_pending_migrations_but_succeeds(tmp_path: Path, data_dir: str) -> None:
    result = civitas("check", cwd=tmp_path, data_dir=data_dir)
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        f"civitas.W006 The database lacks {len(all_migrations())} migration(s): "
        + ", ".join(all_migrations())
        + ".",
        "    Hint: They are applied when the platform starts (civitas serve).",
    ]


def test_check_fails_with_the_problem_id_and_a_hint(tmp_path: Path, data_dir: str) -> None:
    result = civitas("check", cwd=tmp_path, data_dir=data_dir, database_url="mysql://h/db")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "civitas.E004 Civitas does not support the database mysql.",
        "    Hint: Use SQLite or PostgreSQL.",
    ]


def test_check_lists_each_pack_problem_under_its_error(tmp_path: Path, data_dir: str) -> None:
    result = civitas("check", cwd=tmp_path, data_dir=data_dir, country_pack=str(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"civitas.E002 The country pack in {tmp_path} has 6 problem(s)."
    assert lines[1] == "    country.yaml: This file is missing from the pack."
    assert lines[7] == (
        "    Hint: Fix each problem listed, or set CIVITAS_COUNTRY_PACK to another pack."
    )


def test_an_error_is_shown_as_error_and_hint_without_a_traceback(
    tmp_path: Path, data_dir: str
) -> None:
    result = civitas("serve", cwd=tmp_path, data_dir=data_dir, database_url="mysql://h/db")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: Civitas does not support the database mysql.",
        "Hint: Use SQLite or PostgreSQL.",
    ]


def test_an_unreachable_database_stops_serve_with_a_clear_error(
    tmp_path: Path, data_dir: str
) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://civitas:s3cret@127.0.0.1:{port}/civitas"
    result = civitas("serve", cwd=tmp_path, data_dir=data_dir, database_url=url)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: Cannot connect to the database at postgresql+psycopg://civitas:***@127.0.0.1:{port}/civitas.",
        "Hint: Check CIVITAS_DATABASE_URL, and that the database server is running.",
    ]


def test_a_setting_with_a_bad_value_is_named_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "civitas", "check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "CIVITAS_PORT": "abc"},
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Error: Some settings have values Civitas cannot use." in result.stderr
    assert "CIVITAS_PORT:" in result.stderr
