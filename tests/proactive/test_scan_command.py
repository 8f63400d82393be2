"""``civitas proactive scan`` as people run it: clear errors with a hint, never a traceback."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from civitas.cli import run
from civitas.config import DEMO_PACK
from civitas.core.errors import CivitasError, InvalidInput
from civitas.proactive.places import municipality_names
from civitas.proactive.scan.command import build_scan_command, parse_month, scan_command
from tests.proactive.conftest import SCAN_MONTH, ScanWorld


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    app.command("scan")(scan_command)
    app.command("other")(lambda: None)  # two commands: "scan" stays a sub-command
    return app


def _cli(arguments: list[str]) -> tuple[int, str]:
    """Exit code and output of the scan as the civitas command line runs it."""
    runner = CliRunner()
    result = runner.invoke(_app(), arguments, catch_exceptions=True)
    error = result.exception
    if isinstance(error, CivitasError):  # what civitas.cli.run prints for it
        message, hint = error.render()
        return 1, f"Error: {message}\nHint: {hint}"
    return result.exit_code, result.output


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "January", "2026-01-05", ""])
def test_a_month_not_written_yyyy_mm_is_refused_with_an_example(month: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_month(month)
    message, hint = refused.value.render()
    assert "is not a month" in message
    assert "2026-01" in hint
    assert refused.value.errors[0].path == ("--month",)


def test_the_command_line_prints_the_error_and_its_hint(tmp_path: Path) -> None:
    code, output = _cli(["scan", "--month", "26-01", "--country", str(tmp_path)])
    assert code == 1
    assert "Error: '26-01' is not a month." in output
    assert "Hint: Write the month" in output


def test_a_folder_without_a_country_says_how_to_make_one(tmp_path: Path) -> None:
    code, output = _cli(["scan", "--month", SCAN_MONTH, "--country", str(tmp_path / "none")])
    assert code == 1
    assert "There is no country in" in output
    assert "civitas country generate" in output


def test_missing_register_files_are_each_named(scan_world: ScanWorld, tmp_path: Path) -> None:
    broken = tmp_path / "country"
    shutil.copytree(scan_world.country, broken)
    (broken / "registries" / "tax.parquet").unlink()
    (broken / "registries" / "education.parquet").write_bytes(b"not parquet")
    with pytest.raises(InvalidInput) as refused:
        scan_command(month=SCAN_MONTH, country=broken, out=tmp_path / "out")
    files = {problem.file: problem.message for problem in refused.value.errors}
    assert files == {
        "registries/tax.parquet": "The file is missing.",
        "registries/education.parquet": "The file is not readable Parquet.",
    }
    assert "generate the country again" in refused.value.render()[1].lower()
    assert not (tmp_path / "out").exists()


def _listed_twice(records: pa.Table) -> pa.Table:
    return pa.concat_tables([records, records.slice(0, 1)])


def _mistyped(records: pa.Table) -> pa.Table:
    """The first person again, under their number with another check digit."""
    first = records.slice(0, 1).to_pylist()[0]
    number = first["national_id"]
    other = number - number % 10 + (number % 10 + 1) % 10
    return pa.concat_tables(
        [records, pa.Table.from_pylist([{**first, "national_id": other}], records.schema)]
    )


@pytest.mark.parametrize(
    ("register", "broken", "said"),
    [
        ("social-security", _listed_twice, "The social-security register in"),
        ("population", _listed_twice, "The population register in"),
        ("addresses", _listed_twice, "The addresses register in"),
        ("population", _mistyped, "which differ only in the check digit"),
    ],
)
def test_a_register_listing_someone_twice_is_refused_and_nothing_written(
    scan_world: ScanWorld,
    tmp_path: Path,
    register: str,
    broken: Callable[[pa.Table], pa.Table],
    said: str,
) -> None:
    country = tmp_path / "country"
    shutil.copytree(scan_world.country, country)
    records = country / "registries" / f"{register}.parquet"
    pq.write_table(broken(pq.read_table(records)), records)
    code, output = _cli(
        ["scan", "--month", SCAN_MONTH, "--country", str(country), "--out", str(tmp_path / "out")]
    )
    assert code == 1
    assert said in output
    assert "one record per national number" in output
    assert not (tmp_path / "out").exists()


def test_a_country_without_its_truth_is_scanned_without_a_truth_check(
    scan_world: ScanWorld, tmp_path: Path
) -> None:
    bare = tmp_path / "country"
    shutil.copytree(scan_world.country, bare, ignore=shutil.ignore_patterns("truth"))
    out = tmp_path / "out"
    scan_command(month=SCAN_MONTH, country=bare, out=out, lang="pt")
    assert (out / "report.html").exists()
    assert not (out / "truth-check.json").exists()
    assert '<html lang="pt">' in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("option", "value"), [("lang", "fr"), ("engine", "pyspark")])
def test_an_unknown_language_or_engine_lists_the_choices(option: str, value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        scan_command(month=SCAN_MONTH, **{option: value})  # type: ignore[arg-type]
    assert refused.value.render()[1].startswith("Use one of:")


def test_sending_without_an_offer_sink_is_refused_before_scanning(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        scan_command(month=SCAN_MONTH, country=tmp_path / "none", send=True)
    assert "--send" in refused.value.render()[0]


def test_sending_uses_the_sink_the_platform_gives(scan_world: ScanWorld, tmp_path: Path) -> None:
    from tests.proactive.test_scan_send import FakeSink

    sink = FakeSink()
    command = build_scan_command(lambda settings: sink)
    command(month=SCAN_MONTH, country=scan_world.country, out=tmp_path / "out", send=True)
    gap = pq.read_table(tmp_path / "out" / "gap.parquet")
    assert len(sink.offers) == gap.num_rows > 0
    assert "street" not in gap.column_names  # the files hold no one's address
    rows = [row for _, row in sink.offers.values()]
    addressed = [row.address for row in rows if row.address is not None]
    assert len(addressed) > len(rows) * 0.9  # nearly everyone has an address record
    assert all(row.recipient_name for row in rows)
    assert {a.municipality for a in addressed} <= set(municipality_names(DEMO_PACK).values())


def test_the_civitas_runner_turns_scan_errors_into_exit_code_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(lambda: scan_command(month=SCAN_MONTH, country=tmp_path / "none"))
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "Error: There is no country in" in err
    assert "Hint:" in err
    assert "Traceback" not in err
