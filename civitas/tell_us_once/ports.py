"""What the tell-us-once use cases need: a store of changes and the address register."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from civitas.deliveries.domain import Parcel
from civitas.tell_us_once.domain import AddressChange


class ChangeStore(Protocol):
    def add(self, change: AddressChange, parcels: Sequence[Parcel]) -> AddressChange:
        """Keep the change and its deliveries at once; the change with its deliveries."""
        ...

    def of_person(self, national_id: str) -> list[AddressChange]:
        """The person's changes, newest first, each with its deliveries."""
        ...


class AddressRegister(Protocol):
    async def current(self, national_id: str, user: str, case: str) -> Mapping[str, str] | None:
        """The address the register holds now (street, house number, postcode,
        municipality); ``{}`` when it holds none, ``None`` when it could not be asked."""
        ...
