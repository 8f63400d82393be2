"""A local mail server for the demo and the tests: every email kept in a Maildir folder.

``civitas notifications mail-sink --port 8025 --folder var/mail`` runs it; the portal
sends to it with ``CIVITAS_SMTP_HOST=127.0.0.1`` and ``CIVITAS_SMTP_PORT=8025``. It
keeps each email exactly as it arrived (headers untouched), one file each, readable with
any mail program or Python's ``mailbox.Maildir``. It sends nothing on.
"""

from __future__ import annotations

import mailbox
import re
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

_KEY = re.compile(r"^(\d+)\.M(\d+)")


class _KeepInMaildir:
    """aiosmtpd's handler: keep the email as it came."""

    def __init__(self, maildir: mailbox.Maildir) -> None:
        self.maildir = maildir
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        with self.lock:
            self.maildir.add(raw if isinstance(raw, bytes) else str(raw).encode())
        return "250 Message accepted for delivery"


class MailSink:
    """An SMTP server on ``host:port`` keeping every email in the Maildir ``folder``."""

    def __init__(self, folder: Path, port: int, host: str = "127.0.0.1") -> None:
        self.folder = folder
        self.host = host
        self.port = port
        self.maildir = mailbox.Maildir(folder, create=True)
        self._controller = Controller(
            _KeepInMaildir(self.maildir), hostname=host, port=port, enable_SMTPUTF8=True
        )

    def start(self) -> MailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def emails(self) -> list[EmailMessage]:
        """Every email kept so far, oldest first."""
        return read_maildir(self.folder)


def read_maildir(folder: Path) -> list[EmailMessage]:
    """The emails of a Maildir folder, oldest first, parsed with the modern email API."""
    box = mailbox.Maildir(folder, create=False)
    return [
        message_from_bytes(box.get_bytes(key), policy=policy.default)
        for key in sorted(box.keys(), key=_arrival)
    ]


def _arrival(key: str) -> tuple[int, int, str]:
    """When a Maildir file arrived, from its name: ``<seconds>.M<microseconds>P...``."""
    found = _KEY.match(key)
    return (int(found.group(1)), int(found.group(2)), key) if found else (0, 0, key)


def run_mail_sink(folder: Path, port: int, host: str = "127.0.0.1") -> None:
    """Keep every email sent to ``host:port`` in ``folder`` until interrupted (Ctrl-C)."""
    with MailSink(folder, port, host):
        threading.Event().wait()
