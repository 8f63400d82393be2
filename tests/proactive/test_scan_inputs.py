"""The scan's inputs from the registers mean what the truth's inputs mean: the same rules
on both find the same people entitled, but for the registers' noise (records without a
national number, rents not declared), which only ever hides a few."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from civitas.proactive.scan.claims import Service, services, variables
from civitas.proactive.scan.country import open_country
from civitas.proactive.scan.inputs import build_inputs
from civitas.rules import Period
from civitas.synthetic.rules_inputs import rules_inputs
from tests.proactive.conftest import SCAN_MONTH, ScanWorld

# The registers leave out 2 % of national numbers (tax, education) and 3 % of rents:
# with small counts, allow for chance.
NOISE, SLACK = 0.05, 3


def _entitled(service: Service, results: dict[str, pa.Table]) -> pa.Table:
    table = results["household" if service.per_household else "person"]
    column = table.column(service.eligible or service.variable)
    if pa.types.is_integer(column.type):
        column = pc.greater(column, 0)
    return table.filter(pc.fill_null(column, False))


@pytest.fixture(scope="module")
def both(scan_world: ScanWorld) -> dict[str, tuple[set[int], set[int]]]:
    """Per service: who is entitled from the truth's inputs, and from the registers',
    as national numbers (a household by its members' true household)."""
    from civitas.rules.batch import compute

    period = Period.parse(SCAN_MONTH)
    rules = scan_world.rules
    found = services(rules, ())
    names = variables(found)
    truth = rules_inputs(scan_world.country, period)
    con = duckdb.connect()
    try:
        registers = build_inputs(con, open_country(scan_world.country), period, rules, names)
    finally:
        con.close()
    inputs = {"person": truth.persons, "household": truth.households}
    from_truth = compute(rules, period, names, inputs)
    inputs = {"person": registers.persons, "household": registers.households}
    from_registers = compute(rules, period, names, inputs)
    persons = pq.read_table(
        scan_world.country / "truth" / "persons.parquet",
        columns=["person_id", "national_id", "household_id"],
    ).to_pylist()
    national = {row["person_id"]: row["national_id"] for row in persons}
    true_home = {row["national_id"]: row["household_id"] for row in persons}
    member = {
        row["household_id"]: row["person_id"] for row in registers.persons.to_pylist()
    }  # any member of each household the registers found
    found_sets = {}
    for service in found:
        truly = _entitled(service, from_truth)
        scanned = _entitled(service, from_registers)
        if service.per_household:
            true_ids = set(truly.column("household_id").to_pylist())
            scan_ids = {true_home[member[h]] for h in scanned.column("household_id").to_pylist()}
        else:
            true_ids = {national[p] for p in truly.column("person_id").to_pylist()}
            scan_ids = set(scanned.column("person_id").to_pylist())
        found_sets[service.service] = (true_ids, scan_ids)
    return found_sets


def test_the_registers_find_nobody_the_truths_inputs_do_not(
    both: dict[str, tuple[set[int], set[int]]],
) -> None:
    for service, (truly, scanned) in both.items():
        assert scanned <= truly, service


def test_the_registers_noise_hides_few_of_the_entitled(
    both: dict[str, tuple[set[int], set[int]]],
) -> None:
    assert sum(len(truly) for truly, _ in both.values()) > 1_000
    for service, (truly, scanned) in both.items():
        assert len(truly - scanned) <= NOISE * len(truly) + SLACK, service
