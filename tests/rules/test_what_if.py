"""Reforms over a whole population: cost by benefit, and who gains or loses, by group."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from civitas.cli import app
from civitas.config import DEMO_PACK
from civitas.core.errors import InvalidInput
from civitas.rules import Period, RuleBook, find_reform, load_rules
from civitas.rules.what_if import ReformReport, compare_reform
from civitas.synthetic import generate_country

JANUARY = Period.parse("2026-01")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("what-if")
    generate_country(DEMO_PACK, 3000, 7, folder / "country")
    result = CliRunner().invoke(
        app,
        [
            "country",
            "rules-inputs",
            "--period",
            "2026-01",
            "--country",
            str(folder / "country"),
            "--out",
            str(folder / "in"),
        ],
    )
    assert result.exit_code == 0, result.output
    return {
        "person": folder / "in" / "person.parquet",
        "household": folder / "in" / "household.parquet",
    }


@pytest.fixture(scope="module")
def rules() -> RuleBook:
    return load_rules(DEMO_PACK)


def boost(rules: RuleBook, inputs: dict[str, Path]) -> ReformReport:
    return compare_reform(
        rules,
        find_reform(DEMO_PACK, "child-benefit-boost"),
        JANUARY,
        inputs,
        income="household_yearly_income",
        dimensions=["region", "household_type", "income_decile"],
    )


def test_only_the_reformed_benefit_changes_and_nobody_loses(
    rules: RuleBook, inputs: dict[str, Path]
) -> None:
    report = boost(rules, inputs)
    changed = {b.name: b.change for b in report.benefits if b.change}
    assert list(changed) == ["child_benefit"]
    assert changed["child_benefit"] > 0
    (overall,) = [g for g in report.groups if g.dimension == "all"]
    assert overall.change == report.total_change
    assert overall.losing == 0
    assert overall.gaining > 0
    assert overall.households == pq.read_metadata(inputs["household"]).num_rows


def test_each_breakdown_adds_up_to_the_whole(rules: RuleBook, inputs: dict[str, Path]) -> None:
    report = boost(rules, inputs)
    for dimension in ("region", "household_type", "income_decile"):
        rows = [g for g in report.groups if g.dimension == dimension]
        assert sum(g.change for g in rows) == report.total_change
        assert sum(g.households for g in rows) == report.groups[0].households
    deciles = [g.group for g in report.groups if g.dimension == "income_decile"]
    assert deciles == [str(n) for n in range(1, 11)]
    singles = [g for g in report.groups if (g.dimension, g.group) == ("household_type", "single")]
    assert singles[0].gaining == 0  # no children, no child benefit


def test_a_formula_reform_reaches_households_the_law_leaves_out(
    rules: RuleBook, inputs: dict[str, Path]
) -> None:
    report = compare_reform(
        rules,
        find_reform(DEMO_PACK, "universal-child-benefit"),
        JANUARY,
        inputs,
        income="household_yearly_income",
    )
    (child_benefit,) = [b for b in report.benefits if b.name == "child_benefit"]
    assert child_benefit.recipients_after > child_benefit.recipients_before


def test_a_dimension_the_table_lacks_is_a_field_error(
    rules: RuleBook, inputs: dict[str, Path]
) -> None:
    with pytest.raises(InvalidInput) as raised:
        compare_reform(
            rules,
            find_reform(DEMO_PACK, "child-benefit-boost"),
            JANUARY,
            inputs,
            income="household_yearly_income",
            dimensions=["county"],
        )
    assert [e.path for e in raised.value.errors] == [("by", "county")]


def test_the_command_prints_cost_and_gains(inputs: dict[str, Path]) -> None:
    result = CliRunner().invoke(
        app,
        [
            "rules",
            "reform",
            "child-benefit-boost",
            "--period",
            "2026-01",
            "--input",
            f"person={inputs['person']}",
            "--input",
            f"household={inputs['household']}",
            "--by",
            "region",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Monthly cost by benefit" in result.output
    assert "Who gains or loses" in result.output
    listed = CliRunner().invoke(app, ["rules", "reform"])
    assert "child-benefit-boost" in listed.output
    assert "universal-child-benefit" in listed.output


def test_the_batch_command_writes_parquet_results(inputs: dict[str, Path], tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "rules",
            "batch",
            "child_benefit",
            "unemployment_benefit",
            "--period",
            "2026-01",
            "--input",
            f"person={inputs['person']}",
            "--input",
            f"household={inputs['household']}",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert pq.read_schema(tmp_path / "household.parquet").names == ["household_id", "child_benefit"]
    assert "unemployment_benefit" in pq.read_schema(tmp_path / "person.parquet").names
