"""Households found from the registers: family links at one address, then the address
register's household size; the roles the rules read; the true households found."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civitas.proactive.household import HouseholdRecords, PersonRecords, household_situation
from civitas.proactive.scan.claims import services, variables
from civitas.proactive.scan.country import open_country
from civitas.proactive.scan.families import FATHER, MOTHER, PARTNER, Links, People, families
from civitas.proactive.scan.households import TYPES, deciles, households
from civitas.proactive.scan.inputs import build_inputs
from civitas.rules import Period
from tests.proactive.conftest import SCAN_MONTH, ScanWorld

EPOCH = dt.date(1970, 1, 1)
JANUARY = Period.parse("2026-01")


def _day(text: str) -> int:
    return (dt.date.fromisoformat(text) - EPOCH).days


def _people(rows: list[tuple[int, str, int, int]]) -> People:
    """(national id, birth date, address, household size the address register records)."""
    return People(
        national_id=np.array([r[0] for r in rows], dtype=np.int64),
        birth_day=np.array([_day(r[1]) for r in rows], dtype=np.int32),
        address_key=np.array([r[2] for r in rows], dtype=np.uint64),
        household_size=np.array([r[3] for r in rows], dtype=np.int32),
    )


def _links(rows: list[tuple[int, int, int]]) -> Links:
    return Links(
        member=np.array([r[0] for r in rows], dtype=np.int32),
        relative=np.array([r[1] for r in rows], dtype=np.int32),
        link=np.array([r[2] for r in rows], dtype=np.int8),
    )


def test_family_links_at_one_address_make_a_household_and_the_neighbours_another() -> None:
    people = _people(
        [
            (500, "1985-01-01", 7, 4),  # 0 mother
            (400, "1984-01-01", 7, 4),  # 1 father
            (600, "2015-06-01", 7, 4),  # 2 their child
            (300, "1955-01-01", 7, 4),  # 3 the mother's mother
            (200, "1970-01-01", 7, 1),  # 4 a neighbour in another flat
            (100, "2010-01-01", 9, 1),  # 5 a child of the mother living elsewhere
        ]
    )
    links = _links(
        [(2, 0, MOTHER), (2, 1, FATHER), (0, 1, PARTNER), (1, 0, PARTNER), (0, 3, MOTHER)]
    )
    found = families(people, links, _day("2008-01-01"))
    rows = found.table().to_pylist()
    assert [row["household_id"] for row in rows] == [300, 300, 300, 300, 200, 100]
    assert [row["child"] for row in rows] == [False, False, True, False, False, False]
    assert found.mother_of_child.tolist() == [True, False, False, False, False, False]
    assert found.father_of_child.tolist() == [False, True, False, False, False, False]
    assert rows[0]["youngest_child_birth_date"] == dt.date(2015, 6, 1)
    assert rows[3]["has_child_at_home"]
    assert not rows[4]["has_child_at_home"]
    assert found.partnered.tolist() == [True, True, False, False, False, False]


def test_people_sharing_a_home_without_links_are_one_household_when_the_size_says_so() -> None:
    people = _people(
        [
            (10, "1990-01-01", 3, 2),  # two friends sharing a flat: size 2 each
            (20, "1991-01-01", 3, 2),
            (30, "1960-01-01", 3, 1),  # a neighbour living alone in the same building
            (40, "1992-01-01", 3, 3),  # someone whose household of 3 is not all found
        ]
    )
    found = families(people, _links([]), _day("2008-01-01"))
    assert found.household_id.tolist() == [10, 10, 30, 40]


def test_a_minor_without_a_parent_at_home_is_an_adult_of_the_household() -> None:
    people = _people([(1, "1950-01-01", 5, 2), (2, "2012-01-01", 5, 2)])
    found = families(people, _links([]), _day("2008-01-01"))
    assert found.child.tolist() == [False, False]
    assert found.household_id.tolist() == [1, 1]  # merged by the size


def test_the_households_found_are_the_true_households(scan_world: ScanWorld) -> None:
    con = duckdb.connect()
    try:
        names = variables(services(scan_world.rules, ()))
        country = open_country(scan_world.country)
        inputs = build_inputs(con, country, Period.parse(SCAN_MONTH), scan_world.rules, names)
    finally:
        con.close()
    truth = pq.read_table(country.truth("persons"), columns=["national_id", "household_id"])
    joined = inputs.persons.select(["person_id", "household_id"]).join(
        truth.rename_columns(["person_id", "true_household"]), "person_id"
    )
    pairs = set(
        zip(
            *(joined.column(c).to_pylist() for c in ("household_id", "true_household")), strict=True
        )
    )
    found = {found for found, _ in pairs}
    true = {true for _, true in pairs}
    assert len(pairs) == len(found) == len(true)  # one to one
    assert pc.count_distinct(inputs.households.column("household_id")).as_py() == len(found)


def _record(national_id: int | str, born: str, **more: object) -> dict[str, object]:
    return {"national_id": national_id, "birth_date": born, **more}


def test_records_as_the_exchange_sends_them_give_the_same_situation() -> None:
    home = {"street": "Rua A", "house_number": 3, "municipality": "VLD-PA", "tenure": "renter"}
    native = HouseholdRecords(
        claimant=PersonRecords(
            population=_record(111111118, "1990-05-01"),
            address={**home, "monthly_rent_cents": 45_000},
            tax={"annual_income_cents": 1_200_001},
            social_security=None,
        ),
        children=(
            PersonRecords(
                population=_record(333333334, "2020-02-10", mother_national_id=111111118),
                address={**home, "monthly_rent_cents": None},
                education={"school_level": "childcare"},
            ),
        ),
    )
    sent = HouseholdRecords(
        claimant=PersonRecords(
            population=_record("111111118", "1990-05-01"),
            address={**home, "monthly_rent_cents": "450.00"},
            tax={"annual_income_cents": "12000.01"},
        ),
        children=(
            PersonRecords(
                population=_record("333333334", "2020-02-10", mother_national_id="111111118"),
                address=home,
                education={"school_level": "childcare"},
            ),
        ),
    )
    situation = household_situation(native, JANUARY)
    assert situation == household_situation(sent, JANUARY)
    assert situation["households"] == {
        "111111118": {
            "adult": ["111111118"],
            "child": ["333333334"],
            "tenure": "renter",
            "monthly_rent": "450.00",
            "municipality": "VLD-PA",
        }
    }
    mother = situation["persons"]["111111118"]
    assert mother["monthly_income"] == "1000.00"  # a twelfth of the year, to the cent below
    assert mother["employment_status"] == "inactive"
    assert mother["has_child_at_home"]
    assert situation["persons"]["333333334"]["employment_status"] == "child"


def test_someone_linked_but_living_elsewhere_is_not_in_the_household() -> None:
    here = {"street": "Rua A", "house_number": 3, "municipality": "VLD-PA"}
    there = {**here, "house_number": 4}
    records = HouseholdRecords(
        claimant=PersonRecords(_record(1, "1980-01-01", partner_national_id=2), address=here),
        partner=PersonRecords(_record(2, "1981-01-01", partner_national_id=1), address=there),
        unrelated=(
            PersonRecords(_record(3, "1999-01-01"), address=here),
            PersonRecords(_record(4, "1999-01-01"), address=there),
        ),
    )
    situation = household_situation(records, JANUARY)
    assert sorted(situation["persons"]) == ["1", "3"]
    assert situation["households"]["1"]["adult"] == ["1", "3"]


def test_the_highest_earner_is_the_reference_person_and_the_mother_claims_for_children() -> None:
    people = _people(
        [
            (500, "1985-01-01", 7, 4),
            (400, "1984-01-01", 7, 4),
            (600, "2015-06-01", 7, 4),
            (300, "1970-01-01", 7, 4),
        ]
    )
    registers = pa.table(
        {
            "monthly_income": [90_000, 150_000, 0, 150_000],
            "monthly_rent_cents": [None, 60_000, None, None],
            "region": ["CAP"] * 4,
        }
    )
    found = families(
        people,
        _links([(2, 0, MOTHER), (2, 1, FATHER), (0, 1, PARTNER), (1, 0, PARTNER), (0, 3, MOTHER)]),
        _day("2008-01-01"),
    )
    homes = households(people, found, registers)
    (home,) = homes.table().to_pylist()
    assert homes.regions == ("CAP",)
    assert home["region_code"] == 0
    # two adults earn 1,500.00: the elder of them (born 1970) is the reference person
    assert (home["reference"], home["reference_born"]) == (300, dt.date(1970, 1, 1))
    assert home["parent"] == 500  # the child's mother
    assert home["parent_born"] == dt.date(1985, 1, 1)
    assert home["monthly_rent"] == 60_000  # declared on one record only
    assert (home["adults"], home["children"]) == (3, 1)
    assert TYPES[home["type_code"]] == "other"  # three adults: grandmother at home
    assert home["income_per_adult"] == (90_000 + 150_000 + 150_000) // 3


def test_deciles_split_households_in_tenths_and_equal_incomes_share_one() -> None:
    assert deciles(np.arange(1, 101, dtype=np.int64)).tolist() == [
        1 + (n - 1) // 10 for n in range(1, 101)
    ]
    assert set(deciles(np.zeros(50, dtype=np.int64)).tolist()) == {1}
