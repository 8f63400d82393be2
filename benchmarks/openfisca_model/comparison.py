"""The inputs both engines get, and the comparison of their results.

The synthetic country has no value for two inputs (a crèche's fee, the income of a
pensioner's children): Civitas takes them as unknown, which OpenFisca cannot express.
:func:`batch_inputs` gives both engines the same made-up but plausible values for them,
so that every benefit is known for everyone.

:func:`compare` matches the results row by row: money must agree within one cent,
rates within half a millionth, yes/no and whole numbers exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy
import pyarrow as pa
import pyarrow.compute as pc

from civitas.rules import Kind, Period, RuleBook
from civitas.synthetic.rules_inputs import rules_inputs

from .simulation import ID


def batch_inputs(country: Path, period: Period) -> tuple[pa.Table, pa.Table]:
    """Persons and households of a synthetic country as batch inputs, none left unknown."""
    inputs = rules_inputs(country, period)
    persons = inputs.persons
    ids = persons.column("person_id").to_numpy()
    in_creche = pc.equal(persons.column("school_level"), "childcare").to_numpy(zero_copy_only=False)
    fee = numpy.where(in_creche, 15_000 + ids * 7_919 % 40_001, 0)  # 150.00 to 550.00
    children = ids * 104_729 % 300_001  # 0 to 3 000.00 a year
    persons = persons.set_column(
        persons.schema.get_field_index("childcare_fee"), "childcare_fee", pa.array(fee)
    )
    persons = persons.set_column(
        persons.schema.get_field_index("children_yearly_income"),
        "children_yearly_income",
        pa.array(children),
    )
    return persons, inputs.households


@dataclass(frozen=True)
class Agreement:
    """How one variable's results compare over every row."""

    variable: str
    entity: str
    rows: int
    same: int  # equal (money: to the cent once OpenFisca's float is rounded)
    one_cent: int  # money that differs by exactly one cent
    beyond: int  # differing by more: a disagreement
    largest: float  # largest difference, in cents (money), millionths (rates) or units
    nonzero: int  # rows where Civitas gives something other than 0 / False

    @property
    def agrees(self) -> bool:
        return self.beyond == 0


def compare(
    rules: RuleBook,
    civitas: Mapping[str, pa.Table],
    openfisca: Mapping[str, pa.Table],
    variables: tuple[str, ...],
) -> list[Agreement]:
    """Each variable of Civitas's results against OpenFisca's, row by row by id."""
    found = []
    for name in variables:
        entity = rules.variables[name].entity
        ours, theirs = (_by_id(tables[entity], ID[entity], name) for tables in (civitas, openfisca))
        if len(ours) != len(theirs):
            raise ValueError(f"{name}: {len(ours)} rows from Civitas, {len(theirs)} from OpenFisca")
        found.append(_agreement(name, entity, rules.variables[name].type.kind, ours, theirs))
    return found


def _by_id(table: pa.Table, key: str, name: str) -> pa.ChunkedArray:
    return table.select([key, name]).sort_by(key).column(name)


def _agreement(
    name: str, entity: str, kind: Kind, ours: pa.ChunkedArray, theirs: pa.ChunkedArray
) -> Agreement:
    unknown = ours.is_null().to_numpy(zero_copy_only=False)  # unknown to Civitas: a difference
    exact = ours.cast(pa.float64()).fill_null(0).to_numpy(zero_copy_only=False)
    other = theirs.to_numpy(zero_copy_only=False).astype(numpy.float64)
    scale = {Kind.MONEY: 100.0, Kind.RATE: 1_000_000.0}.get(kind, 1.0)
    gap = numpy.abs(other * scale - exact)
    steps = numpy.abs(numpy.rint(other * scale) - exact)
    if kind is Kind.MONEY:
        same, one_cent, beyond = (steps == 0), (steps == 1), (steps > 1)
    else:
        same, one_cent, beyond = (steps == 0), numpy.zeros_like(steps, bool), (steps > 0)
    same, one_cent, beyond = same & ~unknown, one_cent & ~unknown, beyond | unknown
    return Agreement(
        variable=name,
        entity=entity,
        rows=len(exact),
        same=int(same.sum()),
        one_cent=int(one_cent.sum()),
        beyond=int(beyond.sum()),
        largest=float(gap.max(initial=0.0)),
        nonzero=int((exact != 0).sum()),
    )
