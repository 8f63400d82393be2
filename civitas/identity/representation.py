"""Acting for someone else: granting, accepting and revoking mandates; who one may act for.

The use cases over the mandate store and what the base registries say about families
and companies (the :class:`Relations` port, answered through the once-only exchange).
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import replace

from civitas.core.clock import Clock
from civitas.core.errors import NotAllowed, RuleBroken
from civitas.core.i18n import N_
from civitas.identity.domain import Person
from civitas.identity.mandates import (
    Act,
    ActingFor,
    Ground,
    Mandate,
    MandateState,
    Representation,
    cannot_act,
    check_new_mandate,
    no_such_mandate,
    not_your_mandate,
)
from civitas.identity.ports import MandateStore, Relations


class Mandates:
    def __init__(
        self,
        store: MandateStore,
        relations: Relations,
        clock: Clock,
        known_services: frozenset[str],
    ) -> None:
        self.store = store
        self.relations = relations
        self.clock = clock
        self.known_services = known_services

    def today(self) -> dt.date:
        return self.clock.now().date()

    # -- granted mandates ------------------------------------------------------------

    def grant(
        self,
        grantor: Person,
        delegate: str,
        services: Sequence[str],
        valid_until: dt.date | None,
    ) -> Mandate:
        """Offer a mandate; it counts once the delegate accepts it."""
        chosen = tuple(dict.fromkeys(services))
        until = check_new_mandate(
            grantor.national_id,
            delegate.strip(),
            chosen,
            valid_until,
            self.today(),
            self.known_services,
        )
        now = self.clock.now()
        mandate = Mandate(
            id=secrets.token_hex(8),
            grantor=grantor.national_id,
            grantor_name=grantor.name,
            delegate=delegate.strip(),
            delegate_name="",
            services=chosen,
            valid_until=until,
            state=MandateState.OFFERED,
            created_at=now,
            changed_at=now,
            changed_by=grantor.national_id,
        )
        self.store.add(mandate)
        return mandate

    def accept(self, delegate: Person, mandate_id: str) -> Mandate:
        return self._answer(delegate, mandate_id, MandateState.ACCEPTED)

    def decline(self, delegate: Person, mandate_id: str) -> Mandate:
        return self._answer(delegate, mandate_id, MandateState.DECLINED)

    def revoke(self, by: Person, mandate_id: str) -> Mandate:
        """End a mandate: the person represented or the delegate may, at any time."""
        mandate = self._of(by, mandate_id)
        if mandate.state_on(self.today()) not in (MandateState.OFFERED, MandateState.ACCEPTED):
            raise _already_ended()
        changed = replace(
            mandate,
            state=MandateState.REVOKED,
            changed_at=self.clock.now(),
            changed_by=by.national_id,
        )
        self.store.change(changed)
        return changed

    def given(self, person: Person) -> list[Mandate]:
        return self.store.given_by(person.national_id)

    def received(self, person: Person) -> list[Mandate]:
        return self.store.given_to(person.national_id)

    # -- acting for someone ----------------------------------------------------------

    async def representations(self, person: Person) -> list[Representation]:
        """Everyone ``person`` may act for today, on every ground."""
        return [*self.granted(person), *await self.registered(person)]

    def granted(self, person: Person) -> list[Representation]:
        """Those who gave ``person`` a mandate in force today."""
        today = self.today()
        return [
            _granted(m)
            for m in self.store.given_to(person.national_id)
            if m.state_on(today) is MandateState.ACCEPTED
        ]

    async def registered(self, person: Person) -> list[Representation]:
        """The children under 18 and the companies of ``person``, as the registers say."""
        return [*await self.children(person), *await self.companies(person)]

    async def children(self, person: Person) -> list[Representation]:
        """The children under 18 of ``person``, as the population register says."""
        return [
            Representation(child.national_id, child.name, Ground.PARENT, None)
            for child in await self.relations.minors_of(person.national_id, self.today())
        ]

    async def companies(self, person: Person) -> list[Representation]:
        """The companies ``person`` owns, as the business register says."""
        return [
            Representation(company.national_id, company.name, Ground.COMPANY, None)
            for company in await self.relations.companies_of(person.national_id)
        ]

    async def confirm(self, actor: Person, acting: ActingFor) -> Representation | None:
        """The representation ``acting`` names, if ``actor`` holds it today; None if not.

        Only what its ground needs is asked: the mandates kept here, the population
        register for a child, the business register for a company. A register that does
        not answer raises (ExternalServiceUnavailable): that is not a "no".
        """
        if acting.ground is Ground.GRANTED:  # checked at every request: only that mandate
            mandate = self.store.get(acting.mandate_id) if acting.mandate_id else None
            if mandate is None or mandate.delegate != actor.national_id:
                return None
            if mandate.state_on(self.today()) is not MandateState.ACCEPTED:
                return None
            found = [_granted(mandate)]
        elif acting.ground is Ground.PARENT:
            found = await self.children(actor)
        elif acting.ground is Ground.COMPANY:
            found = await self.companies(actor)
        else:
            return None  # a one-time consent code is for a desk, not for acting online
        return next((held for held in found if held.holds(acting)), None)

    async def representation(self, actor: Person, represented: str) -> Representation:
        """How ``actor`` may act for ``represented``; NotAllowed when they may not."""
        for found in await self.representations(actor):
            if found.national_id == represented:
                return found
        raise cannot_act()

    def record(
        self,
        actor: Person,
        representation: Representation,
        action: str,
        service: str = "",
        channel: str = "web",
    ) -> Act:
        """Write down an act done for someone, so that they can see it."""
        if service and not representation.covers(service):
            raise NotAllowed(
                N_("Your mandate does not cover this service."),
                hint=N_("Ask the person to add the service to your mandate."),
            )
        act = Act(
            at=self.clock.now(),
            actor=actor.national_id,
            actor_name=actor.name,
            represented=representation.national_id,
            ground=representation.ground,
            service=service,
            action=action,
            mandate_id=representation.mandate_id,
            channel=channel,
        )
        self.store.record(act)
        return act

    def acts_for(self, person: Person) -> list[Act]:
        return self.store.acts_for(person.national_id)

    # -- helpers ---------------------------------------------------------------------

    def _of(self, person: Person, mandate_id: str) -> Mandate:
        mandate = self.store.get(mandate_id)
        if mandate is None:
            raise no_such_mandate()
        if not mandate.party(person.national_id):
            raise not_your_mandate()
        return mandate

    def _answer(self, delegate: Person, mandate_id: str, state: MandateState) -> Mandate:
        mandate = self._of(delegate, mandate_id)
        if mandate.delegate != delegate.national_id:
            raise not_your_mandate()
        if mandate.state_on(self.today()) is not MandateState.OFFERED:
            raise _already_ended()
        changed = replace(
            mandate,
            state=state,
            delegate_name=delegate.name,
            changed_at=self.clock.now(),
            changed_by=delegate.national_id,
        )
        self.store.change(changed)
        return changed


def _granted(mandate: Mandate) -> Representation:
    """The representation an accepted mandate gives its delegate."""
    return Representation(
        mandate.grantor,
        mandate.grantor_name,
        Ground.GRANTED,
        mandate.services,
        mandate.id,
        mandate.valid_until,
    )


def _already_ended() -> RuleBroken:
    return RuleBroken(
        N_("This mandate can no longer be changed."),
        hint=N_("It has already been answered, revoked or has ended. See your mandates."),
    )
