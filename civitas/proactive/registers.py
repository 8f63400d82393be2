"""The registers, asked through the once-only exchange: who an event concerns, and their home.

Every look-up is a signed call of ``civil-registry/proactive`` for the purpose
``proactive-services`` with the event's key as the case, so each person sees in "who
used my data" which register told the proactive services what, and why. The household
is put together as :mod:`civitas.proactive.household` says (the same mapping the
take-up scan runs in SQL) from the records of the person, their partner and children.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from civitas.exchange import ExchangeClient
from civitas.notifications import PostalAddress
from civitas.proactive.domain import ChangeEvent, DataUsed, Who
from civitas.proactive.feeds import PURPOSE
from civitas.proactive.household import (
    ADULT_AGE,
    HouseholdRecords,
    PersonRecords,
    household_situation,
)
from civitas.proactive.places import postal_address
from civitas.proactive.ports import Concerned, Household, UnknownPerson
from civitas.registries import ask_registry
from civitas.rules import Period

POPULATION = "population"
# the registers a person's records come from, by the field of PersonRecords they fill
OTHER_REGISTERS = {
    "address": "addresses",
    "tax": "tax",
    "social_security": "social-security",
    "education": "education",
    "benefits": "benefits",
}
Record = dict[str, Any]


class ExchangeRegisters:
    def __init__(
        self,
        exchange: Callable[[], ExchangeClient],
        parties: Mapping[str, str],
        municipalities: Mapping[str, str] | None = None,
    ) -> None:
        self.exchange = exchange
        self.parties = dict(parties)  # registry id -> member/subsystem
        self.municipalities = dict(municipalities or {})  # code -> name, for letters

    async def concerned(self, who: Who, event: ChangeEvent, case: str) -> list[Concerned]:
        nid = event.national_id
        if who is Who.PERSON:
            return [Concerned(nid, nid)]
        if who is Who.GUARDIAN:
            guardian = event.changes.get("guardian_national_id")
            if guardian is None:
                found = await self._one("education", nid, case, [])
                guardian = (found or {}).get("guardian_national_id")
            return [Concerned(str(guardian), str(guardian))] if guardian else []
        person = await self._one(POPULATION, nid, case, [])
        if person is None:
            raise UnknownPerson(nid)
        parents = _parents(person)
        if who is Who.PARENTS:
            return [Concerned(parent, parent) for parent in parents]
        kin = await self._next_of_kin(person, parents, event.occurred_on, case)
        if kin is None:
            return []
        told = str(kin["national_id"])
        home = await self._one(OTHER_REGISTERS["address"], told, case, [])
        return [Concerned(nid, told, _name(kin), self._address(kin, home))]

    async def _next_of_kin(
        self, person: Record, parents: list[str], on: dt.date, case: str
    ) -> Record | None:
        """The population record of the eldest adult child, else of a parent alive."""
        children = await self._related(str(person["national_id"]), case, [])
        grown = sorted(
            (c for c in children if _alive(c) and _age(c, on) >= ADULT_AGE),
            key=lambda c: str(c.get("birth_date")),
        )
        if grown:
            return grown[0]
        for parent in parents:
            found = await self._one(POPULATION, parent, case, [])
            if found is not None and _alive(found):
                return found
        return None

    async def household(self, national_id: str, period: Period, case: str) -> Household:
        used: list[DataUsed] = []
        person = await self._one(POPULATION, national_id, case, used)
        if person is None:
            raise UnknownPerson(national_id)
        partner_id = person.get("partner_national_id")
        partner = await self._one(POPULATION, str(partner_id), case, used) if partner_id else None
        children = await self._related(national_id, case, used)
        if partner_id:
            known = {str(c["national_id"]) for c in children}
            more = await self._related(str(partner_id), case, used)
            children += [c for c in more if str(c["national_id"]) not in known]
        everyone = [person, *([partner] if partner else []), *children]
        filled = await asyncio.gather(*(self._records_of(p, case, used) for p in everyone))
        records = HouseholdRecords(
            claimant=filled[0],
            partner=filled[1] if partner else None,
            children=tuple(filled[2:] if partner else filled[1:]),
        )
        situation = household_situation(records, period)
        (group,) = situation["households"].values()
        adults = frozenset(group.get("adult", ()))
        members = [*adults, *group.get("child", ())]
        by_id = {str(r.national_id): r for r in filled}
        enrolled = frozenset(
            (str(b.get("benefit")), member) for member in members for b in by_id[member].benefits
        )
        return Household(
            claimant=national_id,
            situation=situation,
            adults=adults,
            national_ids={member: member for member in members},
            enrolled=enrolled,
            data_used=tuple(used),
            names={member: _name(by_id[member].population) for member in members},
            address=self._address(person, filled[0].address),
            payee=_payee(situation, adults, by_id, national_id),
        )

    def _address(
        self, person: Mapping[str, Any], address: Mapping[str, Any] | None
    ) -> PostalAddress | None:
        return postal_address(_name(person), address, self.municipalities)

    async def _records_of(self, person: Record, case: str, used: list[DataUsed]) -> PersonRecords:
        nid = str(person["national_id"])
        names = list(OTHER_REGISTERS)
        found = await asyncio.gather(
            *(self._all(OTHER_REGISTERS[name], nid, case, used) for name in names)
        )
        by_name = dict(zip(names, found, strict=True))
        first = {k: (v[0] if v else None) for k, v in by_name.items() if k != "benefits"}
        return PersonRecords(population=person, benefits=tuple(by_name["benefits"]), **first)

    async def _one(
        self, registry: str, national_id: str, case: str, used: list[DataUsed]
    ) -> Record | None:
        found = await self._all(registry, national_id, case, used)
        return found[0] if found else None

    async def _all(
        self,
        registry: str,
        national_id: str,
        case: str,
        used: list[DataUsed],
        service: str = "person",
    ) -> list[Record]:
        party = self.parties.get(registry)
        if party is None:
            return []  # a pack without this register: its facts stay unknown
        client = self.exchange()
        answer = await ask_registry(
            client,
            f"{party}/{service}",
            national_id,
            purpose=PURPOSE,
            user=str(client.consumer.me),
            case=case,
        )
        if answer.records:
            used.append(DataUsed(party, service, national_id, answer.message_id))
        return answer.records

    async def _related(self, national_id: str, case: str, used: list[DataUsed]) -> list[Record]:
        return await self._all(POPULATION, national_id, case, used, service="related")


def _parents(person: Mapping[str, Any]) -> list[str]:
    found = (person.get("mother_national_id"), person.get("father_national_id"))
    return [str(p) for p in found if p]


def _alive(person: Mapping[str, Any]) -> bool:
    return not person.get("death_date")


def _age(person: Mapping[str, Any], on: dt.date) -> int:
    born = dt.date.fromisoformat(str(person.get("birth_date")))
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _name(person: Mapping[str, Any]) -> str:
    return f"{person.get('first_name', '')} {person.get('family_name', '')}".strip()


def _payee(
    situation: Mapping[str, Any],
    adults: frozenset[str],
    records: Mapping[str, PersonRecords],
    claimant: str,
) -> str:
    """Who is paid a household's benefit: a mother with a child at home, else a parent, else
    the person checked; the same whoever's event led here, so a decision is made once."""
    persons = situation["persons"]

    def rank(member: str) -> tuple[bool, bool, str]:
        parent = bool(persons.get(member, {}).get("has_child_at_home"))
        return (not parent, records[member].population.get("sex") != "F", member)

    return min(adults, key=rank) if adults else claimant
