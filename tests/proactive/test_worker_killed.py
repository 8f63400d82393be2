"""The worker killed (SIGKILL) at random points, many times, and restarted: no event is lost,
no decision, offer or message is kept twice. The result is the same as one clean run's."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from civitas.config import Settings
from civitas.db import create_engine_for
from civitas.notifications.tables import deliveries_table, messages_table
from civitas.proactive.store import decisions_table, events_table
from civitas.proactive_worker import run_once
from tests.proactive.conftest import LiveCountry
from tests.support.live_server import server_environment

KILLS = 12
SEED = 20261123
CIVITAS = (sys.executable, "-m", "civitas")


def kept(settings: Settings) -> dict[str, object]:
    """What a run left in the database: decision keys, message keys, events by state."""
    engine = create_engine_for(settings.resolved_database_url)
    with engine.connect() as connection:
        decisions = connection.execute(
            select(decisions_table.c.key, decisions_table.c.action)
        ).all()
        messages = connection.execute(select(messages_table.c.key)).scalars().all()
        channels = Counter(
            connection.execute(select(deliveries_table.c.message_id)).scalars().all()
        )
        events = connection.execute(
            select(func.count(), func.count(events_table.c.handled_at))
        ).one()
    engine.dispose()
    return {
        "decisions": sorted((key, action) for key, action in decisions),
        "messages": sorted(messages),
        "deliveries per message": max(channels.values(), default=0),
        "events": tuple(events),
    }


def events_of(settings: Settings) -> tuple[int, int]:
    """How many events the database holds, and how many of them were handled."""
    try:
        found = kept(settings)["events"]
    except OperationalError:
        return (0, 0)  # the worker has not made its tables yet
    assert isinstance(found, tuple)
    return found


def worker(live: LiveCountry, database: str) -> subprocess.Popen[bytes]:
    env = server_environment(live.data_dir)
    env["CIVITAS_DATABASE_URL"] = f"sqlite:///{live.data_dir / database}"
    env["CIVITAS_REGISTRY_URLS"] = json.dumps(live.nodes)
    return subprocess.Popen(
        [*CIVITAS, "proactive", "worker", "--every", "0.1", "--batch", "10"],
        cwd=live.data_dir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_worker_killed_at_random_points_loses_nothing_and_doubles_nothing(
    worker_country: LiveCountry,
) -> None:
    clean = worker_country.settings("clean.db")
    run_once(clean)
    expected = kept(clean)
    assert expected["decisions"]
    killed = worker_country.settings("killed.db")
    chance = random.Random(SEED)
    seen: list[tuple[int, int]] = []
    total = expected["events"][0]  # type: ignore[index]
    while len(seen) < KILLS and events_of(killed) != (total, total):
        process = worker(worker_country, "killed.db")
        try:
            before = events_of(killed)
            deadline = time.monotonic() + 30
            while events_of(killed) == before and time.monotonic() < deadline:
                time.sleep(0.05)  # started: it reads, decides or settles now
            time.sleep(chance.uniform(0, 0.4))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        seen.append(events_of(killed))
    assert any(0 < handled < received for received, handled in seen), seen  # killed mid-way
    run_once(killed)  # what the killed workers left undone
    found = kept(killed)
    assert found == expected
    assert found["events"][0] == found["events"][1]  # type: ignore[index]
    assert len(set(found["messages"])) == len(found["decisions"])  # type: ignore[arg-type]
