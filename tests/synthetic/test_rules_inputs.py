"""The synthetic country as batch inputs for the rules: persons, households, roles."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from civitas.config import DEMO_PACK
from civitas.rules import Period, load_rules
from civitas.synthetic.pipeline import generate_country
from civitas.synthetic.rules_inputs import (
    HOUSEHOLD_INPUTS_SCHEMA,
    PERSON_INPUTS_SCHEMA,
    RulesInputs,
    rules_inputs,
)

PEOPLE = 3_000
START = dt.date(2026, 3, 1)
MARCH = Period.parse("2026-03")


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs") / "country"
    generate_country(DEMO_PACK, PEOPLE, 11, folder)
    return folder


@pytest.fixture(scope="module")
def truth(country: Path) -> pa.Table:
    return pq.read_table(country / "truth" / "persons.parquet")


@pytest.fixture(scope="module")
def inputs(country: Path) -> RulesInputs:
    return rules_inputs(country, MARCH)


def rows_by_id(table: pa.Table, key: str) -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in table.to_pylist()}


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def test_every_living_person_is_in_the_inputs_with_their_household(
    inputs: RulesInputs, truth: pa.Table
) -> None:
    assert inputs.persons.schema == PERSON_INPUTS_SCHEMA
    assert inputs.households.schema == HOUSEHOLD_INPUTS_SCHEMA
    assert inputs.persons.column("person_id").to_pylist() == truth.column("person_id").to_pylist()
    homes = set(inputs.households.column("household_id").to_pylist())
    assert set(inputs.persons.column("household_id").to_pylist()) == homes


def test_money_is_in_cents_and_an_empty_school_level_is_none(
    inputs: RulesInputs, truth: pa.Table, country: Path
) -> None:
    persons = inputs.persons
    assert persons["monthly_income"].to_pylist() == truth["monthly_income_cents"].to_pylist()
    expected_school = pc.fill_null(truth.column("school_level"), "none")
    assert persons.column("school_level").to_pylist() == expected_school.to_pylist()
    households = pq.read_table(country / "truth" / "households.parquet")
    assert inputs.households.column("monthly_rent").to_pylist() == (
        households.column("monthly_rent_cents").to_pylist()
    )
    assert not any(persons.column("has_died").to_pylist())


def test_a_child_is_under_18_and_lives_with_a_parent(inputs: RulesInputs, truth: pa.Table) -> None:
    people = rows_by_id(truth, "person_id")
    roles = dict(
        zip(
            inputs.persons["person_id"].to_pylist(),
            inputs.persons["household_role"].to_pylist(),
            strict=True,
        )
    )

    def with_parent(person: dict[str, Any]) -> bool:
        parents = (person["mother_id"], person["father_id"])
        return any(
            pid is not None and people[pid]["household_id"] == person["household_id"]
            for pid in parents
        )

    expected = {
        pid: "child" if age_on(p["birth_date"], START) < 18 and with_parent(p) else "adult"
        for pid, p in people.items()
    }
    assert roles == expected
    assert "child" in roles.values()
    assert "adult" in roles.values()


def test_parents_know_their_youngest_child_at_home(inputs: RulesInputs, truth: pa.Table) -> None:
    people = rows_by_id(truth, "person_id")
    youngest: dict[int, dt.date] = {}
    for person in people.values():
        for parent in (person["mother_id"], person["father_id"]):
            if parent is not None and people[parent]["household_id"] == person["household_id"]:
                born = person["birth_date"]
                youngest[parent] = max(youngest.get(parent, born), born)
    found = rows_by_id(inputs.persons, "person_id")
    assert youngest, "the country has families"
    for pid, row in found.items():
        assert row["has_child_at_home"] is (pid in youngest)
        assert row["youngest_child_birth_date"] == youngest.get(pid)


def with_deaths(country: Path, folder: Path, deaths: dict[int, dt.date]) -> Path:
    """A copy of the country's truth in which these persons died on these days."""
    persons = pq.read_table(country / "truth" / "persons.parquet")
    column = pa.array([deaths.get(pid) for pid in persons["person_id"].to_pylist()], pa.date32())
    at = persons.schema.get_field_index("death_date")
    (folder / "truth").mkdir(parents=True)
    pq.write_table(
        persons.set_column(at, "death_date", column), folder / "truth" / "persons.parquet"
    )
    shutil.copy(country / "truth" / "households.parquet", folder / "truth" / "households.parquet")
    return folder


def test_persons_who_died_before_the_period_are_left_out(
    country: Path, inputs: RulesInputs, truth: pa.Table, tmp_path: Path
) -> None:
    people = rows_by_id(truth, "person_id")
    child = next(
        r["person_id"] for r in inputs.persons.to_pylist() if r["household_role"] == "child"
    )
    parents = {people[child][link] for link in ("mother_id", "father_id")} - {None}
    sizes = pc.value_counts(truth["household_id"]).to_pylist()
    alone = next(s["values"] for s in sizes if s["counts"] == 1)
    loner = next(pid for pid, p in people.items() if p["household_id"] == alone)
    dying = next(pid for pid in people if pid not in {child, loner, *parents})
    deaths = {pid: dt.date(2026, 2, 28) for pid in parents}
    deaths |= {loner: dt.date(2025, 12, 1), dying: START}

    after = rules_inputs(with_deaths(country, tmp_path, deaths), MARCH)

    found = rows_by_id(after.persons, "person_id")
    assert set(found) == set(people) - parents - {loner}
    assert found[dying]["has_died"] is True
    assert found[dying]["death_date"] == START
    assert found[child]["household_role"] == "adult"  # no parent at home any more
    assert alone not in after.households["household_id"].to_pylist()


def test_the_columns_are_exactly_the_inputs_of_the_demo_rules() -> None:
    rules = load_rules(DEMO_PACK)
    ids = {"person_id", "household_id", "household_role"}
    for schema, entity in (
        (PERSON_INPUTS_SCHEMA, "person"),
        (HOUSEHOLD_INPUTS_SCHEMA, "household"),
    ):
        inputs = {v.name for v in rules.variables.values() if v.is_input and v.entity == entity}
        assert set(schema.names) - ids == inputs
