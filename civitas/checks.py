"""``civitas check``: configuration problems with stable ids and hints (like Django's checks)."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from civitas.catalogue import PackInvalid, load_catalogue
from civitas.config import Settings
from civitas.core.errors import InvalidInput
from civitas.core.i18n import LOCALE_DIR, SOURCE_LANGUAGE
from civitas.db import create_engine_for, pending_migrations, safe_url
from civitas.notifications import TemplatesInvalid, load_templates
from civitas.registries import (
    MANIFEST_NAME,
    CountryDataInvalid,
    RegistriesInvalid,
    RegistryDefinition,
    load_registry_definitions,
    read_manifest,
    verify_country,
)
from civitas.rules import RulesInvalid, load_rules

# Every id a check may report, with what it means; docs/reference/errors.md is generated
# from this, and tests/test_docs.py checks that it lists each id used below.
CHECK_IDS = {
    "civitas.E001": "The data folder (CIVITAS_DATA_DIR) cannot be written.",
    "civitas.E002": "The country pack cannot be loaded; each problem is listed with file, line "
    "and field.",
    "civitas.W003": "A language of the pack has no translation of the interface.",
    "civitas.E004": "The database URL (CIVITAS_DATABASE_URL) cannot be read, or names a "
    "database Civitas does not support.",
    "civitas.E005": "The database cannot be reached.",
    "civitas.W006": "The database lacks migrations; they are applied when the platform starts.",
    "civitas.E007": "The pack's registries.yaml cannot be loaded, or names an unknown owner.",
    "civitas.W008": "The synthetic country has not been generated yet.",
    "civitas.E009": "The country data does not match its manifest, so no node would serve it.",
    "civitas.E010": "The pack's rules cannot be loaded, or a rule names a catalogue service "
    "that does not exist.",
    "civitas.E011": "The pack's message templates (notifications.yaml) cannot be loaded; each "
    "problem is listed with file, line and field.",
}


@dataclass(frozen=True)
class Problem:
    id: str
    message: str
    hint: str
    details: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_error(self) -> bool:
        """Errors (``.E``) stop the platform from working; warnings (``.W``) do not."""
        return ".E" in self.id


def run_checks(settings: Settings) -> list[Problem]:
    problems = []
    problems += _check_data_dir(settings)
    problems += _check_pack(settings)
    problems += _check_database(settings)
    return problems


def _check_data_dir(settings: Settings) -> list[Problem]:
    folder = settings.data_dir.absolute()
    # The folder, or the nearest existing folder above it where it would be created.
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return [
            Problem(
                "civitas.E001",
                f"The data folder {folder} cannot be written.",
                "Set CIVITAS_DATA_DIR to a folder this user may write to.",
            )
        ]
    return []


def _check_pack(settings: Settings) -> list[Problem]:
    try:
        catalogue = load_catalogue(settings.country_pack)
    except PackInvalid as error:
        return [
            Problem(
                "civitas.E002",
                error.render()[0],
                "Fix each problem listed, or set CIVITAS_COUNTRY_PACK to another pack.",
                tuple(f"{e.location()}: {e.message}" for e in error.errors),
            )
        ]
    problems = []
    for language in catalogue.country.languages:
        po_file = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
        if language != SOURCE_LANGUAGE and not po_file.exists():
            problems.append(
                Problem(
                    "civitas.W003",
                    f"The pack uses the language '{language}' but the interface has no "
                    "translation for it.",
                    f"Add {po_file.relative_to(LOCALE_DIR.parent.parent)} "
                    "(see docs/how-to/translate.md).",
                )
            )
    problems += _check_rules(settings, set(catalogue.services))
    problems += _check_notifications(settings)
    return problems + _check_registries(settings, catalogue.organisations)


def _check_rules(settings: Settings, services: Collection[str]) -> list[Problem]:
    try:
        rules = load_rules(settings.country_pack)
    except RulesInvalid as error:
        return [
            Problem(
                "civitas.E010",
                error.render()[0],
                "Fix each problem listed, then run 'civitas rules test'.",
                tuple(f"{e.location()}: {e.message}" for e in error.errors),
            )
        ]
    unknown = [v for v in rules.variables.values() if v.service and v.service not in services]
    return [
        Problem(
            "civitas.E010",
            f"The rule {v.name} belongs to the service '{v.service}', which the catalogue "
            "does not have.",
            f"Correct the service id at {v.source}, or add the service to the catalogue.",
        )
        for v in unknown
    ]


def _check_notifications(settings: Settings) -> list[Problem]:
    try:
        load_templates(settings.country_pack)
    except TemplatesInvalid as error:
        return [
            Problem(
                "civitas.E011",
                error.render()[0],
                "Fix each problem listed in notifications.yaml, then run "
                "'civitas notifications preview <template>' to read one.",
                tuple(f"{e.location()}: {e.message}" for e in error.errors),
            )
        ]
    return []


def _check_registries(settings: Settings, organisations: Collection[str]) -> list[Problem]:
    try:
        definitions = load_registry_definitions(settings.country_pack, organisations=organisations)
    except RegistriesInvalid as error:
        return [
            Problem(
                "civitas.E007",
                error.render()[0],
                "Fix each problem listed in registries.yaml.",
                tuple(f"{e.location()}: {e.message}" for e in error.errors),
            )
        ]
    if not (settings.country_dir / MANIFEST_NAME).is_file():
        return [
            Problem(
                "civitas.W008",
                f"There is no synthetic country in {settings.country_dir} yet.",
                "Generate it with 'civitas country generate', or start everything with "
                "'civitas run', which generates it on the first run.",
            )
        ]
    try:
        verify_country(settings.country_dir)
    except CountryDataInvalid as error:
        return [
            Problem(
                "civitas.E009",
                error.render()[0],
                "Generate the country again with 'civitas country generate'.",
                tuple(f"{e.location()}: {e.message}" for e in error.errors),
            )
        ]
    unserved = _files_nodes_would_refuse(settings.country_dir, definitions)
    if unserved:
        return [
            Problem(
                "civitas.E009",
                f"The country data in {settings.country_dir} does not match its manifest.",
                "Generate the country again with 'civitas country generate'.",
                tuple(unserved),
            )
        ]
    return []


def _files_nodes_would_refuse(
    country_dir: Path, definitions: Sequence[RegistryDefinition]
) -> list[str]:
    """What a registry node would refuse beyond checksums: a registry the manifest lacks,
    or change files on disk that differ from the manifest's list."""
    listed = read_manifest(country_dir).files
    problems = []
    for definition in definitions:
        if f"registries/{definition.id}.parquet" not in listed:
            problems.append(f"registries/{definition.id}.parquet: not in the manifest.")
        folder = country_dir / "changes" / definition.id
        on_disk = {f"changes/{definition.id}/{f.name}" for f in folder.glob("*.parquet")}
        wanted = {name for name in listed if name.startswith(f"changes/{definition.id}/")}
        problems += [f"{name}: not in the manifest." for name in sorted(on_disk - wanted)]
        problems += [f"{name}: listed but missing." for name in sorted(wanted - on_disk)]
    return problems


def _check_database(settings: Settings) -> list[Problem]:
    url = settings.resolved_database_url
    try:
        engine = create_engine_for(url)
    except InvalidInput as error:
        message, hint = error.render()
        return [Problem("civitas.E004", message, hint)]
    try:
        pending = pending_migrations(engine)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        return [
            Problem(
                "civitas.E005",
                f"Cannot connect to the database at {safe_url(url)}.",
                "Check CIVITAS_DATABASE_URL, and that the database server is running.",
                tuple(reason[:1]),
            )
        ]
    finally:
        engine.dispose()
    if pending:
        return [
            Problem(
                "civitas.W006",
                f"The database lacks {len(pending)} migration(s): {', '.join(pending)}.",
                "They are applied when the platform starts (civitas serve).",
            )
        ]
    return []
