"""The rules' batch inputs for the whole population, built from the registers.

The same input names and meaning as the truth-based inputs of
``civitas.synthetic.rules_inputs`` (so the same rules run), but only from what the
government can know: :mod:`.people` joins the registers, :mod:`.families` finds the
households, :mod:`.households` describes each one. The people (``scan_persons``) and
households (``scan_households``) stay registered on the DuckDB connection for the
take-up queries; the rules get Arrow tables of exactly the inputs they need, taken
from them without copying. An input no register holds (a crèche's fee) is an empty
column: unknown, and whatever needs it is unknown too; the report lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from civitas.proactive.scan.country import Country
from civitas.proactive.scan.families import Families, Links, People, families
from civitas.proactive.scan.households import HOUSEHOLDS, PERSONS, households
from civitas.proactive.scan.people import (
    PEOPLE,
    child_born_after,
    create_types,
    links_query,
    people_query,
)
from civitas.rules import PERSON, Kind, Period, RuleBook

HOUSEHOLD = "household"
# The rules' inputs the registers give: columns of scan_persons / scan_households.
PERSON_INPUTS = (
    "birth_date",
    "has_died",
    "death_date",
    "monthly_income",
    "employment_status",
    "contribution_months",
    "job_end_date",
    "disability",
    "school_level",
    "has_child_at_home",
    "youngest_child_birth_date",
)
HOUSEHOLD_INPUTS = ("tenure", "monthly_rent", "municipality")
ROLES = pa.array(["adult", "child"])
_ARROW_TYPES = {
    Kind.BOOL: pa.bool_(),
    Kind.INTEGER: pa.int64(),
    Kind.MONEY: pa.int64(),
    Kind.RATE: pa.int64(),
    Kind.DATE: pa.date32(),
    Kind.ENUM: pa.string(),
}


@dataclass(frozen=True)
class ScanInputs:
    """The rules' input tables, and what the registers could not give."""

    persons: pa.Table  # person_id (the national number), household_id, household_role, ...
    households: pa.Table  # household_id, tenure, monthly_rent, municipality
    unknown: tuple[str, ...]  # inputs the rules need that no register holds
    regions: tuple[str, ...]  # the households' region codes, by scan_households.region_code


def build_inputs(
    con: duckdb.DuckDBPyConnection,
    country: Country,
    period: Period,
    rules: RuleBook,
    variables: Sequence[str],
    on_stage: Callable[[str], None] = lambda stage: None,
) -> ScanInputs:
    """Read the registers for ``period`` onto ``con`` and build the rules' inputs.

    Leaves ``scan_persons`` and ``scan_households`` registered on ``con``; tells
    ``on_stage`` "registers", then "households".
    """
    on_stage("registers")
    create_types(con, country)
    people = con.sql(people_query(country, period)).to_arrow_table()
    people = people.append_column("row", pa.array(np.arange(people.num_rows, dtype=np.int32)))
    con.register(PEOPLE, people)
    linked = con.sql(links_query()).fetchnumpy()
    con.unregister(PEOPLE)
    on_stage("households")
    found = _families(people, linked, period)
    del linked
    persons = _beside(people, found.table())
    homes, regions = households(people, found)
    con.register(PERSONS, persons)
    con.register(HOUSEHOLDS, homes)
    needed = set(rules.inputs_for(variables))
    person_inputs, unknown = _inputs(
        rules, needed, PERSON, _person_ids(persons), persons.select(PERSON_INPUTS)
    )
    household_ids = {"household_id": homes.column("household_id")}
    household_inputs, more = _inputs(
        rules, needed, HOUSEHOLD, household_ids, homes.select(HOUSEHOLD_INPUTS)
    )
    return ScanInputs(person_inputs, household_inputs, tuple(sorted(unknown + more)), regions)


def _families(people: pa.Table, linked: dict[str, Any], period: Period) -> Families:
    """The households of ``people`` (the registers' rows) from the links found."""
    found = People(
        national_id=_numbers(people, "national_id", np.int64),
        birth_day=_numbers(people, "birth_day", np.int32),
        address_key=_numbers(people, "address_key", np.uint64),
        household_size=_numbers(people, "household_size", np.int32),
    )
    links = Links(
        member=np.asarray(linked["member"], dtype=np.int32),
        relative=np.asarray(linked["relative"], dtype=np.int32),
        link=np.asarray(linked["link"], dtype=np.int8),
    )
    return families(found, links, child_born_after(period))


def _beside(left: pa.Table, right: pa.Table) -> pa.Table:
    """Two tables of the same rows, their columns side by side (nothing is copied)."""
    return pa.Table.from_arrays(
        [*left.columns, *right.columns], names=[*left.column_names, *right.column_names]
    )


def _person_ids(persons: pa.Table) -> dict[str, pa.Array | pa.ChunkedArray]:
    child = pc.cast(persons.column("child"), pa.int8())
    role = pa.chunked_array(
        [pa.DictionaryArray.from_arrays(chunk, ROLES) for chunk in child.chunks],
        pa.dictionary(pa.int8(), pa.string()),
    )
    return {
        "person_id": persons.column("national_id"),
        "household_id": persons.column("household_id"),
        "household_role": role,
    }


def _inputs(
    rules: RuleBook,
    needed: set[str],
    entity: str,
    ids: dict[str, pa.Array | pa.ChunkedArray],
    given: pa.Table,
) -> tuple[pa.Table, list[str]]:
    """The entity's input table: ids, then each input the rules need, from ``given`` or
    empty (unknown); the inputs no register gives."""
    columns = dict(ids)
    unknown = []
    for name in sorted(needed):
        declared = rules.variable(name)
        if declared.entity != entity:
            continue
        if name in given.column_names:
            columns[name] = given.column(name)
        else:
            columns[name] = pa.nulls(given.num_rows, _ARROW_TYPES[declared.type.kind])
            unknown.append(name)
    return pa.table(columns), unknown


def _numbers(table: pa.Table, column: str, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """A column as one NumPy array, empty values as 0."""
    filled = pc.fill_null(table.column(column), 0)
    return np.asarray(filled.to_numpy(), dtype=dtype)
