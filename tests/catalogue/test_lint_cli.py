"""``civitas catalogue lint``: exit codes, grouped text output and JSON for machines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from civitas.catalogue.cli import catalogue_app
from civitas.config import DEMO_PACK
from tests.catalogue.minimal_pack import SERVICES, write_pack


def service_described(en: str, pt: str) -> list[dict[str, Any]]:
    return [{**SERVICES[0], "description": {"en": en, "pt": pt}}]


@pytest.fixture
def clean_pack(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "clean")


@pytest.fixture
def jargon_pack(tmp_path: Path) -> Path:
    services = service_described(
        "Pursuant to the act, we send you a copy.",
        "Enviamos-lhe uma cópia mediante pedido.",
    )
    return write_pack(tmp_path / "jargon", services=services)


@pytest.fixture
def passive_pack(tmp_path: Path) -> Path:
    services = service_described("A copy is sent to you.", "A cópia é enviada pelo correio.")
    return write_pack(tmp_path / "passive", services=services)


def lint(monkeypatch: pytest.MonkeyPatch, pack: Path, *args: str) -> Any:
    monkeypatch.setenv("CIVITAS_COUNTRY_PACK", str(pack))
    return CliRunner().invoke(catalogue_app, ["lint", *args])


def test_a_clean_pack_passes(monkeypatch: pytest.MonkeyPatch, clean_pack: Path) -> None:
    result = lint(monkeypatch, clean_pack)
    assert result.exit_code == 0, result.output
    assert "No plain-language problems in" in result.output
    assert "texts in en, pt" in result.output


def test_jargon_fails_with_each_finding_under_its_text(
    monkeypatch: pytest.MonkeyPatch, jargon_pack: Path
) -> None:
    result = lint(monkeypatch, jargon_pack)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    en_header = lines.index("services[get-a-record].description.en")
    assert lines[en_header + 1] == "  error jargon 'Pursuant to' is jargon."
    assert (
        lines[en_header + 3] == "    Hint: Write 'under' or 'following' instead of 'Pursuant to'."
    )
    assert "services[get-a-record].description.pt" in lines
    assert "Hint: Write 'com' or 'através de' or 'por' instead of 'mediante'." in result.output
    assert "2 error(s), 0 warning(s) in 2 text(s)" in result.output


def test_output_is_plain_text_when_not_a_terminal(
    monkeypatch: pytest.MonkeyPatch, jargon_pack: Path
) -> None:
    result = lint(monkeypatch, jargon_pack)
    assert "\x1b[" not in result.output
    assert "[bold]" not in result.output


def test_warnings_pass_unless_strict(monkeypatch: pytest.MonkeyPatch, passive_pack: Path) -> None:
    relaxed = lint(monkeypatch, passive_pack)
    assert relaxed.exit_code == 0, relaxed.output
    assert "0 error(s), 2 warning(s)" in relaxed.output
    strict = lint(monkeypatch, passive_pack, "--strict")
    assert strict.exit_code == 1


def test_json_output_lists_every_finding_for_machines(
    monkeypatch: pytest.MonkeyPatch, jargon_pack: Path
) -> None:
    result = lint(monkeypatch, jargon_pack, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["ok"], report["errors"], report["warnings"]) == (False, 2, 0)
    assert report["languages"] == ["en", "pt"]
    assert set(report["readability"]) == {"en", "pt"}
    first = report["findings"][0]
    assert first == {
        "check": "jargon",
        "severity": "error",
        "path": "services[get-a-record].description.en",
        "language": "en",
        "message": "'Pursuant to' is jargon.",
        "hint": "Write 'under' or 'following' instead of 'Pursuant to'.",
        "excerpt": "Pursuant to the act, we send you a copy.",
    }


def test_json_output_of_a_clean_pack_is_ok(
    monkeypatch: pytest.MonkeyPatch, clean_pack: Path
) -> None:
    report = json.loads(lint(monkeypatch, clean_pack, "--format", "json", "--strict").stdout)
    assert (report["ok"], report["findings"]) == (True, [])


def test_the_demo_pack_passes_the_lint_without_even_a_warning(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = lint(monkeypatch, DEMO_PACK, "--strict")
    assert result.exit_code == 0, result.output
    assert "No plain-language problems" in result.output
