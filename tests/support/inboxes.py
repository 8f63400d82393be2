"""What registry nodes received in their inboxes, read from their own files; and waiting
for something the portal does in the background."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from civitas.registries.inbox_store import SqlInboxStore, inbox_path


def notices(data_dir: Path, registry: str) -> list[dict[str, object]]:
    """The notices the ``registry`` node of ``data_dir`` kept, newest first."""
    path = inbox_path(data_dir, registry)
    if not path.exists():
        return []
    store = SqlInboxStore.open(path)
    try:
        return [
            {"national_id": n.national_id, "details": dict(n.details), "id": n.message_id}
            for n in store.notices(100)
        ]
    finally:
        store.close()


def eventually(check: Callable[[], bool], seconds: float = 15.0) -> None:
    """Wait until ``check()`` holds; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not done in time"
        time.sleep(0.1)
