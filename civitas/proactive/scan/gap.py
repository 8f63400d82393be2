"""The people entitled but not enrolled: the rows of ``gap.parquet`` and of the offers.

One row per service and beneficiary, ordered by service then national number (sorted
as one integer key), so two scans of the same registers give the same file and send in
the same order. National
numbers are written with their nine digits, as everywhere else in the platform.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.scan.groups import Groups
from civitas.proactive.scan.model import GROUPINGS, GapRow

GAP_SCHEMA = pa.schema(
    [
        ("service", pa.string()),
        ("national_id", pa.string()),
        ("claimant_national_id", pa.string()),
        ("household", pa.string()),
        ("amount_cents", pa.int64()),
        ("region", pa.string()),
        ("age_band", pa.string()),
        ("household_type", pa.string()),
        ("income_decile", pa.int8()),
    ]
)


def gap_table(claims: pa.Table, groups: Groups) -> pa.Table:
    """Every entitled beneficiary the benefits register does not list (recorded services)."""
    missed = pc.and_(claims.column("entitled"), pc.invert(claims.column("enrolled")))
    rows = np.flatnonzero(np.asarray(pc.fill_null(missed, False).to_numpy(), dtype=np.bool_))
    services = pc.cast(claims.column("service"), pa.string())
    names = pa.array(sorted(pc.unique(services).to_pylist()), pa.string())
    rank = np.asarray(pc.index_in(services, value_set=names).to_numpy(), dtype=np.int64)[rows]
    number = np.asarray(claims.column("national_id").to_numpy(), dtype=np.int64)[rows]
    gap = claims.take(pa.array(rows[np.argsort((rank << 40) | number)]))
    columns = {
        "service": gap.column("service"),
        "national_id": _digits(gap.column("national_id")),
        "claimant_national_id": _digits(gap.column("claimant")),
        "household": _digits(gap.column("household_id")),
        "amount_cents": gap.column("amount_cents"),
        **{grouping: groups.text(gap, grouping) for grouping in GROUPINGS[:3]},
        "income_decile": gap.column("income_decile"),
    }
    return pa.table(columns).cast(GAP_SCHEMA)


def _digits(numbers: pa.ChunkedArray) -> pa.ChunkedArray:
    """National numbers written with their nine digits."""
    return pc.utf8_lpad(pc.cast(numbers, pa.string()), width=9, padding="0")


def gap_rows(table: pa.Table, size: int) -> Iterator[list[GapRow]]:
    """The rows of a gap table as :class:`GapRow`, ``size`` at a time."""
    for batch in table.to_batches(max_chunksize=size):
        yield [GapRow(**row) for row in batch.to_pylist()]
