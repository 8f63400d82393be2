"""The event worker: reads the registers' feeds into the queue, and handles what waits.

Two steps, each safe to stop at any point:

1. *Reading*: each feed is read page by page from its stored cursor; a page is queued
   and the cursor moved on together (``EventQueue.publish``).
2. *Handling*: events are taken from the queue in batches; those already handled are
   skipped; the rest are decided (``EventHandler``) and settled by the store in one
   transaction (decisions, messages, the events marked handled); then acknowledged.

A register that does not answer stops the round; the next round goes on from where the
cursors and the queue stand. ``civitas proactive worker`` runs it as a process of its
own (``civitas run`` starts one), ``civitas proactive run-once`` runs one round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from civitas.core.errors import ExternalServiceUnavailable
from civitas.proactive.ports import DecisionStore, EventQueue, Feeds
from civitas.proactive.services import EventHandler

log = logging.getLogger("civitas.proactive")

PAGE = 1000  # events asked for in one feed page (the registers' largest)
BATCH = 200  # events handled in one transaction


@dataclass
class Round:
    """What one round did."""

    read: int = 0
    handled: int = 0
    decisions: int = 0


class Worker:
    def __init__(
        self,
        feeds: Feeds,
        queue: EventQueue,
        handler: EventHandler,
        store: DecisionStore,
        batch: int = BATCH,
    ) -> None:
        self.feeds = feeds
        self.queue = queue
        self.handler = handler
        self.store = store
        self.batch = batch

    async def read_feeds(self) -> int:
        """Queue every new event of every feed; how many pages' events were read."""
        read = 0
        for registry in self.feeds.registries:
            try:
                read += await self._read_feed(registry)
            except ExternalServiceUnavailable as error:  # the others are read all the same
                log.warning("the %s feed cannot be read now: %s", registry, error)
        return read

    async def _read_feed(self, registry: str) -> int:
        read, more = 0, True
        while more:
            page = await self.feeds.page(registry, self.queue.cursor(registry), PAGE)
            await self.queue.publish(registry, page.events, page.next)
            read += len(page.events)
            more = page.more and bool(page.events)
        return read

    async def handle_waiting(self) -> tuple[int, int]:
        """Handle every event waiting; how many events were handled and decisions kept."""
        handled = decisions = 0
        while received := await self.queue.take(self.batch):
            done = self.store.handled([r.event.key for r in received])
            fresh = [r for r in received if r.event.key not in done]
            settled = await self.handler.handle([r.event for r in fresh])
            decisions += len(self.store.settle(settled))
            await self.queue.done(received)
            handled += len(fresh)
        return handled, decisions

    async def round(self) -> Round:
        read = await self.read_feeds()
        handled, decisions = await self.handle_waiting()
        return Round(read, handled, decisions)

    async def run(self, stop: asyncio.Event, every: float) -> None:
        """A round every ``every`` seconds until ``stop`` is set."""
        while not stop.is_set():
            try:
                done = await self.round()
                if done.read or done.handled:
                    log.info(
                        "read %d events, handled %d, %d decisions",
                        done.read,
                        done.handled,
                        done.decisions,
                    )
            except ExternalServiceUnavailable as error:
                log.warning("a register did not answer; trying again: %s", error)
            except Exception:  # the worker must outlive one bad round (a database hiccup)
                log.exception("the round failed; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
