"""A real NATS server with JetStream for the tests, on a free loopback port.

``nats_server`` (session) is either the server named by ``CIVITAS_TEST_NATS_URL`` or a
throwaway ``nats-server -js`` started in a temporary folder. ``nats_url`` (per test) is
its URL, with every stream deleted after the test, so tests never share events.
Without the binary the tests that need it skip with the install command
(``CIVITAS_REQUIRE_ALL=1`` turns that skip into a failure).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest

from tests.support.live_server import free_port
from tests.support.live_server import stop as stop_process

ENV_URL = "CIVITAS_TEST_NATS_URL"
INSTALL_HINT = "NATS server not installed: apt-get install nats-server"


def find_binary() -> str | None:
    """nats-server on the PATH, else where Debian's package puts it."""
    found = shutil.which("nats-server")
    if found:
        return found
    debian = Path("/usr/sbin/nats-server")
    return str(debian) if debian.is_file() else None


class ThrowawayNats:
    """A nats-server process, its storage in a temporary folder, for one test session."""

    def __init__(self, binary: str, jetstream: bool = True) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="civitas-nats-"))
        self.port = free_port()
        command = [binary, "-a", "127.0.0.1", "-p", str(self.port), "-sd", str(self.root)]
        self.log = (self.root / "server.log").open("wb")
        self.process = subprocess.Popen(
            [*command, *(["-js"] if jetstream else [])], stdout=self.log, stderr=self.log
        )
        self.url = f"nats://127.0.0.1:{self.port}"

    def wait_until_ready(self, seconds: float = 10.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server stopped ({self.process.returncode}){self._tail()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise RuntimeError(f"nats-server did not listen on port {self.port}{self._tail()}")

    def _tail(self) -> str:
        self.log.flush()
        return "\nserver log:\n" + (self.root / "server.log").read_text()[-3000:]

    def stop(self) -> None:
        stop_process(self.process)  # SIGTERM, SIGKILL only when it does not stop
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def throwaway_nats(jetstream: bool = True) -> Iterator[str]:
    """The URL of a nats-server running until the block ends (skips without the binary)."""
    binary = find_binary()
    if binary is None:
        pytest.skip(INSTALL_HINT)
    server = ThrowawayNats(binary, jetstream)
    try:
        server.wait_until_ready()
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def nats_server() -> Iterator[str]:
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    with throwaway_nats() as url:
        yield url


async def _delete_streams(url: str) -> None:
    client = await nats.connect(url)
    try:
        js = client.jetstream()
        for name in await js.streams_info():
            await js.delete_stream(name.config.name or "")
    finally:
        await client.close()


@pytest.fixture
def nats_url(nats_server: str) -> Iterator[str]:
    """The server's URL; its streams are deleted after the test."""
    yield nats_server
    asyncio.run(_delete_streams(nats_server))
