"""What a take-up scan finds: per service, per group, each person missed, and how well.

Plain frozen dataclasses, no I/O: the report, the files and the offer sink read them.
Counts are of beneficiaries: people for a person's service, households for a
household's. ``enrolled`` and ``gap`` are None for a service whose enrolment no
register records (a one-off grant): the scan does not guess them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from civitas.core.text import LocalText
from civitas.notifications import PostalAddress

GROUPINGS = ("region", "age_band", "household_type", "income_decile")
TOTAL = "all"  # the grouping (and group) of a service's totals in the take-up table


@dataclass(frozen=True)
class TakeUp:
    """Entitlement and enrolment of one service in one group (or in all)."""

    service: str
    grouping: str  # one of GROUPINGS, or TOTAL
    group: str  # a region code, an age band, a household type, a decile "1".."10"
    entitled: int
    enrolled: int | None  # entitled and receiving it; None: enrolment not recorded
    gap: int | None  # entitled but not enrolled
    gap_amount_cents: int | None  # what the gap would get a month (money services)
    undetermined: int  # the rules could not decide for lack of data

    @property
    def take_up_rate(self) -> float | None:
        if self.enrolled is None or not self.entitled:
            return None
        return self.enrolled / self.entitled


@dataclass(frozen=True)
class ServiceSummary:
    """One service over the whole population."""

    service: str
    label: LocalText
    per_household: bool
    recorded: bool  # the benefits register records its enrolment
    total: TakeUp
    enrolled_not_entitled: int | None  # listed by the register, not entitled by the rules
    groups: tuple[TakeUp, ...]  # by each grouping, in GROUPINGS order


@dataclass(frozen=True)
class GapRow:
    """One beneficiary entitled to a service but not enrolled: who an offer is for."""

    service: str
    national_id: str  # the beneficiary (nine digits): a person, or a household's claimant
    claimant_national_id: str  # who applies: a parent for a child
    household: str  # the household's id (its smallest national number)
    amount_cents: int | None  # a month, for money services
    region: str | None  # None: no address record
    age_band: str | None  # of the claimant; None: their birth date is not known
    household_type: str
    income_decile: int  # 1 (lowest) to 10
    recipient_name: str = ""  # the claimant's name (known when offers are sent)
    address: PostalAddress | None = None  # where their letter goes; None: not known


@dataclass(frozen=True)
class Agreement:
    """How the scan's "entitled but not enrolled" matches the hidden truth's."""

    service: str
    unit: str  # "person" or "household": what is matched
    found: int  # by the scan
    true: int  # in the truth
    both: int

    @property
    def precision(self) -> float | None:
        return self.both / self.found if self.found else None

    @property
    def recall(self) -> float | None:
        return self.both / self.true if self.true else None


@dataclass(frozen=True)
class TruthCheck:
    """Precision and recall per service and over all of them."""

    services: tuple[Agreement, ...]

    @property
    def overall(self) -> Agreement:
        return Agreement(
            service=TOTAL,
            unit="",
            found=sum(a.found for a in self.services),
            true=sum(a.true for a in self.services),
            both=sum(a.both for a in self.services),
        )


@dataclass(frozen=True)
class ScanResult:
    """A whole scan, as the report shows it."""

    month: str
    country: Path
    as_of: dt.date  # the day the registers describe
    people: int
    households: int
    services: tuple[ServiceSummary, ...]
    unknown_inputs: tuple[str, ...]  # the rules' inputs no register holds
    truth: TruthCheck | None
    seconds: float
