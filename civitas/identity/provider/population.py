"""The people of the synthetic country, read once from the population register's Parquet.

The file is verified against the country manifest first (the same check a registry
node makes), so the provider never signs people in from a damaged or foreign file.
Columns are held as NumPy arrays sorted by national number: finding one person among
ten million is a binary search, and choosing the featured people is vectorised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from civitas.core.errors import ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.registries import MANIFEST_NAME, verify_country

POPULATION_FILE = "registries/population.parquet"
COLUMNS = (
    "national_id",
    "first_name",
    "family_name",
    "birth_date",
    "death_date",
    "mother_national_id",
    "father_national_id",
)
EPOCH = dt.date(1970, 1, 1)

Int64s = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Person:
    """One row of the register, as the provider needs it."""

    national_id: int
    given_name: str
    family_name: str
    birth_date: dt.date
    alive: bool


@dataclass(frozen=True)
class Population:
    """The register as columns in national-number order; 0 stands for an unknown parent."""

    as_of: dt.date  # the country's date: ages and deaths are counted on it
    national_ids: Int64s
    birth_days: Int64s  # days since 1970-01-01
    alive: Bools
    mothers: Int64s
    fathers: Int64s
    names: pa.Table  # first_name, family_name, in the same order

    @classmethod
    def from_table(cls, table: pa.Table, as_of: dt.date) -> Population:
        ids = _integers(table.column("national_id"))
        names = table.select(["first_name", "family_name"])
        if np.any(ids[1:] < ids[:-1]):  # generated registers are sorted already: no copies
            order = np.argsort(ids, kind="stable")
            table = table.take(pa.array(order))
            ids, names = ids[order], names.take(pa.array(order))
        death_days = _integers(table.column("death_date"), missing=np.iinfo(np.int64).max)
        return cls(
            as_of=as_of,
            national_ids=ids,
            birth_days=_integers(table.column("birth_date")),
            alive=death_days > (as_of - EPOCH).days,
            mothers=_integers(table.column("mother_national_id")),
            fathers=_integers(table.column("father_national_id")),
            names=names,
        )

    def __len__(self) -> int:
        return len(self.national_ids)

    def positions(self, national_ids: Int64s) -> Int64s:
        """Where each number is in the register, -1 where it is not (vectorised)."""
        if not len(self.national_ids):
            return np.full(len(national_ids), -1, np.int64)
        found = np.searchsorted(self.national_ids, national_ids).clip(0, len(self) - 1)
        known = (self.national_ids[found] == national_ids) & (national_ids != 0)
        return np.where(known, found, -1).astype(np.int64)

    def person(self, position: int) -> Person:
        names = self.names.slice(position, 1).to_pylist()[0]
        return Person(
            national_id=int(self.national_ids[position]),
            given_name=str(names["first_name"] or ""),
            family_name=str(names["family_name"] or ""),
            birth_date=EPOCH + dt.timedelta(days=int(self.birth_days[position])),
            alive=bool(self.alive[position]),
        )

    def find(self, national_id: int) -> Person | None:
        position = int(self.positions(np.array([national_id], np.int64))[0])
        return self.person(position) if position >= 0 else None


def _integers(column: pa.ChunkedArray, missing: int = 0) -> Int64s:
    """A date or integer column as int64 (dates as days since 1970), nulls as ``missing``."""
    if pa.types.is_date(column.type):
        column = pc.cast(column, pa.date32()).cast(pa.int32())
    filled = pc.fill_null(pc.cast(column, pa.int64()), missing)
    return np.asarray(filled.to_numpy(), dtype=np.int64)


def load_population(country_dir: Path) -> Population:
    """The verified population register of the country in ``country_dir``."""
    if not (country_dir / MANIFEST_NAME).is_file():
        raise ExternalServiceUnavailable(
            N_("The country has not been generated yet: {file} is missing."),
            hint=N_("Generate it first: civitas country generate"),
            params={"file": str(country_dir / MANIFEST_NAME)},
        )
    manifest = verify_country(country_dir, only=[POPULATION_FILE])
    path = country_dir / POPULATION_FILE
    missing = [name for name in COLUMNS if name not in pq.read_schema(path).names]
    if missing:
        raise ExternalServiceUnavailable(
            N_("The population register {file} has no column {columns}."),
            hint=N_("Check that the country was generated from the Civitas demo country pack."),
            params={"file": str(path), "columns": ", ".join(missing)},
        )
    return Population.from_table(pq.read_table(path, columns=list(COLUMNS)), manifest.as_of)
