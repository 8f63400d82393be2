"""The real portal, signing people in at the development provider (both in-process), with
notices kept for them as another block would keep them."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from civitas.core.clock import FixedClock
from civitas.notifications import Dispatcher, Notice, notify
from tests.identity.portal_support import ISSUER, portal_and_provider, sign_in
from tests.identity.provider_support import number

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANA, BRUNO = 0, 1  # rows of tests.identity.provider_support.PEOPLE


@dataclasses.dataclass
class Portal:
    app: FastAPI
    provider: TestClient
    clock: FixedClock

    def browser(self) -> TestClient:
        """A new browser: its own cookies, the same running portal."""
        return TestClient(self.app)

    def signed_in(self, row: int) -> TestClient:
        browser = self.browser()
        sign_in(browser, self.provider, row, "substantial")
        assert browser.get("/api/v1/me").json()["national_id"] == number(row)
        return browser

    def tell(self, *notices: Notice) -> list[str]:
        """Keep notices as another block does: on its own connection, in a transaction."""
        with self.app.state.platform.engine.begin() as connection:
            return notify(connection, notices, self.clock.now())

    def dispatch(self) -> int:
        """Send what is due now, as the portal's dispatcher does in the background."""
        dispatcher: Dispatcher = self.app.state.dispatcher
        return asyncio.run(dispatcher.send_due())


@contextmanager
def running_portal(folder: Path, **settings: Any) -> Iterator[Portal]:
    clock = FixedClock(NOW)
    app, provider_app = portal_and_provider(folder, clock, **settings)
    with TestClient(app), TestClient(provider_app, base_url=ISSUER) as provider:
        yield Portal(app, provider, clock)
