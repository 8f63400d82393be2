"""The assisted console's use cases: a person's consent codes, and staff serving a person.

A person makes a one-time code in their account and reads it out at the desk or on
the phone. A desk agent finds the person by national number, then opens a *serving*
with that code or with a mandate the person gave them. The serving is kept
server-side, bound to the agent's session, and lets them see only what the code or
mandate covers. Opening it, each look-up and closing it are recorded as acts done for
the person (channel ``desk``), which they see on their mandates page; refusals are
logged here, and nothing is opened.

Only granted mandates count at the desk: an agent's own children or companies are
not theirs to serve at work, so the registers are not asked whom else they represent.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from civitas.core.clock import Clock
from civitas.core.errors import CivitasError, FieldError, InvalidInput, NotAllowed, NotFound
from civitas.core.i18n import N_
from civitas.exchange import ExchangeClient
from civitas.identity.consent_codes import (
    LIFETIME,
    SERVING_LIFETIME,
    WRONG_CODE_PAUSE,
    ConsentCode,
    Serving,
    ServingGround,
    check_code_text,
    check_services,
    hash_code,
    new_code,
    too_many_wrong_codes,
    unusable,
)
from civitas.identity.domain import Person, Session
from civitas.identity.mandates import Ground, Representation
from civitas.identity.ports import ConsentCodeStore, PersonNames, ServingStore, StaffStore
from civitas.identity.representation import Mandates
from civitas.identity.staff import Permission, StaffMember
from civitas.registries import ask_registry
from civitas.registries.identifiers import is_valid

log = logging.getLogger(__name__)

OPENED = N_("Started serving you at a desk")
LOOKED_UP = N_("Looked up your name in the population register")
CLOSED = N_("Stopped serving you at a desk")


@dataclass(frozen=True)
class MadeCode:
    """A new code: the text is shown once, to its holder, and never stored."""

    text: str
    code: ConsentCode


@dataclass(frozen=True)
class Found:
    """A person found at the desk: their number, and their name when the register said it."""

    national_id: str
    name: str | None  # None: the register did not answer just now


class ConsentCodes:
    """The person's side: make, list and cancel their one-time codes."""

    def __init__(self, store: ConsentCodeStore, clock: Clock, known_services: frozenset[str]):
        self.store = store
        self.clock = clock
        self.known_services = known_services

    def make(self, person: Person, services: Iterable[str]) -> MadeCode:
        chosen = check_services(services, self.known_services)
        now = self.clock.now()
        text = new_code()
        code = ConsentCode(
            id=secrets.token_hex(8),
            holder=person.national_id,
            holder_name=person.name,
            code_hash=hash_code(text),
            services=chosen,
            created_at=now,
            expires_at=now + LIFETIME,
        )
        self.store.add(code)
        return MadeCode(text, code)

    def of(self, person: Person) -> list[ConsentCode]:
        return self.store.of_holder(person.national_id)

    def cancel(self, person: Person, code_id: str) -> None:
        if not self.store.cancel(code_id, person.national_id, self.clock.now()):
            raise NotFound(
                N_("We cannot find that code among yours."),
                hint=N_("It may have been used, cancelled or expired already. See your codes."),
            )


class Console:
    """The staff side: find a person, open a serving, look up, close."""

    def __init__(
        self,
        staff: StaffStore,
        codes: ConsentCodeStore,
        serving: ServingStore,
        mandates: Mandates,
        names: PersonNames,
        clock: Clock,
    ) -> None:
        self.staff = staff
        self.codes = codes
        self.serving = serving
        self.mandates = mandates
        self.names = names
        self.clock = clock

    def member(
        self, person: Person, permission: Permission = Permission.FIND_PERSON
    ) -> StaffMember:
        """The staff member ``person`` is; NotAllowed when their role does not allow it."""
        member = self.staff.member(person.national_id)
        try:
            member.require(permission)
        except CivitasError:
            log.warning("console refused: %s lacks %s", person.national_id, permission.value)
            raise
        return member

    async def find(self, staff: Person, national_id: str) -> Found:
        """The person with ``national_id``, asked from the population register."""
        self.member(staff)
        number = check_national_id(national_id)
        try:
            name = await self.names.name_of(number, staff.national_id)
        except CivitasError:  # the register did not answer: the agent may still go on
            log.warning("console: the population register did not answer a look-up")
            return Found(number, None)
        if name is None:
            raise NotFound(
                N_("No one has the national number {number}."),
                hint=N_("Check the number against the person's identity card."),
                params={"number": number},
            )
        return Found(number, name)

    def open(self, session: Session, national_id: str, code_text: str = "") -> Serving:
        """Start serving a person, under their code if one is given, else under a mandate."""
        staff = session.person
        self.member(staff, Permission.ACT_FOR_PERSON)
        number = check_national_id(national_id)
        if code_text.strip():
            serving = self._with_code(session, number, code_text)
        else:
            serving = self._with_mandate(session, number)
        self.serving.open(serving)
        self._record(staff, serving, OPENED)
        log.info("console: %s serves %s (%s)", staff.national_id, number, serving.ground.value)
        return serving

    def current(self, session: Session) -> Serving | None:
        """The serving of this staff session, while it lasts."""
        serving = self.serving.of_session(session.id)
        if serving is not None and serving.is_over(self.clock.now()):
            self.serving.close(session.id)
            return None
        return serving

    async def look_up(self, session: Session) -> Found:
        """The served person's name from the register, recorded as an act done for them."""
        serving = self._serving(session)
        self._record(session.person, serving, LOOKED_UP)
        try:
            name = await self.names.name_of(serving.person, session.person.national_id)
        except CivitasError:
            name = None
        return Found(serving.person, name)

    def close(self, session: Session) -> None:
        serving = self.current(session)
        if serving is None:
            return
        self.serving.close(session.id)
        self._record(session.person, serving, CLOSED)

    # -- helpers ---------------------------------------------------------------------

    def _with_code(self, session: Session, number: str, code_text: str) -> Serving:
        staff = session.person
        now = self.clock.now()
        text = check_code_text(code_text)
        locked = too_many_wrong_codes(self.codes.wrong_codes_since(number, now - WRONG_CODE_PAUSE))
        if locked is not None:
            log.warning("console refused a code: %s for %s: locked", staff.national_id, number)
            raise locked
        code = self.codes.find(number, hash_code(text))  # another person's code is not found
        problem = unusable(code, number, now)  # a code not found is a problem too
        if (
            problem is None
            and code
            and not self.codes.use(code.id, now, staff.national_id, staff.name)
        ):
            # used or cancelled between the look-up and now: say which
            problem = unusable(self.codes.find(number, code.code_hash), number, now)
        if problem is not None:
            reason = problem.errors[0].message
            log.warning("console refused a code: %s for %s: %s", staff.national_id, number, reason)
            self.codes.wrong_code(number, staff.national_id, now)
            raise problem
        assert code is not None
        return Serving(
            staff_session=session.id,
            staff=staff.national_id,
            staff_name=staff.name,
            person=number,
            person_name=code.holder_name,
            ground=ServingGround.CODE,
            services=code.services,
            opened_at=now,
            expires_at=min(code.expires_at, now + SERVING_LIFETIME),
            code_id=code.id,
        )

    def _with_mandate(self, session: Session, number: str) -> Serving:
        staff = session.person
        now = self.clock.now()
        found = [r for r in self.mandates.granted(staff) if r.national_id == number]
        if not found:
            log.warning("console refused: %s has no mandate from %s", staff.national_id, number)
            raise NotAllowed(
                N_("You have no mandate from this person, so you cannot serve them."),
                hint=N_(
                    "Ask them for a one-time code from their account, or to give you a mandate."
                ),
            )
        mandate = found[0]
        return Serving(
            staff_session=session.id,
            staff=staff.national_id,
            staff_name=staff.name,
            person=number,
            person_name=mandate.name,
            ground=ServingGround.MANDATE,
            services=mandate.services or (),
            opened_at=now,
            expires_at=now + SERVING_LIFETIME,
            mandate_id=mandate.mandate_id,
        )

    def _serving(self, session: Session) -> Serving:
        serving = self.current(session)
        if serving is None:
            raise NotFound(
                N_("You are not serving anyone at the moment."),
                hint=N_("Find the person and open a session with their code or mandate."),
            )
        return serving

    def _record(self, staff: Person, serving: Serving, action: str) -> None:
        ground = Ground.GRANTED if serving.ground is ServingGround.MANDATE else Ground.CONSENT
        representation = Representation(
            serving.person, serving.person_name, ground, serving.services, serving.mandate_id
        )
        self.mandates.record(staff, representation, action, channel="desk")


def check_national_id(text: str) -> str:
    """Nine digits with a right check digit, or InvalidInput on the ``national_id`` field."""
    digits = "".join(text.split())
    if not digits:
        message = N_("Enter the person's national number.")
    elif len(digits) != 9 or not digits.isdigit():
        message = N_("A national number has 9 digits, like 123456789.")
    elif not is_valid(int(digits)):
        message = N_("This national number has a wrong check digit; check each digit.")
    else:
        return digits
    raise InvalidInput(
        N_("The national number cannot be used as it is."),
        hint=N_("Copy it from the person's identity card."),
        errors=(FieldError(("national_id",), message),),
    )


class ExchangeNames:
    """:class:`PersonNames` through the once-only exchange, for the purpose ``desk-service``.

    The staff member's number goes as the exchange ``user``, so the person sees in
    "who used my data" that the desk looked them up, and who.
    """

    PURPOSE = "desk-service"
    SERVICE = "civil-registry/population/person"

    def __init__(self, exchange: Callable[[], ExchangeClient]) -> None:
        self.exchange = exchange

    async def name_of(self, national_id: str, staff: str) -> str | None:
        asked = await ask_registry(
            self.exchange(),
            self.SERVICE,
            national_id,
            purpose=self.PURPOSE,
            user=staff,
            case=f"desk-{staff}",
        )
        for record in asked.records:  # none: the register holds no one with this number
            name = f"{record.get('first_name', '')} {record.get('family_name', '')}".strip()
            return name or None
        return None
