"""Tell us once: a new address, given once, for every agency that legally needs it.

The person gives the address and the day they moved; the portal keeps the change and,
in the same transaction, one delivery for each agency that the exchange's access rights
name for the purpose ``tell-us-once`` (the law's list, in ``exchange.yaml``). The
address register is one of them; it records the address by its own procedure.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.deliveries.domain import Delivery, Parcel

SERVICE_ID = "change-of-address"  # the catalogue service this journey delivers
PURPOSE = "tell-us-once"  # the exchange purpose, with its law
NOTICE = "address-change"  # the agencies' service that receives it
EARLIEST = dt.timedelta(days=365)  # a move told more than a year late is a desk matter
LATEST = dt.timedelta(days=90)  # a move can be told up to three months ahead

_HOUSE_NUMBER = re.compile(r"^[0-9]{1,5}[A-Za-z]?$")
_POSTCODE = re.compile(r"^[0-9]{4}-[0-9]{3}$")
MAX_TEXT = 100
FIELDS = ("street", "house_number", "postcode", "municipality", "moved_on")


@dataclass(frozen=True)
class NewAddress:
    street: str
    house_number: str
    postcode: str
    municipality: str
    moved_on: dt.date


@dataclass(frozen=True)
class AddressChange:
    id: str
    national_id: str  # who moved
    told_by: str  # who told (themselves, or someone acting for them)
    address: NewAddress
    told_at: dt.datetime
    deliveries: tuple[Delivery, ...] = ()

    @property
    def delivered(self) -> int:
        return sum(1 for d in self.deliveries if d.delivered_at is not None)


def read_new_address(form: Mapping[str, str], today: dt.date) -> NewAddress:
    """The address in ``form``, checked; :class:`InvalidInput` naming each field to correct."""
    values = {name: " ".join(form.get(name, "").split()) for name in FIELDS}
    problems: list[FieldError] = []

    def wrong(name: str, message: str) -> None:
        problems.append(FieldError((name,), message))

    if not values["street"]:
        wrong("street", N_("Enter the street."))
    if not values["municipality"]:
        wrong("municipality", N_("Enter the municipality."))
    for name in ("street", "municipality"):
        if len(values[name]) > MAX_TEXT:
            wrong(name, N_("Shorten it to at most 100 characters."))
    if not _HOUSE_NUMBER.match(values["house_number"]):
        wrong("house_number", N_("Enter the house number, like 12 or 12A."))
    if not _POSTCODE.match(values["postcode"]):
        wrong("postcode", N_("Enter the postcode like 1200-001."))
    moved_on = _day(values["moved_on"])
    if moved_on is None:
        wrong("moved_on", N_("Enter the day you moved like 2026-03-31."))
    elif moved_on < today - EARLIEST:
        wrong("moved_on", N_("A move more than a year ago is changed at a Citizen Shop."))
    elif moved_on > today + LATEST:
        wrong("moved_on", N_("Tell us at most three months before you move."))
    if problems:
        raise InvalidInput(
            N_("Check your new address: {count} answer(s) to correct."),
            hint=N_("Correct the answers marked below, then send them again."),
            params={"count": len(problems)},
            errors=tuple(problems),
        )
    assert moved_on is not None
    return NewAddress(
        values["street"],
        values["house_number"],
        values["postcode"],
        values["municipality"],
        moved_on,
    )


def new_change(
    national_id: str, told_by: str, address: NewAddress, at: dt.datetime
) -> AddressChange:
    return AddressChange(f"move-{secrets.token_hex(8)}", national_id, told_by, address, at)


def parcels(change: AddressChange, recipients: Sequence[str]) -> list[Parcel]:
    """One document for each agency's ``address-change`` service."""
    address = change.address
    document = {
        "street": address.street,
        "house_number": address.house_number,
        "postcode": address.postcode,
        "municipality": address.municipality,
        "moved_on": address.moved_on.isoformat(),
    }
    return [
        Parcel(service, change.national_id, document, PURPOSE, change.told_by, topic(change.id))
        for service in recipients
    ]


def topic(change_id: str) -> str:
    return f"{NOTICE}:{change_id}"


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
