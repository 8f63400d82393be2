"""The batch compiler agrees with the interpreter, exactly, on random populations:
every variable of a pack using every construct, for every person and household,
with unknown inputs, values for single months and values replacing formulas, and
with columns holding no unknown at all (where the batch tests for none)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civitas.rules import Period, RuleBook, Unknown
from civitas.rules.interpreter import Interpreter
from civitas.rules.situation import GroupInstance, Situation
from tests.rules.batch_pack import load_pack, run

MONTHS = [str(Period.month(2025, 11).shift(n)) for n in range(14)]  # 2025-11 to 2026-12
ASKED = MONTHS[2:9]  # 2026-01 to 2026-07: parameters and formulas change on the way

money = st.integers(-200_000, 2_000_000)
day = st.dates(date(1930, 1, 1), date(2027, 12, 31))
VALUES: dict[str, tuple[st.SearchStrategy[Any], pa.DataType, bool]] = {
    # variable: (values, column type, may differ by month)
    "birth_date": (day, pa.date32(), False),
    "contract_end": (day, pa.date32(), False),
    "income": (money, pa.int64(), True),
    "status": (st.sampled_from(["employed", "unemployed", "retired"]), pa.string(), True),
    "hours": (st.integers(-3, 60), pa.int64(), True),
    "disabled": (st.booleans(), pa.bool_(), True),
    "work_share": (st.integers(0, 2_000_000), pa.int64(), True),
    "age": (st.integers(0, 90), pa.int64(), True),  # replaces a formula
}
OPTIONAL = {"age", "support"}  # computed variables, given for some persons or groups
GROUP_VALUES: dict[str, tuple[st.SearchStrategy[Any], pa.DataType, bool]] = {
    "rent": (money, pa.int64(), True),
    "region": (st.sampled_from(["north", "south"]), pa.string(), True),
    "support": (money, pa.int64(), True),  # replaces a formula
}


class Pack:
    """The rule book, with a short repr for Hypothesis' reports of failing examples."""

    def __init__(self, book: RuleBook) -> None:
        self.book = book

    def __repr__(self) -> str:
        return "<the batch test pack>"


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return Pack(load_pack(tmp_path_factory.mktemp("agreement")))


def known(values: st.SearchStrategy[Any], monthly: bool) -> st.SearchStrategy[Any]:
    """Unknown, one value for every period, or values for some months."""
    choices = [st.none(), values, values]
    if monthly:
        choices.append(st.dictionaries(st.sampled_from(MONTHS), values, min_size=1, max_size=4))
    return st.one_of(*choices)


def inputs(
    draw: st.DrawFn,
    kinds: dict[str, tuple[st.SearchStrategy[Any], pa.DataType, bool]],
    complete: frozenset[str],
) -> dict[str, Any]:
    """One row's inputs; a column in ``complete`` has a value for every period in
    every row (no NULL: the batch then tracks no unknowns computed from it)."""
    # a computed variable is given now and then
    chosen = {name: spec for name, spec in kinds.items() if name not in OPTIONAL}
    for name in OPTIONAL & kinds.keys():
        if name in complete or draw(st.booleans()):
            chosen[name] = kinds[name]
    found = {
        name: draw(values if name in complete else known(values, monthly))
        for name, (values, _, monthly) in chosen.items()
    }
    return {name: value for name, value in found.items() if value is not None} | {
        "_columns": sorted(chosen)
    }


@dataclass
class Population:
    persons: dict[int, dict[str, Any]]  # id -> inputs
    households: dict[int, tuple[dict[str, list[int]], dict[str, Any]]]  # members, inputs
    period: str


EVERY_COLUMN = frozenset(VALUES) | frozenset(GROUP_VALUES)


@st.composite
def populations(draw: st.DrawFn, largest: int = 4) -> Population:
    # columns without any NULL: none, some, or all of them (the batch's fast path)
    complete = draw(
        st.one_of(
            st.just(frozenset[str]()),
            st.just(EVERY_COLUMN),
            st.frozensets(st.sampled_from(sorted(EVERY_COLUMN))),
        )
    )
    persons: dict[int, dict[str, Any]] = {}
    households: dict[int, tuple[dict[str, list[int]], dict[str, Any]]] = {}
    for hid in range(1, draw(st.integers(1, largest)) + 1):
        members: dict[str, list[int]] = {"adult": [], "child": []}
        for _ in range(draw(st.integers(0, 4))):
            pid = len(persons) + 1
            persons[pid] = inputs(draw, VALUES, complete)
            members[draw(st.sampled_from(["adult", "child"]))].append(pid)
        households[hid] = (members, inputs(draw, GROUP_VALUES, complete))
    return Population(persons, households, draw(st.sampled_from(ASKED)))


def interpreted(rules: RuleBook, population: Population) -> dict[str, dict[int, dict[str, Any]]]:
    def given(values: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in values.items() if name != "_columns"}

    situation = Situation(
        persons={str(pid): given(values) for pid, values in population.persons.items()},
        groups={
            "household": {
                str(hid): GroupInstance(
                    {role: tuple(map(str, people)) for role, people in members.items()},
                    given(values),
                )
                for hid, (members, values) in population.households.items()
            }
        },
    )
    interpreter = Interpreter(rules, situation)
    period = Period.parse(population.period)
    found: dict[str, dict[int, dict[str, Any]]] = {"person": {}, "household": {}}
    for name, declared in sorted(rules.variables.items()):
        for member in interpreter.members_of(declared.entity):
            value = interpreter.value(name, member, period)
            row = found[declared.entity].setdefault(int(member), {})
            row[name] = None if isinstance(value, Unknown) else value
    return found


def columns(
    rows: dict[int, dict[str, Any]],
    kinds: dict[str, tuple[st.SearchStrategy[Any], pa.DataType, bool]],
    ids: dict[str, tuple[list[Any], pa.DataType]],
) -> pa.Table:
    """Rows as a table: ``name`` for values of every period, ``name@month`` for the rest."""
    data = {name: pa.array(values, kind) for name, (values, kind) in ids.items()}
    present = {name for name in kinds if name not in OPTIONAL}
    present = present.union(*(row["_columns"] for row in rows.values()))
    for name in sorted(present):
        kind = kinds[name][1]
        plain = [None if isinstance(v := row.get(name), dict) else v for row in rows.values()]
        data[name] = pa.array(plain, kind)
        months = sorted(
            {m for row in rows.values() if isinstance(row.get(name), dict) for m in row[name]}
        )
        for month in months:
            by_month = [
                v.get(month) if isinstance(v := row.get(name), dict) else None
                for row in rows.values()
            ]
            data[f"{name}@{month}"] = pa.array(by_month, kind)
    return pa.table(data)


def tables(population: Population) -> tuple[pa.Table, pa.Table]:
    place = {
        pid: (hid, role)
        for hid, (members, _) in population.households.items()
        for role, people in members.items()
        for pid in people
    }
    pids = list(population.persons)
    persons = columns(
        population.persons,
        VALUES,
        {
            "person_id": (pids, pa.int64()),
            "household_id": ([place[pid][0] for pid in pids], pa.int64()),
            "household_role": ([place[pid][1] for pid in pids], pa.string()),
        },
    )
    group_inputs = {hid: values for hid, (_, values) in population.households.items()}
    households = columns(
        group_inputs, GROUP_VALUES, {"household_id": (list(group_inputs), pa.int64())}
    )
    return persons, households


def compiled(
    rules: RuleBook, population: Population, backend: Any = "duckdb"
) -> dict[str, dict[int, dict[str, Any]]]:
    persons, households = tables(population)
    found = run(rules, population.period, sorted(rules.variables), persons, households, backend)
    found.setdefault("person", {})
    return found


# Each example is one batch (about a second of compiling, whatever its size), so the
# examples are few and their populations large.
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(population=populations(largest=8))
def test_the_batch_computes_what_the_interpreter_computes(
    pack: Pack, population: Population
) -> None:
    assert compiled(pack.book, population) == interpreted(pack.book, population)


# One population, every construct and a bit of everything unknown, on Spark (slow to
# start, so not many examples): 2026-04, when a rate and a formula have just changed.
ON_SPARK = Population(
    persons={
        1: {"birth_date": date(1980, 2, 29), "contract_end": date(2026, 6, 30),
            "income": {"2026-02": 250_050, "2026-03": 99_999, "2026-04": 123_457},
            "status": "employed", "hours": 3, "disabled": True, "work_share": 333_333,
            "_columns": ["birth_date", "contract_end", "disabled", "hours", "income",
                         "status", "work_share"]},
        2: {"birth_date": date(2015, 4, 2), "income": 0, "status": "unemployed",
            "hours": 0, "age": {"2026-03": 9},
            "_columns": ["age", "birth_date", "contract_end", "disabled", "hours", "income",
                         "status", "work_share"]},
        3: {"income": -5, "status": {"2026-04": "unemployed", "2026-01": "retired"},
            "hours": -2, "work_share": 1_500_000,
            "_columns": ["birth_date", "contract_end", "disabled", "hours", "income",
                         "status", "work_share"]},
        4: {"birth_date": date(2026, 4, 1), "status": "retired", "disabled": False,
            "_columns": ["birth_date", "contract_end", "disabled", "hours", "income",
                         "status", "work_share"]},
    },
    households={
        1: ({"adult": [1], "child": [2]}, {"rent": 12_345, "region": "north",
                                           "_columns": ["region", "rent"]}),
        2: ({"adult": [3], "child": [4]}, {"region": {"2026-04": "south"}, "support": 700,
                                           "_columns": ["region", "rent", "support"]}),
        3: ({"adult": [], "child": []}, {"rent": 0, "_columns": ["region", "rent"]}),
    },
    period="2026-04",
)  # fmt: skip


# PySpark's toArrow leaves its local result socket for the garbage collector
@pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")
def test_the_batch_on_spark_computes_what_the_interpreter_computes(pack: Pack, spark: Any) -> None:
    assert compiled(pack.book, ON_SPARK, spark) == interpreted(pack.book, ON_SPARK)
