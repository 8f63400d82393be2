"""Look-up latency of one registry node holding 10 million records, over loopback.

    .venv/bin/python benchmarks/registry_lookup.py               # 10 M rows, 5000 look-ups each
    .venv/bin/python benchmarks/registry_lookup.py --rows 1000000 --lookups 2000

Builds (once, cached under /tmp, outside git) a tax registry of ``--rows`` records
written like ``civitas country generate`` writes them (Parquet + manifest.json),
starts a real node process on a free port, waits for it to answer (start-up time:
verification, load and indexing), then times look-ups by record id and by national
id with one keep-alive HTTP client. Prints p50/p95/p99 in ms and the node's RSS.
The target is p95 < 5 ms. Never asserts: performance claims live here, not in tests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.registries.fixtures import (
    TAX,
    national_ids,
    record_numbers_of,
    registry_table,
    write_country,
)
from tests.support.live_server import free_port

CACHE = Path("/tmp/civitas-bench-registry")


def build(rows: int) -> Path:
    country = CACHE / f"country-{rows}"
    if (country / "manifest.json").is_file():
        return country
    started = time.perf_counter()
    owners = national_ids(rows)
    owners[::10] = 0  # one record in ten without a national id, like a real copy
    write_country(country, {"tax": registry_table(TAX, owners)})
    print(f"built {rows:,} rows in {time.perf_counter() - started:.1f} s -> {country}")
    return country


def serve(country: Path, port: int) -> None:
    """The node process itself (run by this script with --serve)."""
    import uvicorn

    from civitas.registries.node import create_registry_app

    app = create_registry_app(TAX, country)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(client: httpx.Client, paths: list[str]) -> np.ndarray:
    took = np.empty(len(paths))
    for i, path in enumerate(paths):
        start = time.perf_counter()
        response = client.get(path)
        took[i] = time.perf_counter() - start
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: {response.text[:200]}")
    return took * 1000


def report(label: str, ms: np.ndarray) -> None:
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    verdict = "ok" if p95 < 5 else "OVER TARGET"
    print(
        f"{label:<22} n={len(ms):>5}  p50 {p50:6.2f}  p95 {p95:6.2f}  p99 {p99:6.2f} ms  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--lookups", type=int, default=5000)
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments.serve, arguments.port)
        return

    country = build(arguments.rows)
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(country), "--port", str(port)],
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            while True:
                if process.poll() is not None:
                    raise SystemExit("the node exited before answering")
                try:
                    client.get("/")
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            startup = time.perf_counter() - started
            print(f"node start-up (verify + load + index): {startup:.2f} s")

            rng = np.random.default_rng(7)
            picks = rng.integers(0, arguments.rows, arguments.lookups)
            record_paths = [f"/records/TX-{n:09d}" for n in record_numbers_of(picks)]
            people = rng.integers(0, arguments.rows, arguments.lookups * 2)
            people = people[people % 10 != 0][: arguments.lookups]  # rows 0, 10 ... have none
            person_paths = [f"/people/{n:09d}" for n in national_ids(arguments.rows)[people]]

            timed(client, record_paths[:200] + person_paths[:200])  # warm up
            # Interleaved, so both kinds of look-up meet the same machine load.
            mixed = [p for pair in zip(record_paths, person_paths, strict=False) for p in pair]
            took = timed(client, mixed)
            report("by record id", took[0::2])
            report("by national id", took[1::2])
            report("both", took)
            load = " ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"load average (1/5/15 min): {load} on {os.cpu_count()} CPUs")
            print(f"node RSS: {rss_mb(process.pid):.0f} MB")
    finally:
        process.terminate()
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
