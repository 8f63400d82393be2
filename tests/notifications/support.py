"""What the notification tests share: notices, a world of one database, and its dispatcher."""

from __future__ import annotations

import asyncio
import dataclasses
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine

from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.core.i18n import load_translators
from civitas.notifications import (
    Dispatcher,
    Message,
    Notice,
    PostalAddress,
    Preferences,
    SqlNotificationStore,
    Templates,
    load_templates,
)
from civitas.notifications.documents import Documents, Letterhead
from civitas.notifications.letters import PdfLetters
from civitas.notifications.mail import SmtpSender, SmtpSettings
from civitas.notifications.ports import Sender

ANA = "123456782"
BRUNO = "234567891"
PORTAL = "https://services.gov.vd.example"
SENDER = "Valdoria <no-reply@gov.vd.example>"
HOME = PostalAddress("Ana Costa", "Rua das Flores", "12", "1200-001", "Porto Alta")
CHILD_BENEFIT = {"en": "Child benefit", "pt": "Abono de família"}
BORN = {"en": "Your daughter Carla was born.", "pt": "A sua filha Carla nasceu."}


@cache
def load_demo_templates() -> Templates:
    return load_templates(DEMO_PACK)


def offer(key: str = "decision:1", who: str = ANA, **changes: object) -> Notice:
    """The demo's offer of child benefit to Ana, 120.50 a month, with her address."""
    notice = Notice(
        key=key,
        national_id=who,
        template="offer-made",
        params={
            "name": "Ana Costa",
            "service": CHILD_BENEFIT,
            "amount_cents": 12050,
            "reason": BORN,
        },
        link=f"/inbox/{key.replace(':', '-')}",
        address=HOME,
    )
    return dataclasses.replace(notice, **changes)  # type: ignore[arg-type]


@dataclasses.dataclass
class World:
    engine: Engine
    clock: FixedClock
    templates: Templates
    folder: Path

    @property
    def store(self) -> SqlNotificationStore:
        return SqlNotificationStore(self.engine)

    def keep(self, *notices: Notice) -> list[str]:
        return self.store.keep(notices, self.clock.now())

    def choose(self, who: str, preferences: Preferences) -> None:
        self.store.save_preferences(who, preferences, self.clock.now())

    def message(self, message_id: str) -> Message:
        found = self.store.message(message_id)
        assert found is not None
        return found

    def documents(self) -> Documents:
        letterhead = Letterhead(
            {"en": "Republic of Valdoria", "pt": "República da Valdória"},
            {"en": "Valdoria Public Services", "pt": "Serviços Públicos da Valdória"},
        )
        return Documents(letterhead, load_translators(self.templates.languages))

    def email(self, port: int | None) -> SmtpSender:
        """Email through the SMTP server at ``port`` on loopback; None: no server is set."""
        settings = SmtpSettings("127.0.0.1" if port else None, port or 25, SENDER, timeout=5)
        return SmtpSender(settings, self.documents(), self.clock)

    def letters(self, **options: object) -> PdfLetters:
        return PdfLetters(self.folder / "letters", self.documents(), self.clock, **options)  # type: ignore[arg-type]

    def dispatcher(self, *senders: Sender) -> Dispatcher:
        return Dispatcher(self.store, senders, self.templates, self.clock, PORTAL)

    def send_due(self, dispatcher: Dispatcher) -> int:
        return asyncio.run(dispatcher.send_due())


def require_pango() -> None:
    """Skip, saying what to install, where WeasyPrint cannot load Pango to make PDFs."""
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        pytest.skip(
            f"Pango is not installed ({error}): apt-get install libpango-1.0-0 libpangoft2-1.0-0"
        )
