"""``civitas country generate`` and ``describe``, run through the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from civitas.cli import app
from civitas.core.errors import CivitasError


def run(*args: str, data_dir: Path) -> tuple[int, str]:
    """Run a command the way ``civitas`` does, errors rendered as ``Error: ... / Hint: ...``."""
    runner = CliRunner()
    result = runner.invoke(app, list(args), env={"CIVITAS_DATA_DIR": str(data_dir)})
    if isinstance(result.exception, CivitasError):
        message, hint = result.exception.render()
        return 1, f"Error: {message}\nHint: {hint}"
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("data")
    code, output = run("country", "generate", "--people", "3000", "--seed", "4", data_dir=data)
    assert code == 0, output
    return data / "country", output


def test_generate_writes_the_country_into_the_data_folder_and_sums_it_up(
    generated: tuple[Path, str],
) -> None:
    folder, output = generated
    assert (folder / "manifest.json").is_file()
    assert "registries/tax.parquet" in output
    assert "3,000 people, seed 4" in output
    assert str(folder.name) in output


def test_describe_verifies_the_folder_and_lists_its_files(generated: tuple[Path, str]) -> None:
    folder, _ = generated
    code, output = run("country", "describe", str(folder), data_dir=folder.parent)
    assert code == 0, output
    assert "Every file matches its checksum" in output
    assert "truth/identities.parquet" in output


def test_describe_reports_a_changed_file(generated: tuple[Path, str], tmp_path: Path) -> None:
    folder, _ = generated
    copy = tmp_path / "copy"
    copy.mkdir()
    for path in folder.rglob("*"):
        if path.is_file():
            target = copy / path.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    with (copy / "registries/health.parquet").open("ab") as stream:
        stream.write(b"extra")
    code, output = run("country", "describe", str(copy), data_dir=tmp_path)
    assert code == 1
    assert "does not match its manifest" in output


@pytest.mark.parametrize("people", ["0", "-5"])
def test_a_country_without_people_is_refused(people: str, tmp_path: Path) -> None:
    code, output = run("country", "generate", "--people", people, data_dir=tmp_path)
    assert code == 1
    assert "at least one person" in output
    assert not (tmp_path / "country").exists()


def test_an_unwritable_output_folder_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, output = run(
        "country", "generate", "--people", "10", "--out", str(blocker / "c"), data_dir=tmp_path
    )
    assert code == 1
    assert "cannot be written" in output
