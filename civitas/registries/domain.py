"""Base registries as a country pack declares them: who owns each, and what it holds.

A registry is a table of records about people (or businesses) kept by one
organisation, with its own record identifier and, where the law allows, the
national identifier. Nodes serve one registry each (``civitas registry serve``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from civitas.core.text import LocalText


class ColumnType(enum.StrEnum):
    """Types of registry columns, as stored in Parquet and shown in JSON."""

    INTEGER = "integer"  # int64
    TEXT = "text"  # string (dictionary-encoded in Parquet)
    DATE = "date"  # date32, ISO 8601 in JSON
    BOOLEAN = "boolean"
    MONEY = "money"  # int64 cents, shown in JSON as a decimal string "12.50"
    CODE = "code"  # short text from a fixed list (e.g. employment status)


class IdentifierFormat(enum.StrEnum):
    """How a registry's record identifiers are written."""

    NATIONAL = "national"  # the 9-digit national identifier with a check digit
    PREFIXED = "prefixed"  # a prefix and digits, e.g. TX-000123457 (last digit checks)


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: LocalText
    nullable: bool = False
    codes: tuple[str, ...] = ()  # the allowed values of a CODE column


@dataclass(frozen=True)
class RegistryDefinition:
    """One base registry: its owner, identifiers and columns.

    ``national_id`` finds the records *of* a person; ``related_by`` finds the records
    that *name* a person in another role, e.g. a parent's children through the
    children's ``mother_national_id`` and ``father_national_id``.
    """

    id: str  # e.g. "population"; also the Parquet file name (<id>.parquet)
    name: LocalText
    description: LocalText
    organisation: str  # id of the owning organisation in the catalogue
    record_id: str  # column holding this registry's own identifier
    id_format: IdentifierFormat
    columns: tuple[Column, ...]
    national_id: str = ""  # column holding the national identifier, if the registry keeps it
    id_prefix: str = ""  # with PREFIXED ids, e.g. "TX"
    subject: str = "person"  # what a record is about: person, household, business
    related_by: tuple[str, ...] = ()  # columns of relatives' national ids, searched by /related

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)
