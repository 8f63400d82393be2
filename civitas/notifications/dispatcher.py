"""The dispatcher: sends due emails and letters, and notes how each went.

The portal runs one in the background (``run``); tests call ``send_due`` directly. A
channel that cannot work now (no mail server set, WeasyPrint without Pango) leaves its
deliveries waiting, untried, with the reason; they go as soon as it can. A failure
that trying later may mend is tried again after 30 s, 1 min, 2 min ... at most every
hour, and after ``MOST_ATTEMPTS`` the delivery has failed, the problem kept. A refusal
(the mail server refuses the address) fails at once.

Sending is at least once: a dispatcher that stops between sending and noting it sends
again after the lease. An email then carries the same Message-ID, so a mail system
shows one message; a letter is written to the same file.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from civitas.core.clock import Clock
from civitas.core.errors import CivitasError, ExternalServiceUnavailable
from civitas.core.rounds import pause_after, run_rounds
from civitas.notifications.domain import DONE, MOST_ATTEMPTS, Message, Outgoing
from civitas.notifications.ports import Outbox, Sender, Written
from civitas.notifications.templates import Filled, Templates

log = logging.getLogger("civitas.notifications")

BATCH = 50
PREFERENCES_PATH = "/account/notifications"
AT_ONCE = 4  # deliveries in flight together (SMTP connections, letters being made)


class Dispatcher:
    def __init__(
        self,
        outbox: Outbox,
        senders: Sequence[Sender],
        templates: Templates,
        clock: Clock,
        portal_url: str,
    ) -> None:
        self.outbox = outbox
        self.senders = {sender.channel: sender for sender in senders}
        self.templates = templates
        self.clock = clock
        self.portal_url = portal_url
        self._woken = asyncio.Event()

    def wake(self) -> None:
        """Send at once rather than at the next round (something was just kept)."""
        self._woken.set()

    async def send_due(self, limit: int = BATCH) -> int:
        """Try every delivery due now (up to ``limit``); how many were sent or printed."""
        ready = []
        due = self.outbox.due(self.clock.now())
        for channel, sender in self.senders.items():
            if channel not in due:
                continue  # nothing to send: the sender is not even asked (no WeasyPrint loaded)
            problem = sender.unavailable()
            if problem:
                self.outbox.hold(channel, problem)
            else:
                ready.append(channel)
        if not ready:
            return 0
        taken = self.outbox.take_due(self.clock.now(), limit, ready)
        in_flight = asyncio.Semaphore(AT_ONCE)
        results = await asyncio.gather(*(self._send(o, in_flight) for o in taken))
        return sum(results)

    async def _send(self, outgoing: Outgoing, in_flight: asyncio.Semaphore) -> bool:
        delivery, message = outgoing.delivery, outgoing.message
        sender = self.senders[delivery.channel]
        language = self.templates.language(delivery.language)
        try:
            filled = self.templates.fill(message.template, message.params, language)
            async with in_flight:
                await sender.send(outgoing, written(filled, message, self.portal_url))
        except ExternalServiceUnavailable as error:
            problem = error.render()[0]
            if delivery.attempts + 1 >= MOST_ATTEMPTS:
                self.outbox.failed(delivery.id, problem)
                log.error("%s %s failed for good: %s", delivery.channel, delivery.id, problem)
            else:
                until = self.clock.now() + pause_after(delivery.attempts + 1)
                self.outbox.retry(delivery.id, until, problem)
                log.warning("%s %s postponed: %s", delivery.channel, delivery.id, problem)
            return False
        except CivitasError as error:
            self.outbox.failed(delivery.id, error.render()[0])
            log.error("%s %s failed: %s", delivery.channel, delivery.id, error)
            return False
        self.outbox.done(delivery.id, DONE[delivery.channel], self.clock.now(), language)
        return True

    async def run(self, stop: asyncio.Event, every: float) -> None:
        """Send due deliveries every ``every`` seconds, and when woken, until ``stop`` is set."""
        await run_rounds(self.send_due, self._woken, stop, every, log)


def written(filled: Filled, message: Message, portal_url: str) -> Written:
    """What a delivery of ``message`` says: ``filled``, and the portal pages it points to in
    full, in the language it is written in."""
    base = f"{portal_url.rstrip('/')}/{filled.language}"
    return Written(
        filled,
        f"{base}/messages/{message.id}",
        f"{base}{message.link}" if message.link else "",
        f"{base}{PREFERENCES_PATH}",
    )
