"""Message templates of the country pack, and filling them in the reader's language.

A template has a subject and a plain-text body in every language of the pack, with
``{placeholder}`` fields. Values are filled in as the reader reads them: money (a whole
number of cents, under a name ending in ``_cents``) as money in their language, other
whole numbers with their language's digits, text per language in their language.

Messages keep the template and the values, not the words: a person who changes their
language reads every message in the new one, and a letter or an email is written in
the language chosen for it when it is sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_, format_money, locale_for
from civitas.core.text import LocalText, pick
from civitas.notifications.domain import ParamValue

FIELD = re.compile(r"\{([^{}]*)\}")
MONEY_SUFFIX = "_cents"


@dataclass(frozen=True)
class Default:
    """What a placeholder reads when the notice leaves it empty."""

    placeholder: str  # one of the template's placeholders, e.g. name
    text: LocalText  # e.g. "Sir or Madam"


@dataclass(frozen=True)
class Template:
    """A message people are sent, in every language of the pack."""

    id: str  # unique; blocks name it when they send a notice, e.g. benefit-granted
    placeholders: tuple[str, ...]  # the values it uses, e.g. name, amount_cents
    subject: LocalText  # one line, with {placeholder} fields
    body: LocalText  # plain text with {placeholder} fields; a blank line starts a paragraph
    action: LocalText | None = None  # the words of the notice's link, e.g. "Accept the offer"
    defaults: tuple[Default, ...] = ()  # placeholders that read a text of their own when empty


@dataclass(frozen=True)
class Filled:
    """A template filled in for one reader, in one language."""

    language: str
    subject: str
    body: str
    action: str = ""

    @property
    def paragraphs(self) -> tuple[str, ...]:
        parts = re.split(r"\n\s*\n", self.body.strip())
        return tuple(part.strip() for part in parts if part.strip())


class Templates:
    """The pack's templates, its languages (the first is the default) and its currency."""

    def __init__(
        self, templates: Mapping[str, Template], languages: tuple[str, ...], currency: str
    ) -> None:
        self.templates = dict(templates)
        self.languages = languages
        self.currency = currency

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def language(self, wanted: str) -> str:
        """``wanted`` when the pack speaks it, else the default language."""
        return wanted if wanted in self.languages else self.default_language

    def fill(self, template_id: str, params: Mapping[str, ParamValue], language: str) -> Filled:
        """The template in ``language``, or :class:`InvalidInput` when it cannot be filled
        (no such template, a value missing)."""
        template = self.templates.get(template_id)
        if template is None:
            raise InvalidInput(
                N_("There is no message template '{template}'."),
                hint=N_("Use a template of the country pack's notifications.yaml."),
                params={"template": template_id},
                errors=(FieldError(("template",), N_("No such template.")),),
            )
        language = self.language(language)
        defaults = {d.placeholder: d.text for d in template.defaults}
        values: dict[str, str] = {}
        missing = []
        for name in template.placeholders:
            value = self._value(name, params.get(name), language)
            if not value and name in defaults:
                value = pick(defaults[name], language, self.default_language)
            if value is None:
                missing.append(FieldError(("params", name), N_("The notice gives no value.")))
            values[name] = value or ""
        if missing:
            raise InvalidInput(
                N_("The message '{template}' lacks {count} value(s)."),
                hint=N_("Give every placeholder the template uses."),
                params={"template": template_id, "count": len(missing)},
                errors=tuple(missing),
            )
        one_line = {name: " ".join(value.split()) for name, value in values.items()}
        return Filled(
            language,
            fill_in(pick(template.subject, language, self.default_language), one_line),
            fill_in(pick(template.body, language, self.default_language), values),
            fill_in(pick(template.action, language, self.default_language), one_line),
        )

    def _value(self, name: str, value: ParamValue | None, language: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, Mapping):
            return pick(value, language, self.default_language) or next(iter(value.values()), "")
        if isinstance(value, int) and name.endswith(MONEY_SUFFIX):
            return money(value, self.currency, language)
        if isinstance(value, int):
            return str(format_decimal(value, locale=locale_for(language)))
        return value


def fill_in(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by its value (names the loader checked)."""
    return FIELD.sub(lambda field: values.get(field.group(1), field.group(0)), text)


def fields_in(text: str) -> list[str]:
    """The placeholder names ``text`` uses, in order."""
    return [match.group(1) for match in FIELD.finditer(text)]


def money(cents: int, currency: str, language: str) -> str:
    """Exact money as the reader writes it: ``€1,234.50`` in English, ``1234,50 €`` in pt."""
    return format_money(Decimal(cents).scaleb(-2), currency, language)
