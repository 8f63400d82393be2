"""`civitas run` (what `make run` calls), as a person runs it: real processes over loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive ports that are free now."""
    for first in range(20_000, 60_000, 37):
        sockets = []
        try:
            for port in range(first, first + count):
                s = socket.socket()
                s.bind(("127.0.0.1", port))
                sockets.append(s)
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise AssertionError("no free ports")


def wait_until_up(url: str, process: subprocess.Popen[str], seconds: float = 90) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"civitas run stopped: {process.communicate()[0]}"
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def test_run_makes_the_country_then_serves_the_portal_and_every_registry(tmp_path: Path) -> None:
    first = free_ports(10)
    env = {
        **os.environ,
        "CIVITAS_DATA_DIR": str(tmp_path / "var"),
        "CIVITAS_PORT": str(first),
        "CIVITAS_REGISTRY_PORT_BASE": str(first + 1),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "civitas", "run", "--people", "2000"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_until_up(f"http://127.0.0.1:{first}/en/", process).status_code == 200
        for offset in range(1, 9):  # the demo pack declares eight registries
            node = wait_until_up(f"http://127.0.0.1:{first + offset}/", process)
            assert node.status_code == 200
            assert node.json()["rows"] > 0
        assert (tmp_path / "var" / "country" / "manifest.json").is_file()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "First run: generating a synthetic country of 2,000 people" in output
    with socket.socket() as probe:  # the portal's port is free again: nothing left running
        probe.bind(("127.0.0.1", first))
