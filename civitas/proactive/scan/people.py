"""Everyone the registers know in a month, one row each, joined on the national number.

The population register says who lives (born by the month's last day, not dead before
its first); the address, social security, tax and education registers are joined to
it on ``national_id`` with DuckDB, and their columns become the rules' inputs as
:mod:`civitas.proactive.household` describes (the one-household version of this same
mapping). A record without a national number (some tax and education records) cannot
be joined: the scan does without it, as the government would, and the truth check
measures what that costs.

Two queries, so that each join carries few columns:

- :func:`read_residents`: the population with its address records, **ordered by
  address**, numbered by ``row``. People of one household then sit a few rows apart,
  and everything done per household afterwards reads memory in order rather than
  jumping across ten million rows (which costs more than the sort here);
- :func:`read_facts`: social security, tax and education for those rows: income,
  employment and school, in the residents' order.

Only what is used is read: a register nobody needs (education when no rule reads the
school level) is not joined at all. Texts arrive as Arrow dictionaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_
from civitas.proactive.household import (
    ADULT_AGE,
    MONTHS,
    NO_SCHOOL,
    SOCIAL_SECURITY_AGE,
    years_before,
)
from civitas.proactive.scan.country import Country, parquet, quoted
from civitas.rules import Period

RESIDENTS = "scan_residents"
LINKS = ("mother", "father", "partner")  # link codes 0, 1, 2
EPOCH = dt.date(1970, 1, 1)
# The rules' inputs of read_facts, and the register each needs.
FACTS = {
    "employment_status": "social-security",
    "contribution_months": "social-security",
    "job_end_date": "social-security",
    "disability": "social-security",
    "school_level": "education",
}


def read_residents(con: duckdb.DuckDBPyConnection, country: Country, period: Period) -> pa.Table:
    """One row per person living at some time in ``period``, ordered by address:
    national_id, birth_date, death_date, has_died, mother, father, partner, address_key,
    household_size, monthly_rent_cents, tenure, municipality, region; then ``row``."""
    _create_types(con, country)
    query = _RESIDENTS.format(
        population=_file(country, "population"),
        addresses=_file(country, "addresses"),
        start=_literal(period.start),
        end=_literal(period.end),
    )
    residents = con.sql(query).to_arrow_table()
    rows = pa.array(np.arange(residents.num_rows, dtype=np.int32))
    return residents.append_column("row", rows)


def read_facts(
    con: duckdb.DuckDBPyConnection,
    country: Country,
    period: Period,
    residents: pa.Table,
    inputs: Collection[str],
) -> dict[str, pa.Array]:
    """For each resident (by row): ``monthly_income`` and those of the rules' ``inputs``
    that social security and education give."""
    wanted = [name for name in FACTS if name in inputs]
    education = "education" in {FACTS[name] for name in wanted}
    values = {
        "months": MONTHS,
        "none": NO_SCHOOL,
        "young": _day(years_before(period.start, SOCIAL_SECURITY_AGE)),
    }
    query = _FACTS.format(
        columns="".join(f", {_COLUMNS[name].format(**values)}" for name in wanted),
        residents=RESIDENTS,
        social_security=_file(country, "social-security"),
        tax=_file(country, "tax"),
        education=_EDUCATION.format(education=_file(country, "education")) if education else "",
        **values,
    )
    con.register(RESIDENTS, residents.select(["row", "national_id", "birth_date"]))
    try:
        found = con.sql(query).to_arrow_table()
    finally:
        con.unregister(RESIDENTS)
    if found.num_rows != residents.num_rows:
        raise InvalidInput(
            N_("A register lists someone twice in {folder}."),
            hint=N_("Each register holds one record per national number; check the files."),
            params={"folder": str(country.folder)},
        )
    rows = np.asarray(found.column("row").to_numpy(), dtype=np.intp)
    order = None
    if not np.array_equal(rows, np.arange(len(rows))):
        order = np.empty(len(rows), dtype=np.intp)  # the facts of row r are at order[r]
        order[rows] = np.arange(len(rows))
    return {
        name: _in_order(found.column(name), order) for name in found.column_names if name != "row"
    }


def links(con: duckdb.DuckDBPyConnection, residents: pa.Table) -> dict[str, Any]:
    """(member, relative, link) for each family link between two people at one address:
    their ``row``; ``relative`` is ``member``'s mother (0), father (1) or partner (2)."""
    con.register(RESIDENTS, residents)
    try:
        return con.sql(_LINKS).fetchnumpy()
    finally:
        con.unregister(RESIDENTS)


def birth_days(people: pa.Table) -> npt.NDArray[np.int32]:
    """Each person's birth date as days since 1970."""
    dates = people.column("birth_date").combine_chunks()
    return np.asarray(dates.cast(pa.int32()).to_numpy(zero_copy_only=False), dtype=np.int32)


def numbers(
    table: pa.Table, column: str, dtype: type[np.generic] = np.int64, empty: int = 0
) -> npt.NDArray[Any]:
    """A column as one NumPy array, empty values as ``empty``."""
    filled = pc.fill_null(table.column(column), empty)
    return np.asarray(filled.to_numpy(), dtype=dtype)


def child_born_after(period: Period) -> int:
    """Days since 1970 after which a person born is under 18 on the month's first day."""
    return _day(years_before(period.start, ADULT_AGE))


def _in_order(column: pa.ChunkedArray, order: npt.NDArray[np.intp] | None) -> pa.Array:
    combined = column.combine_chunks()
    return combined if order is None else combined.take(pa.array(order))


def _create_types(con: duckdb.DuckDBPyConnection, country: Country) -> None:
    """Enumerated types for the text columns, from the values the registers hold: the
    tables then carry small codes (Arrow dictionaries), not texts."""
    for name, (registry, column, extra) in _TEXTS.items():
        found = con.sql(
            f"SELECT list(DISTINCT {column}::VARCHAR) FROM {_file(country, registry)} "
            f"WHERE {column} IS NOT NULL"
        ).fetchall()[0][0]
        values = sorted({*(found or []), *extra})
        listed = ", ".join(quoted(value) for value in values)
        con.execute(f"CREATE OR REPLACE TYPE {name} AS ENUM ({listed})")


def _day(day: dt.date) -> int:
    return (day - EPOCH).days


def _literal(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def _file(country: Country, registry: str) -> str:
    return parquet(country.register(registry))


# enumerated type -> (register, column, values the scan adds)
_TEXTS = {
    "scan_tenure": ("addresses", "tenure", ()),
    "scan_municipality": ("addresses", "municipality", ()),
    "scan_region": ("addresses", "region", ()),
    "scan_status": ("social-security", "employment_status", ("child", "inactive")),
    "scan_school": ("education", "school_level", (NO_SCHOOL,)),
}

# The address key compares street, house number and municipality as a 64-bit hash (two
# addresses mixed up by it: about one pair in 10^11).
_RESIDENTS = """
SELECT p.national_id,
       p.birth_date,
       p.death_date,
       coalesce(p.death_date <= {end}, false) AS has_died,
       p.mother_national_id AS mother,
       p.father_national_id AS father,
       p.partner_national_id AS partner,
       a.address_key,
       a.household_size,
       a.monthly_rent_cents,
       a.tenure,
       a.municipality,
       a.region
FROM (SELECT national_id, birth_date, death_date, mother_national_id, father_national_id,
             partner_national_id
      FROM {population}
      WHERE (death_date IS NULL OR death_date >= {start}) AND birth_date <= {end}) p
LEFT JOIN (SELECT national_id, hash(street, house_number, municipality) AS address_key,
                  household_size::INTEGER AS household_size, monthly_rent_cents,
                  tenure::VARCHAR::scan_tenure AS tenure,
                  municipality::VARCHAR::scan_municipality AS municipality,
                  region::VARCHAR::scan_region AS region
           FROM {addresses}) a USING (national_id)
ORDER BY a.address_key
"""

_COLUMNS = {
    "employment_status": "coalesce(s.employment_status, CASE WHEN r.birth_date - DATE "
    "'1970-01-01' > {young} THEN 'child' ELSE 'inactive' END)::scan_status AS employment_status",
    "contribution_months": "coalesce(s.contribution_months, 0) AS contribution_months",
    "job_end_date": "s.job_end_date",
    "disability": "coalesce(s.disability, false) AS disability",
    "school_level": "coalesce(e.school_level, '{none}')::scan_school AS school_level",
}

_FACTS = """
SELECT r.row,
       coalesce(s.monthly_earnings_cents, t.annual_income_cents // {months}, 0)
         AS monthly_income{columns}
FROM {residents} r
LEFT JOIN (SELECT national_id, employment_status::VARCHAR AS employment_status,
                  monthly_earnings_cents, contribution_months, job_end_date, disability
           FROM {social_security}) s USING (national_id)
LEFT JOIN (SELECT national_id, annual_income_cents FROM {tax}
           WHERE national_id IS NOT NULL) t USING (national_id){education}
"""

_EDUCATION = """
LEFT JOIN (SELECT national_id, school_level::VARCHAR AS school_level FROM {education}
           WHERE national_id IS NOT NULL) e USING (national_id)"""

_LINKS = f"""
SELECT l.row AS member, r.row AS relative, l.link::TINYINT AS link
FROM ({
    " UNION ALL ".join(
        f"SELECT row, {code} AS link, {name} AS linked, address_key FROM {RESIDENTS} "
        f"WHERE {name} IS NOT NULL AND address_key IS NOT NULL"
        for code, name in enumerate(LINKS)
    )
}) l
JOIN (SELECT row, national_id, address_key FROM {RESIDENTS}) r
  ON r.national_id = l.linked AND r.address_key = l.address_key
"""
