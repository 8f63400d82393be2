"""Emails and letters as documents: HTML from the block's Jinja templates, and plain text.

The words come from the message's template (the country pack); the frame around them
(the country's name, the date, where to read it online) from the interface's
translations, in the delivery's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date

from civitas.core.i18n import N_, Translator, locale_for
from civitas.core.text import LocalText, pick
from civitas.notifications.domain import Outgoing
from civitas.notifications.ports import Written

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
EMAIL_PAGE = "notifications/email.html"
LETTER_PAGE = "notifications/letter.html"


@dataclass(frozen=True)
class Letterhead:
    """Who writes: the country and its portal, named in each language."""

    country: LocalText
    portal: LocalText


class Documents:
    def __init__(self, letterhead: Letterhead, translators: Mapping[str, Translator]) -> None:
        self.letterhead = letterhead
        self.translators = translators
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def gettext(self, language: str) -> Any:
        translator = self.translators.get(language)
        return translator.gettext if translator else (lambda message: message)

    def context(self, outgoing: Outgoing, written: Written) -> dict[str, Any]:
        filled = written.filled
        language = filled.language
        message = outgoing.message
        return {
            "lang": language,
            "_": self.gettext(language),
            "country": pick(self.letterhead.country, language),
            "portal": pick(self.letterhead.portal, language),
            "subject": filled.subject,
            "paragraphs": [p.split("\n") for p in filled.paragraphs],
            "action": filled.action,
            "link_url": written.link_url,
            "message_url": written.message_url,
            "preferences_url": written.preferences_url,
            "day": format_date(message.created_at.date(), "long", locale=locale_for(language)),
            "reference": message.id,
            "address": message.address.lines() if message.address else (),
        }

    def html(self, page: str, outgoing: Outgoing, written: Written) -> str:
        """``page`` (EMAIL_PAGE, LETTER_PAGE) for this delivery."""
        return self.environment.get_template(page).render(self.context(outgoing, written))

    def plain(self, outgoing: Outgoing, written: Written) -> str:
        """The email as plain text: the message, its link, and where to read it online."""
        filled = written.filled
        _ = self.gettext(filled.language)
        parts = list(filled.paragraphs)
        if written.link_url:
            action = filled.action or _(N_("Open the link"))
            parts.append(f"{action}: {written.link_url}")
        parts.append(
            _(N_("Read this message in your account: {url}")).format(url=written.message_url)
        )
        portal = pick(self.letterhead.portal, filled.language)
        footer = _(
            N_("This email was sent to you automatically. To change how we tell you: {url}")
        ).format(url=written.preferences_url)
        reference = _(N_("Reference: {reference}")).format(reference=outgoing.message.id)
        return "\n\n".join([*parts, f"-- \n{portal}\n{reference}\n{footer}"]) + "\n"
