"""Load a country pack's ``registries.yaml`` into checked :class:`RegistryDefinition` s.

The file is a list of registries, each with its owner, identifiers and columns
(see docs/reference/data-dictionary.md for the demo pack's). Loading is all or
nothing: every problem is reported with its file, line and field path.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from civitas.core.content import YamlDocument, pack_languages, read_pack_file, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import walk_texts
from civitas.registries.domain import ColumnType, IdentifierFormat, RegistryDefinition

REGISTRIES_FILE = "registries.yaml"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COLUMN = re.compile(r"^[a-z][a-z0-9_]*$")
_PREFIX = re.compile(r"^[A-Z]{2}$")


class RegistriesInvalid(InvalidInput):
    """The pack's registries.yaml cannot be used; ``errors`` lists every problem."""


def load_registry_definitions(
    pack_dir: Path,
    languages: Collection[str] | None = None,
    organisations: Collection[str] | None = None,
) -> tuple[RegistryDefinition, ...]:
    """The registries declared in ``pack_dir``, in file order.

    ``languages`` defaults to those in the pack's country.yaml. When ``organisations``
    is given, each registry's owner must be one of them.
    """
    errors: list[FieldError] = []
    if languages is None:
        languages = pack_languages(pack_dir, errors)
    definitions: list[RegistryDefinition] = []
    document = read_pack_file(pack_dir / REGISTRIES_FILE, errors)
    if document is not None:
        if not isinstance(document.data, list) or not document.data:
            errors.append(document.error((), "Expected a list of registries ('- id: ...')."))
        else:
            seen: dict[str, int] = {}
            for index, item in enumerate(document.data):
                definition, problems = validate(document, item, RegistryDefinition, (index,))
                errors.extend(problems)
                if definition is None:
                    continue
                found = _check(definition, document, (index,), languages, organisations)
                if definition.id in seen:
                    found.append(
                        document.error(
                            (index, "id"),
                            f"The id '{definition.id}' is already used by registry number "
                            f"{seen[definition.id] + 1}; ids must be unique.",
                        )
                    )
                seen.setdefault(definition.id, index)
                errors.extend(found)
                definitions.append(definition)
    if errors:
        raise RegistriesInvalid(
            N_("The registries of the country pack in {folder} have {count} problem(s)."),
            hint=N_("Fix each problem listed in registries.yaml, then try again."),
            params={"folder": str(pack_dir), "count": len(errors)},
            errors=tuple(errors),
        )
    return tuple(definitions)


def _check(
    definition: RegistryDefinition,
    document: YamlDocument,
    at: tuple[str | int, ...],
    languages: Collection[str],
    organisations: Collection[str] | None,
) -> list[FieldError]:
    """Every problem with one registry that the field types alone do not catch."""
    problems: list[FieldError] = []

    def problem(path: tuple[str | int, ...], message: str) -> None:
        problems.append(document.error((*at, *path), message))

    if not _ID.match(definition.id):
        problem(("id",), "Use only lowercase letters, digits and single hyphens, like 'tax'.")
    if organisations is not None and definition.organisation not in organisations:
        problem(
            ("organisation",),
            f"'{definition.organisation}' names no organisation in organisations.yaml.",
        )
    columns: dict[str, int] = {}
    for number, column in enumerate(definition.columns):
        where = ("columns", number)
        if column.name in columns:
            problem((*where, "name"), f"Another column is already named '{column.name}'.")
        columns.setdefault(column.name, number)
        if not _COLUMN.match(column.name):
            problem(
                (*where, "name"),
                "Use lowercase letters, digits and underscores, like 'birth_date'.",
            )
        if column.type is ColumnType.CODE and not column.codes:
            problem((*where, "codes"), "A code column needs its list of allowed codes.")
        if column.type is not ColumnType.CODE and column.codes:
            problem((*where, "codes"), "Only columns of type 'code' have codes; remove them.")
    _check_key(definition, definition.record_id, "record_id", ColumnType.TEXT, columns, problem)
    if definition.national_id:
        _check_key(
            definition, definition.national_id, "national_id", ColumnType.INTEGER, columns, problem
        )
    _check_related_by(definition, columns, problem)
    if definition.id_format is IdentifierFormat.PREFIXED and not _PREFIX.match(
        definition.id_prefix
    ):
        problem(("id_prefix",), "Prefixed identifiers need two capital letters, like 'TX'.")
    if definition.id_format is IdentifierFormat.NATIONAL and definition.id_prefix:
        problem(("id_prefix",), "National identifiers have no prefix; remove it.")
    for text_path, text in walk_texts(definition):
        for language in languages:
            value = text.get(language)
            if not isinstance(value, str) or not value.strip():
                problem(text_path, f"The '{language}' text is missing or empty; write it.")
        for language in text:
            if language not in languages:
                problem(
                    (*text_path, language),
                    f"'{language}' is not a language of this pack; remove it.",
                )
    return problems


def _check_key(
    definition: RegistryDefinition,
    name: str,
    field: str,
    expected: ColumnType,
    columns: dict[str, int],
    problem: Any,
) -> None:
    if name not in columns:
        problem((field,), f"'{name}' names no column of the registry '{definition.id}'.")
    elif definition.columns[columns[name]].type is not expected:
        problem(
            ("columns", columns[name], "type"),
            f"The column '{name}' holds the {field.replace('_', ' ')}, so its type must be "
            f"'{expected.value}'.",
        )


def _check_related_by(
    definition: RegistryDefinition, columns: dict[str, int], problem: Any
) -> None:
    """Each ``related_by`` column holds other people's national ids: once, and as integers."""
    seen: set[str] = set()
    for number, name in enumerate(definition.related_by):
        where = ("related_by", number)
        if name in seen:
            problem(where, f"'{name}' is listed twice; list each column once.")
        elif name not in columns:
            problem(where, f"'{name}' names no column of the registry '{definition.id}'.")
        elif name == definition.national_id:
            problem(
                where,
                f"'{name}' holds the person's own national id, which look-ups of a person "
                "already use; list only columns naming other people, like 'mother_national_id'.",
            )
        elif definition.columns[columns[name]].type is not ColumnType.INTEGER:
            problem(
                where,
                f"The column '{name}' must hold national ids, so its type must be 'integer', "
                f"not '{definition.columns[columns[name]].type.value}'.",
            )
        seen.add(name)
