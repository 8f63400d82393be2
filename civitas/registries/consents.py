"""Consent as a legal basis, kept and checked by the register that provides the data.

Modelled on the GovStack Consent building block: an agency that wants a person's data
for a purpose resting on consent *requests* it (which data, for which purpose, for whom);
the person (or the parent of a child) *grants* it until a date, or *denies* it, in the
portal; a granted consent can be *withdrawn* at any time and *expires* after its last
day. Every change is kept with when and by whom.

The providing register checks the consent on every call that names it
(``X-Civitas-Legal-Basis: consent:<id>``): same person, same client, same purpose,
granted and not expired. Data items are the intersection of what the access right and
the consent allow. A withdrawn consent stops the very next call.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, replace
from typing import Any

from civitas.core.errors import NotAllowed, RuleBroken
from civitas.core.i18n import N_

MAX_VALIDITY_DAYS = 366  # a consent is given for at most a year; it can be given again


class ConsentState(enum.StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    DENIED = "denied"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"  # never stored: a granted consent past its last day


class ConsentAction(enum.StrEnum):
    REQUEST = "request"  # by the agency that wants the data
    GRANT = "grant"  # by the person, through the portal
    DENY = "deny"
    WITHDRAW = "withdraw"


CONSENT_ITEMS = (
    "id",
    "national_id",
    "purpose",
    "client",
    "items",
    "state",
    "valid_until",
    "history",
)
"""The data items of a register's ``consent`` service (checked against exchange.yaml)."""


@dataclass(frozen=True)
class ConsentEvent:
    at: dt.datetime
    state: ConsentState
    by: str  # the user the call ran for: the person, a parent, or the agency's officer


@dataclass(frozen=True)
class Consent:
    id: str
    national_id: str  # whose data
    purpose: str
    client: str  # the subsystem that may receive the data, member/subsystem
    items: tuple[str, ...]  # the data items it may receive
    state: ConsentState
    valid_until: dt.date | None  # the last day of a granted consent
    history: tuple[ConsentEvent, ...]

    def state_on(self, today: dt.date) -> ConsentState:
        expired = self.valid_until is not None and today > self.valid_until
        if self.state is ConsentState.GRANTED and expired:
            return ConsentState.EXPIRED
        return self.state

    def moved(self, state: ConsentState, at: dt.datetime, by: str) -> Consent:
        return replace(self, state=state, history=(*self.history, ConsentEvent(at, state, by)))


def decide(
    consent: Consent,
    action: ConsentAction,
    at: dt.datetime,
    by: str,
    valid_until: dt.date | None = None,
) -> Consent:
    """``consent`` after the person's ``action`` (grant, deny or withdraw)."""
    today = at.date()
    state = consent.state_on(today)
    if action is ConsentAction.GRANT:
        until = check_validity(valid_until, today)
        if state not in (ConsentState.REQUESTED, ConsentState.GRANTED):
            raise _cannot(action, state)
        granted = replace(consent, valid_until=until)
        return granted.moved(ConsentState.GRANTED, at, by)
    if action is ConsentAction.DENY:
        if state is not ConsentState.REQUESTED:
            raise _cannot(action, state)
        return consent.moved(ConsentState.DENIED, at, by)
    if action is ConsentAction.WITHDRAW:
        if state is not ConsentState.GRANTED:
            raise _cannot(action, state)
        return consent.moved(ConsentState.WITHDRAWN, at, by)
    raise _cannot(action, state)


def check_validity(valid_until: dt.date | None, today: dt.date) -> dt.date:
    if valid_until is None or valid_until < today:
        raise RuleBroken(
            N_("Say until when the consent holds: a day from today on."),
            hint=N_("A consent is given for at most {days} days; you can give it again."),
            params={"days": MAX_VALIDITY_DAYS},
        )
    if valid_until > today + dt.timedelta(days=MAX_VALIDITY_DAYS):
        raise RuleBroken(
            N_("A consent can be given for at most {days} days."),
            hint=N_("Choose an earlier last day; you can give it again when it ends."),
            params={"days": MAX_VALIDITY_DAYS},
        )
    return valid_until


def _cannot(action: ConsentAction, state: ConsentState) -> RuleBroken:
    return RuleBroken(
        N_("A consent that is {state} cannot be changed that way ({action})."),
        hint=N_("Reload the page to see where the consent stands."),
        params={"state": state.value, "action": action.value},
    )


def check_use(
    consent: Consent | None, national_id: str, client: str, purpose: str, today: dt.date
) -> Consent:
    """The consent that allows ``client`` to receive ``national_id``'s data for ``purpose``
    today; :class:`NotAllowed` saying exactly why not."""
    if consent is None:
        raise NotAllowed(
            N_("No consent of the person has that reference."),
            hint=N_("Ask the person for their consent first, and send its reference."),
        )
    if (consent.national_id, consent.client, consent.purpose) != (national_id, client, purpose):
        raise NotAllowed(
            N_("The consent sent was given for another person, organisation or purpose."),
            hint=N_("Send the consent given for this very person, client and purpose."),
        )
    state = consent.state_on(today)
    if state is not ConsentState.GRANTED:
        raise NotAllowed(
            N_("The person's consent is {state}, so their data cannot be shared."),
            hint=N_("Only a granted consent allows sharing; ask the person again."),
            params={"state": state.value},
        )
    return consent


def consent_json(consent: Consent, today: dt.date) -> dict[str, Any]:
    return {
        "id": consent.id,
        "national_id": consent.national_id,
        "purpose": consent.purpose,
        "client": consent.client,
        "items": list(consent.items),
        "state": consent.state_on(today).value,
        "valid_until": consent.valid_until.isoformat() if consent.valid_until else None,
        "history": history_json(consent),
    }


def history_json(consent: Consent) -> list[dict[str, str]]:
    return [{"at": e.at.isoformat(), "state": e.state.value, "by": e.by} for e in consent.history]
