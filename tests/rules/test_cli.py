"""``civitas rules parameters``: the tree, one value with its law, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from civitas import cli
from civitas.config import DEMO_PACK


@pytest.fixture(autouse=True)
def empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty folder, so no .env file changes the settings."""
    monkeypatch.chdir(tmp_path)


def civitas(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """Run ``civitas`` in-process on the demo pack."""
    monkeypatch.setenv("CIVITAS_COUNTRY_PACK", str(DEMO_PACK))
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        cli.main(["rules", "parameters", *args])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def test_without_a_path_it_prints_the_whole_tree_on_the_date(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = civitas(["--on", "2025-06-01"], monkeypatch, capsys)
    assert status == 0
    assert "benefits\n" in out
    assert "  birth_grant: 600.00 EUR  (Birth grant)" in out
    assert "rates: marginal_rate scale, 7 brackets" in out
    assert "winter_supplement: The parameter energy.social_energy_tariff.winter_supplement " in out


def test_one_parameter_shows_its_value_period_law_and_history(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = civitas(
        ["benefits.birth_grant", "--on", "2025-12-31", "--language", "pt"], monkeypatch, capsys
    )
    assert status == 0
    assert out.splitlines() == [
        "benefits.birth_grant: Subsídio de nascimento",
        "On 2025-12-31: 600.00 EUR",
        "Applies from 2025-01-01 until 2025-12-31",
        "Legal reference: https://legislacao.gov.vd.example/family-benefits-act-2018 (Article 12)",
        "Written in: parameters/benefits/birth_grant.yaml:13",
        "History:",
        "  since 2018-01-01: 500.00 EUR",
        "  since 2025-01-01: 600.00 EUR",
        "  since 2026-01-01: 750.00 EUR",
    ]


def test_a_scale_shows_its_brackets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = civitas(
        ["benefits.child_benefit.amount_by_income", "--on", "2026-01-01"], monkeypatch, capsys
    )
    assert status == 0
    assert "  from 12500.00: 120.00 EUR" in out
    assert "as amended by the State Budget Act 2026" in out


def test_an_unknown_path_is_an_error_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = civitas(["benefits.birth_grnat"], monkeypatch, capsys)
    assert status == 1
    assert out == ""
    assert "Error: There is no parameter called benefits.birth_grnat." in err
    assert "Hint: Run 'civitas rules parameters' to list them." in err


def test_a_date_before_the_first_value_is_an_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = civitas(["benefits.birth_grant", "--on", "2017-12-31"], monkeypatch, capsys)
    assert status == 1
    assert "has no value on 2017-12-31" in err
    assert "Its first value applies from 2018-01-01." in err


def test_a_malformed_date_is_an_error_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = civitas(["--on", "2025-13-01"], monkeypatch, capsys)
    assert status == 1
    assert "Error: '2025-13-01' is not a date." in err
    assert "Traceback" not in err
