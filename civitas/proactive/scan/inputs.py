"""The rules' batch inputs for the whole population, built from the registers.

The same input names and meaning as the truth-based inputs of
``civitas.synthetic.rules_inputs`` (so the same rules run), but only from what the
government can know: :mod:`.population` reads the registers and finds the households.
The rules get Arrow tables of exactly the inputs they need, taken from the people's
table without copying. An input no register holds (a crèche's fee) is an empty
column: unknown, and whatever needs it is unknown too; the report lists them.

The scan identifies people by their row and households by their number
(:func:`rules_inputs`); :func:`build_inputs` gives the same tables identified by
national numbers (a household by its smallest), for reading them beside the registers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from civitas.proactive.scan.country import Country
from civitas.proactive.scan.population import Population, read_population
from civitas.rules import PERSON, Kind, Period, RuleBook

HOUSEHOLD = "household"
# The rules' inputs the registers give: columns of the people's table.
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
)
ROLES = ("adult", "child")  # household_role codes 0 and 1
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

    persons: pa.Table  # person_id, household_id, household_role, ...
    households: pa.Table  # household_id, tenure, monthly_rent, municipality
    unknown: tuple[str, ...]  # inputs the rules need that no register holds


def build_inputs(
    con: duckdb.DuckDBPyConnection,
    country: Country,
    period: Period,
    rules: RuleBook,
    variables: Sequence[str],
    on_stage: Callable[[str], None] = lambda stage: None,
) -> ScanInputs:
    """The rules' inputs for ``period`` from the registers, by national numbers."""
    on_stage("registers")
    needed = set(rules.inputs_for(variables))
    population = read_population(con, country, period, needed, lambda: on_stage("households"))
    return rules_inputs(population, rules, needed, national=True)


def rules_inputs(
    population: Population, rules: RuleBook, needed: set[str], *, national: bool = False
) -> ScanInputs:
    """The input tables of the rules' ``needed`` inputs: people by row and households by
    number, or (``national``) both by national number."""
    found, people = population.found, population.people
    if national:
        person_id: pa.Array = pa.array(population.national_id)
        household_id = pa.array(found.household_id)
        households = pa.array(found.household_ids)
    else:
        person_id = people.column("row").combine_chunks()
        household_id = pa.array(found.home)
        households = pa.array(np.arange(found.households, dtype=np.int32))
    ids = {
        "person_id": person_id,
        "household_id": household_id,
        "household_role": pa.DictionaryArray.from_arrays(
            found.child.astype(np.int8), pa.array(ROLES)
        ),
    }
    given: dict[str, pa.Array | pa.ChunkedArray] = {
        name: people.column(name) for name in PERSON_INPUTS if name in people.column_names
    }
    given.update(found.child_inputs())
    persons, unknown = _inputs(rules, needed, PERSON, ids, given, population.size)
    rows = pa.array(found.first_row)
    rent = population.homes.monthly_rent
    household_inputs = {
        "tenure": people.column("tenure").take(rows),
        "monthly_rent": pa.array(rent, mask=rent < 0),
        "municipality": people.column("municipality").take(rows),
    }
    homes, more = _inputs(
        rules, needed, HOUSEHOLD, {"household_id": households}, household_inputs, found.households
    )
    return ScanInputs(persons, homes, tuple(sorted(unknown + more)))


def _inputs(
    rules: RuleBook,
    needed: set[str],
    entity: str,
    ids: dict[str, pa.Array],
    given: dict[str, pa.Array | pa.ChunkedArray],
    rows: int,
) -> tuple[pa.Table, list[str]]:
    """The entity's input table: ids, then each input the rules need, from ``given`` or
    empty (unknown); the inputs no register gives."""
    columns: dict[str, pa.Array | pa.ChunkedArray] = dict(ids)
    unknown = []
    for name in sorted(needed):
        declared = rules.variable(name)
        if declared.entity != entity:
            continue
        if name in given:
            columns[name] = given[name]
        else:
            columns[name] = pa.nulls(rows, _ARROW_TYPES[declared.type.kind])
            unknown.append(name)
    return pa.table(columns), unknown
