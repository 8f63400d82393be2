"""Load a country pack's catalogue from YAML into a checked :class:`Catalogue`.

A pack is a folder::

    country.yaml          the country: names, languages, theme
    organisations.yaml    public organisations
    legal.yaml            laws and regulations
    evidence.yaml         documents and data items people provide
    services/*.yaml       public services, any number of files
    events.yaml           life events and business events, with their journeys

Loading is all or nothing: every problem in every file is collected and reported
together (file, line, field path, what was expected), and no catalogue is
returned unless the whole pack is consistent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from civitas.catalogue.domain import (
    Catalogue,
    CountryProfile,
    Event,
    Evidence,
    LegalResource,
    Organisation,
    Service,
)
from civitas.core.content import YamlDocument, YamlProblem, read_yaml, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import Path as ValuePath
from civitas.core.text import walk_texts

_T = TypeVar("_T")

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class PackInvalid(InvalidInput):
    """The country pack cannot be loaded; ``errors`` lists every problem."""


@dataclass(frozen=True)
class _Loaded:
    """One object read from a file, with the document and path it came from."""

    value: Any
    document: YamlDocument
    path: tuple[str | int, ...]


def load_catalogue(pack_dir: Path) -> Catalogue:
    """Read and check the whole pack; raise :class:`PackInvalid` listing every problem."""
    loader = _PackLoader(pack_dir)
    catalogue = loader.load()
    if loader.errors or catalogue is None:
        raise PackInvalid(
            N_("The country pack in {folder} has {count} problem(s)."),
            hint=N_("Fix each problem listed, then load the pack again."),
            params={"folder": str(pack_dir), "count": len(loader.errors)},
            errors=tuple(loader.errors),
        )
    return catalogue


class _PackLoader:
    def __init__(self, pack_dir: Path) -> None:
        self.pack_dir = pack_dir
        self.errors: list[FieldError] = []
        # Ids written in the files, valid or not, and kinds whose files could not be
        # read: a reference to them is not reported again as broken.
        self.written_ids: dict[type, set[str]] = {}
        self.unreadable: set[type] = set()

    def load(self) -> Catalogue | None:
        if not self.pack_dir.is_dir():
            self.errors.append(
                FieldError((), "The country pack folder does not exist.", str(self.pack_dir))
            )
            return None
        country = self._read_one("country.yaml", CountryProfile)
        organisations = self._read_list(["organisations.yaml"], Organisation)
        legal = self._read_list(["legal.yaml"], LegalResource)
        evidence = self._read_list(["evidence.yaml"], Evidence)
        service_files = sorted(
            str(p.relative_to(self.pack_dir))
            for pattern in ("*.yaml", "*.yml")
            for p in (self.pack_dir / "services").rglob(pattern)
        )
        if not service_files:
            self.errors.append(FieldError((), "No service files found.", "services/*.yaml"))
        services = self._read_list(service_files, Service)
        events = self._read_list(["events.yaml"], Event)
        if country is None:
            return None

        languages = country.value.languages
        everything = [country, *organisations, *legal, *evidence, *services, *events]
        for item in everything:
            self._check_texts(item, languages)
        for group in (organisations, legal, evidence, services, events):
            self._check_ids(group)
        for service in services:
            self._check_part_ids(service)

        catalogue = Catalogue(
            country=country.value,
            organisations=_by_id(organisations),
            services=_by_id(services),
            events=_by_id(events),
            evidence=_by_id(evidence),
            legal_resources=_by_id(legal),
        )
        self._check_references(catalogue, services, events)
        self._check_theme(country)
        return None if self.errors else catalogue

    # -- reading ---------------------------------------------------------------

    def _document(self, name: str) -> YamlDocument | None:
        path = self.pack_dir / name
        if not path.is_file():
            self.errors.append(FieldError((), "This file is missing from the pack.", name))
            return None
        try:
            return read_yaml(path, name)
        except YamlProblem as problem:
            self.errors.append(problem.error)
            return None

    def _validate(
        self, document: YamlDocument, data: Any, kind: type[_T], path: ValuePath
    ) -> _T | None:
        value, problems = validate(document, data, kind, path)
        self.errors.extend(problems)
        return value

    def _read_one(self, name: str, kind: type[_T]) -> _Loaded | None:
        document = self._document(name)
        if document is None:
            return None
        value = self._validate(document, document.data, kind, ())
        return None if value is None else _Loaded(value, document, ())

    def _read_list(self, names: Iterable[str], kind: type[_T]) -> list[_Loaded]:
        loaded = []
        written = self.written_ids.setdefault(kind, set())
        for name in names:
            document = self._document(name)
            if document is None:
                self.unreadable.add(kind)
                continue
            if not isinstance(document.data, list):
                self.unreadable.add(kind)
                self.errors.append(
                    document.error((), "Expected a list of entries (lines starting with '- ').")
                )
                continue
            for index, item in enumerate(document.data):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    written.add(item["id"])
                value = self._validate(document, item, kind, (index,))
                if value is not None:
                    loaded.append(_Loaded(value, document, (index,)))
        return loaded

    # -- checks ----------------------------------------------------------------

    def _check_texts(self, item: _Loaded, languages: tuple[str, ...]) -> None:
        for text_path, text in walk_texts(item.value):
            where = (*item.path, *text_path)
            for language in languages:
                value = text.get(language)
                if value is None:
                    self.errors.append(
                        item.document.error(where, f"The '{language}' translation is missing.")
                    )
                elif not (value.strip() if isinstance(value, str) else value):
                    self.errors.append(
                        item.document.error(
                            (*where, language), f"The '{language}' text is empty; write it."
                        )
                    )
            for language in text:
                if language not in languages:
                    self.errors.append(
                        item.document.error(
                            (*where, language),
                            f"'{language}' is not a language of this pack "
                            f"({', '.join(languages)}). Add it to country.yaml or remove it.",
                        )
                    )

    def _check_ids(self, group: list[_Loaded]) -> None:
        seen: dict[str, _Loaded] = {}
        for item in group:
            identifier = item.value.id
            where = (*item.path, "id")
            if not ID_PATTERN.match(identifier):
                self.errors.append(
                    item.document.error(
                        where,
                        f"The id '{identifier}' must use only lowercase letters, digits and "
                        "single hyphens, like 'register-a-birth'.",
                    )
                )
            if identifier in seen:
                first = seen[identifier]
                self.errors.append(
                    item.document.error(
                        where,
                        f"The id '{identifier}' is already used in {first.document.file} "
                        f"line {first.document.line_of((*first.path, 'id'))}; ids must be unique.",
                    )
                )
            seen.setdefault(identifier, item)

    def _check_part_ids(self, service: _Loaded) -> None:
        """Channels, costs, outputs, requirements and rules need distinct ids within a service."""
        for part in ("channels", "costs", "outputs", "requirements", "rules"):
            seen: set[str] = set()
            for index, item in enumerate(getattr(service.value, part)):
                if item.id in seen:
                    self.errors.append(
                        service.document.error(
                            (*service.path, part, index, "id"),
                            f"Another entry of {part} in this service already has the id "
                            f"'{item.id}'; give each one its own id.",
                        )
                    )
                if not ID_PATTERN.match(item.id):
                    self.errors.append(
                        service.document.error(
                            (*service.path, part, index, "id"),
                            f"The id '{item.id}' must use only lowercase letters, digits and "
                            "single hyphens, like 'register-a-birth-web'.",
                        )
                    )
                seen.add(item.id)
            if part == "costs":
                for index, cost in enumerate(service.value.costs):
                    if cost.amount < 0:
                        self.errors.append(
                            service.document.error(
                                (*service.path, "costs", index, "amount"),
                                "A cost cannot be negative. Write 0.00 for a free service.",
                            )
                        )

    def _check_references(
        self, catalogue: Catalogue, services: list[_Loaded], events: list[_Loaded]
    ) -> None:
        targets: Mapping[str, tuple[type, Mapping[str, Any]]] = {
            "organisation": (Organisation, catalogue.organisations),
            "legal_resource": (LegalResource, catalogue.legal_resources),
            "evidence": (Evidence, catalogue.evidence),
            "service": (Service, catalogue.services),
        }
        # Journeys (events) name services; everything else is named by services.
        origin = {
            "service": {item.value.id: item for item in events},
            "other": {item.value.id: item for item in services},
        }
        for kind, source_id, target_id in catalogue.references():
            target_type, existing = targets[kind]
            if (
                target_id in existing
                or target_id in self.written_ids.get(target_type, ())
                or target_type in self.unreadable
            ):
                continue
            item = origin["service" if kind == "service" else "other"][source_id]
            path = _find_value(item.document.data, item.path, target_id) or item.path
            self.errors.append(
                item.document.error(
                    path,
                    f"'{target_id}' names no {kind.replace('_', ' ')} in the pack. "
                    f"Check the spelling, or add it.",
                )
            )
        for item in events:
            if not item.value.steps:
                self.errors.append(
                    item.document.error((*item.path, "steps"), "A journey needs at least one step.")
                )

    def _check_theme(self, country: _Loaded) -> None:
        logo = country.value.theme.logo
        if logo and not (self.pack_dir / logo).is_file():
            self.errors.append(
                country.document.error(
                    ("theme", "logo"), f"The logo file '{logo}' is not in the pack folder."
                )
            )


def _by_id(items: list[_Loaded]) -> dict[str, Any]:
    return {item.value.id: item.value for item in items}


def _find_value(data: Any, base: ValuePath, wanted: str) -> ValuePath | None:
    """The path below ``base`` of the first value equal to ``wanted``, to point at it."""
    node = data
    for part in base:
        node = node[part]

    def search(value: Any, path: ValuePath) -> ValuePath | None:
        if value == wanted:
            return path
        if isinstance(value, dict):
            items: Iterable[tuple[Any, Any]] = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            return None
        for key, child in items:
            if key == "id":
                continue
            found = search(child, (*path, key))
            if found:
                return found
        return None

    return search(node, base)
