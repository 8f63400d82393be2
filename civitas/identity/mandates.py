"""Mandates: who may act for whom, for which services, until when; and what they did.

Three grounds let one person act for another:

- a **granted** mandate: the person names someone (a relative, a friend, a desk
  agent), the services and an end date; the delegate accepts it; either may revoke it;
- **parenthood**: a parent acts for their child under 18, as the population register
  says, with nothing to grant;
- **company representation**: an owner acts for their company, as the business
  register says.

Every act under any of them is recorded, and shown to the person represented.

Online, a person *acts for* someone they may represent: their session keeps whom
(:class:`ActingFor`), and each request checks it again (:class:`Acting`), so a
revoked mandate, a child who turned 18 or a company sold stops the acting at once.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from dataclasses import dataclass

from civitas.core.errors import (
    ExternalServiceUnavailable,
    FieldError,
    InvalidInput,
    NotAllowed,
    NotFound,
)
from civitas.core.i18n import N_

LONGEST = dt.timedelta(days=5 * 366)  # a granted mandate lasts five years at most

# The X-Road-Represented-Party classes (``CLASS/CODE``) of those one acts for online.
PERSON_PARTY = "PERSON"  # a person, by national number
COMPANY_PARTY = "COM"  # a company, by company number


class Ground(enum.StrEnum):
    GRANTED = "granted"
    PARENT = "parent"
    COMPANY = "company"
    CONSENT = "consent"  # a one-time consent code read out at a desk or on the phone


class MandateState(enum.StrEnum):
    OFFERED = "offered"  # granted, waiting for the delegate
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"  # never stored: an offered or accepted mandate past its end


@dataclass(frozen=True)
class Mandate:
    """A person's permission for another to act for them in some services."""

    id: str
    grantor: str  # national number of the person represented
    grantor_name: str
    delegate: str  # national number of the person who may act
    delegate_name: str  # known once they accept
    services: tuple[str, ...]  # catalogue service ids
    valid_until: dt.date
    state: MandateState
    created_at: dt.datetime
    changed_at: dt.datetime
    changed_by: str = ""  # who accepted, declined or revoked it

    def state_on(self, today: dt.date) -> MandateState:
        live = self.state in (MandateState.OFFERED, MandateState.ACCEPTED)
        return MandateState.EXPIRED if live and today > self.valid_until else self.state

    def party(self, national_id: str) -> bool:
        return national_id in (self.grantor, self.delegate)


@dataclass(frozen=True)
class Representation:
    """One person another may act for right now, and on what ground."""

    national_id: str
    name: str
    ground: Ground
    services: tuple[str, ...] | None  # None: every service (parents, company owners)
    mandate_id: str = ""  # for a granted mandate
    until: dt.date | None = None

    def covers(self, service: str) -> bool:
        return self.services is None or service in self.services

    @property
    def whole(self) -> bool:
        """They act for them in everything (a parent, an owner), not in named services only."""
        return self.services is None

    @property
    def party(self) -> str:
        """Whom the exchange calls made for them name as the represented party."""
        kind = COMPANY_PARTY if self.ground is Ground.COMPANY else PERSON_PARTY
        return f"{kind}/{self.national_id}"

    def holds(self, acting: ActingFor) -> bool:
        """Whether this is still the representation ``acting`` was started under."""
        return (
            self.national_id == acting.national_id
            and self.ground is acting.ground
            and self.mandate_id == acting.mandate_id
        )


@dataclass(frozen=True)
class ActingFor:
    """Whom a session acts for online: kept on the session, checked again at each request."""

    national_id: str
    name: str
    ground: Ground
    mandate_id: str = ""  # for a granted mandate


class ActingStatus(enum.StrEnum):
    ACTIVE = "active"  # checked for this request: they may act
    ENDED = "ended"  # they may no longer act: the acting stopped on this request
    UNCHECKED = "unchecked"  # the registers did not answer: nothing may be done for now


@dataclass(frozen=True)
class Acting:
    """Whom the signed-in person acts for on this request, as checked for this request."""

    acting_for: ActingFor
    status: ActingStatus
    representation: Representation | None = None  # set when ACTIVE

    @property
    def ended_because(self) -> str:
        """Why one may no longer act for them (a message template), by the ground."""
        return ENDED_BECAUSE[self.acting_for.ground]


@dataclass(frozen=True)
class Act:
    """Something done for a person by someone acting for them."""

    at: dt.datetime
    actor: str
    actor_name: str
    represented: str
    ground: Ground
    service: str  # catalogue service id, or "" for a general act (e.g. reading their data)
    action: str  # what was done, in words staff and the person can read
    mandate_id: str = ""
    channel: str = "web"  # web, desk, phone


def check_new_mandate(
    grantor: str,
    delegate: str,
    services: tuple[str, ...],
    valid_until: dt.date | None,
    today: dt.date,
    known_services: frozenset[str],
) -> dt.date:
    """Refuse a mandate that cannot be granted, field by field; its end date when fine."""
    errors: list[FieldError] = []
    if not delegate:
        errors.append(FieldError(("delegate",), N_("Enter the national number of the person.")))
    elif delegate == grantor:
        errors.append(FieldError(("delegate",), N_("You cannot give a mandate to yourself.")))
    if not services:
        errors.append(FieldError(("services",), N_("Choose at least one service.")))
    elif not set(services) <= known_services:
        errors.append(FieldError(("services",), N_("Choose services from the list.")))
    if valid_until is None:
        errors.append(FieldError(("valid_until",), N_("Enter the last day of the mandate.")))
    elif valid_until < today:
        errors.append(FieldError(("valid_until",), N_("The last day cannot be in the past.")))
    elif valid_until > today + LONGEST:
        errors.append(FieldError(("valid_until",), N_("A mandate can last five years at most.")))
    if errors:
        raise InvalidInput(
            N_("The mandate cannot be given as it is."),
            hint=N_("Correct the fields listed and try again."),
            errors=tuple(errors),
        )
    assert valid_until is not None
    return valid_until


def no_such_mandate() -> NotFound:
    return NotFound(
        N_("We cannot find that mandate."),
        hint=N_("It may have been revoked. See the list of your mandates."),
    )


def not_your_mandate() -> NotAllowed:
    return NotAllowed(
        N_("Only the people named in a mandate can change it."),
        hint=N_("See the list of your mandates."),
    )


def cannot_act() -> NotAllowed:
    return NotAllowed(
        N_("You cannot act for this person or company."),
        hint=N_("They can give you a mandate from their own account."),
    )


ENDED_BECAUSE = {
    Ground.GRANTED: N_("Their mandate to you was revoked or has ended."),
    Ground.PARENT: N_("The population register no longer lists them as your child under 18."),
    Ground.COMPANY: N_("The business register no longer lists you as the company's owner."),
    Ground.CONSENT: N_("Their one-time code has ended."),
}


def acting_ended(acting: ActingFor) -> NotAllowed:
    """Acting for someone stopped on this request: nothing is done for them."""
    return NotAllowed(
        N_("You can no longer act for {name}, so nothing was done for them."),
        hint=ENDED_BECAUSE[acting.ground],
        params={"name": acting.name},
    )


def acting_unchecked(acting: ActingFor) -> ExternalServiceUnavailable:
    """The register that says whether one may act for someone did not answer."""
    return ExternalServiceUnavailable(
        N_("We could not check just now that you may still act for {name}."),
        hint=N_("Nothing was done for them. Try again in a few minutes, or stop acting for them."),
        params={"name": acting.name},
    )


def not_covered(representation: Representation, service: str, covered: Sequence[str]) -> NotAllowed:
    """A mandate's limits, named: ``service`` and ``covered`` are names people read."""
    return NotAllowed(
        N_("Your mandate from {name} does not cover {service}."),
        hint=N_(
            "It covers only {services}, until {until}. Ask {name} to add the service "
            "to your mandate, or stop acting for them to do this for yourself."
        ),
        params={
            "name": representation.name,
            "service": service,
            "services": ", ".join(covered),
            "until": representation.until.isoformat() if representation.until else "",
        },
    )


def data_use_not_covered(representation: Representation) -> NotAllowed:
    """A granted mandate names services; the record of who used someone's data is not one."""
    return NotAllowed(
        N_("Your mandate from {name} does not let you see who used their data."),
        hint=N_(
            "A mandate lets you act only in the services it names. Parents and company "
            "owners can see this record for those they act for."
        ),
        params={"name": representation.name},
    )
