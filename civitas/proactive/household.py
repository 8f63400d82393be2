"""One household as the registers know it, as a situation the rules can read.

The event worker checks one household with the interpreter, from records fetched
through the exchange; the take-up scan (:mod:`civitas.proactive.scan`) computes the
same inputs for the whole population in SQL. Both follow the mapping below, and a test
holds them together (``tests/proactive/test_household_situation.py``).

**Who is in the household.** The claimant, and each person given who lives at the
claimant's address (the same street, house number and municipality in the address
register) and is linked to someone already in by a family link of the population
register (partner, mother, father). ``unrelated`` people are added when they live at
the address, whatever their links: the scan finds them by the household size the
address register records. People born after the month, or dead before it, are left
out. Everyone else at a shared address (another flat of the building) is not.

**Inputs of each person** (register, column):

- ``birth_date``, ``death_date``: population; ``has_died``: a death on or before the
  month's last day.
- ``monthly_income``: social security's ``monthly_earnings_cents``, else the tax
  register's ``annual_income_cents`` divided by 12 (rounded down to the cent), else 0:
  a person neither register knows has no declared income.
- ``employment_status``: social security's; a person it does not know is ``child``
  under 16 and ``inactive`` from 16 (it holds everyone of 16 or more who works, looks
  for work or has a pension). ``contribution_months``: social security's, else 0.
  ``job_end_date``: social security's, else unknown. ``disability``: social
  security's, else false.
- ``school_level``: the education register's, else ``none``.
- ``household_role``: ``child`` for a person under 18 on the month's first day whose
  mother or father is in the household (the Family Benefits Act's child, Article 4);
  ``adult`` otherwise. ``has_child_at_home`` and ``youngest_child_birth_date``: a child
  of theirs (of any age) is in the household, and the youngest one's birth date.
- ``childcare_fee`` and ``children_yearly_income``: no register holds them: unknown.

**Household.** Its id is the smallest national number of its members. ``tenure`` and
``municipality`` come from the address record of the member with the smallest national
number who has one; ``monthly_rent`` is the largest rent any member's record declares
(a rent left undeclared on one record is read from another).

Records are plain dicts of the registers' columns, as the registry nodes return them:
dates as ``date`` or ISO text, money as integer cents or the exchange's decimal text
in euros (``"12.50"``), national numbers as integers or text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from civitas.rules import Period

Record = Mapping[str, Any]

ADULT_AGE = 18  # Family Benefits Act, Article 4: a child is under 18
SOCIAL_SECURITY_AGE = 16  # the social security register holds people of 16 or more
MONTHS = 12  # the tax register's income is yearly
NO_SCHOOL = "none"
ADDRESS_KEY = ("street", "house_number", "municipality")


@dataclass(frozen=True)
class PersonRecords:
    """What each register holds about one person; None where a register has no record."""

    population: Record  # the population register's record (national_id, links, dates)
    address: Record | None = None
    tax: Record | None = None
    social_security: Record | None = None
    education: Record | None = None
    benefits: tuple[Record, ...] = ()  # one record per benefit received

    @property
    def national_id(self) -> int:
        return _number(self.population["national_id"])


@dataclass(frozen=True)
class HouseholdRecords:
    """The records of a claimant and of the people who may live with them.

    ``partner`` and ``children`` are the population register's links of the claimant;
    ``relatives`` anyone else linked by family to them (their parents, a partner's
    children, grandchildren); ``unrelated`` people at the same address the address
    register counts in the household. Who is in is decided by :func:`members`.
    """

    claimant: PersonRecords
    partner: PersonRecords | None = None
    children: tuple[PersonRecords, ...] = ()
    relatives: tuple[PersonRecords, ...] = ()
    unrelated: tuple[PersonRecords, ...] = ()


def household_situation(records: HouseholdRecords, period: Period) -> dict[str, Any]:
    """The rules' situation (``persons`` and ``households``) of the claimant's household.

    Persons are keyed by national number; the one household by the smallest of them.
    Unknown inputs are left out, as a situation leaves them.
    """
    people = members(records, period)
    ids = {person.national_id for person in people}
    adult_from = years_before(period.start, ADULT_AGE)
    persons: dict[str, dict[str, Any]] = {}
    roles: dict[str, list[str]] = {"adult": [], "child": []}
    for person in sorted(people, key=lambda p: p.national_id):
        born = _date(person.population.get("birth_date"))
        parents = {_optional_number(person.population.get(f"{p}_national_id")) for p in PARENTS}
        is_child = born is not None and born > adult_from and bool(parents & ids)
        children = [
            _date(other.population.get("birth_date"))
            for other in people
            if person.national_id
            in {_optional_number(other.population.get(f"{p}_national_id")) for p in PARENTS}
        ]
        known = [day for day in children if day is not None]
        inputs = person_inputs(person, period)
        inputs["has_child_at_home"] = bool(children)
        inputs["youngest_child_birth_date"] = max(known).isoformat() if known else None
        persons[str(person.national_id)] = {k: v for k, v in inputs.items() if v is not None}
        roles["child" if is_child else "adult"].append(str(person.national_id))
    household: dict[str, Any] = {role: names for role, names in roles.items() if names}
    household.update(
        {k: v for k, v in household_inputs(people).items() if v is not None},
    )
    return {"persons": persons, "households": {str(min(ids)): household}}


PARENTS = ("mother", "father")
LINKS = ("partner", "mother", "father")


def members(records: HouseholdRecords, period: Period) -> list[PersonRecords]:
    """The people of the claimant's household in ``period`` (the claimant first)."""
    claimant = records.claimant
    home = address_key(claimant.address)
    candidates = [
        person
        for person in (records.partner, *records.children, *records.relatives)
        if person is not None and _lives_in(person, period) and _at(person, home)
    ]
    inside = {claimant.national_id: claimant}
    grown = True
    while grown:  # follow family links through the people already in
        grown = False
        for person in candidates:
            if person.national_id in inside:
                continue
            if any(_linked(person, other) for other in inside.values()):
                inside[person.national_id] = person
                grown = True
    for person in records.unrelated:
        if _lives_in(person, period) and _at(person, home):
            inside.setdefault(person.national_id, person)
    return list(inside.values())


def person_inputs(person: PersonRecords, period: Period) -> dict[str, Any]:
    """The rules' inputs of one person from their records (family inputs aside)."""
    population = person.population
    security = person.social_security or {}
    born = _date(population.get("birth_date"))
    died = _date(population.get("death_date"))
    status = security.get("employment_status")
    if status is None:
        young = born is not None and born > years_before(period.start, SOCIAL_SECURITY_AGE)
        status = "child" if young else "inactive"
    school = (person.education or {}).get("school_level") or NO_SCHOOL
    return {
        "birth_date": born.isoformat() if born else None,
        "has_died": died is not None and died <= period.end,
        "death_date": died.isoformat() if died else None,
        "monthly_income": _euros(monthly_income(person)),
        "employment_status": str(status),
        "contribution_months": int(security.get("contribution_months") or 0),
        "job_end_date": _iso(security.get("job_end_date")),
        "disability": bool(security.get("disability") or False),
        "school_level": str(school),
    }


def monthly_income(person: PersonRecords) -> int:
    """Cents a month: social security's earnings, else a twelfth of the taxed income, else 0."""
    earnings = _cents((person.social_security or {}).get("monthly_earnings_cents"))
    if earnings is not None:
        return earnings
    yearly = _cents((person.tax or {}).get("annual_income_cents"))
    return yearly // MONTHS if yearly is not None else 0


def household_inputs(people: Iterable[PersonRecords]) -> dict[str, Any]:
    """Tenure and municipality of the first address record by national number; the rent."""
    housed = sorted((p for p in people if p.address), key=lambda p: p.national_id)
    first = housed[0].address if housed else None
    rents = [_cents(p.address.get("monthly_rent_cents")) for p in housed if p.address]
    declared = [rent for rent in rents if rent is not None]
    return {
        "tenure": first.get("tenure") if first else None,
        "monthly_rent": _euros(max(declared)) if declared else None,
        "municipality": first.get("municipality") if first else None,
    }


def address_key(address: Record | None) -> tuple[object, ...] | None:
    """Where someone lives, as the household test compares it (None: no address)."""
    if address is None:
        return None
    return tuple(address.get(name) for name in ADDRESS_KEY)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _lives_in(person: PersonRecords, period: Period) -> bool:
    born = _date(person.population.get("birth_date"))
    died = _date(person.population.get("death_date"))
    return (born is None or born <= period.end) and (died is None or died >= period.start)


def _at(person: PersonRecords, home: tuple[object, ...] | None) -> bool:
    return home is not None and address_key(person.address) == home


def _linked(a: PersonRecords, b: PersonRecords) -> bool:
    """Whether a family link of either record names the other."""
    return any(
        _optional_number(a.population.get(f"{k}_national_id")) == b.national_id for k in LINKS
    ) or any(_optional_number(b.population.get(f"{k}_national_id")) == a.national_id for k in LINKS)


def _number(value: object) -> int:
    return int(str(value).strip())


def _optional_number(value: object) -> int | None:
    return None if value is None or value == "" else _number(value)


def _date(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _iso(value: object) -> str | None:
    day = _date(value)
    return day.isoformat() if day else None


def _cents(value: object) -> int | None:
    """Money as cents: integers are cents already; text and decimals are euros."""
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(Decimal(str(value)) * 100)


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units}.{rest:02d}"
