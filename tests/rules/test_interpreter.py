# ruff: noqa: E501  (rule sources and test files are quoted as written)
"""The interpreter: exact values for one household, unknowns that say what they need,
and explanations that cite every formula, parameter and input used."""

from __future__ import annotations

from typing import Any

import pytest

from civitas.core.errors import InvalidInput
from civitas.rules import Need, Period, RuleBook, Unknown, load_rules
from civitas.rules.explanation import conditions, explain, needed_inputs
from civitas.rules.interpreter import Interpreter
from civitas.rules.situation import read_situation
from tests.rules.small_pack import write_pack

RULES = """
birth_date = person("birth_date", DATE, period="eternity")
income = person("income", MONEY)
status = person("status", enumeration("employed", "unemployed", "retired"))
age = person("age", INTEGER, formula=age_on(v("birth_date")))
is_child = person("is_child", BOOL, formula=v("age") < p("grant.age_limit"))
half_income = person("half_income", MONEY, formula=v("income") * p("grant.rate"))
last_income = person("last_income", MONEY, formula=v("income").last_month())
yearly_income = person("yearly_income", MONEY, period="year", formula=v("income").sum_of_year())
quarter_income = person("quarter_income", MONEY, formula=v("income").sum_of_last_months(3))
jobless = person("jobless", BOOL, formula=one_of(v("status"), ["unemployed"]))
poor = person("poor", BOOL, formula=v("income") < 500)
both = person("both", BOOL, formula=v("jobless") & v("poor"))
either = person("either", BOOL, formula=v("jobless") | v("poor"))
neither = person("neither", BOOL, formula=~v("either"))
band = person("band", INTEGER, formula=select((v("income") < 100, 1), (v("income") < 1000, 2), default=3))
share = person("share", RATE, formula=v("income") / v("last_income"))
capped = person("capped", MONEY, formula=minimum(v("income"), 800) + maximum(0, money("0.01")))
whole = person("whole", MONEY, formula=rounded(v("income") * Decimal("0.5")))
household_income = household("household_income", MONEY, formula=members("household").sum(v("income")))
children = household("children", INTEGER, formula=members("household", "child").count())
young_children = household("young_children", INTEGER, formula=members("household", "child").count(v("is_child")))
any_jobless = household("any_jobless", BOOL, formula=members("household").any(v("jobless")))
all_jobless = household("all_jobless", BOOL, formula=members("household").all(v("jobless")))
top_income = household("top_income", MONEY, formula=members("household", "child").max(v("income")))
grant = household("grant", MONEY, formulas={
    "2020-01-01": v("young_children") * p("grant.amount"),
    "2027-01-01": None,
})
tier = household("tier", MONEY, formula=p("grant.tiers").calc(v("household_income") * 12))
my_grant = person("my_grant", MONEY, formula=from_group("household", v("grant")))
"""

MARCH = Period.parse("2026-03")


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> RuleBook:
    return load_rules(write_pack(tmp_path_factory.mktemp("interpreter"), RULES))


def family(rules: RuleBook, **people: dict[str, Any]) -> Interpreter:
    adults = [name for name in people if not name.startswith("kid")]
    kids = [name for name in people if name.startswith("kid")]
    data = {"persons": people, "households": {"home": {"adult": adults, "child": kids}}}
    return Interpreter(rules, read_situation(rules, data))


def needs(value: object) -> set[tuple[str, str]]:
    assert isinstance(value, Unknown), value
    return {(need.variable, need.member) for need in value.needs}


def test_money_times_a_rate_is_rounded_half_to_even_to_the_cent(rules: RuleBook) -> None:
    assert family(rules, ana={"income": "0.05"}).value("half_income", "ana", MARCH) == 2
    assert family(rules, ana={"income": "0.15"}).value("half_income", "ana", MARCH) == 8
    assert family(rules, ana={"income": "1234.57"}).value("half_income", "ana", MARCH) == 61728


def test_rounding_to_whole_units_is_half_to_even(rules: RuleBook) -> None:
    assert family(rules, ana={"income": 5}).value("whole", "ana", MARCH) == 200  # 2.50 -> 2
    assert family(rules, ana={"income": 7}).value("whole", "ana", MARCH) == 400  # 3.50 -> 4


def test_age_counts_whole_years_to_the_first_day_of_the_period(rules: RuleBook) -> None:
    run = family(rules, ana={"birth_date": "2008-03-01"}, kid={"birth_date": "2008-03-02"})
    assert run.value("age", "ana", MARCH) == 18
    assert run.value("age", "kid", MARCH) == 17


def test_false_and_unknown_is_false_and_true_or_unknown_is_true(rules: RuleBook) -> None:
    run = family(rules, ana={"status": "employed"}, bea={"status": "unemployed"})
    assert run.value("both", "ana", MARCH) is False
    assert needs(run.value("both", "bea", MARCH)) == {("income", "bea")}
    assert run.value("either", "bea", MARCH) is True
    assert needs(run.value("either", "ana", MARCH)) == {("income", "ana")}
    assert needs(run.value("neither", "ana", MARCH)) == {("income", "ana")}


def test_unknown_is_never_taken_as_zero(rules: RuleBook) -> None:
    run = family(rules, ana={}, kid={"income": 0})
    assert needs(run.value("household_income", "home", MARCH)) == {("income", "ana")}
    assert needs(run.value("tier", "home", MARCH)) == {("income", "ana")}


def test_select_takes_the_first_case_that_holds(rules: RuleBook) -> None:
    assert family(rules, ana={"income": 50}).value("band", "ana", MARCH) == 1
    assert family(rules, ana={"income": 100}).value("band", "ana", MARCH) == 2
    assert family(rules, ana={"income": 1000}).value("band", "ana", MARCH) == 3
    assert needs(family(rules, ana={}).value("band", "ana", MARCH)) == {("income", "ana")}


def test_minimum_maximum_and_division_by_zero(rules: RuleBook) -> None:
    run = family(rules, ana={"income": {"2026-02": 0, "2026-03": 900}})
    assert run.value("capped", "ana", MARCH) == 80001
    assert run.value("share", "ana", MARCH) == 0  # a share of nothing is nothing


def test_other_months_come_from_values_given_per_period(rules: RuleBook) -> None:
    run = family(rules, ana={"income": {"2026-01": 100, "2026-02": 200, "2026-03": 400}})
    assert run.value("last_income", "ana", MARCH) == 20000
    assert run.value("quarter_income", "ana", MARCH) == 70000
    assert run.value("share", "ana", MARCH) == 2_000_000
    assert needs(run.value("yearly_income", "ana", MARCH)) == {("income", "ana")}
    missing = run.value("yearly_income", "ana", MARCH)
    assert isinstance(missing, Unknown)
    assert Need("income", "person", "ana", "2026-12") in missing.needs


def test_a_plain_input_holds_for_every_period(rules: RuleBook) -> None:
    run = family(rules, ana={"income": 1000})
    assert run.value("yearly_income", "ana", MARCH) == 1_200_000
    assert run.value("last_income", "ana", MARCH) == 100000


def test_aggregates_count_sum_and_test_members_by_role(rules: RuleBook) -> None:
    run = family(
        rules,
        ana={"income": 1000, "status": "unemployed", "birth_date": "1990-01-01"},
        kid1={"income": 0, "birth_date": "2015-01-01", "status": "employed"},
        kid2={"income": 30, "birth_date": "2000-01-01", "status": "employed"},
    )
    assert run.value("household_income", "home", MARCH) == 103000
    assert run.value("children", "home", MARCH) == 2
    assert run.value("young_children", "home", MARCH) == 1
    assert run.value("any_jobless", "home", MARCH) is True
    assert run.value("all_jobless", "home", MARCH) is False
    assert run.value("top_income", "home", MARCH) == 3000


def test_aggregates_over_no_members_are_empty_values(rules: RuleBook) -> None:
    run = family(rules, ana={"status": "unemployed"})
    assert run.value("children", "home", MARCH) == 0
    assert run.value("top_income", "home", MARCH) == 0
    assert run.value("all_jobless", "home", MARCH) is True


def test_any_is_true_when_one_member_is_even_if_others_are_unknown(rules: RuleBook) -> None:
    run = family(rules, ana={"status": "unemployed"}, bea={})
    assert run.value("any_jobless", "home", MARCH) is True
    assert needs(run.value("all_jobless", "home", MARCH)) == {("status", "bea")}


def test_formulas_change_and_end_on_their_dates(rules: RuleBook) -> None:
    run = family(rules, ana={"birth_date": "1990-01-01"}, kid={"birth_date": "2020-01-01"})
    assert run.value("grant", "home", Period.parse("2025-12")) == 10000
    assert run.value("grant", "home", Period.parse("2026-01")) == 12000
    assert run.value("grant", "home", Period.parse("2026-12")) == 12000
    assert run.value("grant", "home", Period.parse("2027-01")) == 0  # ended
    assert run.value("grant", "home", Period.parse("2019-12")) == 0  # not yet law
    assert run.value("my_grant", "kid", MARCH) == 12000


def test_a_scale_gives_the_amount_of_the_bracket_the_base_falls_in(rules: RuleBook) -> None:
    def tier(monthly: str) -> object:
        return family(rules, ana={"income": monthly}).value("tier", "home", MARCH)

    assert tier("833.33") == 5000  # 9 999.96 a year
    assert tier("833.34") == 2000  # 10 000.08: a threshold is an inclusive lower bound
    assert tier("2000") == 0


def test_a_computed_variable_given_as_input_replaces_its_formula(rules: RuleBook) -> None:
    run = family(rules, ana={"income": 100, "half_income": 7})
    assert run.value("half_income", "ana", MARCH) == 700


def test_the_explanation_cites_formula_parameters_and_inputs(rules: RuleBook) -> None:
    run = family(rules, ana={"birth_date": "1990-01-01"}, kid={"birth_date": "2020-01-01"})
    tree = explain(run, "grant", "home", MARCH)
    assert (tree.value, tree.source, str(tree.since)) == ("120.00", "formula", "2020-01-01")
    (amount,) = tree.parameters
    assert (amount.path, amount.value, str(amount.provenance.since)) == (
        "grant.amount",
        "120.00",
        "2026-01-01",
    )
    assert amount.provenance.reference.url == "https://law.example.org/grants"
    names = {(node.variable, node.member) for node in tree.walk()}
    assert {("young_children", "home"), ("is_child", "kid"), ("birth_date", "kid")} <= names
    assert [c.variable for c in conditions(explain(run, "young_children", "home", MARCH))] == [
        "is_child"
    ]


def test_needed_inputs_lists_only_what_can_still_change_the_result(rules: RuleBook) -> None:
    situation = read_situation(
        rules, {"persons": {"ana": {"status": "employed"}, "bea": {"status": "unemployed"}}}
    )
    found = needed_inputs(rules, situation, MARCH, ["both"])
    assert [(n.variable, n.member) for n in found] == [("income", "bea")]


def test_a_bad_situation_names_each_field(rules: RuleBook) -> None:
    data = {
        "persons": {"ana": {"income": "a lot", "incme": 3, "status": "asleep"}, "bea": {}},
        "households": {"home": {"adult": ["ana", "zed"]}},
    }
    with pytest.raises(InvalidInput) as raised:
        read_situation(rules, data)
    found = {(e.path, e.message) for e in raised.value.errors}
    assert (("persons", "ana", "income"), "Expected an amount such as 900.00.") in found
    assert (("persons", "ana", "incme"), "No rule has a variable with this name.") in found
    assert any(path == ("persons", "ana", "status") for path, _ in found)
    assert (("households", "home", "adult"), "'zed' is not one of the persons.") in found
    assert (("households",), "The person 'bea' is in no household; add them to one.") in found


def test_only_what_the_question_needs_is_computed(rules: RuleBook) -> None:
    run = family(
        rules, ana={"income": 1000, "birth_date": "1990-01-01"}, kid={"birth_date": "2020-01-01"}
    )
    assert run.value("grant", "home", MARCH) == 12000
    assert len(run.steps) < 10  # only what the question needs is computed


def test_a_chain_of_earlier_months_is_refused_beyond_240_periods(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    counter = 'counter = person("counter", INTEGER, formulas={"1990-01-01": v("counter").last_month() + 1})\n'
    rules = load_rules(write_pack(tmp_path_factory.mktemp("deep"), counter))
    run = Interpreter(rules, read_situation(rules, {"persons": {"ana": {}}}))
    assert run.value("counter", "ana", Period.parse("2000-01")) == 121  # 1 in January 1990
    with pytest.raises(InvalidInput) as raised:
        run.value("counter", "ana", MARCH)
    assert raised.value.params["deepest"] == 240
