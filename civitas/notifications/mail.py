"""Email through an SMTP server (aiosmtplib): plain text with an HTML alternative.

Every email's ``Message-ID`` is made from its notice's key, so an email sent again
(its dispatcher stopped before noting it) carries the same one and a mail system shows
one message. ``Content-Language`` says its language; ``Auto-Submitted`` that a machine
sent it (RFC 3834), so auto-replies stay away.

Without a mail server set (``CIVITAS_SMTP_HOST``), emails wait, untried, until one is.
A server that cannot be reached, or answers "try later" (4xx), is tried again later; a
server that refuses the email (5xx) fails it at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import urlparse

import aiosmtplib

from civitas.core.clock import Clock
from civitas.core.errors import CivitasError, ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.notifications.documents import EMAIL_PAGE, Documents
from civitas.notifications.domain import Channel, Outgoing
from civitas.notifications.ports import Written

NO_SERVER = N_("No mail server is set (CIVITAS_SMTP_HOST), so emails wait until one is.")
SendMail = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None  # None: no mail server; emails wait
    port: int = 25
    sender: str = "no-reply@localhost"  # From, e.g. "Valdoria <no-reply@gov.vd.example>"
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0


def default_sender(portal_url: str) -> str:
    """``no-reply@`` the portal's host name, for an installation that names no sender."""
    return f"no-reply@{urlparse(portal_url).hostname or 'localhost'}"


def message_id(key: str, sender: str) -> str:
    """The Message-ID of a notice's email: the same for every sending of it."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


class SmtpSender:
    def __init__(
        self,
        smtp: SmtpSettings,
        documents: Documents,
        clock: Clock,
        send: SendMail = aiosmtplib.send,
    ) -> None:
        self.smtp = smtp
        self.documents = documents
        self.clock = clock
        self._send = send

    @property
    def channel(self) -> Channel:
        return Channel.EMAIL

    def unavailable(self) -> str:
        return "" if self.smtp.host else NO_SERVER

    def email(self, outgoing: Outgoing, written: Written) -> EmailMessage:
        """The email of this delivery, ready to send."""
        filled = written.filled
        email = EmailMessage()
        email["From"] = self.smtp.sender
        email["To"] = outgoing.delivery.recipient
        email["Subject"] = filled.subject
        email["Date"] = format_datetime(self.clock.now())
        email["Message-ID"] = message_id(outgoing.message.key, self.smtp.sender)
        email["Auto-Submitted"] = "auto-generated"
        email.set_content(self.documents.plain(outgoing, written))
        email.add_alternative(self.documents.html(EMAIL_PAGE, outgoing, written), subtype="html")
        email["Content-Language"] = filled.language  # after: making it multipart moves Content-*
        return email

    async def send(self, outgoing: Outgoing, written: Written) -> None:
        email = self.email(outgoing, written)
        smtp = self.smtp
        try:
            await self._send(
                email,
                hostname=smtp.host,
                port=smtp.port,
                start_tls=smtp.starttls,
                username=smtp.username,
                password=smtp.password,
                timeout=smtp.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as refused:
            codes = [r.code for r in refused.recipients]
            reason = "; ".join(f"{r.code} {r.message}" for r in refused.recipients)
            raise _refusal(min(codes, default=550), reason) from refused
        except aiosmtplib.SMTPResponseException as answer:
            raise _refusal(answer.code, f"{answer.code} {answer.message}") from answer
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
            raise ExternalServiceUnavailable(
                N_("The mail server {host}:{port} could not be reached: {reason}."),
                hint=N_("Check that it runs and that CIVITAS_SMTP_HOST names it."),
                params={"host": smtp.host, "port": smtp.port, "reason": str(error) or "timeout"},
            ) from error


def _refusal(code: int, reason: str) -> CivitasError:
    """A 4xx answer may pass (try later); a 5xx one will not."""
    if 400 <= code < 500:
        return ExternalServiceUnavailable(
            N_("The mail server asked to try later: {reason}."), params={"reason": reason}
        )
    return CivitasError(
        N_("The mail server refused the email: {reason}."),
        hint=N_("Check the email address the person gave."),
        params={"reason": reason},
        status=502,
    )
