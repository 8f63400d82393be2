"""The composition of one registry node: its own small composition root.

Each node is its own process (``civitas registry serve NAME``), so it does not go
through ``civitas.app``: it needs only its registry's data, a guard and the JSON
error shape. The data is loaded and verified before the app exists, so a node
with a corrupt or foreign file never starts answering.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from civitas import __version__
from civitas.core.text import pick
from civitas.registries.domain import RegistryDefinition
from civitas.registries.ports import AccessGuard, OpenAccessLog, RegistryData
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
) -> FastAPI:
    """The HTTP service of one registry; ``guard`` defaults to an open access log."""
    data = data or load_registry(definition, country_dir)
    node = RegistryNode(data, guard or OpenAccessLog())
    app = FastAPI(
        title=f"{pick(definition.name, 'en') or definition.id} registry node",
        version=__version__,
        description=pick(definition.description, "en"),
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.node = node
    install_json_error_handlers(app)
    app.include_router(registry_router(node))
    return app
