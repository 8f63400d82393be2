"""A person's consents as the portal shows them: who asks, why, for which data, about whom.

The registers keep the consents (``civitas.registries.consents``, after the GovStack
Consent building block); the portal only reads and answers them. Here is what the
portal needs to do that without I/O: the consent as read from a register's answer,
the answers a person may give in each state, and the checks of the last day.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import LocalText

PURPOSE = "consent-management"
"""The exchange purpose of every call the portal makes to a register's consent service."""

SERVICE = "consent"  # the exchange service of a register that keeps consents
USUAL_DAYS = 365  # the last day offered first: a year on, when the register allows it


class State(enum.StrEnum):
    REQUESTED = "requested"  # asked by an organisation, waiting for the person
    GRANTED = "granted"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # granted, and past its last day


class Action(enum.StrEnum):
    """What the person may answer (asking is the organisation's)."""

    GRANT = "grant"
    DENY = "deny"
    WITHDRAW = "withdraw"


ACTIONS: Mapping[State, tuple[Action, ...]] = {
    State.REQUESTED: (Action.GRANT, Action.DENY),
    State.GRANTED: (Action.WITHDRAW,),
}
"""The answers a person may give to a consent in each state; none once it is over."""


@dataclass(frozen=True)
class ConsentRegister:
    """A register that keeps consents and lets the portal show and answer them."""

    party: str  # member/subsystem in the exchange, e.g. health-service/health
    name: LocalText
    items: Mapping[str, LocalText] = field(default_factory=dict)  # data item -> what it holds
    max_days: int = USUAL_DAYS  # a consent lasts at most this many days from the day given

    @property
    def service(self) -> str:
        return f"{self.party}/{SERVICE}"

    def latest_last_day(self, today: dt.date) -> dt.date:
        return today + dt.timedelta(days=self.max_days)

    def usual_last_day(self, today: dt.date) -> dt.date:
        return today + dt.timedelta(days=min(USUAL_DAYS, self.max_days))


@dataclass(frozen=True)
class About:
    """Whose data a consent is about: the signed-in person, or their child."""

    national_id: str
    name: str
    yours: bool  # the signed-in person's own data


@dataclass(frozen=True)
class Step:
    """One change of a consent: when, to which state, and the user it was done for."""

    at: dt.datetime
    state: State
    by: str  # the person, a parent, or the asking organisation's officer


@dataclass(frozen=True)
class Consent:
    id: str
    register: ConsentRegister  # the register that keeps it and holds the data
    about: About
    client: str  # who asks: the organisation's subsystem, member/subsystem
    purpose: str  # the exchange purpose id
    items: tuple[str, ...]  # the data items the organisation would receive
    state: State
    valid_until: dt.date | None  # the last day, once given
    history: tuple[Step, ...]

    @property
    def organisation(self) -> str:
        """The member that asks (the organisation's id in the catalogue)."""
        return self.client.split("/", 1)[0]

    @property
    def actions(self) -> tuple[Action, ...]:
        return ACTIONS.get(self.state, ())

    @property
    def asked_at(self) -> dt.datetime | None:
        return next((s.at for s in self.history if s.state is State.REQUESTED), None)


@dataclass(frozen=True)
class Overview:
    """Every consent about a person and their children, and what could not be asked."""

    people: list[About]  # the person first, then their children under 18
    consents: list[Consent]  # waiting for an answer first, then given, then the rest
    unanswered: list[ConsentRegister]  # registers that did not answer: their consents are missing
    children_checked: bool  # False: the population register did not say who the children are


ORDER = {State.REQUESTED: 0, State.GRANTED: 1}


def in_order(consents: list[Consent]) -> list[Consent]:
    """Those waiting for an answer first, then those given, then the rest; newest first."""
    newest = sorted(consents, key=lambda c: c.history[-1].at if c.history else _EPOCH, reverse=True)
    return sorted(newest, key=lambda c: ORDER.get(c.state, 2))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_REFERENCE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # safe in a page's ids and addresses


def read_consent(entry: Mapping[str, Any], register: ConsentRegister, about: About) -> Consent:
    """A consent as a register's ``consent`` service gives it (``consent_json``).

    Raises ValueError (or KeyError, TypeError) when the entry is not one."""
    until = entry.get("valid_until")
    consent_id = str(entry["id"])
    if not _REFERENCE.fullmatch(consent_id):
        raise ValueError(f"not a consent reference: {consent_id[:70]!r}")
    return Consent(
        id=consent_id,
        register=register,
        about=about,
        client=str(entry["client"]),
        purpose=str(entry["purpose"]),
        items=tuple(str(item) for item in entry.get("items") or ()),
        state=State(str(entry["state"])),
        valid_until=dt.date.fromisoformat(str(until)) if until else None,
        history=tuple(
            Step(dt.datetime.fromisoformat(str(s["at"])), State(str(s["state"])), str(s["by"]))
            for s in entry.get("history") or ()
        ),
    )


# -- the last day ----------------------------------------------------------------------

LAST_DAY = "valid_until"  # the field of the last day, in forms and in the JSON API


def day_from_parts(day: str, month: str, year: str) -> dt.date | None:
    """The date typed in three boxes (day, month, year); None when it is not one."""
    parts = (day.strip(), month.strip(), year.strip())
    if not all(p.isdigit() and len(p) <= 4 for p in parts) or len(parts[2]) != 4:
        return None
    try:
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        return None


def check_last_day(last_day: dt.date | None, today: dt.date, register: ConsentRegister) -> dt.date:
    """The last day of a consent being given; InvalidInput naming the field when it cannot be."""
    if last_day is None:
        problem = N_("Enter the last day as a real date, for example 31 7 2027.")
    elif last_day < today:
        problem = N_("The last day cannot be in the past.")
    elif last_day > register.latest_last_day(today):
        problem = N_("Choose a last day no later than the latest day shown.")
    else:
        return last_day
    raise InvalidInput(
        N_("Your consent was not given: check its last day."),
        hint=N_("A consent lasts at most {days} days; you can give it again when it ends."),
        params={"days": register.max_days},
        errors=(FieldError((LAST_DAY,), problem),),
    )
