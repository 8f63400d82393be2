"""The headers of an exchange call: names, and the checks that read them.

Requests carry X-Road's client and message headers plus Civitas' purpose, legal
basis and signature; every header listed in :data:`BOUND` is covered by the
client's signature, so none can be changed or added on the way. Answers carry the
request id and hash, an error code on errors, and the provider's signature.

Header values are plain printable ASCII: anything else is refused, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from civitas.core.errors import FieldError
from civitas.core.i18n import N_
from civitas.exchange.addresses import SubsystemId, parse_client, parse_represented_party
from civitas.exchange.errors import BadCall

_T = TypeVar("_T")

VERSION = 1
"""Version of the signed claims (``v``) of requests and answers."""

# Request headers (lower case, as ASGI gives them)
CLIENT = "x-road-client"
MESSAGE_ID = "x-road-id"
USER = "x-road-userid"
ISSUE = "x-road-issue"
REPRESENTED_PARTY = "x-road-represented-party"
PURPOSE = "x-civitas-purpose"
LEGAL_BASIS = "x-civitas-legal-basis"
HIDE_UNTIL = "x-civitas-hide-until"
SIGNATURE = "x-civitas-signature"  # on requests (by the client) and answers (by the provider)

# Answer headers
REQUEST_ID = "x-road-request-id"
REQUEST_HASH = "x-road-request-hash"
SERVICE = "x-road-service"
ERROR = "x-road-error"

BOUND = (CLIENT, MESSAGE_ID, USER, ISSUE, REPRESENTED_PARTY, PURPOSE, LEGAL_BASIS, HIDE_UNTIL)
"""The request headers the client's signature covers."""

DISPLAY = {
    CLIENT: "X-Road-Client",
    MESSAGE_ID: "X-Road-Id",
    USER: "X-Road-UserId",
    ISSUE: "X-Road-Issue",
    REPRESENTED_PARTY: "X-Road-Represented-Party",
    PURPOSE: "X-Civitas-Purpose",
    LEGAL_BASIS: "X-Civitas-Legal-Basis",
    HIDE_UNTIL: "X-Civitas-Hide-Until",
    SIGNATURE: "X-Civitas-Signature",
}
REQUIRED = (CLIENT, MESSAGE_ID, USER, ISSUE, PURPOSE, LEGAL_BASIS, SIGNATURE)

_MESSAGE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_PURPOSE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TEXT = re.compile(r"^[\x20-\x7e]{1,500}$")  # printable ASCII
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
MAX_SIGNATURE = 8192
_FORMATS = (
    (MESSAGE_ID, _MESSAGE_ID, N_("Use 1 to 128 letters, digits, '.', '_', ':' or '-'.")),
    (PURPOSE, _PURPOSE, N_("Use the id of a purpose of the exchange, like 'own-data'.")),
    (USER, _TEXT, N_("Use printable ASCII, at most 500 characters.")),
    (ISSUE, _TEXT, N_("Use printable ASCII, at most 500 characters.")),
    (LEGAL_BASIS, _TEXT, N_("Use printable ASCII, at most 500 characters.")),
    (SIGNATURE, _JWS, N_("Expected a compact JWS (three base64url parts joined by dots).")),
)
"""How each checked header is written, and the message when it is not."""


@dataclass(frozen=True)
class CallHeaders:
    """The exchange headers of one request, each checked."""

    client: SubsystemId
    message_id: str
    user: str
    issue: str
    purpose: str
    legal_basis: str
    signature: str
    represented_party: str | None
    hide_until: date | None
    bound: dict[str, str]  # the bound headers present, as sent


def _problem(name: str, message: str) -> FieldError:
    return FieldError(("headers", DISPLAY[name]), message)


def parse_call_headers(pairs: Iterable[tuple[str, str]]) -> CallHeaders:
    """The exchange headers among ``pairs`` (lower-case names); :class:`BadCall` listing
    every missing, repeated or malformed one."""
    values: dict[str, str] = {}
    problems: list[FieldError] = []
    for name, value in pairs:
        if name not in DISPLAY:
            continue
        if name in values:
            problems.append(_problem(name, N_("Sent more than once; send it once.")))
        values[name] = value
    for name in REQUIRED:
        if not values.get(name, "").strip():
            problems.append(_problem(name, N_("Missing; every exchange request needs it.")))
    for name, pattern, message in _FORMATS:
        value = values.get(name, "")
        if value.strip() and (not pattern.match(value) or len(value) > MAX_SIGNATURE):
            problems.append(_problem(name, message))
    client = _parsed(values, CLIENT, problems, parse_client)
    represented = _parsed(values, REPRESENTED_PARTY, problems, parse_represented_party)
    hide_until = _parsed(values, HIDE_UNTIL, problems, _parse_date)
    if problems or client is None:
        shown = ", ".join(dict.fromkeys(str(p.path[-1]) for p in problems))
        raise BadCall(
            N_("The exchange headers of this request cannot be used: {headers}."),
            hint=N_("Send each header once, written as the exchange protocol says."),
            params={"headers": shown},
            errors=tuple(problems),
        )
    return CallHeaders(
        client=client,
        message_id=values[MESSAGE_ID],
        user=values[USER],
        issue=values[ISSUE],
        purpose=values[PURPOSE],
        legal_basis=values[LEGAL_BASIS],
        signature=values[SIGNATURE],
        represented_party=represented,
        hide_until=hide_until,
        bound={name: values[name] for name in BOUND if name in values},
    )


def _parse_date(text: str) -> date:
    if not _DATE.match(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _parsed(
    values: dict[str, str],
    name: str,
    problems: list[FieldError],
    parse: Callable[[str], _T],
) -> _T | None:
    """``parse`` of the header's value; ``None`` when absent or malformed (noted in problems)."""
    value = values.get(name)
    if value is None or not value.strip():
        return None
    try:
        return parse(value)
    except BadCall as error:
        problems.extend(error.errors)
    except ValueError:
        problems.append(_problem(name, N_("Expected a date written YYYY-MM-DD.")))
    return None
