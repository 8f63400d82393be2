"""One household from its registry records (the event worker's way) agrees with the
whole-population batch (the scan's way): the same members, roles, inputs and results.

Households are sampled from a generated country; each is given to
``household_situation`` as the worker would fetch it: the claimant, their partner and
children wherever they live, and everyone else at the same street and number (other
flats of the building too). The interpreter on that situation must give exactly what
the batch gave the household and each of its members, for every service.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from civitas.proactive.household import (
    HouseholdRecords,
    PersonRecords,
    household_situation,
    members,
)
from civitas.proactive.scan.claims import services, variables
from civitas.proactive.scan.country import open_country
from civitas.proactive.scan.inputs import build_inputs
from civitas.rules import PERSON, Interpreter, Period, Unknown, read_situation
from tests.proactive.conftest import SCAN_MONTH, ScanWorld

SAMPLE = 80
REGISTERS = ("population", "addresses", "tax", "social-security", "education", "benefits")


@dataclass(frozen=True)
class Batch:
    persons: dict[int, dict[str, Any]]  # national id -> inputs and results
    households: dict[int, dict[str, Any]]  # household id -> inputs and results
    members: dict[int, list[int]]  # household id -> national ids
    names: list[str]  # the variables compared


@pytest.fixture(scope="module")
def batch(scan_world: ScanWorld) -> Batch:
    from civitas.rules.batch import compute

    period = Period.parse(SCAN_MONTH)
    names = variables(services(scan_world.rules, ()))
    con = duckdb.connect()
    try:
        inputs = build_inputs(
            con, open_country(scan_world.country), period, scan_world.rules, names
        )
    finally:
        con.close()
    results = compute(
        scan_world.rules, period, names, {"person": inputs.persons, "household": inputs.households}
    )
    persons = _by(inputs.persons.join(results["person"], "person_id"), "person_id")
    households = _by(inputs.households.join(results["household"], "household_id"), "household_id")
    grouped: dict[int, list[int]] = defaultdict(list)
    for national_id, row in persons.items():
        grouped[row["household_id"]].append(national_id)
    return Batch(persons, households, dict(grouped), names)


@pytest.fixture(scope="module")
def records(scan_world: ScanWorld) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """Each register's records by national id (as a registry node returns them)."""
    found: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for registry in REGISTERS:
        table = pq.read_table(scan_world.country / "registries" / f"{registry}.parquet")
        by_id: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in table.to_pylist():
            if row["national_id"] is not None:
                by_id[row["national_id"]].append(row)
        found[registry] = dict(by_id)
    return found


def _by(table: pa.Table, key: str) -> dict[int, dict[str, Any]]:
    return {row[key]: row for row in table.to_pylist()}


def _person(records: dict[str, dict[int, list[dict[str, Any]]]], national_id: int) -> PersonRecords:
    def one(registry: str) -> dict[str, Any] | None:
        found = records[registry].get(national_id)
        return found[0] if found else None

    population = one("population")
    assert population is not None
    return PersonRecords(
        population=population,
        address=one("addresses"),
        tax=one("tax"),
        social_security=one("social-security"),
        education=one("education"),
        benefits=tuple(records["benefits"].get(national_id, [])),
    )


def _sample(batch: Batch) -> Iterator[int]:
    """Households of every kind: the larger ones, and an even spread of the rest."""
    ids = sorted(batch.members)
    large = [h for h in ids if len(batch.members[h]) >= 4][: SAMPLE // 4]
    step = max(1, len(ids) // (SAMPLE - len(large)))
    yield from dict.fromkeys(large + ids[::step][: SAMPLE - len(large)])


def _worker_view(
    records: dict[str, dict[int, list[dict[str, Any]]]], claimant: int
) -> HouseholdRecords:
    """What the event worker fetches: partner and children by the population register's
    links, wherever they live, and everyone at the claimant's street and number."""
    population = records["population"]
    own = _person(records, claimant)
    partner_id = own.population.get("partner_national_id")
    children = [
        n
        for n, (row,) in population.items()
        if claimant in (row["mother_national_id"], row["father_national_id"])
    ]
    home = own.address
    neighbours = [
        n
        for n in _at_address(records, home)
        if n not in (claimant, partner_id) and n not in children
    ]
    return HouseholdRecords(
        claimant=own,
        partner=_person(records, partner_id) if partner_id in population else None,
        children=tuple(_person(records, n) for n in children),
        relatives=tuple(_person(records, n) for n in neighbours),
    )


def _at_address(
    records: dict[str, dict[int, list[dict[str, Any]]]], home: dict[str, Any] | None
) -> list[int]:
    if home is None:
        return []
    key = (home["street"], home["house_number"], home["municipality"])
    return [
        n
        for n, (row,) in records["addresses"].items()
        if (row["street"], row["house_number"], row["municipality"]) == key
    ]


def _value(result: object) -> object:
    return None if isinstance(result, Unknown) else result


def test_a_household_from_its_records_has_the_batchs_members(
    batch: Batch, records: dict[str, dict[int, list[dict[str, Any]]]]
) -> None:
    period = Period.parse(SCAN_MONTH)
    for household in _sample(batch):
        for claimant in batch.members[household]:
            found = members(_worker_view(records, claimant), period)
            assert sorted(p.national_id for p in found) == sorted(batch.members[household])


def test_the_interpreter_on_one_household_agrees_with_the_batch(
    scan_world: ScanWorld,
    batch: Batch,
    records: dict[str, dict[int, list[dict[str, Any]]]],
) -> None:
    period = Period.parse(SCAN_MONTH)
    rules = scan_world.rules
    compared = 0
    for household in _sample(batch):
        claimant = max(batch.members[household])  # any member: here the last by number
        situation = household_situation(_worker_view(records, claimant), period)
        assert list(situation["households"]) == [str(household)]
        interpreter = Interpreter(rules, read_situation(rules, situation))
        for name in batch.names:
            declared = rules.variable(name)
            if declared.entity == PERSON:
                for person in batch.members[household]:
                    got = _value(interpreter.value(name, str(person), period))
                    assert got == batch.persons[person][name], (household, person, name)
            else:
                got = _value(interpreter.value(name, str(household), period))
                assert got == batch.households[household][name], (household, name)
            compared += 1
    assert compared >= SAMPLE * len(batch.names) * 0.9


def test_the_inputs_of_one_household_are_the_batchs_inputs(
    batch: Batch, records: dict[str, dict[int, list[dict[str, Any]]]]
) -> None:
    period = Period.parse(SCAN_MONTH)
    for household in _sample(batch):
        situation = household_situation(_worker_view(records, household), period)
        home = situation["households"][str(household)]
        row = batch.households[household]
        assert home.get("tenure") == row["tenure"]
        assert home.get("municipality") == row["municipality"]
        rent = row["monthly_rent"]
        assert home.get("monthly_rent") == (None if rent is None else f"{rent / 100:.2f}")
        for person in batch.members[household]:
            mine = situation["persons"][str(person)]
            theirs = batch.persons[person]
            role = "child" if str(person) in home.get("child", []) else "adult"
            assert role == theirs["household_role"]
            assert mine["monthly_income"] == f"{theirs['monthly_income'] / 100:.2f}"
            for name in ("employment_status", "school_level", "contribution_months"):
                assert mine[name] == theirs[name], (person, name)
            youngest = theirs["youngest_child_birth_date"]
            assert mine.get("youngest_child_birth_date") == (
                youngest.isoformat() if isinstance(youngest, dt.date) else None
            )
