"""Load the country pack's ``forms.yaml`` into checked :class:`Forms`.

All or nothing, like every pack file: each problem is reported with its file, line
and field path. A field filled from a register must name a data item that the
exchange lets the portal receive for the purpose ``prefill-application``: a pack
must not promise people data the portal may not get.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from civitas.applications.domain import PURPOSE, FieldType, Forms, Section, Source
from civitas.core.content import YamlDocument, read_pack_file, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.exchange import ExchangeSetup

FORMS_FILE = "forms.yaml"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
Where = tuple[str | int, ...]


class FormsInvalid(InvalidInput):
    """The pack's forms.yaml cannot be used; ``errors`` lists every problem."""


@dataclass(frozen=True)
class FormsFile:
    """`forms.yaml` as written: the online form of every service people apply for."""

    common: tuple[Section, ...] = ()  # sections every application starts with
    services: Mapping[str, tuple[Section, ...]] = field(default_factory=dict)  # by service id


def load_forms(
    pack_dir: Path,
    exchange: ExchangeSetup,
    services: Collection[str],
    languages: Collection[str],
) -> Forms:
    """The forms of ``pack_dir``; ``services`` are the ids a person may apply for."""
    path = pack_dir / FORMS_FILE
    errors: list[FieldError] = []
    forms: FormsFile | None = None
    document = read_pack_file(path, errors)
    if document is not None:
        forms, errors = validate(document, document.data, FormsFile)
        if forms is not None:
            errors = _Checks(document, exchange, services, languages).run(forms)
    if errors or forms is None:
        raise FormsInvalid(
            N_("The forms of the country pack in {folder} have {count} problem(s)."),
            hint=N_("Fix each problem listed in forms.yaml, then try again."),
            params={"folder": str(pack_dir), "count": len(errors)},
            errors=tuple(errors),
        )
    return Forms(forms.common, dict(forms.services))


class _Checks:
    def __init__(
        self,
        document: YamlDocument,
        exchange: ExchangeSetup,
        services: Collection[str],
        languages: Collection[str],
    ) -> None:
        self.document = document
        self.exchange = exchange
        self.services = services
        self.languages = languages
        self.problems: list[FieldError] = []

    def problem(self, path: Where, message: str) -> None:
        self.problems.append(self.document.error(path, message))

    def run(self, forms: FormsFile) -> list[FieldError]:
        common = self._sections(forms.common, ("common",), set())
        for service_id, sections in forms.services.items():
            if service_id not in self.services:
                self.problem(
                    ("services", service_id),
                    f"'{service_id}' is no service of the catalogue that people apply for.",
                )
            self._sections(sections, ("services", service_id), set(common))
        return self.problems

    def _sections(self, sections: tuple[Section, ...], at: Where, seen: set[str]) -> set[str]:
        for s, section in enumerate(sections):
            self._texts(section.title, (*at, s, "title"))
            for f, form_field in enumerate(section.fields):
                where: Where = (*at, s, "fields", f)
                if not _ID.match(form_field.id):
                    self.problem((*where, "id"), "Use lowercase letters, digits and _.")
                elif form_field.id in seen:
                    self.problem((*where, "id"), f"The field '{form_field.id}' is asked twice.")
                seen.add(form_field.id)
                self._texts(form_field.label, (*where, "label"))
                if form_field.hint:
                    self._texts(form_field.hint, (*where, "hint"))
                self._source(form_field.type, form_field.source, where)
        return seen

    def _texts(self, text: Mapping[str, str], at: Where) -> None:
        for language in self.languages:
            if not str(text.get(language, "")).strip():
                self.problem((*at, language), f"Give the text in '{language}'.")

    def _source(self, kind: FieldType, source: Source | None, at: Where) -> None:
        if kind is FieldType.CHILD and source is None:
            self.problem((*at, "source"), "A child field needs the register's 'related' service.")
        if source is None:
            return
        portal = self.exchange.portal
        address = self.exchange.address(source.service)
        if portal is None or address is None or not self.exchange.offers(address):
            self.problem((*at, "source", "service"), f"No member offers '{source.service}'.")
            return
        right = self.exchange.right(portal, address, PURPOSE)
        if right is None:
            self.problem(
                (*at, "source", "service"),
                f"exchange.yaml gives the portal no right to '{source.service}' "
                f"for the purpose '{PURPOSE}'.",
            )
        elif right.columns is not None and source.item not in right.columns:
            self.problem(
                (*at, "source", "item"),
                f"exchange.yaml does not let the portal receive '{source.item}' from "
                f"'{source.service}' for the purpose '{PURPOSE}'.",
            )
