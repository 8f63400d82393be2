"""The population of a month as the registers give it: people, households, roles.

:func:`read_population` reads the registers (:mod:`.people`), finds the households
(:mod:`.families`) and describes each one (:mod:`.households`). Social security, tax and
education are read on a second DuckDB cursor while the first joins the population to
its addresses, and placed on the people's rows while NumPy finds the households (which
need only the population and the addresses): the income first, which describing the
households needs, then the other facts while they are described. The work keeps both
cores busy.
People are numbered by their ``row`` in the people's table and households
by their number (``home``): the scan hands the rules these numbers as ids, and reads
the rules' results back by them, so that no table is joined on a national number after
the registers.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from civitas.proactive.scan.country import Country
from civitas.proactive.scan.families import Days, Families, Ints, People, families
from civitas.proactive.scan.households import Households, households
from civitas.proactive.scan.national_index import NationalIndex
from civitas.proactive.scan.people import (
    LINKS,
    Earnings,
    FactRegisters,
    birth_days,
    child_born_after,
    create_types,
    earnings,
    facts,
    links,
    national_index,
    numbers,
    read_fact_registers,
    read_residents,
)
from civitas.rules import Period


@dataclass(frozen=True, eq=False)
class Population:
    """Everyone living in the month, by row, and their households, by number."""

    people: pa.Table  # the registers' columns (see read_people), by row
    index: NationalIndex  # each row's national number, and the row of each number
    birth_day: npt.NDArray[np.int32]  # days since 1970
    found: Families
    homes: Households

    @property
    def national_id(self) -> Ints:
        return self.index.national_id

    @property
    def size(self) -> int:
        return self.index.size


def read_population(
    con: duckdb.DuckDBPyConnection,
    country: Country,
    period: Period,
    inputs: Collection[str],
    on_households: Callable[[], None] = lambda: None,
) -> Population:
    """Read the registers for ``period`` (the columns of the rules' ``inputs`` they give)
    and find the households; ``on_households()`` is called when the registers are read."""
    create_types(con, country)
    second = con.cursor()
    try:
        with ThreadPoolExecutor(1) as pool:
            # the worker reads the other registers while DuckDB joins the residents,
            # then places their records while NumPy finds the households
            registers = pool.submit(read_fact_registers, second, country, inputs)
            residents = read_residents(con, country, period)
            people = People(
                national_id=numbers(residents, "national_id"),
                birth_day=birth_days(residents),
                address_key=numbers(residents, "address_key", np.uint64),
                household_size=numbers(residents, "household_size", np.int32),
            )
            index = national_index(con, country, people.national_id)
            # the pool's one thread: the income (which households need), then the rest
            earned = pool.submit(_earnings, registers, index)
            given = pool.submit(_facts, registers, earned, period, index, people.birth_day)
            linked = links(index, people.address_key, residents)
            residents = residents.drop_columns([*LINKS, *FOUND])  # found: People has them
            on_households()
            found = families(people, linked, child_born_after(period))
            del linked
            residents = residents.append_column("monthly_income", pa.array(earned.result().income))
            homes = households(people, found, residents)
            placed = given.result()
            del registers, earned, given  # their records are placed
    finally:
        second.close()
    table = pa.Table.from_arrays(
        [*residents.columns, *placed.values()], names=[*residents.column_names, *placed]
    )
    return Population(table, index, people.birth_day, found, homes)


FOUND = ("national_id", "address_key", "household_size")


def _earnings(registers: Future[FactRegisters], index: NationalIndex) -> Earnings:
    return earnings(registers.result(), index)


def _facts(
    registers: Future[FactRegisters],
    earned: Future[Earnings],
    period: Period,
    index: NationalIndex,
    birth_day: Days,
) -> dict[str, pa.Array]:
    return facts(registers.result(), earned.result(), period, index, birth_day)
