"""``civitas check``: each configuration problem is found, named by a stable id, with a hint."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from civitas.checks import Problem, run_checks
from civitas.config import DEMO_PACK, Settings
from civitas.db import create_engine_for, migrate
from civitas.db.migrate import all_migrations
from civitas.synthetic import generate_country


def _settings(tmp_path: Path, *, country: bool = True, **values: Any) -> Settings:
    """Settings for a data folder in ``tmp_path``, with a small synthetic country in it."""
    values.setdefault("data_dir", tmp_path / "data")
    settings = Settings(_env_file=None, **values)  # type: ignore[call-arg]
    if country:
        generate_country(DEMO_PACK, 300, 1, settings.country_dir)
    return settings


def _migrated(url: str) -> str:
    engine = create_engine_for(url)
    migrate(engine)
    engine.dispose()
    return url


def _ids(problems: list[Problem]) -> list[str]:
    return [problem.id for problem in problems]


def test_a_healthy_installation_has_no_problems(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _migrated(settings.resolved_database_url)
    assert run_checks(settings) == []


@pytest.mark.postgres
def test_a_healthy_installation_on_postgresql_has_no_problems(
    tmp_path: Path, postgres_database: str
) -> None:
    settings = _settings(tmp_path, database_url=_migrated(postgres_database))
    assert run_checks(settings) == []


def test_a_fresh_installation_is_warned_that_migrations_are_pending(tmp_path: Path) -> None:
    problems = run_checks(_settings(tmp_path))
    assert _ids(problems) == ["civitas.W006"]
    everything = ", ".join(all_migrations())
    assert problems[0].message == (
        f"The database lacks {len(all_migrations())} migration(s): {everything}."
    )
    assert not problems[0].is_error


def test_checking_leaves_no_files_behind(tmp_path: Path) -> None:
    run_checks(_settings(tmp_path, country=False))
    assert not (tmp_path / "data").exists()


def test_a_missing_country_is_warning_w008(tmp_path: Path) -> None:
    settings = _settings(tmp_path, country=False)
    _migrated(settings.resolved_database_url)
    problems = run_checks(settings)
    assert _ids(problems) == ["civitas.W008"]
    assert "civitas country generate" in problems[0].hint


def test_a_tampered_country_file_is_error_e009_naming_the_file(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _migrated(settings.resolved_database_url)
    with (settings.country_dir / "registries" / "tax.parquet").open("ab") as file:
        file.write(b"tampered")
    problems = run_checks(settings)
    assert _ids(problems) == ["civitas.E009"]
    assert any("registries/tax.parquet" in detail for detail in problems[0].details)


def test_a_registry_owned_by_an_unknown_organisation_is_error_e007(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    registries = pack / "registries.yaml"
    text = registries.read_text(encoding="utf-8")
    registries.write_text(text.replace("tax-authority", "tax-authoritty", 1), encoding="utf-8")
    settings = _settings(tmp_path, country_pack=pack, country=False)
    _migrated(settings.resolved_database_url)
    problems = run_checks(settings)
    assert _ids(problems) == ["civitas.E007"]
    assert any("tax-authoritty" in detail for detail in problems[0].details)


@pytest.mark.postgres
def test_an_empty_postgresql_database_is_warned_that_migrations_are_pending(
    tmp_path: Path, postgres_database: str
) -> None:
    assert _ids(run_checks(_settings(tmp_path, database_url=postgres_database))) == ["civitas.W006"]


def test_an_unsupported_database_url_is_error_e004(tmp_path: Path) -> None:
    problems = run_checks(_settings(tmp_path, database_url="mysql://user@host/db"))
    assert _ids(problems) == ["civitas.E004"]
    assert problems[0].message == "Civitas does not support the database mysql."
    assert problems[0].hint == "Use SQLite or PostgreSQL."
    assert problems[0].is_error


def test_an_unreadable_database_url_is_error_e004(tmp_path: Path) -> None:
    assert _ids(run_checks(_settings(tmp_path, database_url="not a url"))) == ["civitas.E004"]


def test_an_unreachable_postgresql_is_error_e005_with_the_reason(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://civitas:s3cret@127.0.0.1:{port}/civitas"
    problems = run_checks(_settings(tmp_path, database_url=url))
    assert _ids(problems) == ["civitas.E005"]
    problem = problems[0]
    assert problem.message == (
        f"Cannot connect to the database at postgresql+psycopg://civitas:***@127.0.0.1:{port}/civitas."
    )
    assert "CIVITAS_DATABASE_URL" in problem.hint
    assert len(problem.details) == 1
    assert "s3cret" not in problem.details[0]


def test_a_broken_pack_is_error_e002_listing_file_line_and_field(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    services = pack / "services" / "civil-registry.yaml"
    lines = services.read_text().splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if "processing_days:" in text)
    lines[line - 1] = lines[line - 1].replace(lines[line - 1].split(":")[1], " soon\n")
    services.write_text("".join(lines))

    problems = run_checks(_settings(tmp_path, country_pack=pack))

    assert _ids(problems) == ["civitas.E002", "civitas.W006"]
    problem = problems[0]
    assert problem.message == f"The country pack in {pack} has 1 problem(s)."
    assert problem.details == (
        f"services/civil-registry.yaml:{line}: [0].processing_days: Expected a whole number.",
    )
    assert "CIVITAS_COUNTRY_PACK" in problem.hint


def test_a_missing_pack_is_error_e002(tmp_path: Path) -> None:
    problems = run_checks(_settings(tmp_path, country_pack=tmp_path / "no-such-pack"))
    assert "civitas.E002" in _ids(problems)


def test_a_data_folder_that_cannot_be_created_is_error_e001(tmp_path: Path) -> None:
    # A file where a folder should be stops every user, root included.
    (tmp_path / "a-file").write_text("")
    settings = _settings(tmp_path, data_dir=tmp_path / "a-file" / "data", country=False)
    problems = run_checks(settings)
    assert _ids(problems)[0] == "civitas.E001"
    assert (
        problems[0].message == f"The data folder {tmp_path / 'a-file' / 'data'} cannot be written."
    )
    assert "CIVITAS_DATA_DIR" in problems[0].hint


def test_only_errors_stop_the_platform() -> None:
    assert Problem("civitas.E001", "m", "h").is_error
    assert not Problem("civitas.W006", "m", "h").is_error


def test_a_stray_change_file_is_error_e009_as_the_node_would_refuse_it(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _migrated(settings.resolved_database_url)
    stray = settings.country_dir / "changes" / "tax" / "00009.parquet"
    stray.parent.mkdir(parents=True)
    shutil.copy(settings.country_dir / "registries" / "tax.parquet", stray)
    problems = run_checks(settings)
    assert _ids(problems) == ["civitas.E009"]
    assert problems[0].details == ("changes/tax/00009.parquet: not in the manifest.",)


def test_a_rule_for_a_service_the_catalogue_lacks_is_error_e010(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    rules = pack / "rules" / "birth_grant.py"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(
        text.replace('service="birth-grant"', 'service="birth-grants"'), encoding="utf-8"
    )
    settings = _settings(tmp_path, country_pack=pack, country=False)
    _migrated(settings.resolved_database_url)
    problems = run_checks(settings)
    assert set(_ids(problems)) == {"civitas.W008", "civitas.E010"}
    (e010,) = [problem for problem in problems if problem.id == "civitas.E010"]
    assert "'birth-grants'" in e010.message
    assert "rules/birth_grant.py:" in e010.hint


def test_rules_that_do_not_load_are_error_e010_with_file_and_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    rules = pack / "rules" / "birth_grant.py"
    rules.write_text(
        rules.read_text(encoding="utf-8") + "\nbroken = v('nothing') +\n", encoding="utf-8"
    )
    settings = _settings(tmp_path, country_pack=pack, country=False)
    _migrated(settings.resolved_database_url)
    (e010,) = [problem for problem in run_checks(settings) if problem.id == "civitas.E010"]
    assert any(detail.startswith("rules/birth_grant.py:") for detail in e010.details)
