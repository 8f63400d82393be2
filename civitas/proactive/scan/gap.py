"""The people entitled but not enrolled: the rows of ``gap.parquet`` and of the offers.

One row per service and beneficiary, ordered by service then national number, so two
scans of the same registers give the same file and send in the same order. National
numbers are written with their nine digits, as everywhere else in the platform.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.places import postal_address
from civitas.proactive.scan.claims import MISSED, Claims
from civitas.proactive.scan.groups import Groups
from civitas.proactive.scan.households import Households
from civitas.proactive.scan.model import GROUPINGS, GapRow
from civitas.proactive.scan.parallel import each

LABEL = pa.dictionary(pa.int32(), pa.string())  # a few texts, each row a code
GAP_SCHEMA = pa.schema(
    [
        ("service", LABEL),
        ("national_id", pa.string()),
        ("claimant_national_id", pa.string()),
        ("household", pa.string()),
        ("amount_cents", pa.int64()),
        ("region", LABEL),
        ("age_band", LABEL),
        ("household_type", LABEL),
        ("income_decile", pa.int8()),
    ]
)
DIGITS = 9
ADDRESS_LINES = ("street", "house_number", "postcode", "municipality")


def gap_table(every: Sequence[Claims], homes: Households, groups: Groups) -> pa.Table:
    """Every entitled beneficiary the benefits register does not list (recorded services);
    the services' parts are built on the scan's threads."""
    parts = each(lambda claims: _missed(claims, homes, groups), sorted(every, key=_name))
    found = [part for part in parts if part.num_rows]
    return pa.concat_tables(found).unify_dictionaries() if found else GAP_SCHEMA.empty_table()


def gap_rows(table: pa.Table, size: int) -> Iterator[list[GapRow]]:
    """The rows of a gap table as :class:`GapRow`, ``size`` at a time."""
    for batch in table.to_batches(max_chunksize=size):
        yield [_gap_row(row) for row in batch.to_pylist()]


def _gap_row(values: dict[str, Any]) -> GapRow:
    """A row of the gap, with its recipient's name and address when the table has them
    (:mod:`.recipients`)."""
    name = values.pop("recipient_name", None) or ""
    record = {field: values.pop(field, None) for field in ADDRESS_LINES}
    address = postal_address(name, record if record["street"] else None)
    return GapRow(**values, recipient_name=name, address=address)


def digits(numbers: npt.NDArray[np.int64]) -> pa.Array:
    """National numbers written with (at least) their nine digits."""
    if len(numbers) and numbers.min() >= 0 and numbers.max() < 10**DIGITS:
        # three digits at a time, from a table of the thousand groups "000" to "999"
        thousands = np.stack([numbers // 1_000_000, numbers // 1000 % 1000, numbers % 1000], 1)
        text = _GROUPS[thousands]
        offsets = np.arange(0, DIGITS * len(numbers) + 1, DIGITS, dtype=np.int32)
        return pa.StringArray.from_buffers(len(numbers), pa.py_buffer(offsets), pa.py_buffer(text))
    written = pc.cast(pa.array(numbers, pa.int64()), pa.string())
    return pc.utf8_lpad(written, width=DIGITS, padding="0")


_GROUPS = np.frombuffer("".join(f"{n:03d}" for n in range(1000)).encode(), np.uint8).reshape(-1, 3)


def _name(claims: Claims) -> str:
    return claims.service.service


def _missed(claims: Claims, homes: Households, groups: Groups) -> pa.Table:
    """The service's entitled beneficiaries not enrolled, by national number."""
    if not claims.service.recorded:
        return GAP_SCHEMA.empty_table()
    missed = np.flatnonzero(claims.state == MISSED)
    missed = missed[np.argsort(claims.national_id[missed], kind="stable")]
    household = claims.household[missed]
    columns = {
        "service": pa.DictionaryArray.from_arrays(
            np.zeros(len(missed), dtype=np.int32), pa.array([claims.service.service])
        ),
        "national_id": digits(claims.national_id[missed]),
        "claimant_national_id": digits(claims.claimant[missed]),
        "household": digits(homes.household_id[household]),
        "amount_cents": claims.amount.take(pa.array(missed)),
        **{
            grouping: groups.text(groups.codes(claims, homes, grouping, missed), grouping)
            for grouping in GROUPINGS[:3]
        },
        "income_decile": pa.array(homes.income_decile[household]),
    }
    return pa.table(columns, schema=GAP_SCHEMA)
