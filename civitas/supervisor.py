"""Run the whole platform on one machine: the portal and every registry node, each its own process.

``civitas run`` (what ``make run`` calls) starts them, prints where they listen, and
stops them all cleanly on Ctrl-C or SIGTERM. If one of them dies, the others are
stopped too and the exit code says so: a half-running platform is worse than none.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

STOP_GRACE_SECONDS = 10


@dataclass(frozen=True)
class Service:
    """One process to run: a name for people, the command, and where it listens."""

    name: str
    command: Sequence[str]
    url: str
    env: Mapping[str, str] = field(default_factory=dict)  # set on top of this process's


@dataclass
class Supervisor:
    services: Sequence[Service]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    stopping: bool = False

    def run(self) -> int:
        """Start every service, wait until one exits or a stop is asked; stop the rest."""
        previous = {
            sig: signal.signal(sig, self._ask_to_stop) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            try:
                for service in self.services:
                    # a child inherits this environment, with the service's own on top
                    inherited = os.environ  # noqa: TID251 - passed on, not read
                    env = {**inherited, **service.env} if service.env else None
                    self.processes.append(subprocess.Popen(service.command, env=env))
            except BaseException:
                self.stop()  # never leave the services that did start running alone
                raise
            while not self.stopping:
                for service, process in zip(self.services, self.processes, strict=True):
                    if process.poll() is not None:
                        print(f"{service.name} stopped (exit code {process.returncode}).")
                        self.stopping = True
                        self.stop()
                        return 1
                time.sleep(0.2)
            self.stop()
            return 0
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _ask_to_stop(self, _signum: int, _frame: FrameType | None) -> None:
        self.stopping = True


def civitas_command(*arguments: str) -> list[str]:
    """A ``civitas`` command run by this same Python, so the same environment is used."""
    return [sys.executable, "-m", "civitas", *arguments]
