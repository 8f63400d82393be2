"""`civitas run` (what `make run` calls), as a person runs it: real processes over loopback."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from civitas.config import DEV_CLIENT_SECRET


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


def sign_in_as_a_parent(portal: str, browser: httpx.Client) -> str:
    """Sign in at the development provider as a parent of a young child: their number."""
    to_provider = browser.get(f"{portal}/en/sign-in?level=substantial")
    assert to_provider.status_code == 303
    authorize = httpx.URL(to_provider.headers["location"])
    page = browser.get(authorize).text
    people = re.findall(r'name="identity" value="(\d{9})".*?class="hint"[^>]*>([^<]*)', page, re.S)
    parent = next(number for number, why in people if why.startswith("Parent of a child under 6"))
    request_id = re.search(r'name="request_id" value="([^"]+)"', page)
    assert request_id is not None
    form = {"request_id": request_id.group(1), "identity": parent, "level": "substantial"}
    back = browser.post(authorize.copy_with(query=None), data=form)
    assert back.status_code == 303
    assert browser.get(back.headers["location"]).status_code == 303  # signed in, sent on
    return parent


def test_run_makes_the_country_then_serves_the_portal_and_every_registry(tmp_path: Path) -> None:
    first = free_ports(11)
    provider = f"http://127.0.0.1:{first + 9}"
    env = {
        **os.environ,
        "CIVITAS_DATA_DIR": str(tmp_path / "var"),
        "CIVITAS_PORT": str(first),
        "CIVITAS_REGISTRY_PORT_BASE": str(first + 1),
        "CIVITAS_IDENTITY_PROVIDERS": json.dumps(
            [
                {
                    "id": "valdoria-id",
                    "name": "Valdoria ID",
                    "issuer": provider,
                    "client_id": "civitas-portal",
                    "client_secret": DEV_CLIENT_SECRET,
                }
            ]
        ),
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
        portal = f"http://127.0.0.1:{first}"
        assert wait_until_up(f"{portal}/en/", process).status_code == 200
        for offset in range(1, 9):  # the demo pack declares eight registries
            node = wait_until_up(f"http://127.0.0.1:{first + offset}/", process)
            assert node.status_code == 403  # up, and answering only through the exchange
            assert "only through the once-only exchange" in node.json()["error"]
        assert wait_until_up(f"{provider}/.well-known/openid-configuration", process).is_success
        assert (tmp_path / "var" / "country" / "manifest.json").is_file()
        with httpx.Client(timeout=10) as browser:
            sign_in_as_a_parent(portal, browser)
            mandates = browser.get(f"{portal}/en/mandates")
            assert mandates.status_code == 200
            assert "your child under 18" in mandates.text  # the population register, asked
            uses = browser.get(f"{portal}/en/who-used-my-data").text
            assert "Check whom you may act for" in uses  # ... and that asking was recorded
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    assert "First run: generating a synthetic country of 2,000 people" in output
    with socket.socket() as probe:  # the portal's port is free again: nothing left running
        probe.bind(("127.0.0.1", first))
