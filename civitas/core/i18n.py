"""Translations of the user interface, read from gettext catalogues (.po files).

The catalogues are compiled in memory when the application starts, so no build
step produces ``.mo`` files. English is the source language.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency

SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


@dataclass(frozen=True)
class Translator:
    """The interface text of one language."""

    language: str
    catalogue: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalogue.ngettext(singular, plural, n)


def load_translators(
    languages: Iterable[str], locale_dir: Path = LOCALE_DIR
) -> dict[str, Translator]:
    """One translator per language; the source language needs no catalogue."""
    translators = {}
    for language in languages:
        po_file = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalogue: gettext.NullTranslations
        if language == SOURCE_LANGUAGE or not po_file.exists():
            catalogue = gettext.NullTranslations()
        else:
            with po_file.open("rb") as fh:
                parsed = read_po(fh, locale=language)
            compiled = io.BytesIO()
            write_mo(compiled, parsed)
            compiled.seek(0)
            catalogue = gettext.GNUTranslations(compiled)
        translators[language] = Translator(language, catalogue)
    return translators


def locale_for(language: str) -> str:
    """The Babel locale of a language: Portugal's Portuguese and British English, as the
    portal speaks them."""
    wanted = {"pt": "pt_PT", "en": "en_GB"}.get(language, language)
    try:
        return str(Locale.parse(wanted))
    except (ValueError, UnknownLocaleError):
        return "en_GB"


def format_money(amount: Any, currency: str = "EUR", language: str = "en") -> str:
    """Exact amounts for display: ``€12.50`` in English, ``12,50 €`` in Portuguese."""
    return str(format_currency(amount, currency, locale=locale_for(language)))
