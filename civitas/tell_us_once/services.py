"""The tell-us-once use cases: show the address held now, take a new one, follow its delivery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from civitas.core.clock import Clock
from civitas.core.errors import NotFound
from civitas.core.i18n import N_
from civitas.deliveries.domain import Delivery
from civitas.exchange import ExchangeSetup
from civitas.tell_us_once.domain import (
    NOTICE,
    PURPOSE,
    AddressChange,
    new_change,
    parcels,
    read_new_address,
)
from civitas.tell_us_once.ports import AddressRegister, ChangeStore


def recipients(setup: ExchangeSetup) -> tuple[str, ...]:
    """The agencies' services the law says must hear of a new address: those the portal has
    a right to call for the purpose ``tell-us-once``, in the order exchange.yaml lists them."""
    portal = setup.portal.party if setup.portal else ""
    return tuple(
        service
        for (client, service, purpose) in setup.rights
        if client == portal and purpose == PURPOSE and service.endswith(f"/{NOTICE}")
    )


class TellUsOnce:
    def __init__(
        self,
        store: ChangeStore,
        register: AddressRegister,
        recipients: Sequence[str],
        clock: Clock,
    ) -> None:
        self.store = store
        self.register = register
        self.recipients = tuple(recipients)
        self.clock = clock

    async def current_address(self, national_id: str, user: str) -> Mapping[str, str] | None:
        return await self.register.current(national_id, user, case=f"{NOTICE}:{national_id}")

    def tell(self, national_id: str, told_by: str, form: Mapping[str, str]) -> AddressChange:
        """Keep the new address and a delivery for every agency that needs it."""
        now = self.clock.now()
        address = read_new_address(form, now.date())
        change = new_change(national_id, told_by, address, now)
        return self.store.add(change, parcels(change, self.recipients))

    def changes(self, national_id: str) -> list[AddressChange]:
        """The person's changes, newest first, each agency in the law's order."""
        order = {service: place for place, service in enumerate(self.recipients)}

        def in_order(delivery: Delivery) -> int:
            return order.get(delivery.parcel.service, len(order))

        return [
            replace(c, deliveries=tuple(sorted(c.deliveries, key=in_order)))
            for c in self.store.of_person(national_id)
        ]

    def change(self, national_id: str, change_id: str) -> AddressChange:
        """One of the person's changes; someone else's is as if it did not exist."""
        for change in self.changes(national_id):
            if change.id == change_id:
                return change
        raise NotFound(
            N_("We have no change of address with that reference."),
            hint=N_("See the list of the addresses you told us."),
        )
