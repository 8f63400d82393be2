"""The manifest of a country data folder, and the check that its files are the ones it lists.

A country folder (written by ``civitas country generate``) holds Parquet files and a
``manifest.json`` naming each file with its row count, size, SHA-256 and schema. A
registry node serves a file only after :func:`verify_country` agrees with the
manifest, so a tampered, truncated, foreign or missing file is reported, never served.

API:

- ``read_manifest(folder) -> Manifest`` reads and checks ``manifest.json``.
- ``verify_country(folder, only=None) -> Manifest`` also re-reads every listed file (or
  just the relative paths in ``only``) and raises :class:`CountryDataInvalid` (an
  ``InvalidInput``) with one ``FieldError`` per bad file, its ``file`` the relative path.
- ``describe_file(path) -> FileEntry`` measures one Parquet file (the writer uses it).
- ``Manifest.to_json()`` is the exact text written: sorted keys, indent 2, no timestamps.
- ``manifest_stamp(folder)`` tells cheaply (one ``stat``) whether the manifest was
  replaced: a new period is published by writing ``manifest.json`` last, in one rename.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_

MANIFEST_NAME = "manifest.json"
GENERATOR = "civitas.synthetic"


class CountryDataInvalid(InvalidInput):
    """A country folder's files do not match its manifest."""


@dataclass(frozen=True)
class FileEntry:
    """What the manifest says about one file."""

    rows: int
    bytes: int
    sha256: str
    schema: tuple[tuple[str, str], ...]  # (column name, Arrow type string)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "schema": [{"name": name, "type": kind} for name, kind in self.schema],
        }


@dataclass(frozen=True)
class Manifest:
    """The contents of ``manifest.json``."""

    version: str
    seed: int
    people: int
    period: int
    as_of: dt.date
    files: Mapping[str, FileEntry] = field(default_factory=dict)  # by path relative to folder
    generator: str = GENERATOR

    def registry_file(self, registry_id: str) -> str:
        return f"registries/{registry_id}.parquet"

    def to_json(self) -> str:
        data = {
            "generator": self.generator,
            "version": self.version,
            "seed": self.seed,
            "people": self.people,
            "period": self.period,
            "as_of": self.as_of.isoformat(),
            "files": {name: entry.to_json() for name, entry in self.files.items()},
        }
        return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


Stamp = tuple[int, int, int]  # inode, size, modification time (ns) of manifest.json


def manifest_stamp(folder: Path) -> Stamp | None:
    """What changes when the manifest is replaced; ``None`` when there is none."""
    try:
        status = os.stat(folder / MANIFEST_NAME)
    except OSError:
        return None
    return status.st_ino, status.st_size, status.st_mtime_ns


def schema_of(schema: pa.Schema) -> tuple[tuple[str, str], ...]:
    return tuple((item.name, str(item.type)) for item in schema)


def describe_file(path: Path) -> FileEntry:
    """Rows, size, checksum and schema of one Parquet file, read from the file itself."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    metadata = pq.read_metadata(path)
    return FileEntry(
        rows=metadata.num_rows,
        bytes=path.stat().st_size,
        sha256=digest.hexdigest(),
        schema=schema_of(metadata.schema.to_arrow_schema()),
    )


def read_manifest(folder: Path) -> Manifest:
    """The manifest of the country in ``folder``; :class:`CountryDataInvalid` when unusable."""
    path = folder / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = {
            str(name): FileEntry(
                rows=int(entry["rows"]),
                bytes=int(entry["bytes"]),
                sha256=str(entry["sha256"]),
                schema=tuple((str(c["name"]), str(c["type"])) for c in entry["schema"]),
            )
            for name, entry in data["files"].items()
        }
        manifest = Manifest(
            generator=str(data["generator"]),
            version=str(data["version"]),
            seed=int(data["seed"]),
            people=int(data["people"]),
            period=int(data["period"]),
            as_of=dt.date.fromisoformat(data["as_of"]),
            files=files,
        )
    except FileNotFoundError:
        problem = FieldError((), "There is no manifest.json here.", MANIFEST_NAME)
        raise _invalid(folder, [problem]) from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        message = f"The manifest cannot be read: {type(exc).__name__} {exc}."
        raise _invalid(folder, [FieldError((), message, MANIFEST_NAME)]) from None
    if manifest.generator != GENERATOR:
        wrong = f"Written by '{manifest.generator}', not by {GENERATOR}."
        raise _invalid(folder, [FieldError(("generator",), wrong, MANIFEST_NAME)])
    return manifest


def verify_country(folder: Path, only: Iterable[str] | None = None) -> Manifest:
    """The manifest, once every listed file (or those in ``only``) matches it exactly."""
    manifest = read_manifest(folder)
    names = sorted(manifest.files) if only is None else list(only)
    problems: list[FieldError] = []
    for name in names:
        expected = manifest.files.get(name)
        if expected is None:
            problems.append(FieldError((), "The manifest does not list this file.", name))
            continue
        problems.extend(_compare(folder, name, expected))
    if problems:
        raise _invalid(folder, problems)
    return manifest


def _compare(folder: Path, name: str, expected: FileEntry) -> list[FieldError]:
    path = folder / name
    if not path.is_file():
        return [FieldError((), "The file is missing.", name)]
    try:
        found = describe_file(path)
    except (OSError, pa.ArrowException) as exc:
        return [FieldError((), f"The file is not readable Parquet ({exc}).", name)]
    problems = []
    if found.schema != expected.schema:
        problems.append(FieldError(("schema",), "The columns differ from the manifest.", name))
    if found.rows != expected.rows:
        message = f"It has {found.rows} rows; the manifest says {expected.rows}."
        problems.append(FieldError(("rows",), message, name))
    if found.sha256 != expected.sha256 or found.bytes != expected.bytes:
        message = "Its checksum differs from the manifest: it was changed or replaced."
        problems.append(FieldError(("sha256",), message, name))
    return problems


def _invalid(folder: Path, problems: list[FieldError]) -> CountryDataInvalid:
    return CountryDataInvalid(
        N_("The country data in {folder} does not match its manifest."),
        hint=N_("Generate the country again with 'civitas country generate'."),
        params={"folder": str(folder)},
        errors=tuple(problems),
    )
