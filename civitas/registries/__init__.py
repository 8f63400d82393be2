"""Base-registry nodes: each registry served as its own HTTP service."""

from __future__ import annotations

from civitas.registries.asked import Answered, ask_registry
from civitas.registries.consents import MAX_VALIDITY_DAYS
from civitas.registries.domain import Column, ColumnType, IdentifierFormat, RegistryDefinition
from civitas.registries.feed import FeedPage, read_changes
from civitas.registries.formats import CHANGE_SCHEMA, COLUMN_TYPES
from civitas.registries.identifiers import SMALLEST_BODY, with_check_digits
from civitas.registries.manifest import (
    MANIFEST_NAME,
    CountryDataInvalid,
    FileEntry,
    Manifest,
    describe_file,
    manifest_stamp,
    read_manifest,
    verify_country,
)
from civitas.registries.pack import REGISTRIES_FILE, RegistriesInvalid, load_registry_definitions

__all__ = [
    "CHANGE_SCHEMA",
    "COLUMN_TYPES",
    "MANIFEST_NAME",
    "MAX_VALIDITY_DAYS",
    "REGISTRIES_FILE",
    "SMALLEST_BODY",
    "Answered",
    "Column",
    "ColumnType",
    "CountryDataInvalid",
    "FeedPage",
    "FileEntry",
    "IdentifierFormat",
    "Manifest",
    "RegistriesInvalid",
    "RegistryDefinition",
    "ask_registry",
    "describe_file",
    "load_registry_definitions",
    "manifest_stamp",
    "read_changes",
    "read_manifest",
    "verify_country",
    "with_check_digits",
]
