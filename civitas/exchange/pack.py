"""Load a country pack's ``exchange.yaml`` into a checked :class:`ExchangeSetup`.

Loading is all or nothing, like every pack file: each problem is reported with
its file, line and field path. ``organisations`` (ids from organisations.yaml)
and ``data_items`` (the data items each service has, e.g. a registry's columns,
keyed ``member/subsystem/service``) are checked when given, so the exchange stays
ignorant of the blocks that know them.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path

from civitas.core.content import YamlDocument, pack_languages, read_pack_file, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import walk_texts
from civitas.exchange.addresses import is_part
from civitas.exchange.domain import ALL_COLUMNS, DATA_USE, ExchangeFile, ExchangeSetup

EXCHANGE_FILE = "exchange.yaml"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL = re.compile(r"^https?://[^\s]+$")

Where = tuple[str | int, ...]


class ExchangeInvalid(InvalidInput):
    """The pack's exchange.yaml cannot be used; ``errors`` lists every problem."""


def load_exchange(
    pack_dir: Path,
    organisations: Collection[str] | None = None,
    data_items: Mapping[str, Collection[str]] | None = None,
    languages: Collection[str] | None = None,
) -> ExchangeSetup:
    """The exchange declared in ``pack_dir``; :class:`ExchangeInvalid` listing every problem."""
    errors: list[FieldError] = []
    if languages is None:
        languages = pack_languages(pack_dir, errors)
    document = read_pack_file(pack_dir / EXCHANGE_FILE, errors)
    file: ExchangeFile | None = None
    if document is not None:
        file, problems = validate(document, document.data, ExchangeFile)
        errors.extend(problems)
        if file is not None:
            errors.extend(_Checks(document, languages, organisations, data_items).run(file))
    if errors or file is None:
        raise ExchangeInvalid(
            N_("The exchange of the country pack in {folder} has {count} problem(s)."),
            hint=N_("Fix each problem listed in exchange.yaml, then try again."),
            params={"folder": str(pack_dir), "count": len(errors)},
            errors=tuple(errors),
        )
    return ExchangeSetup.from_file(file)


class _Checks:
    """Every problem the field types alone do not catch."""

    def __init__(
        self,
        document: YamlDocument,
        languages: Collection[str],
        organisations: Collection[str] | None,
        data_items: Mapping[str, Collection[str]] | None,
    ) -> None:
        self.document = document
        self.languages = languages
        self.organisations = organisations
        self.data_items = data_items
        self.problems: list[FieldError] = []

    def problem(self, path: Where, message: str) -> None:
        self.problems.append(self.document.error(path, message))

    def run(self, file: ExchangeFile) -> list[FieldError]:
        if not is_part(file.instance):
            self.problem(("instance",), "Use letters and digits only, like 'VLD'.")
        parties, services = self._members(file)
        if file.portal and file.portal not in parties:
            self.problem(("portal",), f"'{file.portal}' is no member/subsystem declared above.")
        purposes = self._purposes(file)
        self._rights(file, parties, services, purposes)
        return self.problems

    def _members(self, file: ExchangeFile) -> tuple[set[str], set[str]]:
        parties: set[str] = set()
        services: set[str] = set()
        seen: set[str] = set()
        for m, member in enumerate(file.members):
            at: Where = ("members", m)
            if not _ID.match(member.code):
                self.problem((*at, "code"), "Use the organisation's id, like 'tax-authority'.")
            elif member.code in seen:
                self.problem((*at, "code"), f"The member '{member.code}' is listed twice.")
            elif self.organisations is not None and member.code not in self.organisations:
                self.problem(
                    (*at, "code"), f"'{member.code}' names no organisation in organisations.yaml."
                )
            seen.add(member.code)
            if not is_part(member.member_class):
                self.problem((*at, "member_class"), "Use capital letters, like 'GOV'.")
            if not member.subsystems:
                self.problem((*at, "subsystems"), "A member needs at least one subsystem.")
            codes: set[str] = set()
            for s, subsystem in enumerate(member.subsystems):
                where: Where = (*at, "subsystems", s)
                party = f"{member.code}/{subsystem.code}"
                if not _ID.match(subsystem.code):
                    self.problem((*where, "code"), "Use lowercase letters, digits and hyphens.")
                if subsystem.code in codes:
                    self.problem((*where, "code"), f"The subsystem '{party}' is listed twice.")
                codes.add(subsystem.code)
                parties.add(party)
                services.add(f"{party}/{DATA_USE}")
                for v, service in enumerate(subsystem.services):
                    if service == DATA_USE:
                        self.problem(
                            (*where, "services", v),
                            "Every subsystem offers 'data-use' already; remove it.",
                        )
                    elif not _ID.match(service):
                        self.problem(
                            (*where, "services", v), "Use lowercase letters, digits and hyphens."
                        )
                    elif f"{party}/{service}" in services:
                        self.problem((*where, "services", v), f"'{service}' is listed twice.")
                    services.add(f"{party}/{service}")
        return parties, services

    def _purposes(self, file: ExchangeFile) -> set[str]:
        seen: set[str] = set()
        for p, purpose in enumerate(file.purposes):
            at: Where = ("purposes", p)
            if not _ID.match(purpose.id):
                self.problem((*at, "id"), "Use lowercase letters, digits and hyphens.")
            if purpose.id in seen:
                self.problem((*at, "id"), f"The purpose '{purpose.id}' is listed twice.")
            seen.add(purpose.id)
            if not _URL.match(purpose.legal_basis.url):
                self.problem(
                    (*at, "legal_basis", "url"), "Give the address of the law, starting https://."
                )
            for text_path, text in walk_texts(purpose):
                for language in self.languages:
                    value = text.get(language)
                    if not isinstance(value, str) or not value.strip():
                        self.problem(
                            (*at, *text_path), f"The '{language}' text is missing or empty."
                        )
                for language in text:
                    if language not in self.languages:
                        self.problem(
                            (*at, *text_path, language),
                            f"'{language}' is not a language of this pack; remove it.",
                        )
        return seen

    def _rights(
        self, file: ExchangeFile, parties: set[str], services: set[str], purposes: set[str]
    ) -> None:
        granted: dict[tuple[str, str, str], int] = {}
        for r, rule in enumerate(file.rights):
            at: Where = ("rights", r)
            if rule.client not in parties:
                self.problem(
                    (*at, "client"),
                    f"'{rule.client}' is no member/subsystem declared under members.",
                )
            if not rule.services:
                self.problem((*at, "services"), "Name at least one service.")
            if not rule.purposes:
                self.problem((*at, "purposes"), "Name at least one purpose.")
            for p, purpose in enumerate(rule.purposes):
                if purpose not in purposes:
                    self.problem((*at, "purposes", p), f"'{purpose}' is no purpose listed above.")
            for v, service in enumerate(rule.services):
                if service not in services:
                    self.problem(
                        (*at, "services", v),
                        f"'{service}' is no member/subsystem/service declared under members.",
                    )
                    continue
                self._columns(rule.columns, service, (*at, "columns"))
                for purpose in rule.purposes:
                    key = (rule.client, service, purpose)
                    if key in granted:
                        self.problem(
                            (*at, "services", v),
                            f"Right number {granted[key] + 1} already lets {rule.client} call "
                            f"{service} for '{purpose}'.",
                        )
                    granted.setdefault(key, r)

    def _columns(self, columns: tuple[str, ...] | str, service: str, at: Where) -> None:
        if service.endswith(f"/{DATA_USE}") or columns == ALL_COLUMNS:
            return
        if not columns:
            self.problem(at, f"List the data items of {service} this right gives, or 'all'.")
            return
        known = self.data_items.get(service) if self.data_items is not None else None
        if known is None:
            return
        for c, column in enumerate(columns):
            if column not in known:
                self.problem((*at, c), f"{service} has no data item '{column}'.")
