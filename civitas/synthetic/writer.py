"""Write a country folder: Parquet files and their manifest, all at once or not at all.

Files are written (in background threads, overlapping the work that produces the
next table) into a temporary folder next to the target, which then replaces
the target with two renames, so an interrupted run never leaves half a country.
Parquet options are fixed and carry no clock, so the same seed and generator
version give byte-identical files (see the manifest's checksums).

A file may also arrive in :class:`Part` s (the identities grow with each registry):
its row groups are written as soon as they are full, so the parts need not all be
held, and the bytes are those of writing the joined table at once.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.registries import MANIFEST_NAME, FileEntry, Manifest, describe_file

TRUTH_FILES = ("persons", "households", "addresses", "entitlements", "identities")
ROW_GROUP_SIZE = 1_000_000
WRITERS = 2  # whole tables written at once: one per core, so neither waits for the other
_OPTIONS = {"compression": "zstd", "use_dictionary": True, "write_statistics": True}


def write_parquet(table: pa.Table, path: Path) -> None:
    """The contract's deterministic Parquet settings."""
    pq.write_table(table, path, row_group_size=ROW_GROUP_SIZE, **_OPTIONS)


@dataclass(frozen=True)
class Part:
    """The next rows of a file written in parts; ``last`` closes it (its rows may be none).

    With ``schema`` the rows are cast to it first, in the writing thread.
    """

    table: pa.Table
    last: bool = False
    schema: pa.Schema | None = None

    def rows(self) -> pa.Table:
        return self.table if self.schema is None else self.table.cast(self.schema)


class _PartWriter:
    """One file written a row group at a time, byte for byte as :func:`write_parquet`.

    ``write_parquet`` cuts the joined table into slices of ``ROW_GROUP_SIZE`` rows;
    slicing the same parts at the same places gives the same chunks, pages and bytes.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._writer: pq.ParquetWriter | None = None
        self._held: list[pa.Table] = []
        self._rows = 0

    def add(self, table: pa.Table) -> None:
        if table.num_rows:
            self._held.append(table)
            self._rows += table.num_rows
        while self._rows >= ROW_GROUP_SIZE:
            self._flush(ROW_GROUP_SIZE, table.schema)

    def close(self, schema: pa.Schema) -> None:
        if self._rows or self._writer is None:
            self._flush(self._rows, schema)  # write_table writes even an empty table
        if self._writer is not None:
            self._writer.close()

    def _flush(self, rows: int, schema: pa.Schema) -> None:
        joined = pa.concat_tables(self._held) if self._held else schema.empty_table()
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._path, joined.schema, **_OPTIONS)
        self._writer.write_table(joined.slice(0, rows), row_group_size=ROW_GROUP_SIZE)
        rest = joined.slice(rows)
        self._held = [rest] if rest.num_rows else []
        self._rows -= rows


def write_country(
    out: Path,
    files: Iterable[tuple[str, pa.Table | Part]],
    *,
    version: str,
    seed: int,
    people: int,
    as_of: dt.date,
    period: int = 0,
    on_file: Callable[[str, FileEntry], None] = lambda name, entry: None,
) -> Manifest:
    """Write ``files`` (relative path, table) and their manifest to ``out``, replacing it.

    ``files`` may be a generator: tables are written in background threads while the
    next is produced, and at most ``WRITERS`` + 1 whole tables are held at once.
    """
    out = out.resolve()
    staging = _staging_folder(out)
    entries: dict[str, FileEntry] = {}
    in_parts: dict[str, _PartWriter] = {}

    def path_of(name: str) -> Path:
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def described(name: str) -> tuple[str, FileEntry]:
        entry = describe_file(staging / name)
        on_file(name, entry)
        return name, entry

    def write(name: str, table: pa.Table) -> tuple[str, FileEntry]:
        write_parquet(table, path_of(name))
        return described(name)

    def write_part(name: str, part: Part) -> tuple[str, FileEntry] | None:
        writer = in_parts.setdefault(name, _PartWriter(path_of(name)))
        rows = part.rows()
        writer.add(rows)
        if not part.last:
            return None
        writer.close(rows.schema)
        del in_parts[name]
        return described(name)

    try:
        # Parts go through one thread of their own, so they are written in order.
        with ThreadPoolExecutor(WRITERS) as pool, ThreadPoolExecutor(1) as parts:
            pending: set[Future[tuple[str, FileEntry]]] = set()
            appended: list[Future[tuple[str, FileEntry] | None]] = []
            for name, table in files:
                if isinstance(table, Part):
                    appended.append(parts.submit(write_part, name, table))
                    del table
                    continue
                while len(pending) >= WRITERS:
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    entries.update(future.result() for future in done)
                pending.add(pool.submit(write, name, table))
                del table
            entries.update(future.result() for future in pending)
            entries.update(entry for future in appended if (entry := future.result()))
        manifest = Manifest(
            version=version,
            seed=seed,
            people=people,
            period=period,
            as_of=as_of,
            files=dict(sorted(entries.items())),
        )
        (staging / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _staging_folder(out: Path) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = out.parent / f".{out.name}.partial-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
    except OSError as exc:
        raise InvalidInput(
            N_("The folder {folder} cannot be written: {reason}."),
            hint=N_("Choose another folder with --out, or fix its permissions."),
            params={"folder": str(out), "reason": exc.strerror or str(exc)},
            errors=(FieldError(("out",), N_("Not writable.")),),
        ) from None
    return staging


def _replace(staging: Path, out: Path) -> None:
    """Swap the new folder in: the old one is moved aside first, then removed."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        os.replace(out, old)
    os.replace(staging, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
