"""Hand-built truth tables that follow the issue-3 data contract exactly.

``family_truth`` is a street of a few households small enough to reason about by
hand; ``sample_truth`` builds any number of people with the same structure
(couples with children, singles, single parents, three generations), vectorised,
so the advance can be tested at scale without the full generator.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from civitas.registries import with_check_digits
from civitas.synthetic.truth import (
    ADDRESSES_SCHEMA,
    ENTITLEMENTS_SCHEMA,
    HOUSEHOLDS_SCHEMA,
    IDENTITIES_SCHEMA,
    PERSONS_SCHEMA,
    Truth,
)

PERSONS = PERSONS_SCHEMA
HOUSEHOLDS = HOUSEHOLDS_SCHEMA
ADDRESSES = ADDRESSES_SCHEMA
ENTITLEMENTS = ENTITLEMENTS_SCHEMA
IDENTITIES = IDENTITIES_SCHEMA
AS_OF = dt.date(2026, 1, 1)
MUNICIPALITIES = (
    ("VLD-PA", "VLD-N", "2135"),
    ("VLD-BE", "VLD-N", "2200"),
    ("VLD-FR", "VLD-S", "7000"),
)


def sample_truth(people: int, seed: int = 7) -> Truth:
    """About ``people`` people in households of every type, linked like the contract says."""
    rng = np.random.default_rng(seed)
    homes = max(people * 10 // 24, 1)
    kind = rng.choice(5, size=homes, p=[0.3, 0.25, 0.28, 0.09, 0.08])  # HOUSEHOLD order
    partnered = np.isin(kind, (1, 2, 4))
    kids = np.where(np.isin(kind, (2, 3, 4)), rng.integers(1, 4, homes), 0)
    elder = kind == 4
    head_age = np.where(kids > 0, rng.integers(25, 50, homes), rng.integers(20, 90, homes))
    # Members: head (a woman in families, so children have a mother), partner, kids, elder.
    counts = 1 + partnered + kids + elder
    home_of = np.repeat(np.arange(homes), counts)
    slot = np.arange(len(home_of)) - np.repeat(np.cumsum(counts) - counts, counts)
    role = np.select(
        [slot == 0, partnered[home_of] & (slot == 1), slot < counts[home_of] - elder[home_of]],
        [0, 1, 2],
        3,
    )  # 0 head, 1 partner, 2 child, 3 elder
    n = len(home_of)
    ids = np.arange(1, n + 1, dtype=np.int64)
    head_id = ids[np.cumsum(counts) - counts][home_of]
    partner_id = np.where(partnered[home_of], head_id + 1, 0)
    age = np.select(
        [role == 0, role == 1, role == 2],
        [head_age[home_of], head_age[home_of] + rng.integers(-2, 6, n), rng.integers(0, 23, n)],
        head_age[home_of] + rng.integers(24, 32, n),
    )
    age = np.where(role == 2, np.minimum(age, head_age[home_of] - 18), age)
    sex = np.where(role == 0, np.where(kids[home_of] > 0, "F", rng.choice(["F", "M"], n)), "M")
    sex = np.where(role >= 2, rng.choice(["F", "M"], n), sex)
    sex = np.where(role == 1, np.where(sex[head_id - 1] == "F", "M", "F"), sex)
    birth = np.datetime64(AS_OF) - (age * 365.25 + rng.integers(0, 365, n)).astype("m8[D]")
    mother = np.where(role == 2, head_id, 0)
    father = np.where((role == 2) & (partner_id > 0), partner_id, 0)
    mother = np.where(role == 0, np.where(elder[home_of], head_id + counts[home_of] - 1, 0), mother)
    mother = np.where(role == 3, 0, mother)
    partner = np.select([role == 0, role == 1], [partner_id, head_id], 0)
    place = rng.integers(0, len(MUNICIPALITIES), homes)
    municipality = np.array([m for m, _, _ in MUNICIPALITIES])[place]
    region = np.array([r for _, r, _ in MUNICIPALITIES])[place]
    status = np.select(
        [age < 18, age >= 66, age < 23],
        ["child", "retired", rng.choice(["student", "employed"], n)],
        rng.choice(["employed", "employed", "employed", "unemployed", "inactive"], n),
    )
    income = np.select(
        [status == "employed", status == "retired"],
        [rng.lognormal(np.log(125_000), 0.5, n), rng.lognormal(np.log(62_000), 0.4, n)],
        0,
    ).astype(np.int64)
    job_end = np.where(
        (status == "employed") & (rng.random(n) < 0.2),
        np.datetime64(AS_OF) + rng.integers(1, 400, n).astype("m8[D]"),
        np.where(
            status == "unemployed",
            np.datetime64(AS_OF) - rng.integers(30, 600, n).astype("m8[D]"),
            np.datetime64("NaT"),
        ),
    ).astype("M8[D]")
    school = np.select(
        [age < 3, age < 6, age < 12, age < 18],
        ["childcare", "childcare", "primary", "secondary"],
        "",
    )
    school = np.where((age < 3) & (rng.random(n) < 0.5), "", school)
    bodies = rng.choice(np.arange(10_000_000, 100_000_000, 37), size=n, replace=False)
    persons = pa.table(
        {
            "person_id": ids,
            "national_id": with_check_digits(bodies.astype(np.int64)),
            "first_name": np.where(sex == "F", "Maria", "João"),
            "family_name": rng.choice(["Silva", "Santos", "Smith", "Costa"], n),
            "sex": sex,
            "birth_date": pa.array(birth.astype("M8[D]")),
            "death_date": pa.nulls(n, pa.date32()),
            "household_id": home_of + 1,
            "mother_id": pa.array(mother, mask=mother == 0),
            "father_id": pa.array(father, mask=father == 0),
            "partner_id": pa.array(partner, mask=partner == 0),
            "address_id": home_of + 1,
            "municipality": municipality[home_of],
            "region": region[home_of],
            "disability": rng.random(n) < 0.07,
            "employment_status": status,
            "monthly_income_cents": income,
            "contribution_months": np.where(status == "employed", 24, 0),
            "job_end_date": pa.array(job_end, mask=np.isnat(job_end)),
            "school_level": pa.array(school, mask=school == ""),
            "vaccinated": (age < 18) & (rng.random(n) < 0.95),
        }
    ).cast(PERSONS)
    types = np.array(
        ["single", "couple", "couple_with_children", "single_parent", "multi_generation"]
    )
    tenure = rng.choice(["owner", "renter", "social_renter"], homes, p=[0.7, 0.22, 0.08])
    households = pa.table(
        {
            "household_id": np.arange(1, homes + 1),
            "type": types[kind],
            "size": counts,
            "address_id": np.arange(1, homes + 1),
            "municipality": municipality,
            "region": region,
            "tenure": tenure,
            "monthly_rent_cents": np.where(
                tenure == "owner", 0, rng.integers(30_000, 90_000, homes)
            ),
        }
    ).cast(HOUSEHOLDS)
    addresses = pa.table(
        {
            "address_id": np.arange(1, homes + 1),
            "street": rng.choice(["Rua das Flores", "Avenida do Mar", "Mill Lane"], homes),
            "house_number": rng.integers(1, 200, homes),
            "postcode": np.array([p for _, _, p in MUNICIPALITIES])[place],
            "municipality": municipality,
            "region": region,
        }
    ).cast(ADDRESSES)
    return Truth(
        persons=persons,
        households=households,
        addresses=addresses,
        entitlements=ENTITLEMENTS.empty_table(),
        identities=_identities(persons),
    )


def _identities(persons: pa.Table) -> pa.Table:
    national = persons.column("national_id").to_numpy()
    ids = persons.column("person_id").to_numpy()
    population = [f"{n:09d}" for n in national]
    tax = [f"TX-{n:09d}" for n in with_check_digits(ids + 20_000_000)]
    return pa.table(
        {
            "person_id": np.concatenate([ids, ids]),
            "registry": ["population"] * len(ids) + ["tax"] * len(ids),
            "record_id": population + tax,
        }
    ).cast(IDENTITIES)
