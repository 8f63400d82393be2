"""Arrow columns as NumPy arrays and back, with one null convention per kind.

Advancing the country works on whole columns at once. Identifiers use 0 for
"none" (ids start at 1), dates use NaT, codes use -1; converting back restores
the nulls and the exact Arrow types of the contract.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Ints = npt.NDArray[np.int64]
Days = npt.NDArray[np.datetime64]
Codes = npt.NDArray[np.int32]
Bools = npt.NDArray[np.bool_]

_NAT = np.iinfo(np.int64).min  # the bit pattern of NaT in datetime64[D]


def sorted_by(table: pa.Table, name: str) -> pa.Table:
    """``table`` ordered by an id column, without the cost of sorting when it already is."""
    values = ints(table, name)
    if len(values) < 2 or bool((values[1:] > values[:-1]).all()):
        return table
    return table.sort_by(name)


def ints(table: pa.Table, name: str) -> Ints:
    """An integer column, nulls as 0."""
    column = pc.fill_null(table.column(name).cast(pa.int64()), 0)
    return np.asarray(column.to_numpy(), dtype=np.int64).copy()


def days(table: pa.Table, name: str) -> Days:
    """A date column as datetime64[D], nulls as NaT."""
    column = pc.fill_null(table.column(name).cast(pa.int32()).cast(pa.int64()), _NAT)
    return np.asarray(column.to_numpy(), dtype=np.int64).view("M8[D]").copy()


def bools(table: pa.Table, name: str) -> Bools:
    column = pc.fill_null(table.column(name), False)
    return np.asarray(column.to_numpy(), dtype=np.bool_).copy()


def codes(table: pa.Table, name: str, vocabulary: Sequence[str]) -> Codes:
    """Positions of a text column's values in ``vocabulary``; null or unknown as -1."""
    found = pc.index_in(table.column(name), value_set=pa.array(vocabulary, pa.string()))
    return np.asarray(pc.fill_null(found, -1).to_numpy(), dtype=np.int32).copy()


def vocabulary(*columns: pa.ChunkedArray) -> list[str]:
    """The sorted distinct non-null values of some text columns."""
    values: set[str] = set()
    for column in columns:
        values.update(v for v in pc.unique(column).to_pylist() if v is not None)
    return sorted(values)


def to_arrow(values: npt.NDArray[Any], kind: pa.DataType) -> pa.Array:
    """A NumPy column back to Arrow ``kind``, turning the null convention into nulls."""
    if pa.types.is_date32(kind):
        mask = np.isnat(values)
        raw = np.where(mask, 0, values.view(np.int64)).astype(np.int32)
        return pa.array(raw, type=pa.int32(), mask=mask).cast(pa.date32())
    if pa.types.is_boolean(kind):
        return pa.array(values, type=pa.bool_())
    return pa.array(values, type=kind)


def ids_to_arrow(values: Ints, kind: pa.DataType, nullable: bool) -> pa.Array:
    """Identifiers back to Arrow, 0 meaning null when the column is nullable."""
    mask = values == 0 if nullable else None
    return pa.array(values, type=kind, mask=mask)


def codes_to_arrow(values: Codes, words: Sequence[str]) -> pa.Array:
    """Code positions back to text, -1 meaning null."""
    indices = pa.array(values, type=pa.int32(), mask=values < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(words, pa.string())).cast(pa.string())


def grouped_pick(
    groups: Codes, pool_groups: Codes, uniform: npt.NDArray[np.float64], n_groups: int
) -> Ints:
    """For each item, the index of a random pool member in the same group (-1 if none).

    Sorting the pool by group once makes every pick a constant-time lookup, so
    "an income like someone's in the same region" costs the same for a million people.
    """
    members = np.flatnonzero(pool_groups >= 0)
    order = members[np.argsort(pool_groups[members], kind="stable")]
    counts = np.bincount(pool_groups[members], minlength=n_groups)[:n_groups]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    picked = np.full(len(groups), -1, dtype=np.int64)
    if n_groups == 0:
        return picked
    safe = np.clip(groups, 0, n_groups - 1)
    have = (groups >= 0) & (counts[safe] > 0)
    offset = np.floor(uniform * counts[safe]).astype(np.int64)
    picked[have] = order[starts[safe[have]] + offset[have]]
    return picked
