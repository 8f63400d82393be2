"""Registers and feeds for the proactive tests: households written by hand, no network."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from civitas.notifications import PostalAddress
from civitas.proactive.domain import ChangeEvent, DataUsed, Who
from civitas.proactive.ports import Concerned, FeedPage, Household, UnknownPerson
from civitas.rules import Period

MOTHER = "111111118"
FATHER = "222222226"
BABY = "100000009"  # the smallest: the household is named after the baby
RETIREE = "444444442"


def person(birth: str, income_cents: int | None = None, **inputs: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"birth_date": birth, **inputs}
    if income_cents is not None:
        found["monthly_income"] = f"{income_cents / 100:.2f}"
    return found


def household(
    claimant: str,
    adults: Mapping[str, dict[str, Any]],
    children: Mapping[str, dict[str, Any]] = {},
    enrolled: frozenset[tuple[str, str]] = frozenset(),
) -> Household:
    return Household(
        claimant=claimant,
        payee=claimant,
        situation={
            "persons": {**adults, **children},
            # the group is named by its smallest national number, as the registers' mapping does
            "households": {
                min((*adults, *children)): {"adult": list(adults), "child": list(children)}
            },
        },
        adults=frozenset(adults),
        national_ids={member: member for member in (*adults, *children)},
        enrolled=enrolled,
        data_used=(DataUsed("civil-registry/population", "person", claimant, "msg-1"),),
        names={member: f"Person {member}" for member in (*adults, *children)},
        address=PostalAddress("Ana Silva", "Rua Nova", "12", "1000-001", "VLD-SV"),
    )


def event(
    kind: str,
    national_id: str,
    *,
    registry: str = "population",
    seq: int = 1,
    on: dt.date = dt.date(2026, 3, 10),
    changes: Mapping[str, object] | None = None,
) -> ChangeEvent:
    return ChangeEvent(registry, seq, on, kind, national_id, national_id, dict(changes or {}))


@dataclass
class FakeRegisters:
    """Households by national id; a birth concerns the baby's parents, a death the
    next of kin of ``kin``."""

    households: dict[str, Household] = field(default_factory=dict)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kin: dict[str, Concerned] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    async def concerned(self, who: Who, event: ChangeEvent, case: str) -> list[Concerned]:
        if who is Who.PARENTS:
            if event.national_id not in self.parents:
                raise UnknownPerson(event.national_id)
            return [Concerned(p, p) for p in self.parents[event.national_id]]
        if who is Who.NEXT_OF_KIN and event.national_id in self.kin:
            return [self.kin[event.national_id]]
        return [Concerned(event.national_id, event.national_id)]

    async def household(self, national_id: str, period: Period, case: str) -> Household:
        self.asked.append(national_id)
        if national_id not in self.households:
            raise UnknownPerson(national_id)
        return self.households[national_id]


@dataclass
class FakeFeeds:
    """Feeds of events written by a test; the cursor is the last seq given."""

    events: dict[str, list[ChangeEvent]] = field(default_factory=dict)
    reads: int = 0

    @property
    def registries(self) -> Sequence[str]:
        return tuple(self.events)

    async def page(self, registry: str, after: str | None, limit: int) -> FeedPage:
        self.reads += 1
        start = int(after or 0)
        found = [e for e in self.events[registry] if e.seq > start][:limit]
        last = found[-1].seq if found else start
        more = any(e.seq > last for e in self.events[registry])
        return FeedPage(found, str(last), more)
