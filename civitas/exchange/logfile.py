"""The message log as a file: JSON Lines, appended under a lock, sealed now and then.

Appending is cheap: one ``json.dumps``, one SHA-256 and one ``write`` to the
operating system (no ``fsync``) under a lock, so threads may share the log. Every
``seal_every`` entries, and every ``seal_seconds`` when entries wait (a background
thread), a seal signed with the owner's key is appended, the file is synced to
disk and the seal is copied to ``<log>.head`` (replaced atomically), so cutting
sealed entries off the end of the log shows.

Opening an existing log continues its chain. A last line cut by a crash is
dropped (and the drop noted in the ``open`` entry); a log shorter than its head
says is refused: it was cut, and ``civitas exchange verify-log`` says where.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from civitas.core.clock import Clock
from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_
from civitas.exchange.audit import parse_entry
from civitas.exchange.chain import GENESIS, OPEN, SEAL, render, seal_claims
from civitas.exchange.signing import Signer

TAIL_BYTES = 1 << 16


def stamp(moment: dt.datetime) -> str:
    """UTC time with milliseconds: ``2025-01-31T09:15:02.123Z``."""
    utc = moment if moment.tzinfo is dt.UTC else moment.astimezone(dt.UTC)
    return utc.isoformat(timespec="milliseconds")[:-6] + "Z"  # "+00:00" -> "Z"


def head_path(path: Path) -> Path:
    return path.with_name(path.name + ".head")


class LogDamaged(InvalidInput):
    """A message log that cannot be continued safely."""


class FileMessageLog:
    """The message log of one party in one file."""

    def __init__(
        self,
        path: Path,
        party: str,
        signer: Signer,
        clock: Clock,
        seal_every: int = 1000,
        seal_seconds: float = 10.0,
        background: bool = True,
    ) -> None:
        self.path = path
        self.party = party
        self.signer = signer
        self.clock = clock
        self.seal_every = seal_every
        self.seal_seconds = seal_seconds
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)  # personal data
        try:  # one writer per log, or the chain forks
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise LogDamaged(
                N_("Another process is writing the message log {path}."),
                hint=N_("Run one process per subsystem: stop the other one first."),
                params={"path": str(path)},
            ) from None
        self._file = os.fdopen(fd, "ab")
        self._reader = os.open(path, os.O_RDONLY)
        try:
            dropped, self._seq, self._prev, self._first_unsealed = self._resume()
        except BaseException:
            self._file.close()
            os.close(self._reader)
            raise
        self._size = os.fstat(fd).st_size
        self._since_seal = 0
        self._last_seal = clock.now()
        self._closed = False
        fields: dict[str, Any] = {"party": party, "key": signer.member}
        if dropped:
            fields["dropped_bytes"] = dropped  # a last line cut by a crash
        self.append(OPEN, fields)
        self._stop = threading.Event()
        self._sealer: threading.Thread | None = None
        if background:
            self._sealer = threading.Thread(
                target=self._seal_periodically, name=f"seal {party}", daemon=True
            )
            self._sealer.start()

    def _resume(self) -> tuple[int, int, str, int | None]:
        """(bytes dropped, last seq, last hash, first unsealed seq) of the file so far."""
        size = os.fstat(self._reader).st_size
        if size == 0:
            return 0, 0, GENESIS, None
        start = max(0, size - TAIL_BYTES)
        tail = os.pread(self._reader, size - start, start)
        dropped = 0
        if not tail.endswith(b"\n"):
            keep = tail.rfind(b"\n") + 1
            dropped = len(tail) - keep
            os.truncate(self.path, size - dropped)
            tail = tail[:keep]
        lines = tail.splitlines()
        last = parse_entry(lines[-1]) if lines else None
        if last is None:
            raise LogDamaged(
                N_("The message log {path} ends with an entry that cannot be read."),
                hint=N_(
                    "Check it with: civitas exchange verify-log {path}. Keep it as evidence, "
                    "move it aside, and a new log starts."
                ),
                params={"path": str(self.path)},
            )
        sealed = None
        head = head_path(self.path)
        if head.is_file():
            seal = parse_entry(head.read_bytes().strip())
            sealed = seal["seq"] if seal else None
            if sealed is not None and sealed > last["seq"]:
                raise LogDamaged(
                    N_(
                        "The message log {path} was cut: it ends at entry {last}, but its seal "
                        "{sealed} is missing."
                    ),
                    hint=N_(
                        "Check it with: civitas exchange verify-log {path}. Keep it as evidence, "
                        "move it and its .head file aside, and a new log starts."
                    ),
                    params={"path": str(self.path), "last": last["seq"], "sealed": sealed},
                )
        # A tail left unsealed by a crash: the next seal covers it too.
        unsealed = None if last.get("kind") == SEAL else (sealed or 0) + 1
        return dropped, int(last["seq"]), str(last["hash"]), unsealed

    def append(self, kind: str, fields: Mapping[str, Any]) -> int:
        with self._lock:
            offset = self._write(kind, fields)
            if self._since_seal >= self.seal_every:
                self._seal()
        return offset

    def _write(self, kind: str, fields: Mapping[str, Any]) -> int:
        if self._closed:
            raise ValueError(f"the message log {self.path} is closed")
        seq = self._seq + 1
        body = {**fields, "seq": seq, "time": stamp(self.clock.now()), "kind": kind}
        body["prev"] = self._prev
        hashed, line = render(body)
        offset = self._size
        self._file.write(line)
        self._file.flush()  # to the operating system: readers and crashes of this process see it
        self._size += len(line)
        self._seq, self._prev = seq, hashed
        self._since_seal += 1
        if self._first_unsealed is None:
            self._first_unsealed = seq
        return offset

    def _seal(self) -> None:
        seq = self._seq + 1
        first = self._first_unsealed or seq
        signature = self.signer.sign(seal_claims(self.party, seq, self._prev, first))
        offset = self._write(SEAL, {"party": self.party, "first": first, "signature": signature})
        line = os.pread(self._reader, self._size - offset, offset)
        head = head_path(self.path)
        temporary = head.with_name(head.name + ".tmp")
        temporary.write_bytes(line)
        os.replace(temporary, head)
        self._since_seal = 0
        self._first_unsealed = None
        self._last_seal = self.clock.now()

    def seal(self) -> None:
        """Seal now if entries wait, and sync the file to disk."""
        with self._lock:
            if self._since_seal and not self._closed:
                self._seal()
            if not self._closed:
                os.fsync(self._file.fileno())

    def seal_if_due(self) -> None:
        """Seal when entries have waited ``seal_seconds`` since the last seal."""
        waited = (self.clock.now() - self._last_seal).total_seconds()
        if self._since_seal and waited >= self.seal_seconds:
            self.seal()

    def _seal_periodically(self) -> None:
        while not self._stop.wait(min(1.0, self.seal_seconds)):
            self.seal_if_due()

    def read(self, offset: int) -> dict[str, Any]:
        data = b""
        while b"\n" not in data:
            piece = os.pread(self._reader, 4096, offset + len(data))
            if not piece:
                break
            data += piece
        entry: dict[str, Any] = json.loads(data.split(b"\n", 1)[0])
        return entry

    def entries(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with self.path.open("rb") as lines:
            offset = 0
            for raw in lines:
                entry = parse_entry(raw) if raw.endswith(b"\n") else None
                if entry is not None:
                    yield offset, entry
                offset += len(raw)

    def close(self) -> None:
        if self._sealer is not None:
            self._stop.set()
            self._sealer.join()
            self._sealer = None
        with self._lock:
            if self._closed:
                return
            if self._since_seal:
                self._seal()
            os.fsync(self._file.fileno())
            self._closed = True
            self._file.close()
            os.close(self._reader)
