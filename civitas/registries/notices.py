"""What agencies are told, as opposed to what they are asked: notices a register receives.

Two kinds arrive through the once-only exchange from the citizen portal:

- a **reported error**: a person says a fact the register gave for a form is wrong (the
  record, the item, what the register says and what the person says);
- an **address change** (tell us once): a person moved, told the state once, and every
  agency that legally needs the address is told.

A register keeps each notice in its inbox for its clerks, who check it and correct the
record by their own procedure (the correction then reaches the change feed). Receiving
a notice never changes a record by itself: a person's word is evidence, not a fact.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_


class NoticeKind(enum.StrEnum):
    REPORTED_ERROR = "reported-error"
    ADDRESS_CHANGE = "address-change"


ADDRESS_ITEMS = ("street", "house_number", "postcode", "municipality", "moved_on")
ERROR_ITEMS = ("record", "item", "registered", "reported")

NOTICE_ITEMS: dict[NoticeKind, tuple[str, ...]] = {
    NoticeKind.REPORTED_ERROR: ("national_id", *ERROR_ITEMS),
    NoticeKind.ADDRESS_CHANGE: ("national_id", *ADDRESS_ITEMS),
}
"""The data items of each notice service (checked against exchange.yaml's rights)."""

MAX_TEXT = 200


@dataclass(frozen=True)
class Notice:
    """One notice as the register keeps it."""

    message_id: str  # the exchange message it came in: one notice per message
    kind: NoticeKind
    national_id: str
    details: Mapping[str, str]
    sender: str  # the client subsystem, member/subsystem
    user: str  # on whose behalf it was sent
    case: str
    received_at: dt.datetime


def read_details(kind: NoticeKind, document: object, columns: tuple[str, ...]) -> dict[str, str]:
    """The details of a notice of ``kind`` from its JSON ``document``, checked.

    ``columns`` are the register's columns: a reported error must name one of them.
    Raises :class:`InvalidInput` naming every field that is missing, unknown or wrong.
    """
    if not isinstance(document, dict):
        raise InvalidInput(
            N_("Send the notice as a JSON object."),
            hint=N_("Give the fields {fields}."),
            params={"fields": ", ".join(_fields(kind))},
            errors=(FieldError(("body",), N_("Not a JSON object.")),),
        )
    problems: list[FieldError] = []
    details: dict[str, str] = {}
    for name in _fields(kind):
        value = document.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append(FieldError(("body", name), N_("Required text.")))
        elif len(value) > MAX_TEXT:
            problems.append(FieldError(("body", name), N_("Too long.")))
        else:
            details[name] = value.strip()
    for name in sorted(set(document) - set(_fields(kind))):
        problems.append(FieldError(("body", str(name)[:40]), N_("Unknown field.")))
    if kind is NoticeKind.REPORTED_ERROR and details.get("item", columns[0]) not in columns:
        problems.append(FieldError(("body", "item"), N_("This register keeps no such item.")))
    if kind is NoticeKind.ADDRESS_CHANGE and "moved_on" in details:
        try:
            dt.date.fromisoformat(details["moved_on"])
        except ValueError:
            problems.append(FieldError(("body", "moved_on"), N_("Write the date as YYYY-MM-DD.")))
    if problems:
        raise InvalidInput(
            N_("The notice cannot be accepted: {count} field(s) to correct."),
            hint=N_("Correct the fields named in errors and send it again."),
            params={"count": len(problems)},
            errors=tuple(problems),
        )
    return details


def _fields(kind: NoticeKind) -> tuple[str, ...]:
    return ERROR_ITEMS if kind is NoticeKind.REPORTED_ERROR else ADDRESS_ITEMS


def notice_json(notice: Notice) -> dict[str, Any]:
    return {
        "message_id": notice.message_id,
        "kind": notice.kind.value,
        "national_id": notice.national_id,
        "details": dict(notice.details),
        "sender": notice.sender,
        "user": notice.user,
        "case": notice.case,
        "received_at": notice.received_at.isoformat(),
    }
