"""Run the real platform as a separate process over loopback, the way people run it.

Tests that talk to it use the same ``civitas serve`` command, settings from
``CIVITAS_`` environment variables and a real HTTP socket, so start-up,
configuration and static files are all exercised, not just the ASGI app.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 10.0


class LiveServerDidNotStart(RuntimeError):
    """The server process exited or stayed silent; the message carries its stderr."""


def free_port() -> int:
    """A port nobody listens on right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_environment(data_dir: Path) -> dict[str, str]:
    """The caller's environment with the server's own settings pinned.

    Other ``CIVITAS_`` variables are dropped so a developer's shell cannot point
    the test server at their own database or country pack.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("CIVITAS_")}
    env["CIVITAS_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    return env


@contextmanager
def live_server(
    data_dir: Path, port: int | None = None, settings: Mapping[str, str] | None = None
) -> Iterator[str]:
    """Start ``python -m civitas serve``, wait until it answers, yield its base URL.

    ``settings``: extra ``CIVITAS_`` variables for the server."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    base_url = f"http://127.0.0.1:{port}"
    # Output goes to files, not pipes: a chatty server can never block on a full pipe.
    stdout_path, stderr_path = data_dir / "server.out", data_dir / "server.err"
    with stdout_path.open("wb") as stdout, stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "civitas", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=data_dir,  # no stray .env file from the developer's working directory
            env={**server_environment(data_dir), **(settings or {})},
            stdout=stdout,
            stderr=stderr,
        )
        try:
            wait_until_answering(process, base_url, stderr_path)
            yield base_url
        finally:
            stop(process)


def wait_until_answering(process: subprocess.Popen[bytes], base_url: str, stderr: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise LiveServerDidNotStart(
                    f"`civitas serve` exited with code {process.returncode} before answering.\n"
                    f"--- its stderr ---\n{stderr.read_text(errors='replace')}"
                )
            try:
                client.get(base_url + "/")
            except httpx.TransportError:
                time.sleep(0.1)
            else:
                return
    raise LiveServerDidNotStart(
        f"`civitas serve` did not answer at {base_url} within {START_TIMEOUT_SECONDS:.0f} s.\n"
        f"--- its stderr ---\n{stderr.read_text(errors='replace')}"
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM for a clean shutdown; SIGKILL only when it does not come."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
