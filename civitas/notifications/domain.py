"""Notices, messages, deliveries and preferences: what the state tells a person, and how.

A *notice* is what another block wants one person to know, once (its key says which
once). Kept, it becomes a *message* in the person's portal inbox at once, and one
*delivery* per channel the person's preferences ask for: an email, a letter. Which
channels is decided when the notice is kept, from the preferences at that time, so a
later change of mind does not re-send or cancel what was already on its way.

No saved preferences means the portal and a letter in the country's default language:
people who never came online are reached by post.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_

MOST_ATTEMPTS = 12  # then the delivery has failed (about six hours of trying)
LEASE = dt.timedelta(minutes=2)  # a dispatcher that took a delivery and died frees it after this

ParamValue = str | int | Mapping[str, str]


class Channel(enum.StrEnum):
    PORTAL = "portal"  # the person's messages in the portal: always, at once
    EMAIL = "email"
    LETTER = "letter"


class DeliveryState(enum.StrEnum):
    DELIVERED = "delivered"  # in the portal's messages
    PENDING = "pending"  # to be sent (never tried, or tried and to be tried again)
    SENT = "sent"  # handed to the mail server
    PRINTED = "printed"  # the letter's PDF is in the print house's folder
    WAITING = "waiting"  # the channel cannot work now (no mail server set, no Pango)
    FAILED = "failed"  # given up: the problem says why


DONE = {  # the state of a delivery that reached its channel
    Channel.PORTAL: DeliveryState.DELIVERED,
    Channel.EMAIL: DeliveryState.SENT,
    Channel.LETTER: DeliveryState.PRINTED,
}


@dataclass(frozen=True)
class PostalAddress:
    """Where a letter goes."""

    name: str
    street: str
    house_number: str
    postcode: str
    municipality: str

    def lines(self) -> tuple[str, ...]:
        return (
            self.name,
            f"{self.street} {self.house_number}".strip(),
            f"{self.postcode} {self.municipality}".strip(),
        )


@dataclass(frozen=True)
class Notice:
    """What to tell one person, once.

    ``key``: a notice whose key was kept before is ignored, forever. ``params``: the
    template's placeholder values: text, whole numbers (money in cents under a name
    ending in ``_cents``), or text per language (``{"en": ..., "pt": ...}``). ``link``:
    a portal path without the language prefix, such as ``/inbox/abc123``.
    """

    key: str
    national_id: str
    template: str
    params: Mapping[str, ParamValue]
    link: str = ""
    address: PostalAddress | None = None


@dataclass(frozen=True)
class Delivery:
    id: str
    message_id: str
    channel: Channel
    language: str  # "" until sent: the country's default language, chosen when sending
    state: DeliveryState
    created_at: dt.datetime
    recipient: str = ""  # the email address, for an email
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    problem: str = ""  # the last failure, or why it waits or failed, in words


@dataclass(frozen=True)
class Message:
    """A notice as kept: in the person's messages, with its deliveries."""

    id: str
    key: str
    national_id: str
    template: str
    params: Mapping[str, ParamValue]
    link: str
    address: PostalAddress | None
    created_at: dt.datetime
    read_at: dt.datetime | None = None
    deliveries: tuple[Delivery, ...] = ()

    @property
    def unread(self) -> bool:
        return self.read_at is None


@dataclass(frozen=True)
class Preferences:
    """How a person wants to be told, besides their messages in the portal."""

    language: str
    email: str = ""
    email_on: bool = False
    letters_on: bool = True

    @property
    def channels(self) -> tuple[Channel, ...]:
        chosen = [Channel.PORTAL]
        if self.email_on and self.email:
            chosen.append(Channel.EMAIL)
        if self.letters_on:
            chosen.append(Channel.LETTER)
        return tuple(chosen)


@dataclass(frozen=True)
class Outgoing:
    """A delivery taken to be sent, with the message it carries."""

    delivery: Delivery
    message: Message = field(compare=False)


NO_ADDRESS = N_("The notice came without a postal address, so no letter could be made.")


def new_message_id() -> str:
    return f"msg-{secrets.token_hex(8)}"


def plan(
    message_id: str, notice: Notice, preferences: Preferences | None, at: dt.datetime
) -> list[Delivery]:
    """The deliveries of a new message: the portal at once, then email and letter as chosen."""
    chosen = preferences.channels if preferences else (Channel.PORTAL, Channel.LETTER)
    language = preferences.language if preferences else ""
    made = []
    for channel in chosen:
        state, problem = _at_once(channel, notice)
        made.append(
            Delivery(
                id=f"ntf-{secrets.token_hex(8)}",
                message_id=message_id,
                channel=channel,
                language=language,
                state=state,
                created_at=at,
                recipient=preferences.email if preferences and channel is Channel.EMAIL else "",
                next_attempt_at=at if state is DeliveryState.PENDING else None,
                sent_at=at if state is DeliveryState.DELIVERED else None,
                problem=problem,
            )
        )
    return made


def _at_once(channel: Channel, notice: Notice) -> tuple[DeliveryState, str]:
    """What is decided as the message is kept: the portal has it; a letter needs an address."""
    if channel is Channel.PORTAL:
        return DeliveryState.DELIVERED, ""
    if channel is Channel.LETTER and notice.address is None:
        return DeliveryState.FAILED, NO_ADDRESS
    return DeliveryState.PENDING, ""


# ---------------------------------------------------------------- checking notices

_NATIONAL_ID = re.compile(r"^[0-9]{9}$")
_TEMPLATE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
PLACEHOLDER = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_LINK = re.compile(r"^/(?!/)[A-Za-z0-9._~!$&'()*+,;=:@%/?-]{0,499}$")
MAX_KEY = 200
MAX_TEXT = 4000


def check_notices(notices: list[Notice] | tuple[Notice, ...]) -> None:
    """Every notice well formed, or :class:`InvalidInput` naming each problem (by index)."""
    problems: list[FieldError] = []
    for index, notice in enumerate(notices):
        problems += [FieldError((index, *e.path), e.message) for e in _problems(notice)]
    if problems:
        raise InvalidInput(
            N_("Some notices cannot be kept: {count} problem(s)."),
            hint=N_("Correct the notices named, then send them again; nothing was kept."),
            params={"count": len(problems)},
            errors=tuple(problems),
        )


def _problems(notice: Notice) -> list[FieldError]:
    found = []
    if not 0 < len(notice.key) <= MAX_KEY:
        found.append(FieldError(("key",), N_("Give a key of 1 to 200 characters.")))
    if not _NATIONAL_ID.match(notice.national_id):
        found.append(FieldError(("national_id",), N_("Give the nine-digit national number.")))
    if not _TEMPLATE_ID.match(notice.template):
        found.append(FieldError(("template",), N_("Give a template id like benefit-granted.")))
    if notice.link and not _LINK.match(notice.link):
        found.append(FieldError(("link",), N_("Give a portal path like /inbox/abc123.")))
    for name, value in notice.params.items():
        if not isinstance(name, str) or not PLACEHOLDER.match(name):
            found.append(FieldError(("params", str(name)), N_("Name it like amount_cents.")))
        elif not _fits(name, value):
            found.append(FieldError(("params", name), _WRONG_VALUE))
    if notice.address is not None and not all(notice.address.lines()[1:]):
        found.append(FieldError(("address",), N_("Give the street and the postcode.")))
    return found


_WRONG_VALUE = N_(
    "Give text, a whole number (cents for a name ending in _cents), or text per language."
)


def _fits(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return False
    if name.endswith("_cents"):
        return isinstance(value, int)
    if isinstance(value, int):
        return True
    if isinstance(value, str):
        return len(value) <= MAX_TEXT
    if isinstance(value, Mapping):
        return all(
            isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_TEXT
            for k, v in value.items()
        )
    return False
