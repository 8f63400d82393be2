"""The address register, asked through the once-only exchange for the address held now."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from civitas.core.errors import CivitasError
from civitas.exchange import ExchangeClient
from civitas.registries import ask_registry

ADDRESSES = "civil-registry/addresses/person"
PURPOSE = "prefill-application"  # the form starts from what the state holds
ITEMS = ("street", "house_number", "postcode", "municipality")


class ExchangeAddressRegister:
    def __init__(self, exchange: Callable[[], ExchangeClient]) -> None:
        self.exchange = exchange  # looked up at each call: the client opens with the app

    async def current(self, national_id: str, user: str, case: str) -> Mapping[str, str] | None:
        try:
            asked = await ask_registry(
                self.exchange(), ADDRESSES, national_id, purpose=PURPOSE, user=user, case=case
            )
        except CivitasError:
            return None  # unreachable or refused: the page says so, the form still works
        if not asked.records:
            return {}
        record = asked.records[0]
        return {item: str(record[item]) for item in ITEMS if record.get(item) is not None}
