"""The proactive services wired: the event worker (``civitas proactive worker``, ``run-once``)
and where the take-up scan's offers go (``civitas proactive scan --send``).

The worker calls the registers as the exchange subsystem the pack's ``proactive.yaml``
names (``civil-registry/proactive``), keeps its events and decisions in the
operational database, and queues events in the database or, when
``event_broker_url`` is set, in NATS JetStream. It runs as a process of its own:
``civitas run`` starts one next to the portal and the registry nodes.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Engine

from civitas.catalogue import load_catalogue
from civitas.config import Settings
from civitas.core.clock import Clock, SystemClock
from civitas.db import create_engine_for, migrate
from civitas.exchange import ExchangeClient, ensure_keys, open_consumer
from civitas.portal_exchange import pack_exchange, pack_registries, registry_locations
from civitas.proactive.assess import service_variables
from civitas.proactive.feeds import ExchangeFeeds
from civitas.proactive.places import municipality_names
from civitas.proactive.plan import plan_of
from civitas.proactive.queues import open_queue
from civitas.proactive.registers import ExchangeRegisters
from civitas.proactive.scan_offers import ScanOffers
from civitas.proactive.services import EventHandler
from civitas.proactive.store import SqlDecisionStore
from civitas.proactive.worker import BATCH, Round, Worker
from civitas.rules import load_rules


@asynccontextmanager
async def opened_worker(
    settings: Settings, clock: Clock | None = None, batch: int = BATCH
) -> AsyncIterator[Worker]:
    """A worker over the settings' pack, database, registers and queue; closed after."""
    clock = clock or SystemClock()
    pack = settings.country_pack
    catalogue = load_catalogue(pack)
    registries = pack_registries(settings)
    plan = plan_of(pack, catalogue, registries)
    setup = pack_exchange(settings)
    engine: Engine = create_engine_for(settings.resolved_database_url)
    migrate(engine)
    member, subsystem = plan.client.split("/", 1)
    if setup is not None:
        ensure_keys(settings.data_dir, setup.member_codes)
    consumer = open_consumer(pack, settings.data_dir, member, subsystem, clock=clock, setup=setup)
    client = ExchangeClient(consumer, registry_locations(settings, registries))
    parties = {d.id: f"{d.organisation}/{d.id}" for d in registries}
    store = SqlDecisionStore(engine, clock.now)
    queue = await open_queue(settings, engine, clock.now)
    registers = ExchangeRegisters(lambda: client, parties, municipality_names(pack))
    handler = EventHandler(plan, load_rules(pack), registers, store, clock)
    try:
        yield Worker(ExchangeFeeds(lambda: client, parties), queue, handler, store, batch)
    finally:
        await queue.close()
        await client.aclose()
        consumer.close()  # seals the worker's message log
        engine.dispose()


def run_once(settings: Settings) -> Round:
    """One round: every feed read, every waiting event handled."""

    async def main() -> Round:
        async with opened_worker(settings) as worker:
            return await worker.round()

    return asyncio.run(main())


def run_worker(settings: Settings, every: float, batch: int = BATCH) -> None:
    """Rounds every ``every`` seconds until SIGINT or SIGTERM."""

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        async with opened_worker(settings, batch=batch) as worker:
            await worker.run(stop, every)

    asyncio.run(main())


def scan_offers(settings: Settings) -> ScanOffers:
    """Where ``civitas proactive scan --send`` keeps its offers: the decisions store."""
    pack = settings.country_pack
    catalogue = load_catalogue(pack)
    engine = create_engine_for(settings.resolved_database_url)
    migrate(engine)
    clock = SystemClock()
    laws = {service: v.reference for service, v in service_variables(load_rules(pack)).items()}
    names = {s.id: dict(s.name) for s in catalogue.services.values()}
    return ScanOffers(SqlDecisionStore(engine, clock.now), names, laws, clock)
