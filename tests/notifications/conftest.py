"""A migrated operational database with the demo pack's message templates, a clock tests
move, and a real SMTP server (aiosmtpd) keeping what arrives in a Maildir folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.db import create_engine_for, migrate
from civitas.notifications import MailSink
from tests.notifications.support import World, load_demo_templates
from tests.support.live_server import free_port

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'portal.db'}")
    migrate(engine)
    yield World(engine, FixedClock(NOW), load_demo_templates(), tmp_path)
    engine.dispose()


@pytest.fixture
def mail_sink(tmp_path: Path) -> Iterator[MailSink]:
    with MailSink(tmp_path / "mail", free_port()) as sink:
        yield sink


@pytest.fixture(scope="session")
def demo_pack() -> Path:
    return DEMO_PACK
