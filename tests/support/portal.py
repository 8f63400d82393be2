"""Fixtures for tests against the running portal: a live server and a real Chromium.

A plugin of the whole suite (tests/conftest.py), so every block's browser tests share
one server for the session.

The Playwright driver lives for one module at a time: its sync API owns an event
loop while it runs, which must not overlap with tests that run their own loop.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.browser import DESKTOP, chromium_path, launch_chromium
from tests.support.live_server import live_server as running_live_server
from tests.support.site_pages import LANGUAGES, SiteMap, crawl


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``civitas serve`` running as its own process on a free loopback port."""
    with running_live_server(tmp_path_factory.mktemp("live-server")) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def site_maps(live_server: str) -> dict[str, SiteMap]:
    """Every page reachable by links from each language's start page."""
    with httpx.Client(base_url=live_server) as client:
        return {lang: crawl(client, lang) for lang in LANGUAGES}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if not executable.exists():
        pytest.skip(f"Chromium not found at {executable}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, executable)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh browser tab (own cookies and cache) at desktop size, relative to the server."""
    context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    tab = context.new_page()
    yield tab
    context.close()
