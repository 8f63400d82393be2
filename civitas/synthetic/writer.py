"""Write a country folder: Parquet files and their manifest, all at once or not at all.

Files are written (one background thread, overlapping the work that produces the
next table) into a temporary folder next to the target, which then replaces
the target with two renames, so an interrupted run never leaves half a country.
Parquet options are fixed and carry no clock, so the same seed and generator
version give byte-identical files (see the manifest's checksums).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.registries import MANIFEST_NAME, FileEntry, Manifest, describe_file

TRUTH_FILES = ("persons", "households", "addresses", "entitlements", "identities")


def write_parquet(table: pa.Table, path: Path) -> None:
    """The contract's deterministic Parquet settings."""
    pq.write_table(
        table,
        path,
        compression="zstd",
        use_dictionary=True,
        write_statistics=True,
        row_group_size=1_000_000,
    )


def write_country(
    out: Path,
    files: Iterable[tuple[str, pa.Table]],
    *,
    version: str,
    seed: int,
    people: int,
    as_of: dt.date,
    period: int = 0,
    on_file: Callable[[str, FileEntry], None] = lambda name, entry: None,
) -> Manifest:
    """Write ``files`` (relative path, table) and their manifest to ``out``, replacing it.

    ``files`` may be a generator: each table is written in a background thread while
    the next is produced, and at most two tables are held at once.
    """
    out = out.resolve()
    staging = _staging_folder(out)
    entries: dict[str, FileEntry] = {}

    def write(name: str, table: pa.Table) -> tuple[str, FileEntry]:
        path = staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        write_parquet(table, path)
        entry = describe_file(path)
        on_file(name, entry)
        return name, entry

    try:
        with ThreadPoolExecutor(1) as pool:
            pending: Future[tuple[str, FileEntry]] | None = None
            for name, table in files:
                if pending is not None:
                    entries.update([pending.result()])
                pending = pool.submit(write, name, table)
                del table
            if pending is not None:
                entries.update([pending.result()])
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
