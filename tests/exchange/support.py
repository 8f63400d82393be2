"""Real parties of the demo pack's exchange, with keys in a temporary data dir.

Tests build providers and consumers the way a node and the portal do
(``open_provider`` / ``open_consumer``), with a clock they can move and the log's
background sealing off, so a test decides when seals happen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.exchange import (
    Consumer,
    Incoming,
    LogPolicy,
    Outgoing,
    Provider,
    ensure_keys,
    load_exchange,
    open_consumer,
    open_provider,
)

NOW = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
PORTAL = ("civil-registry", "portal")
BENEFITS = ("social-security", "benefits")
TAX = ("tax-authority", "tax")
PERSON = "123456789"
MANUAL = LogPolicy(background=False)


def keyed(data_dir: Path) -> Path:
    """``data_dir`` with a key for every member of the demo exchange, and the trust list."""
    ensure_keys(data_dir, load_exchange(DEMO_PACK).member_codes)
    return data_dir


def provider(
    data_dir: Path, clock: FixedClock, party: tuple[str, str] = TAX, policy: LogPolicy = MANUAL
) -> Provider:
    return open_provider(DEMO_PACK, data_dir, *party, clock=clock, policy=policy)


def consumer(
    data_dir: Path, clock: FixedClock, party: tuple[str, str] = PORTAL, policy: LogPolicy = MANUAL
) -> Consumer:
    return open_consumer(DEMO_PACK, data_dir, *party, clock=clock, policy=policy)


def incoming(outgoing: Outgoing, **replace: str) -> Incoming:
    """What a gate receives for ``outgoing``; ``replace`` changes headers (by lower-case name)."""
    headers = {name.lower(): value for name, value in outgoing.headers.items()}
    headers.update(replace)
    path, _, query = outgoing.target.partition("?")
    return Incoming(outgoing.method, path, query, list(headers.items()), outgoing.body)
