"""The data dictionary of a synthetic country, written as a Markdown page from the code.

Registries come from the pack's registries.yaml (owner, identifiers, columns and
their plain-language meanings); the hidden truth tables from their Arrow schemas
in truth.py, with the meanings below. A truth column without a meaning stops the
generator, so the page cannot silently fall behind the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pyarrow as pa

from civitas.registries import IdentifierFormat, RegistryDefinition, load_registry_definitions
from civitas.synthetic.truth import (
    ADDRESSES_SCHEMA,
    ENTITLEMENTS_SCHEMA,
    HOUSEHOLDS_SCHEMA,
    IDENTITIES_SCHEMA,
    PERSONS_SCHEMA,
)

TRUTH_TABLES: Mapping[str, tuple[pa.Schema, str]] = {
    "persons": (PERSONS_SCHEMA, "Every person who ever lived in the country, one row each."),
    "households": (HOUSEHOLDS_SCHEMA, "People living together at one address."),
    "addresses": (ADDRESSES_SCHEMA, "Every address, lived in or not."),
    "entitlements": (
        ENTITLEMENTS_SCHEMA,
        "Who is entitled to a benefit and who receives it (rows where either is true).",
    ),
    "identities": (IDENTITIES_SCHEMA, "Which person each registry record is about."),
}

TRUTH_MEANINGS: Mapping[str, str] = {
    "person_id": "The hidden true identifier of a person (1, 2, 3 ...); no registry holds it.",
    "national_id": "The national number: nine digits, the last a check digit.",
    "first_name": "First name, as the civil registry spells it.",
    "family_name": "Family name, as the civil registry spells it.",
    "sex": "F or M.",
    "birth_date": "Date of birth.",
    "death_date": "Date of death; empty while alive.",
    "household_id": "The household the person lives in.",
    "mother_id": "Person id of the mother, when she is in the country.",
    "father_id": "Person id of the father, when he is in the country.",
    "partner_id": "Person id of the spouse or partner.",
    "address_id": "The address the person or household lives at.",
    "municipality": "Code of the municipality.",
    "region": "Code of the region.",
    "disability": "Whether the person has a recognised disability.",
    "employment_status": "child, student, employed, unemployed, inactive or retired.",
    "monthly_income_cents": "Earnings (or pension, for retired people) each month, in cents.",
    "contribution_months": "Months with social security contributions in the last 24.",
    "job_end_date": "When the last job ended, or when a fixed-term contract ends.",
    "school_level": "childcare, primary or secondary; empty when not in education.",
    "vaccinated": "For children, whether the vaccination schedule is complete.",
    "type": "single, couple, couple_with_children, single_parent or multi_generation.",
    "size": "Number of people in the household.",
    "tenure": "owner, renter or social_renter.",
    "monthly_rent_cents": "Rent each month, in cents; 0 for owners.",
    "street": "Street name.",
    "house_number": "House number.",
    "postcode": "Postcode.",
    "benefit": "The benefit, named by its service id in the catalogue.",
    "entitled": "Whether the rules say the person should receive it.",
    "enrolled": "Whether the person actually receives it.",
    "registry": "The registry id.",
    "record_id": "The record's identifier in that registry, as written there.",
}

_TYPES = {
    "int64": "whole number",
    "int16": "whole number",
    "string": "text",
    "date32[day]": "date",
    "bool": "true or false",
}


def data_dictionary_page(pack_dir: Path, header: str) -> str:
    """The Markdown page: every registry of the pack, then every truth table."""
    definitions = load_registry_definitions(pack_dir)
    lines = [
        header,
        "# Data dictionary of the synthetic country",
        "",
        "`civitas country generate` writes one Parquet file per registry into",
        "`registries/`, the hidden truth they were copied from into `truth/`, and a",
        "`manifest.json` with the rows, size, SHA-256 and schema of every file.",
        "Money is in whole cents. Each agency numbers its records its own way; a few",
        "records carry mistakes on purpose (misspelt names, old addresses, missing",
        "national numbers), the same for a person from one period to the next.",
        "",
        "## Registries",
        "",
        "| Registry | Owner | Record id | National id | File |",
        "|---|---|---|---|---|",
    ]
    for definition in definitions:
        lines.append(
            f"| [{definition.name['en']}](#{definition.id}) | `{definition.organisation}` "
            f"| `{definition.record_id}` ({_id_form(definition)}) "
            f"| {_national(definition)} | `registries/{definition.id}.parquet` |"
        )
    lines.append("")
    for definition in definitions:
        lines += _registry_section(definition)
    lines += [
        "## Truth tables",
        "",
        "The ground truth the registries were derived from. Registry nodes never serve it;",
        "it is there to measure how well services find the people they are meant for.",
        "",
    ]
    for name, (schema, about) in TRUTH_TABLES.items():
        lines += [f"### Truth: {name}", "", about, "", f"File: `truth/{name}.parquet`.", ""]
        lines += ["| Column | Type | Empty allowed | Meaning |", "|---|---|---|---|"]
        for field in schema:
            if field.name not in TRUTH_MEANINGS:
                raise KeyError(f"Describe the truth column '{field.name}' in TRUTH_MEANINGS.")
            kind = _TYPES.get(str(field.type), str(field.type))
            empty = "yes" if field.name in _OPTIONAL else "no"
            lines.append(f"| `{field.name}` | {kind} | {empty} | {TRUTH_MEANINGS[field.name]} |")
        lines.append("")
    return "\n".join(lines)


# Truth columns that may be empty (the truth schemas do not mark it).
_OPTIONAL = ("death_date", "mother_id", "father_id", "partner_id", "job_end_date", "school_level")


def _id_form(definition: RegistryDefinition) -> str:
    if definition.id_format is IdentifierFormat.NATIONAL:
        return "like `123456789`"
    return f"like `{definition.id_prefix}-123456789`"


def _national(definition: RegistryDefinition) -> str:
    if not definition.national_id:
        return "not kept"
    column = definition.column(definition.national_id)
    return f"`{column.name}`" + (", sometimes missing" if column.nullable else "")


def _registry_section(definition: RegistryDefinition) -> list[str]:
    lines = [
        f"### {definition.id}",
        "",
        f"**{definition.name['en']}.** {definition.description['en']}",
        "",
        f"Kept by `{definition.organisation}`. Each record is about one {definition.subject}.",
        "",
        "| Column | Type | Empty allowed | Meaning |",
        "|---|---|---|---|",
    ]
    for column in definition.columns:
        kind = column.type.value
        if column.codes:
            kind += ": " + ", ".join(f"`{code}`" for code in column.codes)
        empty = "yes" if column.nullable else "no"
        lines.append(f"| `{column.name}` | {kind} | {empty} | {column.description['en']} |")
    lines.append("")
    return lines
