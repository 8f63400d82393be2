"""The batch compiler: the rules for a whole population as queries, on DuckDB and Spark,
exact to the cent, with unknown inputs giving NULL exactly where the interpreter
gives Unknown."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from civitas.core.errors import InvalidInput
from civitas.rules import Period, RuleBook
from civitas.rules.batch import column_type, compute, compute_to_parquet
from civitas.rules.batch_plan import plan
from civitas.rules.parameters import Brackets
from civitas.rules.values import divide
from tests.rules.batch_pack import RULES, by_id, computed, load_pack, run, table

MARCH = "2026-03"
PERSON = {
    "person_id": pa.int64(),
    "household_id": pa.int64(),
    "household_role": pa.string(),
    "birth_date": pa.date32(),
    "contract_end": pa.date32(),
    "income": pa.int64(),
    "status": pa.string(),
    "hours": pa.int64(),
    "disabled": pa.bool_(),
    "work_share": pa.int64(),
}
HOUSEHOLD = {"household_id": pa.int64(), "rent": pa.int64(), "region": pa.string()}


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleBook:
    return load_pack(tmp_path_factory.mktemp("batch"))


def persons(*rows: dict[str, Any], **more: pa.DataType) -> pa.Table:
    """Persons, each alone in a household of their own unless one is given."""
    filled = [
        {"person_id": n, "household_id": n, "household_role": "adult", **row}
        for n, row in enumerate(rows, 1)
    ]
    return table(filled, {**PERSON, **more})


def households(*rows: dict[str, Any]) -> pa.Table:
    return table(rows, HOUSEHOLD)


def values(rules: RuleBook, name: str, people: pa.Table, period: str = MARCH) -> list[Any]:
    """One person variable, in person order."""
    found = run(rules, period, [name], people)["person"]
    return [found[pid][name] for pid in sorted(found)]


# -- arithmetic -------------------------------------------------------------------------


def test_money_times_a_rate_is_rounded_half_to_even_to_the_cent(rules: RuleBook) -> None:
    incomes = [5, 15, 123457, -5, -15, 0]
    found = values(rules, "half_income", persons(*({"income": i} for i in incomes)))
    assert found == [2, 8, 61728, -2, -8, 0]


def test_rounding_to_whole_units_and_tenths_is_half_to_even(rules: RuleBook) -> None:
    incomes = [500, 700, -500, 12345, 99]
    people = persons(*({"income": i} for i in incomes))
    assert values(rules, "whole", people) == [200, 400, -200, 6200, 0]
    expected = [divide(divide(i * 370_000, 1_000_000), 10) * 10 for i in incomes]
    assert values(rules, "tenth", people) == expected


def test_dividing_by_zero_gives_zero_and_by_an_unknown_gives_unknown(rules: RuleBook) -> None:
    people = persons(
        {"income": 1000, "hours": 0},
        {"income": 1000, "hours": 3},
        {"income": 1000, "hours": -3},
        {"income": 1001, "hours": -2},
        {"income": 1000},
        {"hours": 0},
    )
    assert values(rules, "per_hour", people) == [0, 333, -333, -500, None, None]


def test_rates_mix_with_whole_numbers(rules: RuleBook) -> None:
    people = persons(
        {"hours": 3, "work_share": 250_000},
        {"hours": 0, "work_share": 333_333},
        {"hours": 7, "work_share": 1},
    )
    assert values(rules, "mixed", people) == [3_250_000, 333_333, 7_000_001]
    assert values(rules, "hours_share", people) == [1_500_000, 999_999, 1_750_003]
    # rate * rate / integer: 0.0625 / 3, 0.111110888889 / 0 and 0.000000000001 / 7
    assert values(rules, "shares", people) == [20833, 0, 0]


def test_a_negated_amount_is_subtracted_from_zero(rules: RuleBook) -> None:
    assert values(rules, "owed", persons({"income": 700}, {})) == [-695, None]


# -- unknowns -----------------------------------------------------------------------------


def test_and_or_not_follow_three_valued_logic(rules: RuleBook) -> None:
    people = persons(
        {"income": 100},  # poor, status unknown
        {"income": 100_000},  # not poor, status unknown
        {"status": "unemployed"},  # jobless, income unknown
        {"status": "employed"},  # not jobless, income unknown
    )
    assert values(rules, "both", people) == [None, False, None, False]
    assert values(rules, "either", people) == [True, None, True, None]
    assert values(rules, "neither", people) == [False, None, False, None]


def test_a_parameter_that_is_false_decides_an_and_with_an_unknown(rules: RuleBook) -> None:
    people = persons({}, {"disabled": True})
    assert values(rules, "counted", people, "2026-02") == [False, False]
    assert values(rules, "counted", people, MARCH) == [None, True]


def test_a_select_with_an_unknown_condition_is_unknown(rules: RuleBook) -> None:
    people = persons({"income": 5000}, {"income": 50_000}, {"income": 500_000}, {})
    assert values(rules, "band", people) == [1, 2, 3, None]


def test_minimum_and_maximum_are_unknown_when_any_value_is(rules: RuleBook) -> None:
    people = persons(
        {"income": 100_000, "birth_date": date(1990, 1, 1), "contract_end": date(1980, 5, 1)},
        {"income": 5000, "birth_date": date(1990, 1, 1)},
        {},
    )
    assert values(rules, "capped", people) == [80_001, 5001, None]
    assert values(rules, "earliest", people) == [date(1980, 5, 1), None, None]


# -- dates --------------------------------------------------------------------------------


def test_ages_count_whole_years_to_the_first_day_of_the_period(rules: RuleBook) -> None:
    births = [date(2008, 3, 1), date(2008, 3, 2), date(2000, 2, 29), date(2026, 3, 1), None]
    people = persons(*({"birth_date": born} for born in births))
    assert values(rules, "age", people) == [18, 17, 26, 0, None]
    assert values(rules, "is_child", people) == [False, True, False, True, None]


def test_months_and_days_between_dates_count_whole_units(rules: RuleBook) -> None:
    people = persons(
        {"birth_date": date(2026, 1, 31), "contract_end": date(2026, 3, 31)},
        {"birth_date": date(2025, 12, 31), "contract_end": date(2025, 11, 2)},
        {"birth_date": date(2026, 3, 31)},
    )
    assert values(rules, "months_old", people) == [2, 3, 0]  # to 2026-03-31
    assert values(rules, "days_left", people) == [59, -59, None]


# -- groups -------------------------------------------------------------------------------


def family() -> tuple[pa.Table, pa.Table]:
    """Household 1: an adult and two children (one of them 26); 2 has no members;
    3 has an adult whose status and income are unknown; 4 an employed adult and an
    adult whose status is unknown."""
    people = table(
        [
            {"person_id": 1, "household_id": 1, "household_role": "adult", "income": 100_000,
             "status": "employed", "birth_date": date(1980, 1, 1)},
            {"person_id": 2, "household_id": 1, "household_role": "child", "income": 0,
             "status": "unemployed", "birth_date": date(2015, 6, 1)},
            {"person_id": 3, "household_id": 1, "household_role": "child", "income": 5000,
             "status": "unemployed", "birth_date": date(2000, 1, 1)},
            {"person_id": 4, "household_id": 3, "household_role": "adult",
             "birth_date": date(1980, 1, 1)},
            {"person_id": 5, "household_id": 3, "household_role": "child", "income": 100,
             "status": "unemployed"},
            {"person_id": 6, "household_id": 4, "household_role": "adult", "income": 1,
             "status": "employed", "birth_date": date(1980, 1, 1)},
            {"person_id": 7, "household_id": 4, "household_role": "adult", "income": 1,
             "birth_date": date(1980, 1, 1)},
        ],
        PERSON,
    )  # fmt: skip
    homes = households(
        {"household_id": 1, "rent": 60_000, "region": "north"},
        {"household_id": 2, "rent": 40_000, "region": "south"},
        {"household_id": 3},
        {"household_id": 4, "rent": 0},
    )
    return people, homes


GROUP_VARIABLES = [
    "household_income",
    "household_size",
    "children",
    "young_children",
    "any_jobless",
    "all_jobless",
    "top_income",
    "grant",
    "tier",
]


def test_members_are_summed_counted_and_tested_by_role(rules: RuleBook) -> None:
    people, homes = family()
    found = run(rules, MARCH, GROUP_VARIABLES, people, homes)["household"]
    assert found[1] == {
        "household_income": 105_000,
        "household_size": 3,
        "children": 2,
        "young_children": 1,
        "any_jobless": True,
        "all_jobless": False,
        "top_income": 5000,
        "grant": 12_000,
        "tier": 2000,  # 12 x 1050.00 is in the tier from 10000.00
    }


def test_a_group_without_members_has_sums_and_counts_of_zero(rules: RuleBook) -> None:
    people, homes = family()
    found = run(rules, MARCH, GROUP_VARIABLES, people, homes)["household"]
    assert found[2] == {
        "household_income": 0,
        "household_size": 0,
        "children": 0,
        "young_children": 0,
        "any_jobless": False,
        "all_jobless": True,
        "top_income": 0,
        "grant": 0,
        "tier": 5000,
    }


def test_an_unknown_member_leaves_unknown_only_what_it_could_change(rules: RuleBook) -> None:
    people, homes = family()
    found = run(rules, MARCH, GROUP_VARIABLES, people, homes)["household"]
    assert found[3] == {
        "household_income": None,
        "household_size": 2,
        "children": 1,
        "young_children": None,  # the child's birth date is unknown
        "any_jobless": True,  # the child is unemployed, whatever the adult is
        "all_jobless": None,
        "top_income": 100,  # the adult's unknown income is no child's
        "grant": None,
        "tier": None,
    }
    assert found[4]["any_jobless"] is None
    assert found[4]["all_jobless"] is False


def test_columns_without_unknowns_are_summed_without_tracking_unknowns(
    rules: RuleBook,
) -> None:
    people = persons({"income": 100, "household_id": 1}, {"income": 250, "household_id": 1})
    shapes = {"person": {field.name: column_type(field.type) for field in people.schema}}
    period = Period.parse(MARCH)

    def reduced(complete: dict[str, set[str]]) -> list[str]:
        found = plan(rules, period, ["household_income"], shapes, complete)
        return sorted(reduction.function for reduction in found.reductions)

    assert reduced({}) == ["any", "sum"]  # is any member's income unknown
    assert reduced({"person": {"income"}}) == ["sum"]
    found = run(rules, MARCH, ["household_income"], people)["household"]
    assert found == {1: {"household_income": 350}}


def test_a_person_reads_their_household_and_the_household_sums_it_back(
    rules: RuleBook,
) -> None:
    people, homes = family()
    found = run(rules, MARCH, ["my_grant", "rent_share", "in_north", "grants_paid"], people, homes)
    assert found["person"][1] == {"my_grant": 12_000, "rent_share": 20_000, "in_north": True}
    assert found["person"][6] == {"my_grant": 0, "rent_share": 0, "in_north": None}
    assert found["household"][1] == {"grants_paid": 36_000}
    assert found["household"][3] == {"grants_paid": None}


def test_groups_without_a_table_are_the_groups_persons_belong_to(rules: RuleBook) -> None:
    people, _ = family()
    found = run(rules, MARCH, ["household_size", "top_income"], people)["household"]
    assert found == {
        1: {"household_size": 3, "top_income": 5000},
        3: {"household_size": 2, "top_income": 100},
        4: {"household_size": 2, "top_income": 0},
    }


# -- periods ------------------------------------------------------------------------------


def test_earlier_months_come_from_their_own_columns_else_the_plain_one(
    rules: RuleBook,
) -> None:
    people = persons(
        {"income": 1000, "income@2026-01": 300, "income@2026-02": 400},
        {"income": 1000},
        {"income@2026-02": 400},
        **{"income@2026-01": pa.int64(), "income@2026-02": pa.int64()},
    )
    assert values(rules, "last_income", people) == [400, 1000, 400]
    assert values(rules, "quarter_income", people) == [1700, 3000, None]
    assert values(rules, "yearly_income", people) == [10_700, 12_000, None]
    assert values(rules, "share", people) == [2_500_000, 1_000_000, None]


def test_a_variable_given_for_other_periods_only_is_unknown(rules: RuleBook) -> None:
    people = table([{"person_id": 1, "income@2026-03": 700}], {
        "person_id": pa.int64(), "income@2026-03": pa.int64()
    })  # fmt: skip
    found = run(rules, MARCH, ["income", "last_income", "owed"], people)["person"]
    assert found[1] == {"income": 700, "last_income": None, "owed": -695}


def test_a_formula_on_its_own_last_month_counts_back_to_where_it_starts(
    rules: RuleBook,
) -> None:
    people = persons(
        {"status": "unemployed"},
        {"status": "unemployed", "status@2026-02": "employed"},
        **{"status@2026-02": pa.string()},
    )
    # from November 2025, when the formula starts: Nov, Dec, Jan, Feb, Mar
    assert values(rules, "months_jobless", people) == [5, 1]


def test_formulas_and_parameters_follow_their_dates(rules: RuleBook) -> None:
    people, homes = family()
    homes = households({"household_id": 1, "rent": 12_345})
    wanted = ["support", "grant", "last_grant"]

    def month(period: str) -> dict[str, Any]:
        return run(rules, period, wanted, people, homes)["household"][1]

    assert month(MARCH) == {"support": 3704, "grant": 12_000, "last_grant": 12_000}
    # April: 35 % rounded to whole euros; May: 125.50 per child; June: the grant ended
    assert month("2026-04")["support"] == 4300
    assert month("2026-05") == {"support": 4300, "grant": 12_550, "last_grant": 12_000}
    assert month("2026-06") == {"support": 4300, "grant": 0, "last_grant": 12_550}


def test_a_year_variable_asked_for_a_month_is_computed_for_its_year(rules: RuleBook) -> None:
    people = persons({"income": 1000})
    assert values(rules, "yearly_income", people, "2026-07") == [12_000]
    assert values(rules, "yearly_income", people, "2026") == [12_000]


# -- scales -------------------------------------------------------------------------------


def test_scales_give_what_their_brackets_give(rules: RuleBook) -> None:
    bases = [0, 1, 839_999, 840_000, 840_001, 1_280_000, 4_200_000, 9_999_999, -500, 333_333]
    people = persons(
        *({"income": 0, "income@2026-01": base} for base in bases),
        **{"income@2026-01": pa.int64()},
    )
    tax = rules.parameters.at("grant.tax", date(2026, 3, 1))
    assert isinstance(tax, Brackets)
    assert values(rules, "tax", people) == tax.calc_cents(bases).tolist()
    tiers = rules.parameters.at("grant.tiers", date(2026, 3, 1))
    assert isinstance(tiers, Brackets)
    homes = households(*({"household_id": n} for n in range(1, len(bases) + 1)))
    monthly = [base // 12 for base in bases]
    people = persons(*({"income": income} for income in monthly))
    found = run(rules, MARCH, ["tier"], people, homes)["household"]
    expected = tiers.calc_cents([income * 12 for income in monthly]).tolist()
    assert [found[n]["tier"] for n in sorted(found)] == expected


# -- inputs and outputs -------------------------------------------------------------------


def test_a_value_given_for_a_computed_variable_replaces_its_formula(rules: RuleBook) -> None:
    people = persons(
        {"age": 5, "birth_date": date(1950, 1, 1)},  # given
        {"birth_date": date(1950, 1, 1)},  # not given: computed
        {"age@2026-02": 5, "birth_date": date(1950, 1, 1)},  # given for February only
        age=pa.int64(),
        **{"age@2026-02": pa.int64()},
    )
    assert values(rules, "is_child", people) == [True, False, None]
    assert values(rules, "is_child", people, "2026-02") == [True, False, True]


def test_missing_input_columns_are_all_reported_before_anything_runs(
    rules: RuleBook,
) -> None:
    people = table(
        [{"person_id": 1, "income": "12"}], {"person_id": pa.int64(), "income": pa.string()}
    )
    with pytest.raises(InvalidInput) as raised:
        compute(
            rules,
            MARCH,
            ["grant", "poor", "counted", "support"],
            {"person": people},
            backend="none",
        )
    problems = {error.path: error.message for error in raised.value.errors}
    assert problems == {
        ("inputs", "person", "income"): (
            "The column 'income' of the person table holds string values; it must hold "
            "int64 (whole cents)."
        ),
        ("inputs", "person", "disabled"): (
            "The input variable 'disabled' has no column in the person table: add "
            "'disabled' (boolean) for every period, or 'disabled@2026-03' for that period."
        ),
        ("inputs", "person", "birth_date"): (
            "The input variable 'birth_date' has no column in the person table: add "
            "'birth_date' (date)."
        ),
        ("inputs", "household"): (
            "There is no household table; it needs at least the column 'rent'."
        ),
        ("inputs", "person", "household_id"): (
            "The person table has no column 'household_id' (int64)."
        ),
        ("inputs", "person", "household_role"): (
            "The person table has no column 'household_role' (string)."
        ),
    }


def test_input_tables_must_be_named_after_entities(rules: RuleBook) -> None:
    with pytest.raises(InvalidInput, match="no entity called family"):
        compute(rules, MARCH, ["poor"], {"family": persons({"income": 1})})


def test_a_formula_reaching_back_without_end_is_refused_before_running(
    tmp_path: Path,
) -> None:
    endless = (  # counts months since 1990: too far back for one batch
        'counter = person("counter", INTEGER, formulas={'
        '"1990-01-01": v("counter").last_month() + 1})\n'
    )
    rules = load_pack(tmp_path, RULES + endless)
    with pytest.raises(InvalidInput, match="counter reaches back more than 240 periods"):
        compute(rules, MARCH, ["counter"], {"person": persons({})}, backend="none")


def test_a_monthly_variable_cannot_be_asked_for_a_year(rules: RuleBook) -> None:
    with pytest.raises(InvalidInput, match="per month"):
        compute(rules, "2026", ["poor"], {"person": persons({"income": 1})})


def test_results_hold_the_stored_types(rules: RuleBook) -> None:
    people, homes = family()
    wanted = ["age", "poor", "earliest", "half_income", "share", "household_size"]
    found = compute(rules, MARCH, wanted, {"person": people, "household": homes})
    assert found["person"].schema == pa.schema(
        {
            "person_id": pa.int64(),
            "age": pa.int64(),
            "poor": pa.bool_(),
            "earliest": pa.date32(),
            "half_income": pa.int64(),
            "share": pa.int64(),
        }
    )
    assert found["household"].schema == pa.schema(
        {"household_id": pa.int64(), "household_size": pa.int64()}
    )


def test_parquet_files_in_give_parquet_files_out(rules: RuleBook, tmp_path: Path) -> None:
    people, homes = family()
    pq.write_table(people, tmp_path / "persons.parquet")
    (tmp_path / "homes").mkdir()
    pq.write_table(homes, tmp_path / "homes" / "part-0.parquet")
    inputs = {"person": tmp_path / "persons.parquet", "household": tmp_path / "homes"}
    wanted = ["my_grant", "grants_paid", "status"]
    written = compute_to_parquet(rules, MARCH, wanted, inputs, tmp_path / "out")
    assert written == {
        "person": tmp_path / "out" / "person.parquet",
        "household": tmp_path / "out" / "household.parquet",
    }
    expected = run(rules, MARCH, wanted, people, homes)
    assert by_id(pq.read_table(written["person"]), "person_id") == expected["person"]
    assert by_id(pq.read_table(written["household"]), "household_id") == expected["household"]


def test_a_connection_of_the_caller_is_left_as_it_was(rules: RuleBook, tmp_path: Path) -> None:
    people, homes = family()
    pq.write_table(homes, tmp_path / "homes.parquet")
    connection = ibis.duckdb.connect()
    inputs = {"person": people, "household": tmp_path / "homes.parquet"}
    found = compute(rules, MARCH, ["grants_paid", "age"], inputs, backend=connection)
    assert by_id(found["household"], "household_id")[1] == {"grants_paid": 36_000}
    left = "SELECT table_name FROM duckdb_tables() UNION ALL "
    left += "SELECT view_name FROM duckdb_views() WHERE NOT internal"
    assert connection.raw_sql(left).fetchall() == []
    connection.disconnect()


# -- Spark --------------------------------------------------------------------------------


# PySpark's toArrow leaves its local result socket for the garbage collector
SPARK_SOCKETS = pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning")


@SPARK_SOCKETS
def test_spark_gives_the_same_results_as_duckdb(rules: RuleBook, spark: Any) -> None:
    people, homes = family()
    more = persons(
        {"income": 1001, "hours": -2, "work_share": 333_333, "status": "retired",
         "birth_date": date(2000, 2, 29), "contract_end": date(2026, 3, 31)},
        {"income": 0, "hours": 0, "disabled": True},
    )  # fmt: skip
    more = more.set_column(0, "person_id", pa.array([8, 9], pa.int64()))
    people = pa.concat_tables([people, more.cast(people.schema)])
    wanted = computed(rules)
    on_duckdb = run(rules, MARCH, wanted, people, homes)
    assert run(rules, MARCH, wanted, people, homes, backend=spark) == on_duckdb
