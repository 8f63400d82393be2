"""Everyone the registers know in a month, one row each, matched on the national number.

The population register says who lives (born by the month's last day, not dead before
its first); the address, social security, tax and education registers are matched to
it on ``national_id``, and their columns become the rules' inputs as
:mod:`civitas.proactive.household` describes (the one-household version of this same
mapping). A record without a national number (some tax and education records) cannot
be matched: the scan does without it, as the government would, and the truth check
measures what that costs. A register listing one person twice is refused.

- :func:`read_residents`: the population joined to its address records by DuckDB,
  **ordered by address**, numbered by ``row``. People of one household then sit a few
  rows apart, and everything done per household afterwards reads memory in order
  rather than jumping across ten million rows (which costs more than the sort here);
- :func:`links`: the family links between people at one address, by row;
- :func:`read_fact_registers`, :func:`earnings` and :func:`facts`: social security,
  tax and education for those rows: income first (finding households needs it), then
  employment and school. DuckDB reads each register; the
  :class:`NationalIndex` of the people's rows places its records (a gather per
  register, no hash join).

Only what is used is read: a register nobody needs (education when no rule reads the
school level) is not joined at all. Texts arrive as Arrow dictionaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
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
from civitas.proactive.scan.families import NO_DAY, Days, Ints, Links, Rows, dates
from civitas.proactive.scan.national_index import NOBODY, NationalIndex, Twice
from civitas.rules import Period

LINKS = ("mother", "father", "partner")  # link codes 0, 1, 2
EPOCH = dt.date(1970, 1, 1)
# The rules' inputs that social security (and, for the school level, education) give.
FACTS = (
    "employment_status",
    "contribution_months",
    "job_end_date",
    "disability",
    "school_level",
)


def read_residents(con: duckdb.DuckDBPyConnection, country: Country, period: Period) -> pa.Table:
    """One row per person living at some time in ``period``, ordered by address:
    national_id, birth_date, death_date, has_died, mother, father, partner, address_key,
    household_size, monthly_rent_cents, tenure, municipality, region; then ``row``.
    The enumerated types must exist (:func:`create_types`)."""
    query = _RESIDENTS.format(
        population=_file(country, "population"),
        addresses=_file(country, "addresses"),
        start=_literal(period.start),
        end=_literal(period.end),
    )
    residents = con.sql(query).to_arrow_table()
    rows = pa.array(np.arange(residents.num_rows, dtype=np.int32))
    return residents.append_column("row", rows)


@dataclass(frozen=True, eq=False)
class FactRegisters:
    """The records of social security, tax and (when needed) education, as read."""

    country: Country
    wanted: tuple[str, ...]  # the rules' inputs of FACTS they give
    tables: Mapping[str, pa.Table]  # by register

    def records(self, registry: str, index: NationalIndex) -> _Records:
        """A register's records and whose they are; refused if it lists someone twice."""
        table = self.tables[registry]
        try:
            where, rows = index.matched(numbers(table, "national_id"))
        except Twice as twice:
            raise _listed_twice(self.country, registry, twice) from None
        return _Records(table, where, rows)


def read_fact_registers(
    con: duckdb.DuckDBPyConnection, country: Country, inputs: Collection[str]
) -> FactRegisters:
    """The registers that give ``monthly_income`` and the rules' ``inputs`` of FACTS
    (the enumerated types must exist: :func:`create_types`)."""
    wanted = tuple(name for name in FACTS if name in inputs)
    queries = {"social-security": _SECURITY, "tax": _TAX}
    if "school_level" in wanted:
        queries["education"] = _EDUCATION
    tables = {registry: _read(con, country, registry, query) for registry, query in queries.items()}
    return FactRegisters(country, wanted, tables)


@dataclass(frozen=True, eq=False)
class Earnings:
    """Each person's monthly income (by row), and the social security records matched."""

    income: Ints
    security: _Records


def earnings(registers: FactRegisters, index: NationalIndex) -> Earnings:
    """For each person (by row of ``index``): a twelfth of the year's income the tax
    register gives, unless social security knows their monthly earnings."""
    security = registers.records("social-security", index)
    tax = registers.records("tax", index)
    income = np.zeros(index.size, dtype=np.int64)
    _fill(income, tax, "monthly_income")
    _fill(income, security, "monthly_earnings_cents")
    return Earnings(income, security)


def facts(
    registers: FactRegisters,
    earned: Earnings,
    period: Period,
    index: NationalIndex,
    birth_day: Days,
) -> dict[str, pa.Array]:
    """For each person (by row of ``index``, as ``birth_day``): the rules' inputs that
    ``registers`` give, besides the income (``earned``)."""
    wanted, security = registers.wanted, earned.security
    found: dict[str, pa.Array] = {}
    young = _day(years_before(period.start, SOCIAL_SECURITY_AGE))
    if "employment_status" in wanted:
        code = _codes(security, "employment_status")
        default = np.where(birth_day > young, code["child"], code["inactive"])
        found["employment_status"] = _enumerated(security, "employment_status", default)
    if "contribution_months" in wanted:
        months = np.zeros(index.size, dtype=np.int64)
        found["contribution_months"] = pa.array(_fill(months, security, "contribution_months"))
    if "job_end_date" in wanted:
        days = np.full(index.size, NO_DAY, dtype=np.int32)
        found["job_end_date"] = dates(_fill(days, security, "job_end_date"))
    if "disability" in wanted:
        disabled = np.zeros(index.size, dtype=np.bool_)
        found["disability"] = pa.array(_fill(disabled, security, "disability"))
    if "education" in registers.tables:
        school = registers.records("education", index)
        default = np.full(index.size, _codes(school, "school_level")[NO_SCHOOL])
        found["school_level"] = _enumerated(school, "school_level", default)
    return found


def links(index: NationalIndex, address: npt.NDArray[np.uint64], residents: pa.Table) -> Links:
    """Each family link between two people at one address (``address``, by row; 0: none):
    ``member``'s mother, father or partner is ``relative`` (rows)."""
    members, relatives, codes = [], [], []
    for code, name in enumerate(LINKS):
        linked = numbers(residents, name)
        member = np.flatnonzero((linked != 0) & (address != 0))
        relative = index.rows(linked[member])
        found = relative != NOBODY
        member, relative = member[found], relative[found]
        home = address[member] == address[relative]
        members.append(member[home].astype(np.int32))
        relatives.append(relative[home])
        codes.append(np.full(np.count_nonzero(home), code, dtype=np.int8))
    return Links(np.concatenate(members), np.concatenate(relatives), np.concatenate(codes))


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


def national_index(
    con: duckdb.DuckDBPyConnection, country: Country, national_id: Ints
) -> NationalIndex:
    """The index of the residents' rows by national number; refused when the population
    or the address register lists one number twice (the residents have it twice)."""
    try:
        return NationalIndex(national_id)
    except Twice as twice:
        listed = f"SELECT count(*) FROM {_file(country, 'population')} WHERE national_id = ?"
        (times,) = con.execute(listed, [twice.first]).fetchone() or (0,)
        twice_there = twice.first != twice.second or times > 1
        raise _listed_twice(country, "population" if twice_there else "addresses", twice) from None


@dataclass(frozen=True, eq=False)
class _Records:
    """A register's records, and which of them (``where``) are of whom (``rows``)."""

    table: pa.Table
    where: npt.NDArray[np.intp]
    rows: Rows

    def column(self, name: str) -> pa.Array:
        return self.table.column(name).combine_chunks()

    def known(self, name: str) -> tuple[Rows, npt.NDArray[Any]]:
        """The rows whose record gives ``name``, and the values (codes of a dictionary)."""
        column = self.column(name)
        if isinstance(column, pa.DictionaryArray):
            column = column.indices
        empty = False if pa.types.is_boolean(column.type) else 0
        values = np.asarray(column.fill_null(empty).to_numpy(zero_copy_only=False))
        if not column.null_count:
            return self.rows, values[self.where]
        given = np.asarray(column.is_valid().to_numpy(zero_copy_only=False))[self.where]
        return self.rows[given], values[self.where[given]]


def _read(con: duckdb.DuckDBPyConnection, country: Country, registry: str, query: str) -> pa.Table:
    found = con.sql(query.format(file=_file(country, registry), months=MONTHS)).to_arrow_table()
    return found.unify_dictionaries()


def _fill(into: npt.NDArray[Any], records: _Records, name: str) -> npt.NDArray[Any]:
    """``into``, with the value of ``name`` where the person's record gives one."""
    rows, values = records.known(name)
    into[rows] = values
    return into


def _codes(records: _Records, name: str) -> dict[str, int]:
    """The code of each value of the dictionary column ``name``."""
    column = records.column(name)
    assert isinstance(column, pa.DictionaryArray)
    return {label: code for code, label in enumerate(column.dictionary.to_pylist())}


def _enumerated(records: _Records, name: str, default: npt.NDArray[Any]) -> pa.Array:
    """The dictionary column ``name`` per person: their record's value, else the
    ``default`` code."""
    column = records.column(name)
    assert isinstance(column, pa.DictionaryArray)
    codes = _fill(default.astype(column.indices.type.to_pandas_dtype()), records, name)
    return pa.DictionaryArray.from_arrays(codes, column.dictionary)


def _listed_twice(country: Country, registry: str, twice: Twice) -> InvalidInput:
    params = {"register": registry, "folder": str(country.folder), "number": f"{twice.first:09d}"}
    if twice.first == twice.second:
        message = N_(
            "The {register} register in {folder} lists the national number {number} twice."
        )
    else:
        message = N_(
            "The {register} register in {folder} lists {number} and {other}, which differ "
            "only in the check digit: one of them is mistyped."
        )
        params["other"] = f"{twice.second:09d}"
    return InvalidInput(
        message,
        hint=N_("Each register holds one record per national number; check the files."),
        params=params,
    )


def create_types(con: duckdb.DuckDBPyConnection, country: Country) -> None:
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

# Each register's records, matched to the people's rows on their national number by
# FactRegisters.records.
_SECURITY = """
SELECT national_id, employment_status::VARCHAR::scan_status AS employment_status,
       monthly_earnings_cents, contribution_months::BIGINT AS contribution_months,
       job_end_date - DATE '1970-01-01' AS job_end_date, disability
FROM {file}
"""
_TAX = """
SELECT national_id, annual_income_cents // {months} AS monthly_income
FROM {file} WHERE national_id IS NOT NULL
"""
_EDUCATION = """
SELECT national_id, school_level::VARCHAR::scan_school AS school_level
FROM {file} WHERE national_id IS NOT NULL
"""
