"""The synthetic country as inputs for the rules: one table of persons, one of households.

The rules of the country pack name their inputs after the truth's columns, so the
mapping is thin: money becomes ``monthly_income`` and ``monthly_rent`` (int64 cents),
an empty school level becomes ``"none"``, and a few inputs are derived from the
family links, which the rules cannot follow themselves:

- ``household_role``: ``child`` for a person under 18 on the period's first day whose
  mother or father lives in the same household, else ``adult``. This is the Family
  Benefits Act's child (Article 4) and the truth's "child of the household's adults";
  a minor living without a parent (with grandparents, say) is the household's adult.
- ``has_child_at_home`` and ``youngest_child_birth_date``: whether a child of the
  person (of any age) lives in the same household, and the youngest one's birth date
  (empty when there is none).
- ``has_died``: whether the person died in the period (``death_date`` is then set).

Inputs the truth does not hold (a crèche's fee, the income of a pensioner's children)
are empty columns: unknown, so whatever needs them is unknown too.

Persons who died before the period, or are born after it, are left out, and so are
households left with no one. Ten million persons take a few seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civitas.rules import Period

PERSONS_FILE = "truth/persons.parquet"
HOUSEHOLDS_FILE = "truth/households.parquet"
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
ADULT_AGE = 18  # Family Benefits Act, Article 4 (benefits.child_benefit.age_limit)

PERSON_INPUTS_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("household_id", pa.int64()),
        ("household_role", pa.string()),
        ("birth_date", pa.date32()),
        ("has_died", pa.bool_()),
        ("death_date", pa.date32()),
        ("monthly_income", pa.int64()),
        ("employment_status", pa.string()),
        ("contribution_months", pa.int64()),
        ("job_end_date", pa.date32()),
        ("disability", pa.bool_()),
        ("school_level", pa.string()),
        ("has_child_at_home", pa.bool_()),
        ("youngest_child_birth_date", pa.date32()),
        ("childcare_fee", pa.int64()),  # not in the truth: unknown
        ("children_yearly_income", pa.int64()),  # not in the truth: unknown
    ]
)
_UNKNOWN = ("childcare_fee", "children_yearly_income")
_COPIED = (  # person inputs read as they are (after renaming, in _LIVING)
    "birth_date",
    "has_died",
    "death_date",
    "monthly_income",
    "employment_status",
    "contribution_months",
    "job_end_date",
    "disability",
    "school_level",
)
_NO_DAY = np.iinfo(np.int32).min  # no date: "no child at home"
_EPOCH = dt.date(1970, 1, 1)  # "day" in _LIVING counts from it

HOUSEHOLD_INPUTS_SCHEMA = pa.schema(
    [
        ("household_id", pa.int64()),
        ("tenure", pa.string()),
        ("monthly_rent", pa.int64()),
        ("municipality", pa.string()),
    ]
)


@dataclass(frozen=True)
class RulesInputs:
    """Batch inputs for one period: persons (with their household and role) and households."""

    persons: pa.Table  # PERSON_INPUTS_SCHEMA, in the truth's order (by person_id)
    households: pa.Table  # HOUSEHOLD_INPUTS_SCHEMA, in the truth's order (by household_id)


def rules_inputs(country: Path, period: Period, *, adult_age: int = ADULT_AGE) -> RulesInputs:
    """The inputs of the persons of the country folder alive at some time in ``period``.

    DuckDB reads and filters the Parquet files, keeping their order; the family links
    are then followed with arrays indexed by person id, which needs no sort or join.
    """
    con = duckdb.connect()
    try:
        con.execute("SET threads TO 2")
        params = [str(country / PERSONS_FILE), period.start, period.end]
        living = con.sql(_LIVING, params=params).to_arrow_table()
        households = con.sql(_HOUSEHOLDS, params=[str(country / HOUSEHOLDS_FILE)]).to_arrow_table()
    finally:
        con.close()
    role, youngest = _families(living, _days(_years_before(period.start, adult_age)))
    persons = pa.table(
        {
            **{name: living.column(name) for name in ("person_id", "household_id")},
            "household_role": pc.if_else(pa.array(role), "child", "adult"),
            **{name: living.column(name) for name in _COPIED},
            "has_child_at_home": pa.array(youngest != _NO_DAY),
            "youngest_child_birth_date": pa.array(youngest, mask=youngest == _NO_DAY).cast(
                pa.date32()
            ),
            **{name: pa.nulls(living.num_rows, pa.int64()) for name in _UNKNOWN},
        }
    )
    return RulesInputs(
        persons=persons.cast(PERSON_INPUTS_SCHEMA),
        households=_lived_in(households, _ints(living, "household_id")),
    )


def with_dimensions(households: pa.Table, country: Path) -> pa.Table:
    """The households with their ``region`` and ``household_type``, to break results down."""
    truth = pq.read_table(country / HOUSEHOLDS_FILE, columns=["household_id", "region", "type"])
    dimensions = truth.rename_columns(["household_id", "region", "household_type"])
    return households.join(dimensions, "household_id", join_type="left outer")


def _lived_in(households: pa.Table, homes: Ints) -> pa.Table:
    """The households someone lives in. A household the truth no longer has (that of a
    person who died in the period and lived alone) is added with its inputs empty."""
    ids = _ints(households, "household_id")
    size = max(int(ids.max(initial=0)), int(homes.max(initial=0))) + 1
    occupied = np.zeros(size, dtype=np.bool_)
    occupied[homes] = True
    found = households.filter(pa.array(occupied[ids])).cast(HOUSEHOLD_INPUTS_SCHEMA)
    occupied[ids] = False
    missing = np.flatnonzero(occupied)
    if len(missing) == 0:
        return found
    inputs = [pa.nulls(len(missing), field.type) for field in HOUSEHOLD_INPUTS_SCHEMA][1:]
    added = pa.table([pa.array(missing), *inputs], schema=HOUSEHOLD_INPUTS_SCHEMA)
    return pa.concat_tables([found, added]).sort_by("household_id")


def _families(living: pa.Table, adult_from: int) -> tuple[Bools, npt.NDArray[np.int32]]:
    """Per person: whether they are a child of the household (under age, with a parent at
    home), and the birth day (days since 1970) of their youngest child at home.

    A link counts only if the parent is alive in the period and in the child's household.
    """
    ids, home, births = (_ints(living, column) for column in ("person_id", "household_id", "day"))
    size = max(_largest(living, column) for column in ("person_id", "mother", "father"))
    household_of = np.full(size + 1, -1, dtype=np.int64)  # by person id; -1: not living
    household_of[ids] = home
    youngest_by_id = np.full(size + 1, _NO_DAY, dtype=np.int32)
    with_parent = np.zeros(len(ids), dtype=np.bool_)
    for link in ("mother", "father"):
        parent = _ints(living, link)
        at_home = (parent > 0) & (household_of[parent] == home)
        with_parent |= at_home
        np.maximum.at(youngest_by_id, parent[at_home], births[at_home].astype(np.int32))
    child: Bools = with_parent & (births > adult_from)
    return child, youngest_by_id[ids]


def _ints(table: pa.Table, column: str) -> Ints:
    """A column of integers without empty values, as one array."""
    found: Ints = np.asarray(table.column(column).to_numpy(), dtype=np.int64)
    return found


def _largest(table: pa.Table, column: str) -> int:
    largest = pc.max(table.column(column)).as_py()
    return int(largest) if largest is not None else 0


def _days(day: dt.date) -> int:
    return (day - _EPOCH).days


def _years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# The persons alive at some time in the period, in file order, as the rules name them;
# mother, father (0: none) and day (of birth, since 1970) are for following the links.
_LIVING = """
SELECT person_id, household_id, coalesce(mother_id, 0) AS mother,
       coalesce(father_id, 0) AS father, birth_date - DATE '1970-01-01' AS day, birth_date,
       death_date IS NOT NULL AS has_died, death_date,
       monthly_income_cents AS monthly_income, employment_status, contribution_months,
       job_end_date, disability, coalesce(school_level, 'none') AS school_level
FROM read_parquet($1)
WHERE (death_date IS NULL OR death_date >= $2) AND birth_date <= $3
"""

_HOUSEHOLDS = """
SELECT household_id, tenure, monthly_rent_cents AS monthly_rent, municipality
FROM read_parquet($1)
"""
