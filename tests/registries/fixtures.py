"""Small registry definitions and country folders, written exactly per the data contract.

``write_country`` lays out ``registries/<id>.parquet``, ``changes/<id>/<period>.parquet``
and ``manifest.json`` the way ``civitas country generate`` does (same Parquet options,
manifest written by ``civitas.registries.manifest``), so the node under test cannot tell
a fixture from a generated country. Values are derived from row numbers: no randomness.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civitas.registries import (
    CHANGE_SCHEMA,
    Column,
    ColumnType,
    IdentifierFormat,
    Manifest,
    RegistryDefinition,
    describe_file,
    read_manifest,
)
from civitas.registries.identifiers import SMALLEST_BODY, with_check_digits

AS_OF = date(2025, 1, 1)
Int64s = npt.NDArray[np.int64]


def _t(en: str) -> dict[str, str]:
    return {"en": en, "pt": en}


def _col(
    name: str, kind: ColumnType, nullable: bool = False, codes: tuple[str, ...] = ()
) -> Column:
    return Column(name, kind, _t(f"The {name.replace('_', ' ')}."), nullable, codes)


POPULATION = RegistryDefinition(
    id="population",
    name=_t("Population register"),
    description=_t("Everyone living in the country."),
    organisation="civil-registry",
    record_id="citizen_number",
    id_format=IdentifierFormat.NATIONAL,
    national_id="national_id",
    columns=(
        _col("citizen_number", ColumnType.TEXT),
        _col("national_id", ColumnType.INTEGER),
        _col("family_name", ColumnType.TEXT),
        _col("birth_date", ColumnType.DATE),
        _col("death_date", ColumnType.DATE, nullable=True),
        _col("mother_national_id", ColumnType.INTEGER, nullable=True),
        _col("father_national_id", ColumnType.INTEGER, nullable=True),
    ),
    related_by=("mother_national_id", "father_national_id"),
)
TAX = RegistryDefinition(
    id="tax",
    name=_t("Tax register"),
    description=_t("Taxpayers and their declared income."),
    organisation="tax-authority",
    record_id="tax_id",
    id_format=IdentifierFormat.PREFIXED,
    id_prefix="TX",
    national_id="national_id",
    columns=(
        _col("tax_id", ColumnType.TEXT),
        _col("national_id", ColumnType.INTEGER, nullable=True),
        _col("family_name", ColumnType.TEXT),
        _col("annual_income", ColumnType.MONEY),
        _col("resident", ColumnType.BOOLEAN),
        _col("status", ColumnType.CODE, codes=("active", "closed")),
    ),
)
BENEFITS = RegistryDefinition(
    id="benefits",
    name=_t("Benefits register"),
    description=_t("One row per benefit enrolment."),
    organisation="social-security-institute",
    record_id="enrolment_id",
    id_format=IdentifierFormat.PREFIXED,
    id_prefix="BN",
    national_id="national_id",
    columns=(
        _col("enrolment_id", ColumnType.TEXT),
        _col("national_id", ColumnType.INTEGER, nullable=True),
        _col("benefit", ColumnType.CODE, codes=("child-benefit", "housing-allowance")),
        _col("monthly_amount", ColumnType.MONEY),
        _col("start_date", ColumnType.DATE),
    ),
)
DEFINITIONS = (POPULATION, TAX, BENEFITS)


def national_ids(people: int, first: int = 0) -> Int64s:
    """Valid, distinct national ids, spread over the id space (never random)."""
    bodies = SMALLEST_BODY + (np.arange(first, first + people, dtype=np.int64) * 7 + 3)
    return with_check_digits(bodies)


def record_numbers_of(rows: Int64s) -> Int64s:
    """The record id numbers the fixtures give to rows (room for 11 million rows)."""
    return with_check_digits(SMALLEST_BODY + rows * 8 + 5)


def formatted_ids(numbers: Int64s, prefix: str = "") -> pa.Array:
    """Nine-digit ids as fixed-width strings (``TX-123456789``), built without a Python loop."""
    head = f"{prefix}-" if prefix else ""
    width = len(head) + 9
    text = np.empty((len(numbers), width), np.uint8)
    for position, char in enumerate(head):
        text[:, position] = ord(char)
    rest = numbers.copy()
    for position in range(width - 1, len(head) - 1, -1):
        text[:, position] = ord("0") + rest % 10
        rest //= 10
    offsets = np.arange(0, width * (len(numbers) + 1), width, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), len(numbers), [None, pa.py_buffer(offsets), pa.py_buffer(text.tobytes())]
    )


def registry_table(
    definition: RegistryDefinition, owners: Int64s, first_record: int = 0
) -> pa.Table:
    """Rows for ``definition``, one per entry of ``owners`` (their national ids; 0 = unknown)."""
    n = len(owners)
    row = np.arange(n, dtype=np.int64)
    if definition.id_format is IdentifierFormat.NATIONAL:
        record_numbers = owners
    else:
        record_numbers = record_numbers_of(row + first_record)
    columns: dict[str, pa.Array] = {}
    for column in definition.columns:
        if column.name == definition.record_id:
            prefix = (
                definition.id_prefix if definition.id_format is IdentifierFormat.PREFIXED else ""
            )
            columns[column.name] = formatted_ids(record_numbers, prefix)
        elif column.name == definition.national_id:
            columns[column.name] = pa.array(owners, pa.int64(), mask=owners == 0)
        elif column.name in definition.related_by:
            parents = parent_rows(row, definition.related_by.index(column.name))
            named = owners[np.maximum(parents, 0)]
            columns[column.name] = pa.array(named, pa.int64(), mask=(parents < 0) | (named == 0))
        else:
            columns[column.name] = _values(column, row)
    return pa.table(columns)


def parent_rows(row: Int64s, which: int) -> Int64s:
    """The row each row's ``related_by`` column number ``which`` names; -1 for NULL.

    Rows come in families of six children of rows 2k and 2k+1 (k = row // 6): row 2k is
    the first parent (``which`` 0) and row 2k+1 the second; every fifth row's second parent
    is unknown, and nobody is named by their own row or a later one. So row 0 has no
    parents, row 9 only a first one, and rows 6 to 11 share the parents rows 2 and 3.
    """
    parent = 2 * (row // 6) + which
    unknown = (parent >= row) | ((which == 1) & (row % 5 == 4))
    return np.where(unknown, -1, parent)


def _values(column: Column, row: Int64s) -> pa.Array:
    missing = (row % 5 == 4) if column.nullable else None
    kind = column.type
    if kind in (ColumnType.INTEGER, ColumnType.MONEY):
        return pa.array(row * 1234 + 5, pa.int64(), mask=missing)
    if kind is ColumnType.BOOLEAN:
        return pa.array(row % 2 == 0, pa.bool_(), mask=missing)
    if kind is ColumnType.DATE:
        days = (date(1950, 1, 1) - date(1970, 1, 1)).days + row * 97 % 25_000
        return pa.array(days.astype(np.int32), pa.int32(), mask=missing).cast(pa.date32())
    if kind is ColumnType.CODE and column.codes:
        return pa.array(np.array(column.codes, dtype=object)[row % len(column.codes)], pa.string())
    numbers = pc.cast(pa.array(row, mask=missing), pa.string())
    return pc.binary_join_element_wise(f"{column.name}-", numbers, "")  # vectorised


def small_tables(people: int = 60) -> dict[str, pa.Table]:
    """Population (one row each), tax (some national ids missing), benefits (0-3 rows each)."""
    ids = national_ids(people)
    tax_owners = ids.copy()
    tax_owners[::10] = 0  # a tax record whose national id the agency never got
    enrolments = np.repeat(ids, np.arange(people) % 4)  # person i has i % 4 enrolments
    return {
        "population": registry_table(POPULATION, ids),
        "tax": registry_table(TAX, tax_owners),
        "benefits": registry_table(BENEFITS, enrolments),
    }


def change_events(
    definition: RegistryDefinition, table: pa.Table, count: int, first_seq: int = 1
) -> pa.Table:
    """``count`` events about the table's records, ordered by (occurred_on, record_id)."""
    n = table.num_rows
    record_ids = table.column(definition.record_id).to_pylist()
    owners = table.column(definition.national_id).to_pylist() if definition.national_id else []
    picks = [(i * 7919) % n for i in range(count)]
    days = [AS_OF + timedelta(days=i * 30 // max(count, 1)) for i in range(count)]
    rows = sorted(zip(days, picks, strict=True), key=lambda e: (e[0], record_ids[e[1]]))
    money = next((c.name for c in definition.columns if c.type is ColumnType.MONEY), None)
    return pa.table(
        {
            "seq": pa.array(range(first_seq, first_seq + count), pa.int64()),
            "occurred_on": pa.array([d for d, _ in rows], pa.date32()),
            "kind": pa.array(["record_updated"] * count, pa.string()),
            "record_id": pa.array([record_ids[p] for _, p in rows], pa.string()),
            "national_id": pa.array([owners[p] if owners else None for _, p in rows], pa.int64()),
            "changes": pa.array(
                [json.dumps({money: 100 * (p + 1)} if money else {}) for _, p in rows]
            ),
        },
        schema=CHANGE_SCHEMA,
    )


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        table,
        path,
        compression="zstd",
        use_dictionary=True,
        write_statistics=True,
        row_group_size=1_000_000,
    )


def write_country(
    country_dir: Path,
    tables: Mapping[str, pa.Table],
    changes: Mapping[str, Sequence[pa.Table]] | None = None,
    period: int = 0,
) -> Path:
    """A country folder holding ``tables`` (by registry id) and their change periods."""
    files: dict[str, Path] = {}
    for registry, table in tables.items():
        relative = f"registries/{registry}.parquet"
        files[relative] = country_dir / relative
        write_parquet(table, files[relative])
    for registry, periods in (changes or {}).items():
        for number, events in enumerate(periods, start=1):
            relative = f"changes/{registry}/{number:05d}.parquet"
            files[relative] = country_dir / relative
            write_parquet(events, files[relative])
    write_manifest(country_dir, files, period)
    return country_dir


def write_manifest(
    country_dir: Path, files: Mapping[str, Path], period: int = 0, seed: int = 1
) -> None:
    """The manifest of ``files``, put in place with one rename (as the generator does)."""
    manifest = Manifest(
        version="fixture",
        seed=seed,
        people=0,
        period=period,
        as_of=AS_OF + timedelta(days=30 * period),
        files={relative: describe_file(path) for relative, path in sorted(files.items())},
    )
    scratch = country_dir / ".manifest.json.new"
    scratch.write_text(manifest.to_json(), encoding="utf-8")
    os.replace(scratch, country_dir / "manifest.json")


def publish_period(
    country_dir: Path,
    tables: Mapping[str, pa.Table],
    changes: Mapping[str, pa.Table],
    period: int,
    seed: int = 1,
    fresh: bool = False,
) -> None:
    """A new period published as ``civitas country advance`` does: new registry files and
    the period's change files, each written beside its place and renamed into it (a running
    node may have the old file mapped), and the manifest last. ``fresh``: the earlier
    change files are removed, as when the country is generated again."""
    files = {relative: country_dir / relative for relative in read_manifest(country_dir).files}
    if fresh:
        for relative in [r for r in files if r.startswith("changes/")]:
            files.pop(relative).unlink()
    written = {f"registries/{registry}.parquet": table for registry, table in tables.items()}
    written |= {f"changes/{registry}/{period:05d}.parquet": t for registry, t in changes.items()}
    for relative, table in written.items():
        target = country_dir / relative
        scratch = target.with_name(f".{target.name}.new")
        write_parquet(table, scratch)
        os.replace(scratch, target)
        files[relative] = target
    write_manifest(country_dir, files, period, seed)


def small_country(country_dir: Path, people: int = 60, events: int = 0) -> Path:
    """The three fixture registries; with ``events``, tax changes split over three periods."""
    tables = small_tables(people)
    changes: dict[str, list[pa.Table]] = {}
    if events:
        feed = change_events(TAX, tables["tax"], events)
        third = max(events // 3, 1)
        changes["tax"] = [feed.slice(0, third), feed.slice(third, third), feed.slice(2 * third)]
    return write_country(country_dir, tables, changes, period=len(changes.get("tax", [])))
