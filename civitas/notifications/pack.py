"""Load the country pack's ``notifications.yaml`` into checked :class:`Templates`.

All or nothing, like every pack file: each problem is reported with its file, line and
field path. Every text is given in every language of the pack (and no other), every
``{placeholder}`` a text uses is declared, every one declared is used in each language,
and the templates other blocks send (``STANDARD``) are there, using only the values
those blocks give. A pack without the file sends no notices.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from civitas.core.content import YamlDocument, read_pack_file, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.notifications.domain import PLACEHOLDER
from civitas.notifications.templates import FIELD, Template, Templates, fields_in

NOTIFICATIONS_FILE = "notifications.yaml"
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
Where = tuple[str | int, ...]

# The templates other blocks send, with the values they give (civitas.proactive).
STANDARD: Mapping[str, tuple[str, ...]] = {
    "benefit-granted": ("name", "service", "amount_cents", "reason"),
    "offer-made": ("name", "service", "amount_cents", "reason"),
    "service-suggested": ("name", "service", "reason"),
    "information-needed": ("name", "service", "missing"),
}


class TemplatesInvalid(InvalidInput):
    """The pack's notifications.yaml cannot be used; ``errors`` lists every problem."""


def load_templates(pack_dir: Path) -> Templates:
    """The message templates of ``pack_dir``, checked against its languages."""
    errors: list[FieldError] = []
    languages, currency = _country(pack_dir, errors)
    path = pack_dir / NOTIFICATIONS_FILE
    templates: dict[str, Template] = {}
    if path.exists():
        document = read_pack_file(path, errors)
        if document is not None:
            templates = _Checks(document, languages, errors).run()
    if errors or not languages:
        raise TemplatesInvalid(
            N_("The message templates of the country pack in {folder} have {count} problem(s)."),
            hint=N_("Fix each problem listed in notifications.yaml, then try again."),
            params={"folder": str(pack_dir), "count": len(errors)},
            errors=tuple(errors),
        )
    return Templates(templates, languages, currency)


def _country(pack_dir: Path, errors: list[FieldError]) -> tuple[tuple[str, ...], str]:
    """The pack's languages and currency, from country.yaml."""
    document = read_pack_file(pack_dir / "country.yaml", errors)
    data: Any = document.data if document else None
    if not isinstance(data, dict):
        if document is not None:
            errors.append(document.error((), "Expected a mapping of fields (key: value lines)."))
        return (), "EUR"
    languages = data.get("languages")
    if not (
        isinstance(languages, list) and languages and all(isinstance(x, str) for x in languages)
    ):
        if document is not None:
            errors.append(document.error(("languages",), "Expected a list of language codes."))
        return (), "EUR"
    return tuple(languages), str(data.get("currency") or "EUR")


class _Checks:
    def __init__(
        self, document: YamlDocument, languages: Sequence[str], errors: list[FieldError]
    ) -> None:
        self.document = document
        self.languages = languages
        self.errors = errors

    def problem(self, path: Where, message: str) -> None:
        self.errors.append(self.document.error(path, message))

    def run(self) -> dict[str, Template]:
        data = self.document.data
        if not isinstance(data, list) or not data:
            self.problem((), "Expected a list of message templates ('- id: ...').")
            return {}
        found: dict[str, Template] = {}
        for index, item in enumerate(data):
            template, problems = validate(self.document, item, Template, (index,))
            self.errors.extend(problems)
            if template is None:
                continue
            if template.id in found:
                self.problem((index, "id"), f"The id '{template.id}' is used twice; keep one.")
            elif not _ID.match(template.id):
                self.problem((index, "id"), "Use lowercase letters, digits and single hyphens.")
            self._template(template, (index,))
            found.setdefault(template.id, template)
        for template_id, given in STANDARD.items():
            if template_id not in found:
                self.problem(
                    (),
                    f"The template '{template_id}' is missing; the platform sends it with "
                    f"the values {', '.join(given)}.",
                )
        return found

    def _template(self, template: Template, at: Where) -> None:
        declared = set(template.placeholders)
        given = STANDARD.get(template.id)
        for n, name in enumerate(template.placeholders):
            if not PLACEHOLDER.match(name):
                self.problem((*at, "placeholders", n), "Name it with lowercase letters, digits, _.")
            elif given is not None and name not in given:
                self.problem(
                    (*at, "placeholders", n),
                    f"Unknown placeholder '{name}': this notice gives only {', '.join(given)}.",
                )
        texts = {"subject": template.subject, "body": template.body}
        if template.action is not None:
            texts["action"] = template.action
        for part, text in texts.items():
            self._languages(text, (*at, part))
            for language, words in text.items():
                self._fields(words, declared, (*at, part, language))
        for language in self.languages:
            if not str(template.body.get(language, "")).strip():
                continue  # said once: the text is missing
            used = {f for text in texts.values() for f in fields_in(text.get(language, ""))}
            for name in sorted(declared - used):
                self.problem(
                    (*at, "body", language),
                    f"The placeholder {{{name}}} is declared but the '{language}' text never "
                    "uses it.",
                )
        for n, default in enumerate(template.defaults):
            if default.placeholder not in declared:
                self.problem(
                    (*at, "defaults", n, "placeholder"),
                    f"'{default.placeholder}' is not a placeholder of this template.",
                )
            self._languages(default.text, (*at, "defaults", n, "text"))

    def _languages(self, text: Mapping[str, str], at: Where) -> None:
        for language in self.languages:
            if not str(text.get(language, "")).strip():
                self.problem((*at, language), f"Give the text in '{language}'.")
        for language in text:
            if language not in self.languages:
                self.problem(
                    (*at, language),
                    f"'{language}' is not a language of the pack ({', '.join(self.languages)}).",
                )

    def _fields(self, words: str, declared: set[str], at: Where) -> None:
        for name in fields_in(words):
            if name not in declared:
                self.problem(
                    at,
                    f"Unknown placeholder {{{name}}}: declare it under placeholders, or "
                    "correct its spelling.",
                )
        if "{" in FIELD.sub("", words) or "}" in FIELD.sub("", words):
            self.problem(at, "A brace opens or closes no placeholder; write {name}.")
