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
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2

from civitas.config import DEMO_PACK, Settings
from civitas.proactive.worker import Round
from civitas.registries import load_registry_definitions
from civitas.synthetic import generate_country
from civitas.synthetic.next_period import advance_country
from civitas.synthetic.shape import load_shape

TARGET = 500.0  # events a second


def start_nodes(
    data: Path, first_port: int
) -> tuple[dict[str, str], list[subprocess.Popen[bytes]]]:
    env = {**os.environ, "CIVITAS_DATA_DIR": str(data)}
    urls, processes = {}, []
    for n, definition in enumerate(load_registry_definitions(DEMO_PACK)):
        port = first_port + n
        command = [sys.executable, "-m", "civitas", "registry", "serve", definition.id]
        processes.append(
            subprocess.Popen(
                [*command, "--port", str(port), "--exchange"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls[definition.id] = f"http://127.0.0.1:{port}"
    for url in urls.values():
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx2.get(url + "/openapi.json", timeout=1)
                break
            except httpx2.TransportError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the node at {url} did not start") from None
                time.sleep(0.2)
    return urls, processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--port", type=int, default=47_100, help="first of the nodes' ports")
    args = parser.parse_args()

    from civitas.proactive_worker import opened_worker

    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch)
        generate_country(DEMO_PACK, args.people, 1, data / "country")
        advance_country(
            data / "country",
            days=30,
            shape=load_shape(DEMO_PACK),
            definitions=load_registry_definitions(DEMO_PACK),
        )
        subprocess.run(
            [sys.executable, "-m", "civitas", "exchange", "keys", "--data-dir", str(data)],
            check=True,
            capture_output=True,
        )
        urls, nodes = start_nodes(data, args.port)
        settings = Settings(
            _env_file=None,
            data_dir=data,
            database_url=f"sqlite:///{data / 'civitas.db'}",
            registry_urls=urls,
        )
        try:

            async def round_timed() -> tuple[float, Round]:
                async with opened_worker(settings) as worker:
                    began = time.perf_counter()
                    done = await worker.round()
                    return time.perf_counter() - began, done

            seconds, done = asyncio.run(round_timed())
        finally:
            for node in nodes:
                node.terminate()
            for node in nodes:
                node.wait(timeout=30)
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
