"""The mutable state of a country while time moves: people and households as columns.

Loaded once from the truth tables, changed in place by the life events of a
period (whole columns at a time), and written back with the contract's types.
Rows are looked up by id through dense index arrays, so "the mother of each
newborn" is one fancy-indexing step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from civitas.synthetic.columns import (
    Bools,
    Codes,
    Days,
    Ints,
    bools,
    codes,
    codes_to_arrow,
    days,
    ids_to_arrow,
    ints,
    sorted_by,
    to_arrow,
    vocabulary,
)

STATUSES = ("child", "student", "employed", "unemployed", "inactive", "retired")
CHILD, STUDENT, EMPLOYED, UNEMPLOYED, INACTIVE, RETIRED = range(6)
SCHOOL_LEVELS = ("childcare", "primary", "secondary")
HOUSEHOLD_TYPES = ("single", "couple", "couple_with_children", "single_parent", "multi_generation")
SINGLE, COUPLE, COUPLE_WITH_CHILDREN, SINGLE_PARENT, MULTI_GENERATION = range(5)
TENURES = ("owner", "renter", "social_renter")
SEXES = ("F", "M")


@dataclass
class People:
    """Person columns that life events change (the rest are carried over untouched)."""

    table: pa.Table  # the rows as they were, for names and other carried columns
    id: Ints
    national_id: Ints
    sex: Codes
    birth: Days
    death: Days
    household: Ints
    mother: Ints
    father: Ints
    partner: Ints
    address: Ints
    municipality: Codes
    region: Codes
    disability: Bools
    status: Codes
    income: Ints
    contribution_months: Ints
    job_end: Days
    school: Codes
    vaccinated: Bools
    first_name: pa.Array = field(default_factory=lambda: pa.array([], pa.string()))
    family_name: pa.Array = field(default_factory=lambda: pa.array([], pa.string()))

    @property
    def alive(self) -> Bools:
        return np.isnat(self.death)

    def append(self, **columns: Any) -> None:
        """New people (newborns); columns not given take a newborn's values."""
        count = len(columns["id"])
        newborn: dict[str, Any] = {
            "death": np.full(count, np.datetime64("NaT"), dtype="M8[D]"),
            "partner": np.zeros(count, np.int64),
            "status": np.full(count, CHILD, np.int32),
            "income": np.zeros(count, np.int64),
            "contribution_months": np.zeros(count, np.int64),
            "job_end": np.full(count, np.datetime64("NaT"), dtype="M8[D]"),
            "school": np.full(count, -1, np.int32),
            "vaccinated": np.zeros(count, np.bool_),
        } | columns
        for name, values in newborn.items():
            current = getattr(self, name)
            if isinstance(current, pa.Array):
                setattr(self, name, pa.concat_arrays([current, values.cast(current.type)]))
            else:
                setattr(self, name, np.concatenate([current, np.asarray(values, current.dtype)]))

    def index(self) -> Ints:
        """Row of each person id (-1 where none), person ids being dense and positive."""
        rows = np.full(int(self.id.max(initial=0)) + 1, -1, dtype=np.int64)
        rows[self.id] = np.arange(len(self.id))
        return rows


@dataclass
class Households:
    table: pa.Table
    id: Ints
    type: Codes
    size: Ints
    address: Ints
    municipality: Codes
    region: Codes
    tenure: Codes
    rent: Ints

    def index(self) -> Ints:
        rows = np.full(int(self.id.max(initial=0)) + 1, -1, dtype=np.int64)
        rows[self.id] = np.arange(len(self.id))
        return rows

    def add(self, *, address: Ints, municipality: Codes, region: Codes, rent: Ints) -> Ints:
        """New one-person renting households; their ids."""
        count = len(address)
        ids = np.arange(count, dtype=np.int64) + int(self.id.max(initial=0)) + 1
        self.id = np.concatenate([self.id, ids])
        self.type = np.concatenate([self.type, np.full(count, SINGLE, np.int32)])
        self.size = np.concatenate([self.size, np.ones(count, np.int64)])
        self.address = np.concatenate([self.address, address])
        self.municipality = np.concatenate([self.municipality, municipality])
        self.region = np.concatenate([self.region, region])
        self.tenure = np.concatenate(
            [self.tenure, np.full(count, TENURES.index("renter"), np.int32)]
        )
        self.rent = np.concatenate([self.rent, rent])
        return ids

    def keep(self, rows: Bools) -> None:
        """Drop the households not in ``rows`` (those nobody lives in any more)."""
        for name in ("id", "type", "size", "address", "municipality", "region", "tenure", "rent"):
            setattr(self, name, getattr(self, name)[rows])


@dataclass
class Places:
    """Municipality and region codes shared by people, households and addresses."""

    municipalities: list[str]
    regions: list[str]
    region_of_municipality: Codes


def load_places(persons: pa.Table, households: pa.Table, addresses: pa.Table) -> Places:
    municipalities = vocabulary(
        persons.column("municipality"),
        households.column("municipality"),
        addresses.column("municipality"),
    )
    regions = vocabulary(
        persons.column("region"), households.column("region"), addresses.column("region")
    )
    region_of = np.full(len(municipalities), -1, dtype=np.int32)
    region_of[codes(addresses, "municipality", municipalities)] = codes(
        addresses, "region", regions
    )
    return Places(municipalities, regions, region_of)


def load_people(persons: pa.Table, places: Places) -> People:
    persons = sorted_by(persons, "person_id")
    return People(
        table=persons,
        id=ints(persons, "person_id"),
        national_id=ints(persons, "national_id"),
        sex=codes(persons, "sex", SEXES),
        birth=days(persons, "birth_date"),
        death=days(persons, "death_date"),
        household=ints(persons, "household_id"),
        mother=ints(persons, "mother_id"),
        father=ints(persons, "father_id"),
        partner=ints(persons, "partner_id"),
        address=ints(persons, "address_id"),
        municipality=codes(persons, "municipality", places.municipalities),
        region=codes(persons, "region", places.regions),
        disability=bools(persons, "disability"),
        status=codes(persons, "employment_status", STATUSES),
        income=ints(persons, "monthly_income_cents"),
        contribution_months=ints(persons, "contribution_months"),
        job_end=days(persons, "job_end_date"),
        school=codes(persons, "school_level", SCHOOL_LEVELS),
        vaccinated=bools(persons, "vaccinated"),
        first_name=persons.column("first_name").combine_chunks(),
        family_name=persons.column("family_name").combine_chunks(),
    )


def load_households(households: pa.Table, places: Places) -> Households:
    households = sorted_by(households, "household_id")
    return Households(
        table=households,
        id=ints(households, "household_id"),
        type=codes(households, "type", HOUSEHOLD_TYPES),
        size=ints(households, "size"),
        address=ints(households, "address_id"),
        municipality=codes(households, "municipality", places.municipalities),
        region=codes(households, "region", places.regions),
        tenure=codes(households, "tenure", TENURES),
        rent=ints(households, "monthly_rent_cents"),
    )


def people_table(people: People, places: Places, schema: pa.Schema) -> pa.Table:
    """The persons truth table, in the input's schema and person id order."""

    def kind(name: str) -> pa.DataType:
        return schema.field(name).type

    columns: dict[str, pa.Array] = {
        "person_id": to_arrow(people.id, kind("person_id")),
        "national_id": to_arrow(people.national_id, kind("national_id")),
        "first_name": people.first_name,
        "family_name": people.family_name,
        "sex": codes_to_arrow(people.sex, SEXES),
        "birth_date": to_arrow(people.birth, kind("birth_date")),
        "death_date": to_arrow(people.death, kind("death_date")),
        "household_id": to_arrow(people.household, kind("household_id")),
        "mother_id": ids_to_arrow(people.mother, kind("mother_id"), True),
        "father_id": ids_to_arrow(people.father, kind("father_id"), True),
        "partner_id": ids_to_arrow(people.partner, kind("partner_id"), True),
        "address_id": to_arrow(people.address, kind("address_id")),
        "municipality": codes_to_arrow(people.municipality, places.municipalities),
        "region": codes_to_arrow(people.region, places.regions),
        "disability": to_arrow(people.disability, kind("disability")),
        "employment_status": codes_to_arrow(people.status, STATUSES),
        "monthly_income_cents": to_arrow(people.income, kind("monthly_income_cents")),
        "contribution_months": to_arrow(people.contribution_months, kind("contribution_months")),
        "job_end_date": to_arrow(people.job_end, kind("job_end_date")),
        "school_level": codes_to_arrow(people.school, SCHOOL_LEVELS),
        "vaccinated": to_arrow(people.vaccinated, kind("vaccinated")),
    }
    return pa.table([columns[f.name].cast(f.type) for f in schema], schema=schema)


def households_table(households: Households, places: Places, schema: pa.Schema) -> pa.Table:
    def kind(name: str) -> pa.DataType:
        return schema.field(name).type

    columns: dict[str, pa.Array] = {
        "household_id": to_arrow(households.id, kind("household_id")),
        "type": codes_to_arrow(households.type, HOUSEHOLD_TYPES),
        "size": to_arrow(households.size, kind("size")),
        "address_id": to_arrow(households.address, kind("address_id")),
        "municipality": codes_to_arrow(households.municipality, places.municipalities),
        "region": codes_to_arrow(households.region, places.regions),
        "tenure": codes_to_arrow(households.tenure, TENURES),
        "monthly_rent_cents": to_arrow(households.rent, kind("monthly_rent_cents")),
    }
    return pa.table([columns[f.name].cast(f.type) for f in schema], schema=schema)
