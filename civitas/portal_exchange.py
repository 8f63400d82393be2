"""The portal's side of the once-only exchange: opened when the portal starts, closed after.

On one machine (the embedded default) every organisation's key is made here on first
start, so that the registry nodes and the portal can sign and check each other; an
installation across organisations gives each its own key and trust list instead.
Registry node ``n`` of the pack listens on ``registry_port_base + n``, unless
``registry_urls`` says otherwise.
"""

from __future__ import annotations

from civitas.config import Settings
from civitas.core.clock import Clock
from civitas.core.errors import ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.exchange import (
    EXCHANGE_FILE,
    ExchangeClient,
    ExchangeSetup,
    ensure_keys,
    load_exchange,
    open_consumer,
)
from civitas.registries import REGISTRIES_FILE, RegistryDefinition, load_registry_definitions


def registry_locations(
    settings: Settings, definitions: tuple[RegistryDefinition, ...]
) -> dict[str, str]:
    """Where each registry node listens, by its exchange party (``member/subsystem``)."""
    return {
        f"{definition.organisation}/{definition.id}": settings.registry_urls.get(
            definition.id, f"http://{settings.host}:{settings.registry_port_base + position}"
        )
        for position, definition in enumerate(definitions)
    }


def pack_registries(settings: Settings) -> tuple[RegistryDefinition, ...]:
    """The pack's registries; none for a pack that describes only services."""
    if not (settings.country_pack / REGISTRIES_FILE).exists():
        return ()
    return load_registry_definitions(settings.country_pack)


def pack_exchange(settings: Settings) -> ExchangeSetup | None:
    """The pack's exchange; None for a pack without one."""
    if not (settings.country_pack / EXCHANGE_FILE).exists():
        return None
    return load_exchange(settings.country_pack)


class PortalExchange:
    """Holds the portal's exchange client while the portal runs.

    The pack's exchange and registries are read once, here, for every part of the
    portal that needs them (data use, applications, the client itself).
    """

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock
        self.setup = pack_exchange(settings)
        self.registries = pack_registries(settings)
        self._client: ExchangeClient | None = None

    def open(self) -> None:
        setup, settings = self.setup, self.settings
        if setup is None or setup.portal is None:
            return  # no exchange, or no part in it: pages that need one say it is unavailable
        ensure_keys(settings.data_dir, setup.member_codes)
        consumer = open_consumer(
            settings.country_pack,
            settings.data_dir,
            setup.portal.member,
            setup.portal.subsystem,
            clock=self.clock,
            setup=setup,
        )
        locations = registry_locations(settings, self.registries)
        self._client = ExchangeClient(consumer, locations)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client.consumer.close()
            self._client = None

    @property
    def client(self) -> ExchangeClient:
        if self._client is None:
            raise ExternalServiceUnavailable(
                N_("The portal cannot ask other agencies for data at the moment."),
                hint=N_("Try again in a few minutes."),
            )
        return self._client
