"""Who each offer of the scan is written to: the claimant's name and postal address.

Only ``--send`` needs them, so they are read after the scan, for the people of the gap
alone, from the population and address registers; the files the scan writes hold none.
The municipality is written by its name (where the pack names it), as on any letter.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.scan.country import Country, parquet, require_registers
from civitas.proactive.scan.gap import ADDRESS_LINES

REGISTERS = {
    "population": ("national_id", "first_name", "family_name"),
    "addresses": ("national_id", "street", "house_number", "postcode", "municipality"),
}
COLUMNS = ("recipient_name", *ADDRESS_LINES)


def with_recipients(country: Country, gap: pa.Table, municipalities: Mapping[str, str]) -> pa.Table:
    """``gap`` with the name and address of each row's claimant (NULL where the registers
    have none): the columns of :data:`COLUMNS`, in the order of ``gap``'s rows."""
    require_registers(country.folder, REGISTERS)
    claimant = pc.if_else(
        pc.equal(gap.column("claimant_national_id"), ""),
        gap.column("national_id"),
        gap.column("claimant_national_id"),
    )
    keys = pa.table({"at": np.arange(gap.num_rows), "who": pc.cast(claimant, pa.int64())})
    query = _QUERY.format(
        population=parquet(country.register("population")),
        addresses=parquet(country.register("addresses")),
    )
    places = pa.table(
        {
            "code": pa.array(list(municipalities), pa.string()),
            "name": pa.array(list(municipalities.values()), pa.string()),
        }
    )
    with duckdb.connect() as con:
        con.register("keys", keys)
        con.register("places", places)
        found = con.sql(query).to_arrow_table()
    for column in COLUMNS:
        gap = gap.append_column(column, found.column(column))
    return gap


_QUERY = """
SELECT k.at,
       nullif(trim(concat_ws(' ', p.first_name, p.family_name)), '') AS recipient_name,
       a.street, a.house_number::VARCHAR AS house_number, a.postcode,
       coalesce(m.name, a.municipality) AS municipality
FROM keys k
LEFT JOIN (SELECT national_id, first_name, family_name FROM {population}
           WHERE national_id IN (SELECT who FROM keys)) p ON p.national_id = k.who
LEFT JOIN (SELECT national_id, street, house_number, postcode, municipality FROM {addresses}
           WHERE national_id IN (SELECT who FROM keys)) a ON a.national_id = k.who
LEFT JOIN places m ON m.code = a.municipality
ORDER BY k.at
"""
