"""The courier: sends due deliveries through the exchange and notes how each went.

The portal runs one in the background (``run``); tests and ``civitas deliveries send``
call ``send_due`` directly. Every attempt is a signed, logged exchange call, so the
portal's and the agency's message logs both hold it.
"""

from __future__ import annotations

import asyncio
import logging

from civitas.core.clock import Clock
from civitas.core.errors import CivitasError, ExternalServiceUnavailable
from civitas.core.rounds import pause_after, run_rounds
from civitas.deliveries.domain import Delivery
from civitas.deliveries.ports import Agencies, DeliveryStore

log = logging.getLogger("civitas.deliveries")

BATCH = 50


class Courier:
    def __init__(self, store: DeliveryStore, agencies: Agencies, clock: Clock) -> None:
        self.store = store
        self.agencies = agencies
        self.clock = clock
        self._woken = asyncio.Event()

    def wake(self) -> None:
        """Send at once rather than at the next round (something was just told)."""
        self._woken.set()

    async def send_due(self, limit: int = BATCH) -> int:
        """Try every delivery due now (up to ``limit``); how many were delivered."""
        taken = self.store.take_due(self.clock.now(), limit)
        results = await asyncio.gather(*(self._send(d) for d in taken))
        return sum(results)

    async def _send(self, delivery: Delivery) -> bool:
        try:
            message_id = await self.agencies.deliver(delivery)
        except ExternalServiceUnavailable as error:
            attempts = delivery.attempts + 1
            until = self.clock.now() + pause_after(attempts)
            self.store.postponed(delivery.id, until, error.render()[0])
            log.warning("delivery %s to %s postponed: %s", delivery.id, delivery.member, error)
            return False
        except CivitasError as error:
            self.store.refused(delivery.id, self.clock.now(), error.render()[0])
            log.error("delivery %s refused by %s: %s", delivery.id, delivery.member, error)
            return False
        self.store.delivered(delivery.id, self.clock.now(), message_id)
        return True

    async def run(self, stop: asyncio.Event, every: float) -> None:
        """Send due deliveries every ``every`` seconds, and when woken, until ``stop`` is set."""
        await run_rounds(self.send_due, self._woken, stop, every, log)
