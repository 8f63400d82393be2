"""Entitlements after time moved: the generator's rules applied to the new truth.

The rules live in :mod:`civitas.synthetic.entitlement` and work on the generator's
arrays, so the living people of the truth tables are turned back into those
arrays (households, their reference person, incomes per adult) and assessed.
Enrolment is sticky, as in life: whoever was already entitled keeps the enrolment
status they had (a person who did not claim last month still has not), and only
newly entitled people draw their take-up. A benefit ends when its rule no longer
holds; enrolments nobody was entitled to (stale records) stay until the person dies.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civitas.synthetic.calendar import age_on
from civitas.synthetic.columns import Ints, codes, days, ints, sorted_by
from civitas.synthetic.economy import (
    ADULT_AGE,
    SCHOOL_NAMES,
    STATUS_NAMES,
    TENURE_NAMES,
    Livelihoods,
)
from civitas.synthetic.entitlement import BENEFIT_NAMES, assess
from civitas.synthetic.population import NO_ONE, Population
from civitas.synthetic.shape import Shape

EPOCH = np.datetime64("1970-01-01", "D")


def reassess(
    shape: Shape,
    persons: pa.Table,
    households: pa.Table,
    previous: pa.Table,
    *,
    as_of: dt.date,
    seed: int,
    period: int,
) -> pa.Table:
    """The entitlements table for the living people of ``persons`` on ``as_of``."""
    living = sorted_by(persons.filter(pc.is_null(persons.column("death_date"))), "person_id")
    homes = sorted_by(households, "household_id")
    person_id = ints(living, "person_id")
    population, region = _population(shape, living, homes, as_of)
    livelihoods = _livelihoods(living, homes, population, as_of)
    found = assess(
        shape,
        population,
        livelihoods,
        region,
        (np.datetime64(as_of, "D") - EPOCH).astype(np.int64).item(),
        np.random.SeedSequence([seed, period, 7]),
    )
    fresh = pa.table(
        {
            "person_id": pa.array(person_id[found.person], pa.int64()),
            "benefit": pa.array(
                np.asarray(BENEFIT_NAMES, dtype=object)[found.benefit], pa.string()
            ),
            "entitled": pa.array(found.entitled),
            "enrolled": pa.array(found.enrolled),
        }
    )
    entitled = fresh.filter(fresh.column("entitled"))
    before = previous.select(["person_id", "benefit", "enrolled"]).rename_columns(
        ["person_id", "benefit", "was_enrolled"]
    )
    merged = entitled.join(before, ["person_id", "benefit"], join_type="left outer")
    enrolled = pc.coalesce(merged.column("was_enrolled"), merged.column("enrolled"))
    kept = merged.select(["person_id", "benefit", "entitled"]).append_column("enrolled", enrolled)
    # Enrolments nobody was entitled to (stale records) stay until the person dies.
    stale = previous.filter(
        pc.and_(
            pc.and_(pc.invert(previous.column("entitled")), previous.column("enrolled")),
            pc.is_in(previous.column("person_id"), pa.array(person_id)),
        )
    )
    stale = stale.join(
        entitled.select(["person_id", "benefit"]), ["person_id", "benefit"], join_type="left anti"
    )
    result = pa.concat_tables([kept.cast(previous.schema), stale.select(previous.schema.names)])
    return result.sort_by([("benefit", "ascending"), ("person_id", "ascending")])


def _population(
    shape: Shape, living: pa.Table, homes: pa.Table, as_of: dt.date
) -> tuple[Population, np.ndarray]:
    person_id = ints(living, "person_id")
    row_of = np.full(int(person_id.max(initial=0)) + 1, NO_ONE, dtype=np.int64)
    row_of[person_id] = np.arange(len(person_id))
    home_row = np.full(int(ints(homes, "household_id").max(initial=0)) + 1, -1, dtype=np.int64)
    home_row[ints(homes, "household_id")] = np.arange(homes.num_rows)
    household = home_row[ints(living, "household_id")]
    age = age_on(days(living, "birth_date"), np.datetime64(as_of, "D"))

    def linked(name: str) -> Ints:
        ids = ints(living, name)
        return np.where(ids > 0, row_of[np.minimum(ids, len(row_of) - 1)], NO_ONE)

    mother, father, partner = linked("mother_id"), linked("father_id"), linked("partner_id")
    at_home = (mother >= 0) & (household[np.maximum(mother, 0)] == household)
    at_home |= (father >= 0) & (household[np.maximum(father, 0)] == household)
    # The reference person: the first adult of the household (the generator lists them first).
    adult_first = np.lexsort((person_id, age < 18, household))
    first_of = np.full(homes.num_rows, -1, dtype=np.int64)
    first_of[household[adult_first[::-1]]] = adult_first[::-1]
    size = np.bincount(household, minlength=homes.num_rows)
    regions = [r.code for r in shape.regions]
    population = Population(
        kind=np.zeros(homes.num_rows, np.int8),
        size=size.astype(np.int16),
        start=first_of,
        adults=np.zeros(homes.num_rows, np.int8),
        children=np.zeros(homes.num_rows, np.int8),
        elders=np.zeros(homes.num_rows, np.int8),
        household=household.astype(np.int32),
        age=age.astype(np.int16),
        female=codes(living, "sex", ("F", "M")) == 0,
        mother=mother.astype(np.int32),
        father=father.astype(np.int32),
        partner=partner.astype(np.int32),
        is_child=at_home,
    )
    return population, codes(living, "region", regions).astype(np.int8)


def _livelihoods(
    living: pa.Table, homes: pa.Table, population: Population, as_of: dt.date
) -> Livelihoods:
    income = ints(living, "monthly_income_cents")
    job_end = days(living, "job_end_date")
    total = np.bincount(population.household, weights=income, minlength=homes.num_rows) / 100
    adults = np.bincount(
        population.household, weights=population.age >= ADULT_AGE, minlength=homes.num_rows
    )
    scale = 1 + 0.5 * np.maximum(adults - 1, 0) + 0.3 * (population.size - adults)
    return Livelihoods(
        status=codes(living, "employment_status", STATUS_NAMES).astype(np.int8),
        income=income,
        contribution_months=ints(living, "contribution_months").astype(np.int16),
        job_end=np.where(np.isnat(job_end), 0, job_end.view(np.int64)).astype(np.int32),
        job_end_known=~np.isnat(job_end),
        disability=np.zeros(living.num_rows, np.bool_),
        school=codes(living, "school_level", SCHOOL_NAMES).astype(np.int8),
        vaccinated=np.zeros(living.num_rows, np.bool_),
        tenure=codes(homes, "tenure", TENURE_NAMES).astype(np.int8),
        rent=ints(homes, "monthly_rent_cents"),
        household_income=total,
        income_per_adult=total / np.maximum(scale, 1),
    )
