"""Build an OpenFisca simulation from the batch input tables, and compute benefits.

The inputs are the tables Civitas's batch takes (``civitas.rules.batch``): persons with
``person_id``, ``household_id``, ``household_role`` and one column per input, and
households with ``household_id`` and theirs; money in integer cents, dates, text codes.
They become OpenFisca's vectorial inputs the fast way: the entities are declared from
id arrays (``SimulationBuilder.declare_person_entity`` / ``join_with_persons``) and
each input is set as one numpy array (``Simulation.set_input``): money as float32
euros, codes as enumeration indices, empty dates as OpenFisca's default (1970-01-01).

Civitas reads an input given without a period as holding in every period; OpenFisca
needs each month, so ``monthly_income`` is also set for the 12 months before (the
average earnings of the parental allowance and unemployment benefit look back a year).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import numpy
import pyarrow as pa
import pyarrow.compute as pc
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.simulations import Simulation, SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from .inputs import ENUMS, Municipality

ID = {"person": "person_id", "household": "household_id"}
HISTORY = {"monthly_income": 12}  # months before the period an input is also set for


def simulation(
    system: TaxBenefitSystem, period: str, persons: pa.Table, households: pa.Table
) -> Simulation:
    """A simulation of every person and household of the tables, inputs set for ``period``."""
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", _numbers(persons, "person_id"))
    homes = builder.declare_entity("household", _numbers(households, "household_id"))
    # roles as positions in the household's roles (adult, child), the fast form
    roles = pc.equal(persons.column("household_role"), "child").to_numpy(zero_copy_only=False)
    builder.join_with_persons(homes, _numbers(persons, "household_id"), roles.astype(numpy.int8))
    built = builder.build(system)
    month = periods.period(period)
    for table in (persons, households):
        for name in table.column_names:
            if name in system.variables and name not in ID.values():
                values = _array(system, name, table.column(name))
                built.set_input(name, month, values)
                for back in range(1, HISTORY.get(name, 0) + 1):
                    built.set_input(name, month.offset(-back), values)
    return built


def compute(
    system: TaxBenefitSystem,
    period: str,
    variables: Sequence[str],
    persons: pa.Table,
    households: pa.Table,
) -> dict[str, pa.Table]:
    """The variables for ``period``, as one table per entity keyed by its id column.

    Values are what OpenFisca computed: money and rates as float (euros, fractions).
    """
    run = simulation(system, period, persons, households)
    ids = {"person": persons.column("person_id"), "household": households.column("household_id")}
    columns: dict[str, dict[str, Any]] = {entity: {} for entity in ID}
    for name in variables:
        entity = system.variables[name].entity.key
        value = run.calculate(name, period)
        columns[entity][name] = value.astype(numpy.float64) if value.dtype.kind == "f" else value
    return {
        entity: pa.table({ID[entity]: ids[entity], **found})
        for entity, found in columns.items()
        if found
    }


def _numbers(table: pa.Table, column: str) -> numpy.ndarray[Any, Any]:
    return numpy.asarray(table.column(column).to_numpy())


def _array(system: TaxBenefitSystem, name: str, column: pa.ChunkedArray) -> Any:
    """One input column as the numpy array OpenFisca stores for the variable."""
    kind = system.variables[name].value_type
    if kind is Enum:
        return _codes(ENUMS[name], column)
    if kind is date:
        return column.fill_null(date(1970, 1, 1)).to_numpy().astype("datetime64[D]")
    if kind is float:  # money: integer cents to float32 euros
        return (column.fill_null(0).to_numpy() / 100).astype(numpy.float32)
    if kind is bool:
        return column.fill_null(False).to_numpy(zero_copy_only=False)
    return column.fill_null(0).to_numpy().astype(numpy.int32)


def _codes(enum: type[Enum], column: pa.ChunkedArray) -> EnumArray:
    """Text codes as an enumeration's indices; an empty or unknown code as its first item."""
    codes = [member.value if enum is Municipality else member.name for member in enum]
    positions: Mapping[str, int] = {code: position for position, code in enumerate(codes)}
    encoded = column.combine_chunks().dictionary_encode()
    lookup = numpy.array([positions.get(code, 0) for code in encoded.dictionary.to_pylist()])
    indices = encoded.indices.fill_null(0).to_numpy()
    return EnumArray(lookup[indices].astype(numpy.int16), enum)
