"""The composition of the development provider: its own small composition root.

The provider runs as its own process (``civitas idp serve``), so the portal talks to
it over HTTP exactly as it would to a national identity provider, with no shortcut.
The population and the signing key are loaded before the app exists, so a provider
without a country or with an unreadable key never starts answering.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from joserfc.jwk import RSAKey

from civitas import __version__
from civitas.core.clock import Clock, SystemClock
from civitas.identity.provider.errors import install_provider_error_handlers, too_large
from civitas.identity.provider.featured import featured_people
from civitas.identity.provider.identities import STAFF, IdentityBook
from civitas.identity.provider.keys import load_signing_key
from civitas.identity.provider.pages import Pages
from civitas.identity.provider.population import load_population
from civitas.identity.provider.protocol import Client
from civitas.identity.provider.tokens import TokenIssuer
from civitas.identity.provider.web import provider_router
from civitas.web import BodySizeLimit
from civitas.web.rendering import WEB_TEMPLATES

STATIC_DIR = WEB_TEMPLATES.parent / "static"
MAX_REQUEST_BYTES = 64 * 1024  # sign-in forms and token requests are small


@dataclass(frozen=True)
class ProviderConfig:
    """What one provider process serves: its issuer URL, its clients, and where its data is."""

    issuer: str  # no trailing slash; the endpoints hang below it
    clients: tuple[Client, ...]
    country_dir: Path  # the synthetic country, for the population register
    key_file: Path  # the signing key, made there on first start


def load_identity_book(country_dir: Path) -> IdentityBook:
    population = load_population(country_dir)
    staff_numbers = {identity.national_id for identity in STAFF}
    return IdentityBook(population, featured_people(population, exclude=staff_numbers))


def create_provider_app(
    config: ProviderConfig,
    *,
    clock: Clock | None = None,
    book: IdentityBook | None = None,
    key: RSAKey | None = None,
) -> FastAPI:
    """The provider's HTTP service; ``book`` and ``key`` are loaded from ``config`` if not given."""
    book = book or load_identity_book(config.country_dir)
    key = key or load_signing_key(config.key_file)
    pages = Pages()
    tokens = TokenIssuer(config.issuer, key, clock or SystemClock())
    app = FastAPI(
        title="Valdoria ID (development)",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    install_provider_error_handlers(app, pages, config.issuer)
    app.add_middleware(BodySizeLimit, max_bytes=MAX_REQUEST_BYTES, refuse=too_large(pages))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(
        provider_router(config.issuer, config.clients, book, tokens, pages, tokens.clock)
    )
    return app
