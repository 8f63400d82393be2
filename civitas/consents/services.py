"""The use cases of a person's consents: see them all, give, refuse or withdraw one.

Every register that offers a ``consent`` service the portal may call is asked at once,
about the signed-in person and each of their children under 18, on the person's own
behalf (``user`` is their national number, as in every call of the portal). A register
that does not answer is named, never taken for "no consents". Whoever a consent is
about, only the person or their parent may answer it, and the portal checks that here
before any register is asked to change anything; an answer given for a child is
recorded on the child's mandates page.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Sequence

from civitas.consents.domain import (
    LAST_DAY,
    About,
    Action,
    Consent,
    ConsentRegister,
    Overview,
    check_last_day,
    in_order,
    read_consent,
)
from civitas.consents.ports import ConsentServices, Family
from civitas.core.clock import Clock
from civitas.core.errors import (
    CivitasError,
    ExternalServiceUnavailable,
    FieldError,
    InvalidInput,
    NotAllowed,
    NotFound,
    RuleBroken,
)
from civitas.core.i18n import N_
from civitas.identity import Person

log = logging.getLogger(__name__)

PERSON_PARTY = "PERSON"  # X-Road-Represented-Party class of a person acted for

ACTS = {
    Action.GRANT: N_("Gave consent to share your data"),
    Action.DENY: N_("Refused consent to share your data"),
    Action.WITHDRAW: N_("Withdrew consent to share your data"),
}
"""What a parent's answer is called on the child's mandates page."""

CANNOT = {
    Action.GRANT: N_("This consent can no longer be given: it was refused, withdrawn or ended."),
    Action.DENY: N_("This consent can no longer be refused: it has already been answered."),
    Action.WITHDRAW: N_("This consent cannot be withdrawn: it is not in force."),
}


class Consents:
    def __init__(
        self,
        registers: Sequence[ConsentRegister],
        services: ConsentServices,
        family: Family,
        clock: Clock,
    ) -> None:
        self.registers = registers
        self.services = services
        self.family = family
        self.clock = clock

    def today(self) -> dt.date:
        return self.clock.now().date()

    def register(self, party: str) -> ConsentRegister:
        found = next((r for r in self.registers if r.party == party), None)
        if found is None:
            raise NotFound(
                N_("No register keeps consents under that name."),
                hint=N_("Go back to your consents and choose one from the list."),
            )
        return found

    # -- seeing ----------------------------------------------------------------------

    async def overview(self, person: Person) -> Overview:
        """Every consent about ``person`` and their children under 18, in every register."""
        me = About(person.national_id, person.name, yours=True)
        try:
            children = list(await self.family.children(person))
            children_checked = True
        except CivitasError:  # the population register is down: the person's own still show
            children, children_checked = [], False
        people = [me, *children]
        asked = [(register, about) for register in self.registers for about in people]
        answers = await asyncio.gather(
            *(self._consents_in(person, register, about) for register, about in asked)
        )
        consents = [c for found in answers if found is not None for c in found]
        silent = {
            r.party for (r, _about), found in zip(asked, answers, strict=True) if found is None
        }
        unanswered = [register for register in self.registers if register.party in silent]
        return Overview(people, in_order(consents), unanswered, children_checked)

    async def _consents_in(
        self, person: Person, register: ConsentRegister, about: About
    ) -> list[Consent] | None:
        try:
            entries = await self.services.consents(
                register.service,
                about.national_id,
                user=person.national_id,
                case=f"consents-{about.national_id}",
                represented=_represented(about),
            )
        except CivitasError as error:
            log.warning(
                "consents of %s: %s did not answer: %s", about.national_id, register.party, error
            )
            return None
        return [c for entry in entries if (c := _read(entry, register, about)) is not None]

    # -- answering -------------------------------------------------------------------

    async def decide(
        self,
        person: Person,
        register_party: str,
        about_id: str,
        consent_id: str,
        action: str,
        last_day: dt.date | None = None,
    ) -> Consent:
        """Give (until ``last_day``), refuse or withdraw a consent about ``person`` or
        their child; refused, with nothing sent, when it is about anyone else."""
        wanted = _action(action)
        register = self.register(register_party)
        about = await self._about(person, about_id.strip())
        consent = await self._current(person, register, about, consent_id.strip()[:64])
        if wanted not in consent.actions:
            raise RuleBroken(CANNOT[wanted], hint=N_("Reload the page to see where it stands."))
        document: dict[str, object] = {"action": wanted.value, "id": consent.id}
        if wanted is Action.GRANT:
            document[LAST_DAY] = check_last_day(last_day, self.today(), register).isoformat()
        try:
            answer = await self.services.change(
                register.service,
                about.national_id,
                document,
                user=person.national_id,
                case=consent.id,
                represented=_represented(about),
            )
            changed = read_consent(answer["consent"], register, about)
        except ExternalServiceUnavailable:
            raise ExternalServiceUnavailable(
                N_("The register that keeps this consent did not answer, so nothing changed."),
                hint=N_("Try again in a few minutes."),
            ) from None
        except (CivitasError, LookupError, TypeError, ValueError) as error:
            log.warning("consent %s: %s refused %s: %s", consent.id, register.party, wanted, error)
            raise RuleBroken(
                N_("The register that keeps this consent did not take your answer."),
                hint=N_("Reload the page to see where the consent stands, then try again."),
            ) from None
        if not about.yours:
            self.family.record(person, about, ACTS[wanted])
        log.info(
            "consent %s: %s by %s for %s", consent.id, wanted, person.national_id, about.national_id
        )
        return changed

    async def _about(self, person: Person, national_id: str) -> About:
        """The person the answer is about: the signed-in person, or one of their children."""
        if national_id == person.national_id:
            return About(person.national_id, person.name, yours=True)
        for child in await self.family.children(person):
            if child.national_id == national_id:
                return child
        log.warning("consents: %s tried to answer for %s", person.national_id, national_id[:20])
        raise NotAllowed(
            N_("You can answer only your own consents and those of your children under 18."),
            hint=N_("Someone else answers their consents in their own account."),
        )

    async def _current(
        self, person: Person, register: ConsentRegister, about: About, consent_id: str
    ) -> Consent:
        """The consent as the register keeps it now; NotFound when it is not about ``about``."""
        found = await self._consents_in(person, register, about)
        if found is None:
            raise ExternalServiceUnavailable(
                N_("The register that keeps this consent did not answer, so nothing changed."),
                hint=N_("Try again in a few minutes."),
            )
        consent = next((c for c in found if c.id == consent_id), None)
        if consent is None:
            raise NotFound(
                N_("There is no such consent about this person."),
                hint=N_("Go back to your consents and reload the page."),
            )
        return consent


def _represented(about: About) -> str | None:
    return None if about.yours else f"{PERSON_PARTY}/{about.national_id}"


def _read(entry: object, register: ConsentRegister, about: About) -> Consent | None:
    if not isinstance(entry, dict):
        return None
    try:
        return read_consent(entry, register, about)
    except (LookupError, TypeError, ValueError):
        log.warning("consents: %s sent a consent that cannot be read", register.party)
        return None


def _action(text: str) -> Action:
    try:
        return Action(text)
    except ValueError:
        raise InvalidInput(
            N_("Say what to do with the consent: give, refuse or withdraw it."),
            hint=N_("Use one of the buttons of the consent."),
            errors=(FieldError(("action",), N_("Unknown answer.")),),
        ) from None
