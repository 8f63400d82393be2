"""The supervisor runs real child processes and stops them all, whatever happens."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def run_supervisor(tmp_path: Path, services: str) -> subprocess.Popen[str]:
    script = tmp_path / "supervise.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import sys
            from civitas.supervisor import Service, Supervisor
            services = {services}
            sys.exit(Supervisor(services).run())
            """
        )
    )
    return subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def children_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    return [int(line) for line in found.stdout.split()]


def wait_for_children(pid: int, count: int) -> list[int]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        children = children_of(pid)
        if len(children) >= count:
            return children
        time.sleep(0.1)
    raise AssertionError(f"expected {count} children of {pid}, found {children_of(pid)}")


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"  # a zombie has exited


def test_ctrl_c_stops_every_service_and_exits_cleanly(tmp_path: Path) -> None:
    services = f"[Service('a', {SLEEPER!r}, ''), Service('b', {SLEEPER!r}, '')]"
    supervisor = run_supervisor(tmp_path, services)
    children = wait_for_children(supervisor.pid, 2)
    supervisor.send_signal(signal.SIGINT)
    supervisor.communicate(timeout=20)
    assert supervisor.returncode == 0
    assert not any(is_running(child) for child in children)


def test_when_one_service_dies_the_others_are_stopped_and_the_exit_says_so(
    tmp_path: Path,
) -> None:
    failing = [sys.executable, "-c", "import time, sys; time.sleep(1); sys.exit(3)"]
    services = f"[Service('sleeper', {SLEEPER!r}, ''), Service('failing', {failing!r}, '')]"
    supervisor = run_supervisor(tmp_path, services)
    children = wait_for_children(supervisor.pid, 2)
    output, _ = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 1
    assert "failing stopped (exit code 3)." in output
    assert not any(is_running(child) for child in children)


def test_a_service_that_cannot_start_stops_the_ones_already_started(tmp_path: Path) -> None:
    missing = [str(tmp_path / "no-such-program")]
    services = f"[Service('sleeper', {SLEEPER!r}, ''), Service('missing', {missing!r}, '')]"
    supervisor = run_supervisor(tmp_path, services)
    _, errors = supervisor.communicate(timeout=30)
    assert supervisor.returncode != 0
    assert "FileNotFoundError" in errors
    leftovers = subprocess.run(
        ["pgrep", "-f", "time.sleep\\(60\\)"], capture_output=True, text=True, check=False
    )
    assert leftovers.stdout.strip() == ""
