"""A delivery: one document for one agency's service, and where its sending stands.

Deliveries are written in the same transaction as what they come from (an address
change, an application's corrections), so nothing told is lost and nothing is sent for
what was not kept. A courier sends them through the exchange: at least once, since a
crash between sending and noting it sends again; the register sees the same delivery
reference (the exchange case) and can tell.

An unreachable agency is tried again later, with growing pauses; an agency that refuses
(the document is wrong, or the portal has no right) is not: retrying would not help,
and the person sees the refusal.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

LEASE = dt.timedelta(minutes=2)  # a courier that took a delivery and died frees it after this


class DeliveryState(enum.StrEnum):
    PENDING = "pending"  # not delivered yet (never tried, or the agency did not answer)
    DELIVERED = "delivered"
    REFUSED = "refused"  # the agency refused it: retrying would not help


@dataclass(frozen=True)
class Parcel:
    """What to deliver: a document for a service, on a person's behalf, for a purpose."""

    service: str  # member/subsystem/service, e.g. tax-authority/tax/address-change
    national_id: str  # whom it is about (the address of the call)
    document: Mapping[str, str]
    purpose: str
    user: str  # on whose behalf it is sent
    topic: str  # what it belongs to, e.g. "address-change:<id>", "application:<id>"


@dataclass(frozen=True)
class Delivery:
    id: str  # also the exchange case reference: the register sees a repeat as one
    parcel: Parcel
    created_at: dt.datetime
    state: DeliveryState = DeliveryState.PENDING
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    message_id: str = ""  # the exchange message that delivered it
    problem: str = ""  # the last failure or the refusal, in words

    @property
    def member(self) -> str:
        return self.parcel.service.split("/", 1)[0]


def new_delivery(parcel: Parcel, at: dt.datetime) -> Delivery:
    return Delivery(f"dlv-{secrets.token_hex(8)}", parcel, at, next_attempt_at=at)
