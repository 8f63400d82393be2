"""Benchmark: the proactive services' event worker, end to end, on SQLite.

    .venv/bin/python benchmarks/proactive_worker.py --people 20000

Target (issue 6): at least 500 events a second end to end. A synthetic country is
generated and moved on a month (its change events are the load); every registry node
runs in its own process behind its exchange gate; then one worker round is timed:
every feed read page by page through the exchange into the database queue, every
event matched against the triggers, the households of life events looked up through
the exchange (signed and logged calls), the rules run, decisions and messages settled.
Events per second = events handled / the round's wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from civitas.config import DEMO_PACK, Settings
from civitas.proactive.worker import Round
from civitas.registries import load_registry_definitions
from tests.applications.support import registry_nodes
from tests.proactive.conftest import moved_on_country

TARGET = 500.0  # events a second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=47_100, help="first of the nodes' ports")
    args = parser.parse_args()

    from civitas.proactive_worker import opened_worker

    registers = tuple(definition.id for definition in load_registry_definitions(DEMO_PACK))
    ports = {registry: args.port + n for n, registry in enumerate(registers)}
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch)
        moved_on_country(data, args.people, 1)
        with registry_nodes(data, registers, ports) as urls:
            settings = Settings(
                _env_file=None,
                data_dir=data,
                database_url=f"sqlite:///{data / 'civitas.db'}",
                registry_urls=urls,
            )

            async def round_timed() -> tuple[float, Round]:
                async with opened_worker(settings) as worker:
                    began = time.perf_counter()
                    done = await worker.round()
                    return time.perf_counter() - began, done

            seconds, done = asyncio.run(round_timed())
    rate = done.handled / seconds
    verdict = "meets" if rate >= TARGET else "MISSES"
    print(json.dumps(vars(done)))
    print(
        f"{done.handled:,} events handled in {seconds:.2f} s: {rate:,.0f} events/s "
        f"end to end on SQLite ({done.decisions:,} decisions; "
        f"{verdict} the target of {TARGET:,.0f}/s)"
    )


if __name__ == "__main__":
    main()
