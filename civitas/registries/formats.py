"""How registry data is laid out in Parquet: one definition for writers and readers.

The synthetic generator writes these types and the registry nodes check them, so
both sides take them from here and cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyarrow as pa

from civitas.registries.domain import ColumnType

COLUMN_TYPES: Mapping[ColumnType, pa.DataType] = {
    ColumnType.INTEGER: pa.int64(),
    ColumnType.TEXT: pa.string(),
    ColumnType.DATE: pa.date32(),
    ColumnType.BOOLEAN: pa.bool_(),
    ColumnType.MONEY: pa.int64(),
    ColumnType.CODE: pa.string(),
}

CHANGE_SCHEMA = pa.schema(
    [
        pa.field("seq", pa.int64(), nullable=False),
        pa.field("occurred_on", pa.date32(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("record_id", pa.string(), nullable=False),
        pa.field("national_id", pa.int64()),
        pa.field("changes", pa.string(), nullable=False),
    ]
)

# Text may be stored dictionary-encoded (repeated names, codes): it is still text.
_TEXT_FORMS = (
    "string",
    "large_string",
    "dictionary<values=string, indices=int32, ordered=0>",
)


def accepted_forms(kind: pa.DataType) -> tuple[str, ...]:
    """The Arrow type names a reader accepts for a column written as ``kind``."""
    return _TEXT_FORMS if kind == pa.string() else (str(kind),)
