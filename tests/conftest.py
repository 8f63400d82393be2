"""Shared fixtures. Tests that need a system part (PostgreSQL, Chromium, ../shared)
skip with a visible reason locally; with CIVITAS_REQUIRE_ALL=1 (set by .ci/run)
every such skip becomes a failure, so CI proves the whole suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civitas.app import create_app
from civitas.catalogue import Catalogue, load_catalogue
from civitas.config import DEMO_PACK, Settings

REQUIRE_ALL = os.environ.get("CIVITAS_REQUIRE_ALL") == "1"

pytest_plugins = [
    "tests.support.postgres",  # postgres_url, database_url
    "tests.support.nats",  # nats_server, nats_url
    "tests.support.portal",  # live_server, site_maps, browser, page
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"CIVITAS_REQUIRE_ALL=1 forbids skipping: {reason}"


@pytest.fixture(scope="session")
def demo_catalogue() -> Catalogue:
    return load_catalogue(DEMO_PACK)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client
