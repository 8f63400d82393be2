"""Who the rules find entitled to each service, who claims it, and whether they receive it.

One row of ``scan_claims`` per entitled (or undetermined) beneficiary and service:

- A service is decided by its result variable (the first, by name, linked to it in
  the rules). Where the rules also have ``<variable>_eligible`` (a yes or no of the
  same entity) it says who is entitled, so that an amount the registers cannot give (a
  crèche's fee) leaves the amount unknown, not the entitlement; otherwise a positive
  amount (or a yes) is an entitlement. *Undetermined*: the rules could not decide.
- The **beneficiary** of a person's service is the person; of a household's service,
  its claimant. The **claimant** applies: the beneficiary, except for a child (a
  child's school meals), for whom the household's parent claims; a household's
  service is claimed by its reference person, or, for the services in
  :data:`PARENT_CLAIMED`, by its parent (see :mod:`.households`).
- **Enrolled**: the benefits register lists the service for the beneficiary; for a
  household's service, for anyone of the household (the register records whoever
  claimed, who may be the other partner). Services the register does not list (one-off
  grants, the municipality's crèche subsidy) are *not recorded*: NULL, never guessed.
- Groups, as codes: the household's region, type and income decile; the claimant's age
  band (a position in :data:`AGE_BANDS`) on the month's first day.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from civitas.core.text import LocalText
from civitas.proactive.scan.households import HOUSEHOLDS, PERSONS
from civitas.rules import PERSON, Kind, Period, RuleBook

CLAIMS = "scan_claims"
LISTED = "scan_listed"  # (service, unit): what the benefits register lists
RESULTS = {"person": "scan_results_person", "household": "scan_results_household"}
# Family Benefits Act: child benefit and the birth grant go to the mother, else the
# father. (Country knowledge: it belongs in the pack, beside the rules.)
PARENT_CLAIMED = frozenset({"birth-grant", "child-benefit"})
# (label, lowest age) of each band, youngest first
AGE_BANDS = (("under_30", 0), ("30_44", 30), ("45_64", 45), ("65_74", 65), ("75_plus", 75))


@dataclass(frozen=True)
class Service:
    """A service the rules decide, and how the scan reads its result."""

    service: str  # the catalogue id
    variable: str
    label: LocalText
    entity: str  # "person" or a group kind
    kind: Kind
    eligible: str | None  # the yes/no variable saying who is entitled, when there is one
    recorded: bool  # the benefits register lists it

    @property
    def per_household(self) -> bool:
        return self.entity != PERSON


def services(rules: RuleBook, recorded: Collection[str]) -> tuple[Service, ...]:
    """The services of the rules, in the order of their ids."""
    found: dict[str, Service] = {}
    for declared in rules.benefits():
        service = declared.service or ""
        if service in found:
            continue
        eligible = rules.variables.get(f"{declared.name}_eligible")
        usable = eligible and eligible.entity == declared.entity and eligible.type.kind is Kind.BOOL
        found[service] = Service(
            service=service,
            variable=declared.name,
            label=declared.label,
            entity=declared.entity,
            kind=declared.type.kind,
            eligible=eligible.name if usable and eligible else None,
            recorded=service in recorded,
        )
    return tuple(found[name] for name in sorted(found))


def variables(found: Sequence[Service]) -> list[str]:
    """The variables the rules must compute for these services."""
    names = [s.variable for s in found] + [s.eligible for s in found if s.eligible]
    return sorted(set(names))


def create_claims(
    con: duckdb.DuckDBPyConnection, found: Sequence[Service], period: Period, benefits: str
) -> pa.Table:
    """Register ``scan_claims`` (and ``scan_listed``, the benefits register's
    enrolments by service and beneficiary) from the results registered as
    :data:`RESULTS`; the claims."""
    bands = " ".join(
        f"WHEN age >= {lowest} THEN {code}"
        for code, (_, lowest) in reversed(list(enumerate(AGE_BANDS)))
    )
    recorded = _listed(s.service for s in found if s.recorded)
    per_household = _listed(s.service for s in found if s.per_household)
    listed = _LISTED.format(
        benefits="read_parquet('" + benefits.replace("'", "''") + "')",
        persons=PERSONS,
        per_household=per_household,
    )
    con.register(LISTED, con.sql(listed).to_arrow_table())
    claims = con.sql(
        _CLAIMS.format(
            listed=LISTED,
            found=_found(found),
            start=f"DATE '{period.start.isoformat()}'",
            bands=bands,
            recorded=recorded,
            per_household=per_household,
        )
    )
    table = claims.to_arrow_table()
    con.register(CLAIMS, table)
    return table


def _found(found: Sequence[Service]) -> str:
    """Every service's entitled (or undetermined) beneficiaries: one join of each entity's
    results with the people or households, then a SELECT per service."""
    people = [s for s in found if not s.per_household]
    homes = [s for s in found if s.per_household]
    ctes, parts = [], []
    if people:
        ctes.append(
            "p AS MATERIALIZED (SELECT r.*, p.national_id, p.household_id, "
            "CASE WHEN p.child THEN h.parent ELSE p.national_id END AS claimant, "
            "CASE WHEN p.child THEN h.parent_born ELSE p.birth_day END AS claimant_born, "
            f"{_GROUPS} "
            f"FROM {RESULTS['person']} r JOIN {PERSONS} p ON p.national_id = r.person_id "
            f"JOIN {HOUSEHOLDS} h ON h.household_id = p.household_id "
            f"WHERE {' OR '.join(_entitled(s) + ' IS NOT false' for s in people)})"
        )
        parts += [
            f"SELECT '{s.service}' AS service, national_id, claimant, claimant_born, "
            f"household_id, {_amount(s)} AS amount_cents, {_entitled(s)} AS entitled, "
            f"{_GROUP_CODES} FROM p WHERE {_entitled(s)} IS NOT false"
            for s in people
        ]
    if homes:
        ctes.append(
            "h AS MATERIALIZED (SELECT r.*, h.reference, h.reference_born, h.parent, "
            f"h.parent_born, {_GROUPS} FROM {RESULTS['household']} r "
            f"JOIN {HOUSEHOLDS} h ON h.household_id = r.household_id "
            f"WHERE {' OR '.join(_entitled(s) + ' IS NOT false' for s in homes)})"
        )
        for s in homes:
            who = "parent" if s.service in PARENT_CLAIMED else "reference"
            parts.append(
                f"SELECT '{s.service}' AS service, {who} AS national_id, {who} AS claimant, "
                f"{who}_born AS claimant_born, household_id, {_amount(s)} AS amount_cents, "
                f"{_entitled(s)} AS entitled, {_GROUP_CODES} "
                f"FROM h WHERE {_entitled(s)} IS NOT false"
            )
    if not parts:
        return (
            "WITH f AS (SELECT NULL::VARCHAR AS service, NULL::BIGINT AS national_id, "
            "NULL::BIGINT AS claimant, NULL::INTEGER AS claimant_born, "
            "NULL::BIGINT AS household_id, NULL::BIGINT AS amount_cents, "
            "NULL::BOOLEAN AS entitled, NULL::SMALLINT AS region_code, "
            "NULL::TINYINT AS type_code, NULL::TINYINT AS income_decile) "
            "SELECT * FROM f WHERE false"
        )
    return f"WITH {', '.join(ctes)} {' UNION ALL '.join(parts)}"


_GROUP_CODES = "region_code, type_code, income_decile"
_GROUPS = "h.region_code, h.type_code, h.income_decile"


def _entitled(service: Service) -> str:
    """The SQL saying whether a result row is entitled (NULL: undetermined)."""
    if service.eligible:
        return service.eligible
    if service.kind is Kind.BOOL:
        return service.variable
    return f"({service.variable} > 0)"


def _amount(service: Service) -> str:
    return service.variable if service.kind is Kind.MONEY else "NULL::BIGINT"


def _listed(services: Iterable[str]) -> str:
    return ", ".join(f"'{service}'" for service in services) or "NULL"


# Enrolments: by person for a person's service, by household for a household's.
_LISTED = """
SELECT DISTINCT b.benefit::VARCHAR AS service,
       CASE WHEN b.benefit::VARCHAR IN ({per_household}) THEN p.household_id
            ELSE p.national_id END AS unit
FROM {benefits} b JOIN {persons} p ON p.national_id = b.national_id
"""

_CLAIMS = """
WITH found AS ({found}),
aged AS (
  SELECT f.*, date_sub('year', DATE '1970-01-01' + f.claimant_born::INTEGER, {start}) AS age
  FROM found f
)
SELECT a.service, a.national_id, a.claimant, a.household_id, a.amount_cents,
       coalesce(a.entitled, false) AS entitled, a.entitled IS NULL AS undetermined,
       CASE WHEN a.service NOT IN ({recorded}) THEN NULL
            ELSE l.unit IS NOT NULL END AS enrolled,
       a.region_code, (CASE {bands} END)::TINYINT AS age_code, a.type_code, a.income_decile
FROM aged a
LEFT JOIN {listed} l ON l.service = a.service
  AND l.unit = CASE WHEN a.service IN ({per_household}) THEN a.household_id
                    ELSE a.national_id END
"""
