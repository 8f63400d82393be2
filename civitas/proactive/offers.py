"""The person's side of the proactive services: what was decided for them, and their answers.

A decision is told to one person (``Decision.national_id``); only they see it, and
anyone else asking for it is told it does not exist. An open offer is accepted (the
application is started, filled in from the registers, when the service has an online
form) or declined, which is respected: the worker never offers that service to them
again. An open question is answered by accepting it: the application form asks for
exactly the facts the rules were missing. Answering twice the same way changes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Protocol

from civitas.core.clock import Clock
from civitas.core.errors import InvalidInput, NotFound
from civitas.core.i18n import N_
from civitas.proactive.domain import Action, Decision, OfferState
from civitas.proactive.ports import DecisionStore

MAX_ID = 40

# acts done for someone one acts for, as they read them on their mandates page
LOOKED = N_("Looked at what the government did for you")
ACCEPTED = N_("Accepted an offer and started the application")
DECLINED = N_("Said no thank you to an offer")


class Started(Protocol):
    """An application just started (``civitas.applications.Application``)."""

    @property
    def id(self) -> str: ...


class Applying(Protocol):
    """Starts applications filled in from the registers (``civitas.applications.Applications``)."""

    @property
    def services(self) -> Collection[str]:
        """The services with an online form."""
        ...

    async def start(
        self,
        national_id: str,
        service_id: str,
        *,
        user: str | None = None,
        represented_party: str | None = None,
    ) -> Started: ...


class Offers:
    def __init__(self, store: DecisionStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def of_person(self, national_id: str) -> list[Decision]:
        """Every decision told to the person, newest first."""
        found = self.store.of_person(national_id)
        return sorted(found, key=lambda d: (d.decided_at, d.id), reverse=True)

    def waiting(self, national_id: str) -> list[Decision]:
        """The offers and questions still waiting for the person's answer, newest first."""
        return [d for d in self.of_person(national_id) if d.state is OfferState.OPEN]

    def waiting_services(self, national_id: str) -> list[str]:
        """The service of each offer or question waiting for the person: for counting."""
        return self.store.open_services(national_id)

    def get(self, national_id: str, decision_id: str) -> Decision:
        """One decision told to the person; someone else's is as if it did not exist."""
        found = self.store.get(decision_id[:MAX_ID])
        if found is None or found.national_id != national_id:
            raise NotFound(
                N_("We cannot find that decision."),
                hint=N_("Check the address, or look for it in your inbox."),
            )
        return found

    def acceptable(self, national_id: str, decision_id: str) -> Decision:
        """The decision, when it may be accepted now or was accepted already;
        InvalidInput saying why not otherwise."""
        decision = self.get(national_id, decision_id)
        if decision.state in (OfferState.OPEN, OfferState.ACCEPTED):
            return decision
        if decision.state is OfferState.DECLINED:
            raise InvalidInput(
                N_("You said no thank you to this offer, so it cannot be accepted now."),
                hint=N_(
                    "If you changed your mind, apply for the service from its page, "
                    "or contact the organisation that provides it."
                ),
            )
        raise InvalidInput(
            N_("There is nothing to accept: this was not an offer or a question."),
            hint=N_("The decision page says what was done and what you can do next."),
        )

    def accept(self, national_id: str, decision_id: str, application_reference: str) -> Decision:
        """Accept an open offer or question, keeping the application started for it.

        Accepting again returns the decision as it was accepted the first time.
        """
        decision = self.acceptable(national_id, decision_id)
        if decision.state is OfferState.ACCEPTED:
            return decision
        accepted = replace(
            decision,
            state=OfferState.ACCEPTED,
            answered_at=self.clock.now(),
            application=application_reference[:64],
        )
        self.store.answer(accepted)
        return accepted

    async def take_up(
        self,
        national_id: str,
        decision_id: str,
        applying: Applying | None,
        *,
        user: str | None = None,
        represented_party: str | None = None,
    ) -> Decision:
        """Accept, starting the application first when the service has an online form
        (a question is answered only there: without a form it is refused).

        Nothing is started for a decision that cannot be accepted, nor again for one
        already accepted. ``user`` and ``represented_party``: who applies, when someone
        acts for the person.
        """
        decision = self.acceptable(national_id, decision_id)
        if decision.state is OfferState.ACCEPTED:
            return decision
        online = applying is not None and decision.service in applying.services
        if decision.action is Action.NEEDS_INFORMATION and not online:
            raise InvalidInput(
                N_("The missing facts cannot be given online for this service."),
                hint=N_("The service page says how to give them."),
            )
        reference = ""
        if applying is not None and online:
            started = await applying.start(
                national_id, decision.service, user=user, represented_party=represented_party
            )
            reference = started.id
        return self.accept(national_id, decision.id, reference)

    def declinable(self, national_id: str, decision_id: str) -> Decision:
        """The decision, when it is an offer that may be declined now or was declined
        already; InvalidInput saying why not otherwise."""
        decision = self.get(national_id, decision_id)
        if decision.action is not Action.OFFERED:
            raise InvalidInput(
                N_("Only an offer can be declined, and this is not one."),
                hint=N_(
                    "If you do not want to give the facts we asked for, you do not need to do "
                    "anything."
                ),
            )
        if decision.state is OfferState.ACCEPTED:
            raise InvalidInput(
                N_("You already accepted this offer, so it cannot be declined now."),
                hint=N_(
                    "To stop your application, contact the organisation that provides the service."
                ),
            )
        return decision

    def decline(self, national_id: str, decision_id: str) -> Decision:
        """Decline an open offer: it is kept, and the service is not offered to them again.

        Declining again returns the decision as it was declined the first time.
        """
        decision = self.declinable(national_id, decision_id)
        if decision.state is OfferState.DECLINED:
            return decision
        declined = replace(decision, state=OfferState.DECLINED, answered_at=self.clock.now())
        self.store.answer(declined)
        return declined
