"""The country folder the scan reads: its registers, and the hidden truth when it has one.

Only the files and columns the scan uses are checked, from the Parquet footers (cheap
even for ten million people); checksums are the business of ``civitas country
describe``. A missing folder, file or column is reported with what to do, never as a
traceback from the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from civitas.core.errors import FieldError, InvalidInput, NotFound
from civitas.core.i18n import N_
from civitas.registries import read_manifest

# The columns the scan reads from each register (docs/reference/data-dictionary.md).
REGISTERS: dict[str, tuple[str, ...]] = {
    "population": (
        "national_id",
        "sex",
        "birth_date",
        "death_date",
        "mother_national_id",
        "father_national_id",
        "partner_national_id",
    ),
    "addresses": (
        "national_id",
        "street",
        "house_number",
        "municipality",
        "region",
        "tenure",
        "monthly_rent_cents",
        "household_size",
    ),
    "tax": ("national_id", "annual_income_cents"),
    "social-security": (
        "national_id",
        "employment_status",
        "monthly_earnings_cents",
        "contribution_months",
        "job_end_date",
        "disability",
    ),
    "education": ("national_id", "school_level"),
    "benefits": ("national_id", "benefit"),
}
TRUTH: dict[str, tuple[str, ...]] = {
    "persons": ("person_id", "national_id", "household_id"),
    "entitlements": ("person_id", "benefit", "entitled", "enrolled"),
}


@dataclass(frozen=True)
class Country:
    """A country folder whose registers hold what the scan needs."""

    folder: Path
    as_of: dt.date  # the day the registers describe
    has_truth: bool  # a synthetic country's hidden truth is there to check against

    def register(self, registry: str) -> str:
        return str(self.folder / "registries" / f"{registry}.parquet")

    def truth(self, table: str) -> str:
        return str(self.folder / "truth" / f"{table}.parquet")


def parquet(path: str) -> str:
    """SQL reading the Parquet file at ``path``."""
    return f"read_parquet({quoted(path)})"


def quoted(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def open_country(folder: Path) -> Country:
    """The country in ``folder``; NotFound or InvalidInput saying what is missing."""
    if not (folder / "manifest.json").is_file():
        raise NotFound(
            N_("There is no country in {folder}."),
            hint=N_(
                "Give the folder of a generated country with --country, or generate one "
                "with: civitas country generate --out {folder}"
            ),
            params={"folder": str(folder)},
        )
    manifest = read_manifest(folder)
    require_registers(folder, REGISTERS)
    return Country(folder, manifest.as_of, not _problems(folder, "truth", TRUTH))


def require_registers(folder: Path, wanted: dict[str, tuple[str, ...]]) -> None:
    """InvalidInput naming each register file and column of ``wanted`` ``folder`` lacks."""
    problems = _problems(folder, "registries", wanted)
    if problems:
        raise InvalidInput(
            N_("The registers in {folder} lack what the scan needs."),
            hint=N_("Generate the country again with: civitas country generate --out {folder}"),
            params={"folder": str(folder)},
            errors=tuple(problems),
        )


def _problems(folder: Path, kind: str, wanted: dict[str, tuple[str, ...]]) -> list[FieldError]:
    problems = []
    for name, columns in wanted.items():
        relative = f"{kind}/{name}.parquet"
        try:
            schema = pq.read_schema(folder / relative)
        except FileNotFoundError:
            problems.append(FieldError((), "The file is missing.", relative))
            continue
        except (OSError, pa.ArrowException):
            problems.append(FieldError((), "The file is not readable Parquet.", relative))
            continue
        missing = [column for column in columns if column not in schema.names]
        if missing:
            message = f"The file has no column {', '.join(missing)}."
            problems.append(FieldError((), message, relative))
    return problems
