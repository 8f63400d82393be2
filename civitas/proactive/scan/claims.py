"""Who the rules find entitled to each service, who claims it, and whether they receive it.

One claim per entitled (or undetermined) beneficiary and service:

- A service is decided by its result variable (the first, by name, linked to it in
  the rules). Where the rules also have ``<variable>_eligible`` (a yes or no of the
  same entity) it says who is entitled, so that an amount the registers cannot give (a
  crèche's fee) leaves the amount unknown, not the entitlement; otherwise a positive
  amount (or a yes) is an entitlement. *Undetermined*: the rules could not decide.
- The **beneficiary** of a person's service is the person; of a household's service,
  its claimant. The **claimant** applies: the beneficiary, except for a child (a
  child's school meals), for whom the household's parent claims; a household's
  service is claimed by its reference person, or, for the services the pack's
  ``proactive.yaml`` lists as ``claimed_by_parent``, by its parent (see
  :mod:`.households`).
- **Enrolled**: see :mod:`.enrolment`. Services the register does not list (one-off
  grants, the municipality's crèche subsidy) are *not recorded*: None, never guessed.
- Groups, as codes: the household's region, type and income decile; the claimant's age
  band (a position in :data:`AGE_BANDS`, -1 when the birth date is not known) on the
  month's first day.

The rules' results are read by the ids the scan gave them (a person's row, a
household's number), so each claim's person and household are found by position.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.core.text import LocalText
from civitas.proactive.household import years_before
from civitas.proactive.scan.enrolment import Enrolment
from civitas.proactive.scan.families import NO_DAY, Ints
from civitas.proactive.scan.people import EPOCH
from civitas.proactive.scan.population import Population
from civitas.rules import PERSON, Kind, Period, RuleBook

# (label, lowest age) of each band, youngest first
AGE_BANDS = (("under_30", 0), ("30_44", 30), ("45_64", 45), ("65_74", 65), ("75_plus", 75))
NO_BAND = -1


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
    by_parent: bool = False  # a household's service that its parent claims

    @property
    def per_household(self) -> bool:
        return self.entity != PERSON


# A claim's state: entitled and enrolled, entitled and not (or not recorded), undetermined
ENROLLED, MISSED, UNDETERMINED = 0, 1, 2
STATES = 3


@dataclass(frozen=True, eq=False)
class Results:
    """The rules' results for one entity, and each row's id as a position (a person's
    row, a household's number)."""

    table: pa.Table
    ids: npt.NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class Claims:
    """A service's claims: one entry per entitled or undetermined beneficiary."""

    service: Service
    national_id: Ints  # the beneficiary
    claimant: Ints
    household: npt.NDArray[np.intp]  # the household's number
    amount: pa.Array  # int64 cents a month, NULL when unknown or not money
    state: npt.NDArray[np.int8]  # ENROLLED, MISSED or UNDETERMINED
    age_code: npt.NDArray[np.int8]

    def __len__(self) -> int:
        return len(self.national_id)


def services(
    rules: RuleBook, recorded: Collection[str], by_parent: Collection[str] = ()
) -> tuple[Service, ...]:
    """The services of the rules, in the order of their ids; ``recorded`` are those the
    benefits register lists, ``by_parent`` those a household's parent claims."""
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
            by_parent=service in by_parent,
        )
    return tuple(found[name] for name in sorted(found))


def variables(found: Sequence[Service]) -> list[str]:
    """The variables the rules must compute for these services."""
    names = [s.variable for s in found] + [s.eligible for s in found if s.eligible]
    return sorted(set(names))


def results(table: pa.Table, id_column: str) -> Results:
    """The rules' results of an entity, identified by the scan's positions."""
    ids = np.asarray(table.column(id_column).to_numpy(), dtype=np.intp)
    return Results(table, ids)


def claims(
    service: Service,
    found: Results,
    population: Population,
    enrolment: Enrolment,
    period: Period,
) -> Claims:
    """The claims of ``service`` from the rules' results of its entity."""
    decided = _entitled(service, found.table)
    kept = np.flatnonzero(np.asarray(pc.fill_null(decided, True), dtype=np.bool_))
    position = found.ids[kept]
    homes = population.homes
    if service.per_household:
        household = position
        parent = service.by_parent
        national_id = (homes.parent if parent else homes.reference)[household]
        claimant = national_id
        born = (homes.parent_born if parent else homes.reference_born)[household]
    else:
        household = population.found.home[position].astype(np.intp)
        national_id = population.national_id[position]
        child = population.found.child[position]
        claimant = np.where(child, homes.parent[household], national_id)
        born = np.where(child, homes.parent_born[household], population.birth_day[position])
    state = np.where(decided.is_valid().to_numpy(zero_copy_only=False)[kept], MISSED, UNDETERMINED)
    listed = enrolment.listed.get(service.service) if service.recorded else None
    if listed is not None:
        state[(state == MISSED) & listed[position]] = ENROLLED
    chosen = pa.array(kept)
    amount = (
        found.table.column(service.variable).take(chosen).combine_chunks()
        if service.kind is Kind.MONEY
        else pa.nulls(len(kept), pa.int64())
    )
    return Claims(
        service=service,
        national_id=national_id,
        claimant=claimant,
        household=household,
        amount=amount,
        state=state.astype(np.int8),
        age_code=age_codes(born, period),
    )


def age_codes(born: npt.NDArray[np.int32], period: Period) -> npt.NDArray[np.int8]:
    """The age band of people born on ``born`` (days since 1970) on the month's first
    day: full years then (as SQL's date_sub), -1 when the birth day is not known."""
    # the last birth day of each band but the first, oldest first: a person is in band
    # k when born on or before k of them
    limits = np.array(
        [(years_before(period.start, lowest) - EPOCH).days for _, lowest in AGE_BANDS[:0:-1]],
        dtype=np.int32,
    )
    band = len(limits) - np.searchsorted(limits, born, side="left")
    return np.where(born == NO_DAY, NO_BAND, band).astype(np.int8)


def _entitled(service: Service, results: pa.Table) -> pa.Array:
    """Whether each result row is entitled (NULL: undetermined)."""
    if service.eligible:
        column = results.column(service.eligible)
    elif service.kind is Kind.BOOL:
        column = results.column(service.variable)
    else:
        column = pc.greater(results.column(service.variable), 0)
    return column.combine_chunks()
