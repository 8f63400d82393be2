"""One registry's Parquet copy, verified against the country manifest, held in memory.

Nothing is served before the file has passed every check: listed in the manifest,
same size and SHA-256, readable Parquet, the row count and columns the manifest
states (``manifest.verify_country``), the columns the country pack declares, and
well-formed unique record ids. Look-ups use sorted NumPy
arrays (``searchsorted``), so finding a record among 10 million takes microseconds:
by record id, by the person's own national id, and by the national ids the
``related_by`` columns name (a parent's children).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civitas.core.errors import ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.registries.domain import IdentifierFormat, RegistryDefinition
from civitas.registries.formats import CHANGE_SCHEMA, COLUMN_TYPES, accepted_forms
from civitas.registries.identifiers import SMALLEST_BODY, format_id, with_check_digits
from civitas.registries.manifest import MANIFEST_NAME, read_manifest, verify_country
from civitas.registries.ports import ChangeEvent, RegistryFacts

EXTRACT_BATCH_ROWS = 131_072  # rows per Parquet row group in an extract: ~1 MB pieces

CHANGE_COLUMNS = {field.name: accepted_forms(field.type) for field in CHANGE_SCHEMA}

Int64s = npt.NDArray[np.int64]


class RegistryDataRefused(ExternalServiceUnavailable):
    """A registry file that failed a check: the node refuses to serve it."""


def refuse(message: str, file: Path | str, hint: str = "", **params: Any) -> RegistryDataRefused:
    return RegistryDataRefused(
        message,
        hint=hint or N_("Generate the country again: civitas country generate"),
        params={"file": str(file), **params},
    )


def verified_table(
    country_dir: Path, relative: str, expected: Mapping[str, tuple[str, ...]]
) -> pa.Table:
    """The table in ``relative`` once it matches the manifest and ``expected`` (column ->
    accepted Arrow types); :class:`CountryDataInvalid` or :class:`RegistryDataRefused`."""
    verify_country(country_dir, only=[relative])  # listed, present, same bytes, rows, schema
    path = country_dir / relative
    schema = pq.read_schema(path)
    found = [{"name": f.name, "type": str(f.type)} for f in schema]
    wanted = [{"name": name, "type": types[0]} for name, types in expected.items()]
    if {f["name"] for f in found} != set(expected) or any(
        f["type"] not in expected[f["name"]] for f in found
    ):
        raise refuse(
            N_("The file {file} does not hold the columns its registry declares: {difference}."),
            path,
            hint=N_("Check that the country was generated from this country pack."),
            difference=_difference(found, wanted),
        )
    return pq.read_table(path, columns=list(expected), memory_map=True)


def _difference(found: list[dict[str, str]], wanted: list[dict[str, str]]) -> str:
    have = {f["name"]: f["type"] for f in found}
    want = {f["name"]: f["type"] for f in wanted}
    parts = [f"missing {n}" for n in want if n not in have]
    parts += [f"unexpected {n}" for n in have if n not in want]
    parts += [f"{n} is {have[n]}, not {want[n]}" for n in want if n in have and have[n] != want[n]]
    return "; ".join(parts[:6]) or "different order"


class SortedIndex:
    """Key -> row positions, as two arrays sorted by key: O(log n) per look-up."""

    def __init__(self, keys: Int64s, rows: Int64s) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.rows = rows[order]

    def find(self, key: int) -> Int64s:
        low = int(np.searchsorted(self.keys, key, side="left"))
        high = int(np.searchsorted(self.keys, key, side="right"))
        return self.rows[low:high]

    def first_duplicate(self) -> int | None:
        same = np.flatnonzero(self.keys[1:] == self.keys[:-1])
        return int(self.keys[same[0]]) if len(same) else None


class PackedIndex:
    """Key -> row positions in one sorted int64 array of ``key << ROW_BITS | row``.

    For the columns a look-up by relation searches (a parent's number in each child's
    row): 8 bytes per named person instead of the 16 of a :class:`SortedIndex`, built with
    one ``np.sort`` instead of a stable ``argsort``, and a key's rows come out in file order
    because they are the low bits. Keys are national ids (nine digits, below 2**30), so
    ``key << 33`` stays below 2**63; rows must be below 2**33.
    """

    ROW_BITS = 33
    KEY_LIMIT = 1_000_000_000  # nine digits: nothing larger can be asked for

    def __init__(self, keys: Int64s, rows: Int64s) -> None:
        packed = np.left_shift(keys, self.ROW_BITS)
        packed |= rows
        packed.sort()
        self.packed = packed

    @classmethod
    def of_column(cls, column: pa.ChunkedArray) -> PackedIndex:
        """The index of an integer column; NULLs (and values no national id has) left out."""
        values = pc.fill_null(column, 0).to_numpy()
        named = np.flatnonzero((values > 0) & (values < cls.KEY_LIMIT))
        return cls(values[named], named.astype(np.int64, copy=False))

    def find(self, key: int) -> Int64s:
        if not 0 < key < self.KEY_LIMIT:
            return np.zeros(0, np.int64)
        low = int(np.searchsorted(self.packed, key << self.ROW_BITS, side="left"))
        high = int(np.searchsorted(self.packed, (key + 1) << self.ROW_BITS, side="left"))
        return self.packed[low:high] & ((1 << self.ROW_BITS) - 1)


def id_numbers(column: pa.ChunkedArray, prefix: str) -> tuple[Int64s, int | None]:
    """The numbers inside formatted ids (``TX-123456789``), read straight from the string
    bytes; and the first row whose id is not written like that (None when all are)."""
    width = len(format_id(0, prefix))
    array = (
        pc.cast(column.combine_chunks(), pa.string()) if len(column) else pa.array([], pa.string())
    )
    n = len(array)
    if array.null_count:
        return np.zeros(0, np.int64), int(np.flatnonzero(~array.is_valid().to_numpy(False))[0])
    offsets = np.frombuffer(array.buffers()[1], np.int32)[array.offset : array.offset + n + 1]
    lengths_ok = np.diff(offsets) == width
    if not lengths_ok.all():
        return np.zeros(0, np.int64), int(np.flatnonzero(~lengths_ok)[0])
    data = np.frombuffer(array.buffers()[2], np.uint8)
    text = data[offsets[0] : offsets[0] + n * width].reshape(n, width)
    good = np.ones(n, bool)
    start = len(prefix) + 1 if prefix else 0
    for position, char in enumerate(f"{prefix}-" if prefix else ""):
        good &= text[:, position] == ord(char)
    numbers = np.zeros(n, np.int64)
    for position in range(start, width):  # one digit column at a time keeps memory flat
        digit = text[:, position].astype(np.int64) - ord("0")
        good &= (digit >= 0) & (digit <= 9)
        numbers = numbers * 10 + digit
    good &= (numbers // 10 >= SMALLEST_BODY) & (with_check_digits(numbers // 10) == numbers)
    bad = np.flatnonzero(~good)
    return numbers, int(bad[0]) if len(bad) else None


def column_types(definition: RegistryDefinition) -> dict[str, tuple[str, ...]]:
    return {c.name: accepted_forms(COLUMN_TYPES[c.type]) for c in definition.columns}


@dataclass
class _Changes:
    table: pa.Table
    seqs: Int64s


class LoadedRegistry:
    """A verified registry in memory, implementing the ``RegistryData`` port."""

    def __init__(self, definition: RegistryDefinition, country_dir: Path) -> None:
        self.definition = definition
        if not (country_dir / MANIFEST_NAME).is_file():
            raise refuse(
                N_("The country has not been generated yet: {file} is missing."),
                country_dir / MANIFEST_NAME,
                hint=N_("Generate it first: civitas country generate"),
            )
        manifest = read_manifest(country_dir)
        relative = manifest.registry_file(definition.id)
        self.path = country_dir / relative
        self.table = verified_table(country_dir, relative, column_types(definition))
        self.columns = {name: self.table.column(name) for name in self.table.column_names}
        self.record_index = self._record_index()
        self.person_index = self._person_index()
        self.related_indexes = tuple(
            PackedIndex.of_column(self.table.column(name)) for name in definition.related_by
        )
        self.changes = self._changes(country_dir, manifest.files)
        self.facts = RegistryFacts(
            rows=self.table.num_rows,
            period=manifest.period,
            as_of=manifest.as_of.isoformat(),
            changes=len(self.changes.seqs),
            last_seq=int(self.changes.seqs[-1]) if len(self.changes.seqs) else 0,
            feed=hashlib.sha256(f"{manifest.version}|{manifest.seed}".encode()).hexdigest()[:8],
        )

    def _record_index(self) -> SortedIndex:
        d = self.definition
        prefix = d.id_prefix if d.id_format is IdentifierFormat.PREFIXED else ""
        numbers, bad_row = id_numbers(self.table.column(d.record_id), prefix)
        if bad_row is not None:
            raise refuse(
                N_("The file {file} holds a record id not written like {expected} (row {row})."),
                self.path,
                expected=format_id(123456789, prefix),
                row=bad_row + 1,
            )
        index = SortedIndex(numbers, np.arange(len(numbers), dtype=np.int64))
        duplicate = index.first_duplicate()
        if duplicate is not None:
            raise refuse(
                N_("The file {file} holds the record id {id} more than once."),
                self.path,
                id=format_id(duplicate, prefix),
            )
        return index

    def _person_index(self) -> SortedIndex:
        if self.definition.national_id == self.definition.record_id:
            return self.record_index  # the record id is the national id (population)
        if not self.definition.national_id:
            return SortedIndex(np.zeros(0, np.int64), np.zeros(0, np.int64))
        column = self.table.column(self.definition.national_id)
        known = pc.is_valid(column).to_numpy(zero_copy_only=False)
        values = pc.fill_null(column, 0).to_numpy()
        return SortedIndex(values[known], np.flatnonzero(known).astype(np.int64))

    def _changes(self, country_dir: Path, listed: Collection[str]) -> _Changes:
        # The manifest says which periods exist: a listed file missing from disk would leave
        # a gap in the feed, and a file it does not list was never verified.
        folder = country_dir / "changes" / self.definition.id
        prefix = f"changes/{self.definition.id}/"
        on_disk = {prefix + f.name for f in folder.glob("*.parquet")} if folder.is_dir() else set()
        relative = sorted(name for name in listed if name.startswith(prefix))
        for stray in sorted(on_disk.symmetric_difference(relative)):
            raise refuse(
                N_("The change file {file} is not what the manifest lists."),
                country_dir / stray,
            )
        tables = [verified_table(country_dir, r, CHANGE_COLUMNS) for r in relative]
        table = (
            pa.concat_tables([t.cast(tables[0].schema) for t in tables])
            if tables
            else pa.table({"seq": pa.array([], pa.int64())})
        )
        seqs = table.column("seq").to_numpy() if tables else np.zeros(0, np.int64)
        steps = np.flatnonzero(np.diff(seqs) <= 0)
        if len(steps) or (len(seqs) and seqs[0] < 1):
            raise refuse(
                N_("The change events in {file} are not in increasing seq order (seq {seq})."),
                folder,
                seq=int(seqs[steps[0] + 1]) if len(steps) else int(seqs[0]),
            )
        return _Changes(table, seqs)

    def rows_of_record(self, number: int) -> Sequence[int]:
        return self.record_index.find(number).tolist()  # type: ignore[no-any-return]

    def rows_of_person(self, national_id: int) -> Sequence[int]:
        return self.person_index.find(national_id).tolist()  # type: ignore[no-any-return]

    def rows_related_to(self, national_id: int) -> Sequence[int]:
        found = [index.find(national_id) for index in self.related_indexes]
        if len(found) != 1:  # a row naming the person in two columns is still one record
            found = [np.unique(np.concatenate([np.zeros(0, np.int64), *found]))]
        return found[0].tolist()  # type: ignore[no-any-return]

    def records(self, rows: Sequence[int], columns: Sequence[str]) -> list[dict[str, Any]]:
        if len(rows) == 1:  # one value per column: a quarter of the cost of a one-row table
            row = rows[0]
            return [{name: self.columns[name][row].as_py() for name in columns}]
        chosen = self.table.select(list(columns))
        return chosen.take(pa.array(rows, pa.int64())).to_pylist()  # type: ignore[no-any-return]

    def extract(self, columns: Sequence[str]) -> Iterator[bytes]:
        chosen = self.table.select(list(columns))
        sink = _Pieces()
        with pq.ParquetWriter(sink, chosen.schema, compression="zstd") as writer:
            for batch in chosen.to_batches(max_chunksize=EXTRACT_BATCH_ROWS):
                writer.write_batch(batch)
                yield sink.take()
        yield sink.take()

    def changes_after(self, seq: int, limit: int) -> tuple[list[ChangeEvent], bool]:
        start = int(np.searchsorted(self.changes.seqs, seq, side="right"))
        page = self.changes.table.slice(start, limit).to_pylist()
        events = [
            ChangeEvent(
                seq=row["seq"],
                occurred_on=row["occurred_on"],
                kind=row["kind"],
                record_id=row["record_id"],
                national_id=row["national_id"],
                changes=json.loads(row["changes"] or "{}"),
            )
            for row in page
        ]
        return events, start + limit < len(self.changes.seqs)


class _Pieces(io.RawIOBase):
    """A write-only sink handing out what was written since the last ``take``."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        piece = bytes(data)
        self.parts.append(piece)
        return len(piece)

    def take(self) -> bytes:
        piece, self.parts = b"".join(self.parts), []
        return piece
