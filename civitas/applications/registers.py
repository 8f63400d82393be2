"""The registers, asked through the once-only exchange for the purpose of filling in forms.

Each call runs on the person's own behalf with the application as its case, so every
look-up appears in their "who used my data" with the purpose and the law. When someone
applies for them (a parent, a company owner, a delegate), that someone is the exchange
``user`` and the person the represented party.
"""

from __future__ import annotations

from collections.abc import Callable

from civitas.applications.domain import PURPOSE
from civitas.applications.ports import Records
from civitas.core.errors import CivitasError
from civitas.exchange import ExchangeClient
from civitas.registries import ask_registry


class ExchangeRegisters:
    def __init__(self, exchange: Callable[[], ExchangeClient]) -> None:
        self.exchange = exchange  # looked up at each call: the client opens with the app

    async def records(
        self,
        service: str,
        national_id: str,
        case: str,
        *,
        user: str | None = None,
        represented_party: str | None = None,
    ) -> Records | None:
        try:
            asked = await ask_registry(
                self.exchange(),
                service,
                national_id,
                purpose=PURPOSE,
                user=user or national_id,
                case=case,
                represented_party=represented_party,
            )
        except CivitasError:
            return None  # unreachable, refused or unsigned: the person types the facts
        return Records(asked.records, asked.message_id)
