"""The registers' consent services, through the once-only exchange, and which ones there are.

The portal may show and answer the consents of every register whose ``consent`` service
``exchange.yaml`` lets the portal call for the purpose ``consent-management``; a country
pack adds a register by giving it that service and the portal that right, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from civitas.consents.domain import PURPOSE, SERVICE, ConsentRegister
from civitas.core.errors import ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.exchange import ExchangeClient, ExchangeSetup, Received
from civitas.registries import MAX_VALIDITY_DAYS, RegistryDefinition


def consent_registers(
    setup: ExchangeSetup, registries: Sequence[RegistryDefinition]
) -> list[ConsentRegister]:
    """The registers whose consents the portal may show and answer, in exchange.yaml order."""
    if setup.portal is None:
        return []
    definitions = {f"{d.organisation}/{d.id}": d for d in registries}
    found: dict[str, ConsentRegister] = {}
    for client, service, purpose in setup.rights:
        party, _, name = service.rpartition("/")
        if (client, purpose, name) != (setup.portal.party, PURPOSE, SERVICE):
            continue
        if setup.address(service) is None or party in found:
            continue
        definition = definitions.get(party)
        found[party] = ConsentRegister(
            party=party,
            name=definition.name if definition else {"en": party},
            items={c.name: c.description for c in definition.columns} if definition else {},
            max_days=MAX_VALIDITY_DAYS,
        )
    return list(found.values())


class ExchangeConsentServices:
    """``ConsentServices`` over the portal's exchange client."""

    def __init__(self, exchange: Callable[[], ExchangeClient]) -> None:
        self.exchange = exchange  # looked up at each call: the client opens with the app

    async def consents(
        self, service: str, national_id: str, *, user: str, case: str, represented: str | None
    ) -> Sequence[Mapping[str, Any]]:
        answer = await self.exchange().get(
            service,
            national_id,
            purpose=PURPOSE,
            user=user,
            case=case,
            represented_party=represented,
        )
        found = _body(answer).get("consents", [])
        return (
            [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []
        )

    async def change(
        self,
        service: str,
        national_id: str,
        document: Mapping[str, object],
        *,
        user: str,
        case: str,
        represented: str | None,
    ) -> Mapping[str, Any]:
        answer = await self.exchange().post(
            service,
            document,
            national_id,
            purpose=PURPOSE,
            user=user,
            case=case,
            represented_party=represented,
        )
        return _body(answer)


def _body(answer: Received) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise ExternalServiceUnavailable(
            N_("A register sent an answer that cannot be read."),
            hint=N_("Try again in a few minutes."),
        )
    return body
