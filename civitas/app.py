"""The composition root: the only place that builds and wires the blocks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

from civitas import __version__
from civitas.blocks import template_dirs
from civitas.catalogue import Catalogue, CatalogueSearch, load_catalogue, search_index_for
from civitas.catalogue.api import api_router, without_default_validation_response
from civitas.catalogue.web import pages_router
from civitas.config import Settings
from civitas.core.clock import Clock, SystemClock
from civitas.core.i18n import load_translators
from civitas.db import create_engine_for, migrate
from civitas.rules import RULES_FOLDER, RuleBook, load_rules
from civitas.rules.api import rules_api_router
from civitas.rules.web import SCREENER_PATH, screener_router
from civitas.web import BodySizeLimit, Renderer, Site, install_error_handlers, refuse_too_large
from civitas.web.rendering import WEB_TEMPLATES
from civitas.web.theme import LOGO_URL, theme_router

STATIC_DIR = WEB_TEMPLATES.parent / "static"


@dataclass(frozen=True)
class Platform:
    """Everything the running platform is made of, built once from the settings."""

    settings: Settings
    engine: Engine
    catalogue: Catalogue
    search: CatalogueSearch
    rules: RuleBook | None = None  # None when the country pack has no rules
    clock: Clock = field(default_factory=SystemClock)


def build_platform(settings: Settings) -> Platform:
    """Load the country pack, prepare the database and the search index."""
    catalogue = load_catalogue(settings.country_pack)
    has_rules = (settings.country_pack / RULES_FOLDER).is_dir()
    rules = load_rules(settings.country_pack) if has_rules else None
    engine = create_engine_for(settings.resolved_database_url)
    migrate(engine)
    search = CatalogueSearch(catalogue, search_index_for(engine))
    search.rebuild()
    return Platform(settings, engine, catalogue, search, rules)


def create_app(settings: Settings, platform: Platform | None = None) -> FastAPI:
    platform = platform or build_platform(settings)
    catalogue = platform.catalogue
    country = catalogue.country
    site = Site(
        name=country.portal_name,
        languages=country.languages,
        primary_colour=country.theme.primary,
        accent_colour=country.theme.accent,
        logo_url=LOGO_URL if country.theme.logo else "",
    )
    renderer = Renderer(site, load_translators(country.languages), template_dirs())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        platform.engine.dispose()  # close database connections when the server stops

    app = FastAPI(
        lifespan=lifespan,
        title="Civitas API",
        version=__version__,
        description="The public service catalogue of " + country.name[country.default_language],
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.platform = platform
    install_error_handlers(app, renderer)
    app.add_middleware(
        BodySizeLimit, max_bytes=settings.max_request_bytes, refuse=refuse_too_large(renderer)
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    logo = settings.country_pack / country.theme.logo if country.theme.logo else None
    app.include_router(theme_router(logo))
    app.include_router(api_router(catalogue, platform.search))
    if platform.rules is not None:
        app.include_router(rules_api_router(platform.rules, country.languages))
        app.include_router(screener_router(platform.rules, catalogue, renderer, platform.clock))
        renderer.environment.globals["screener_path"] = SCREENER_PATH  # for the navigation
    without_default_validation_response(app)
    app.include_router(pages_router(catalogue, platform.search, renderer))
    return app
