"""Everyone the registers know in a month, one row each, joined on the national number.

The population register says who lives (born by the month's last day, not dead before
its first); the address, social security, tax and education registers are joined to
it on ``national_id`` in one DuckDB query, and their columns become the rules' inputs
as :mod:`civitas.proactive.household` describes (the one-household version of this
same mapping). A record without a national number (some tax and education records)
cannot be joined: the scan does without it, as the government would, and the truth
check measures what that costs.

The result is one Arrow table (``scan_people`` once registered), numbered by ``row``;
:mod:`.families` adds the household columns beside it, in the same order. (Joining the
registers other than population and addresses on a second connection, while NumPy
finds the households, was measured no faster on two cores: the join is kept whole.)
"""

from __future__ import annotations

import datetime as dt

import duckdb

from civitas.proactive.household import (
    ADULT_AGE,
    MONTHS,
    NO_SCHOOL,
    SOCIAL_SECURITY_AGE,
    years_before,
)
from civitas.proactive.scan.country import Country
from civitas.rules import Period

PEOPLE = "scan_people"
LINKS = ("mother", "father", "partner")  # link codes 0, 1, 2
EPOCH = dt.date(1970, 1, 1)


def people_query(country: Country, period: Period) -> str:
    """One row per person living at some time in ``period``, with every register's
    inputs, the family links, and the address record's key, size, rent, tenure,
    municipality and region (after :func:`create_types`)."""
    return _PEOPLE.format(
        population=_file(country, "population"),
        addresses=_file(country, "addresses"),
        social_security=_file(country, "social-security"),
        tax=_file(country, "tax"),
        education=_file(country, "education"),
        start=_literal(period.start),
        end=_literal(period.end),
        months=MONTHS,
        none=NO_SCHOOL,
        young=_day(years_before(period.start, SOCIAL_SECURITY_AGE)),
    )


def create_types(con: duckdb.DuckDBPyConnection, country: Country) -> None:
    """Enumerated types for the text columns, from the values the registers hold: the
    people's table then carries small codes (Arrow dictionaries), not texts."""
    for name, (registry, column, extra) in _TEXTS.items():
        found = con.sql(
            f"SELECT list(DISTINCT {column}::VARCHAR) FROM {_file(country, registry)} "
            f"WHERE {column} IS NOT NULL"
        ).fetchall()[0][0]
        values = sorted({*(found or []), *extra})
        listed = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
        con.execute(f"CREATE OR REPLACE TYPE {name} AS ENUM ({listed})")


def links_query() -> str:
    """(member, relative, link) for each family link between two people at one address:
    their ``row`` in ``scan_people``; ``relative`` is ``member``'s mother (0), father
    (1) or partner (2)."""
    parts = [
        f"SELECT row, {code} AS link, {name} AS linked, address_key FROM {PEOPLE} "
        f"WHERE {name} IS NOT NULL AND address_key IS NOT NULL"
        for code, name in enumerate(LINKS)
    ]
    return (
        "SELECT l.row AS member, r.row AS relative, l.link::TINYINT AS link "
        f"FROM ({' UNION ALL '.join(parts)}) l JOIN {PEOPLE} r "
        "ON r.national_id = l.linked AND r.address_key = l.address_key"
    )


def child_born_after(period: Period) -> int:
    """Days since 1970 after which a person born is under 18 on the month's first day."""
    return _day(years_before(period.start, ADULT_AGE))


def _day(day: dt.date) -> int:
    return (day - EPOCH).days


def _literal(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


def _file(country: Country, registry: str) -> str:
    return "read_parquet('" + country.register(registry).replace("'", "''") + "')"


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
_PEOPLE = """
SELECT p.national_id,
       p.birth_date,
       (p.birth_date - DATE '1970-01-01')::INTEGER AS birth_day,
       coalesce(p.death_date <= {end}, false) AS has_died,
       p.death_date,
       p.mother_national_id AS mother,
       p.father_national_id AS father,
       p.partner_national_id AS partner,
       CASE WHEN a.national_id IS NULL THEN NULL
            ELSE hash(a.street, a.house_number, a.municipality) END AS address_key,
       a.household_size::INTEGER AS household_size,
       a.monthly_rent_cents,
       a.tenure::VARCHAR::scan_tenure AS tenure,
       a.municipality::VARCHAR::scan_municipality AS municipality,
       a.region::VARCHAR::scan_region AS region,
       coalesce(s.monthly_earnings_cents, t.annual_income_cents // {months}, 0) AS monthly_income,
       coalesce(s.employment_status::VARCHAR,
                CASE WHEN p.birth_date - DATE '1970-01-01' > {young} THEN 'child'
                     ELSE 'inactive' END)::scan_status AS employment_status,
       coalesce(s.contribution_months, 0) AS contribution_months,
       s.job_end_date,
       coalesce(s.disability, false) AS disability,
       coalesce(e.school_level::VARCHAR, '{none}')::scan_school AS school_level
FROM {population} p
LEFT JOIN {addresses} a USING (national_id)
LEFT JOIN {social_security} s USING (national_id)
LEFT JOIN (SELECT national_id, annual_income_cents FROM {tax}
           WHERE national_id IS NOT NULL) t USING (national_id)
LEFT JOIN (SELECT national_id, school_level FROM {education}
           WHERE national_id IS NOT NULL) e USING (national_id)
WHERE (p.death_date IS NULL OR p.death_date >= {start}) AND p.birth_date <= {end}
"""
