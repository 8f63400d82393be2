"""Handling change events: from a life event to decisions, each with its reasons.

For each event the handler finds the triggers it matches, asks the registers (through
the exchange) who it concerns and what their household is, runs the rules for the
services of the life event, and decides by each service's delivery mode. It writes
nothing itself: what it decided is *settled* by the store in one transaction with the
event marked handled, so a worker killed at any point handles the event again from
the start and the decision keys keep it from counting twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from civitas.core.clock import Clock
from civitas.core.errors import CivitasError, ExternalServiceUnavailable
from civitas.notifications import Notice, PostalAddress
from civitas.proactive.assess import assess
from civitas.proactive.domain import (
    Action,
    Assessment,
    ChangeEvent,
    Decision,
    Trigger,
    Who,
    action_for,
    decision_id,
    decision_key,
    initial_state,
    stops_a_repeat,
)
from civitas.proactive.ports import (
    Concerned,
    DecisionStore,
    Household,
    Registers,
    Settled,
    UnknownPerson,
)
from civitas.rules import Period, RuleBook

log = logging.getLogger("civitas.proactive")

TEMPLATES = {
    Action.GRANTED: "benefit-granted",
    Action.OFFERED: "offer-made",
    Action.SUGGESTED: "service-suggested",
    Action.NEEDS_INFORMATION: "information-needed",
}


@dataclass(frozen=True)
class Plan:
    """What the country pack and the catalogue say the proactive services do."""

    triggers: tuple[Trigger, ...]
    services: Mapping[str, tuple[str, ...]]  # life event id -> its services, in order
    delivery: Mapping[str, str]  # service id -> delivery mode
    names: Mapping[str, Mapping[str, str]]  # service id -> name per language
    once_per_event: frozenset[str] = frozenset()
    client: str = "civil-registry/proactive"  # the exchange subsystem that asks the registers


class EventHandler:
    """Decides what each change event calls for; the store keeps it."""

    def __init__(
        self,
        plan: Plan,
        rules: RuleBook,
        registers: Registers,
        store: DecisionStore,
        clock: Clock,
        concurrency: int = 16,
    ) -> None:
        self.plan = plan
        self.rules = rules
        self.registers = registers
        self.store = store
        self.clock = clock
        self._limit = asyncio.Semaphore(concurrency)

    async def handle(self, events: Sequence[ChangeEvent]) -> list[Settled]:
        """What each event comes to, in the order given (nothing is written)."""
        settled = await asyncio.gather(*(self._guarded(event) for event in events))
        return _without_repeats(settled)

    async def _guarded(self, event: ChangeEvent) -> Settled:
        async with self._limit:
            try:
                return await self.one(event)
            except ExternalServiceUnavailable:
                raise  # a register is down: the whole batch waits for the next round
            except CivitasError as error:  # bad data, a refusal: kept with why, for staff
                log.warning("event %s could not be handled: %s", event.key, error)
                return Settled(event, outcome="failed", problem=error.render()[0])

    async def one(self, event: ChangeEvent) -> Settled:
        triggers = [t for t in self.plan.triggers if t.matches(event)]
        if not triggers:
            return Settled(event, outcome="no life event")
        if not event.national_id:
            return Settled(event, problem="The register gave no national number: nobody to check.")
        period = Period.month(event.occurred_on.year, event.occurred_on.month)
        decisions: list[Decision] = []
        notices: dict[str, Notice] = {}
        problems: list[str] = []
        checked: set[str] = set()
        for trigger in triggers:
            try:
                concerned = await self.registers.concerned(trigger.who, event, event.key)
            except UnknownPerson as unknown:
                problems.append(f"{unknown.national_id} is not on the population register.")
                continue
            if not concerned:
                problems.append(f"Nobody to tell for {trigger.life_event} ({trigger.who}).")
            for person in _unique_subjects(concerned):
                if person.subject in checked:
                    continue  # the other parent: the same household, checked already
                try:
                    household = await self.registers.household(person.subject, period, event.key)
                except UnknownPerson as unknown:
                    problems.append(f"{unknown.national_id} is not on the population register.")
                    continue
                checked |= set(household.national_ids.values())
                made = self._decide(event, trigger, person, household, period)
                decisions += made
                notices |= {d.id: self._notice(d, household, person) for d in made}
        decisions = list({d.key: d for d in decisions}.values())
        told = tuple(notices[d.id] for d in decisions)
        outcome = f"{trigger_names(triggers)}: {len(decisions)} decision(s)"
        return Settled(event, tuple(decisions), told, outcome, " ".join(problems))

    def _decide(
        self,
        event: ChangeEvent,
        trigger: Trigger,
        person: Concerned,
        household: Household,
        period: Period,
    ) -> list[Decision]:
        services = self.plan.services.get(trigger.life_event, ())
        found = assess(self.rules, household.situation, period, services, household.claimant)
        beneficiaries = [self._beneficiary(a, household) for a in found]
        history = self.store.history(sorted({b for b in beneficiaries if b}))
        made = []
        for assessment, beneficiary in zip(found, beneficiaries, strict=True):
            action = action_for(self.plan.delivery.get(assessment.service, ""), assessment.status)
            if action is None or not beneficiary:
                continue
            if not self._may_act(assessment, beneficiary, action, household, history, period):
                continue
            told = self._told(assessment, household, person)
            made.append(
                self._decision(
                    event, trigger, assessment, beneficiary, told, action, household, period
                )
            )
        return made

    def _beneficiary(self, assessment: Assessment, household: Household) -> str:
        member = assessment.member if assessment.for_person else household.payee
        return household.national_ids.get(member, "")  # a group's service: its payee

    def _told(self, assessment: Assessment, household: Household, person: Concerned) -> str:
        if person.told != person.subject:
            return person.told  # a death: the next of kin
        if assessment.for_person and assessment.member in household.adults:
            return household.national_ids[assessment.member]
        return household.national_ids[household.payee]  # a child's or the home's: the payee

    def _may_act(
        self,
        assessment: Assessment,
        beneficiary: str,
        action: Action,
        household: Household,
        history: Sequence[Decision],
        period: Period,
    ) -> bool:
        others = household.adults - {household.claimant}
        other_adult = assessment.for_person and assessment.member in others
        if action is Action.NEEDS_INFORMATION and other_adult:
            return False  # another adult is asked at their own life event
        receivers = (
            (beneficiary,)
            if assessment.for_person
            else household.national_ids.values()  # a household's benefit: anyone in it
        )
        if any((assessment.service, r) in household.enrolled for r in receivers):
            return False  # already receiving it
        once = assessment.service in self.plan.once_per_event
        for earlier in history:
            if earlier.service != assessment.service or earlier.beneficiary != beneficiary:
                continue
            if not once and stops_a_repeat(earlier):
                return False  # an open offer, an application, a "no thank you", a grant
            if once and earlier.period == str(period) and earlier.action is action:
                return False
        return True

    def _decision(
        self,
        event: ChangeEvent,
        trigger: Trigger,
        assessment: Assessment,
        beneficiary: str,
        told: str,
        action: Action,
        household: Household,
        period: Period,
    ) -> Decision:
        once = assessment.service in self.plan.once_per_event
        cause = event.key if once else str(period)
        key = decision_key(assessment.service, beneficiary, cause)
        return Decision(
            id=decision_id(key),
            key=key,
            national_id=told,
            beneficiary=beneficiary,
            service=assessment.service,
            life_event=trigger.life_event,
            action=action,
            period=str(period),
            cause=event.key,
            amount_cents=assessment.amount_cents,
            reasons=assessment.reasons,
            missing=assessment.missing,
            data_used=household.data_used,
            trace=assessment.trace,
            decided_at=self.clock.now(),
            state=initial_state(action),
        )

    def _notice(self, decision: Decision, household: Household, person: Concerned) -> Notice:
        name = household.names.get(decision.national_id)
        if name is not None:  # someone of the household: its home, in their name
            home = household.address
            address = replace(home, name=name or home.name) if home else None
        elif decision.national_id == person.told:  # a next of kin elsewhere: their own home
            name, address = person.told_name, person.told_address
        else:
            name, address = "", None
        return notice_of(decision, self.plan.names.get(decision.service, {}), name, address)


def notice_of(
    decision: Decision,
    service_name: Mapping[str, str],
    name: str,
    address: PostalAddress | None = None,
) -> Notice:
    """The message that tells the person about a decision."""
    languages = set(service_name) or {"en"}
    reasons = {
        lang: " ".join(r.label.get(lang, "") for r in decision.reasons if r.met)
        for lang in languages
    }
    missing = {lang: ", ".join(m.get(lang, "") for m in decision.missing) for lang in languages}
    params: dict[str, str | int | Mapping[str, str]] = {
        "name": name,
        "service": dict(service_name),
        "amount_cents": decision.amount_cents or 0,
        "reason": reasons,
        "missing": missing,
    }
    return Notice(
        key=f"decision:{decision.id}",
        national_id=decision.national_id,
        template=TEMPLATES[decision.action],
        params=params,
        link=f"/inbox/{decision.id}",
        address=address,
    )


def trigger_names(triggers: Sequence[Trigger]) -> str:
    return ", ".join(dict.fromkeys(t.life_event for t in triggers))


def _unique_subjects(concerned: Sequence[Concerned]) -> list[Concerned]:
    return list({c.subject: c for c in concerned}.values())


def _without_repeats(settled: Sequence[Settled]) -> list[Settled]:
    """Drop a decision a batch made twice (two events, one household), keeping the first."""
    seen: set[tuple[str, str, str]] = set()
    result = []
    for one in settled:
        kept = []
        for decision in one.decisions:
            mark = (decision.service, decision.beneficiary, decision.period)
            if mark not in seen:
                seen.add(mark)
                kept.append(decision)
        ids = {f"decision:{d.id}" for d in kept}
        notices = tuple(n for n in one.notices if n.key in ids)
        result.append(Settled(one.event, tuple(kept), notices, one.outcome, one.problem))
    return result


__all__ = ["EventHandler", "Plan", "Who", "notice_of"]
