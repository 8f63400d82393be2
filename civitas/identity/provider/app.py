"""The composition of the development provider: its own small composition root.

The provider runs as its own process (``civitas idp serve``), so the portal talks to
it over HTTP exactly as it would to a national identity provider, with no shortcut.
The population and the signing key are loaded before the app exists, so a provider
without a country or with an unreadable key never starts answering. While it runs it
follows the country: after ``civitas country advance`` the next request loads the new
period's people and news (:class:`FollowedBook`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from joserfc.jwk import RSAKey

from civitas import __version__
from civitas.core.clock import Clock, SystemClock
from civitas.core.errors import CivitasError
from civitas.identity.provider.errors import install_provider_error_handlers, too_large
from civitas.identity.provider.featured import featured_people
from civitas.identity.provider.identities import STAFF, IdentityBook
from civitas.identity.provider.keys import load_signing_key
from civitas.identity.provider.news import load_news
from civitas.identity.provider.pages import Pages
from civitas.identity.provider.population import load_population
from civitas.identity.provider.protocol import Client
from civitas.identity.provider.tokens import TokenIssuer
from civitas.identity.provider.web import provider_router
from civitas.registries import manifest_stamp
from civitas.web import BodySizeLimit
from civitas.web.rendering import WEB_TEMPLATES

STATIC_DIR = WEB_TEMPLATES.parent / "static"
MAX_REQUEST_BYTES = 64 * 1024  # sign-in forms and token requests are small
LOOK_SECONDS = 2.0  # how often the country's manifest is looked at, at most

log = logging.getLogger("civitas.identity.provider")


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
    news = load_news(country_dir)
    return IdentityBook(population, featured_people(population, staff_numbers, news))


class FollowedBook:
    """The identity book of the country as it is now.

    Called for each request that needs it; at most every ``seconds`` it looks at the
    manifest's stamp (one ``stat``) and, when a new period was published, loads the
    book again on that request (a fraction of a second for 100,000 people; one request
    at a time, the others keep the book they have). A period that cannot be loaded is
    logged and the book of the last good one is kept.
    """

    def __init__(self, country_dir: Path, seconds: float = LOOK_SECONDS) -> None:
        self.country_dir = country_dir
        self.seconds = seconds
        self.stamp = manifest_stamp(country_dir)  # before loading: a later period is seen
        self.book = load_identity_book(country_dir)
        self._next_look = time.monotonic() + seconds
        self._looking = threading.Lock()  # sync routes run in threads

    def __call__(self) -> IdentityBook:
        if time.monotonic() < self._next_look or not self._looking.acquire(blocking=False):
            return self.book
        try:
            stamp = manifest_stamp(self.country_dir)
            if stamp is not None and stamp != self.stamp:
                self.stamp = stamp
                try:
                    self.book = load_identity_book(self.country_dir)
                except CivitasError as error:
                    log.warning("The people of the new period cannot be loaded: %s", error)
            self._next_look = time.monotonic() + self.seconds
        finally:
            self._looking.release()
        return self.book


def create_provider_app(
    config: ProviderConfig,
    *,
    clock: Clock | None = None,
    book: IdentityBook | None = None,
    key: RSAKey | None = None,
) -> FastAPI:
    """The provider's HTTP service; ``book`` and ``key`` are loaded from ``config`` if not
    given, and the book follows the country as it moves on (a given book stays as it is)."""
    books = FollowedBook(config.country_dir) if book is None else _fixed(book)
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
        provider_router(config.issuer, config.clients, books, tokens, pages, tokens.clock)
    )
    return app


def _fixed(book: IdentityBook) -> Callable[[], IdentityBook]:
    return lambda: book
