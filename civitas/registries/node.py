"""The composition of one registry node: its own small composition root.

Each node is its own process (``civitas registry serve NAME``), so it does not go
through ``civitas.app``: it needs only its registry's data, a guard and the JSON
error shape. The data is loaded and verified before the app exists, so a node
with a corrupt or foreign file never starts answering. While it runs, it follows
the country: a new period published by ``civitas country advance`` is loaded,
verified and swapped in without a restart (``reload.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from civitas import __version__
from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import pick
from civitas.exchange import ExchangeGate, Provider
from civitas.registries.domain import RegistryDefinition
from civitas.registries.exchange_guard import ROUTES, ExchangeGuard
from civitas.registries.inbox import Inbox
from civitas.registries.inbox_web import inbox_router
from civitas.registries.manifest import manifest_stamp
from civitas.registries.ports import AccessGuard, OpenAccessLog, RegistryData
from civitas.registries.reload import RELOAD_SECONDS, PeriodReloader
from civitas.registries.services import RegistryNode
from civitas.registries.store import LoadedRegistry
from civitas.registries.web import registry_router
from civitas.web import install_json_error_handlers


def load_registry(definition: RegistryDefinition, country_dir: Path) -> LoadedRegistry:
    """The registry's data, verified against the manifest (raises when refused)."""
    return LoadedRegistry(definition, country_dir)


def create_registry_app(
    definition: RegistryDefinition,
    country_dir: Path,
    guard: AccessGuard | None = None,
    data: RegistryData | None = None,
    exchange: Provider | None = None,
    inbox: Inbox | None = None,
    reload_seconds: float = RELOAD_SECONDS,
) -> FastAPI:
    """The HTTP service of one registry; ``guard`` defaults to an open access log.

    Loaded from ``country_dir`` (no ``data`` given), the node looks at the country's
    manifest every ``reload_seconds`` while it runs and serves each new period once it
    passed every check (0 turns that off). The reloader is ``app.state.reloader``.

    With ``exchange`` (the provider side of the node's subsystem), the node answers only
    verified exchange calls under ``/r1/``: the exchange gate sits in front of the routes
    and the guard is the :class:`ExchangeGuard`. Stopping the app seals the message log.
    With ``inbox`` too, the node receives notices and keeps consents (``INBOX_ROUTES``).
    """
    if exchange is not None and exchange.me.party != f"{definition.organisation}/{definition.id}":
        raise InvalidInput(
            N_("The {registry} registry is served as {party} in the exchange, not as {given}."),
            hint=N_("Open the exchange provider of the registry's own organisation and id."),
            params={
                "registry": definition.id,
                "party": f"{definition.organisation}/{definition.id}",
                "given": exchange.me.party,
            },
        )
    follows = data is None and reload_seconds > 0
    stamp = manifest_stamp(country_dir)  # before loading: a period published meanwhile
    data = data or load_registry(definition, country_dir)  # is found on the first look
    if exchange is not None:
        guard = ExchangeGuard(exchange, definition, inbox)
    node = RegistryNode(data, guard or OpenAccessLog())
    reloader: PeriodReloader | None = None
    if follows:
        reloader = PeriodReloader(
            node,
            country_dir,
            lambda: load_registry(definition, country_dir),
            stamp,
            reload_seconds,
            swapped=gc.freeze,  # the new period lives long too (see the lifespan)
        )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What exists now (modules, the app, the loaded registry) lives as long as the node:
        # frozen, the collector's full passes skip it instead of pausing every answer in
        # flight for tens of milliseconds. Unfrozen at the end, for a test's process.
        gc.freeze()
        following = asyncio.create_task(reloader.run()) if reloader else None
        try:
            yield
        finally:
            if following is not None:
                following.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await following
            gc.unfreeze()
            if exchange is not None:
                exchange.close()

    app = FastAPI(
        title=f"{pick(definition.name, 'en') or definition.id} registry node",
        version=__version__,
        description=pick(definition.description, "en"),
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.node = node
    app.state.reloader = reloader
    install_json_error_handlers(app)
    app.include_router(registry_router(node))
    if exchange is not None and inbox is not None:
        app.include_router(inbox_router(inbox))
    if exchange is not None:
        app.add_middleware(ExchangeGate, provider=exchange, routes=ROUTES)
    return app
