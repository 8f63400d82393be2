"""Loading rules: a good pack loads; each mistake is named with its file, line and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from civitas.rules import RulesInvalid, load_rules
from tests.rules.small_pack import line_of, write_pack

GOOD = """
birth_date = person("birth_date", DATE, period="eternity")
income = person("income", MONEY)
age = person("age", INTEGER, formula=age_on(v("birth_date")))
is_child = person("is_child", BOOL, formula=v("age") < p("grant.age_limit"))
grant = household("grant", MONEY, formulas={
    "2020-01-01": members("household", "child").count(v("is_child")) * p("grant.amount"),
})
"""


def problems(pack: Path) -> list[tuple[str | None, int | None, str]]:
    with pytest.raises(RulesInvalid) as raised:
        load_rules(pack)
    return [(e.file, e.line, e.message) for e in raised.value.errors]


def only_problem(tmp_path: Path, rules: str) -> tuple[str | None, int | None, str]:
    found = problems(write_pack(tmp_path, GOOD + rules))
    assert len(found) == 1, found
    return found[0]


def test_a_good_pack_loads_with_its_variables_and_formulas(tmp_path: Path) -> None:
    rules = load_rules(write_pack(tmp_path, GOOD))
    assert set(rules.variables) == {"birth_date", "income", "age", "is_child", "grant"}
    assert rules.variable("income").is_input
    assert rules.variable("grant").formulas[0].since.isoformat() == "2020-01-01"
    assert rules.inputs_for(["grant"]) == ("birth_date",)
    assert rules.variable("grant").source.startswith("rules/main.py:")


def test_an_unknown_variable_is_named_with_the_rule_and_line(tmp_path: Path) -> None:
    file, line, message = only_problem(
        tmp_path, 'bad = person("bad", MONEY, formula=v("incme") * 2)\n'
    )
    assert file == "rules/main.py"
    assert line == line_of(tmp_path / "pack", 'bad = person("bad"')
    assert "bad" in message
    assert "'incme'" in message


def test_an_unknown_parameter_is_refused(tmp_path: Path) -> None:
    _, _, message = only_problem(tmp_path, 'bad = person("bad", MONEY, formula=p("grant.amont"))\n')
    assert "'grant.amont'" in message


def test_a_type_error_is_refused(tmp_path: Path) -> None:
    _, _, message = only_problem(
        tmp_path, 'bad = person("bad", MONEY, formula=v("income") + v("age"))\n'
    )
    assert "integer and money" in message


def test_a_yes_no_formula_for_an_amount_is_refused(tmp_path: Path) -> None:
    _, _, message = only_problem(tmp_path, 'bad = person("bad", MONEY, formula=v("is_child"))\n')
    assert "expected money" in message


def test_a_variable_of_another_entity_needs_an_explicit_link(tmp_path: Path) -> None:
    _, _, message = only_problem(tmp_path, 'bad = person("bad", MONEY, formula=v("grant"))\n')
    assert "from_group('household'" in message


def test_a_value_outside_an_enumeration_is_refused(tmp_path: Path) -> None:
    _, _, message = only_problem(
        tmp_path,
        'tenure = household("tenure", enumeration("owner", "renter"))\n'
        'bad = household("bad", BOOL, formula=v("tenure") == "rentr")\n',
    )
    assert "'rentr' is not one of its values (owner, renter)" in message


def test_a_cycle_is_refused_with_its_path(tmp_path: Path) -> None:
    found = problems(
        write_pack(
            tmp_path,
            GOOD
            + 'a = person("a", MONEY, formula=v("b") + 1)\n'
            + 'b = person("b", MONEY, formula=v("a") + 1)\n',
        )
    )
    assert any("a -> b -> a" in message or "b -> a -> b" in message for _, _, message in found)


def test_a_parameter_missing_on_a_formula_date_is_refused(tmp_path: Path) -> None:
    _, _, message = only_problem(
        tmp_path,
        'early = household("early", MONEY, formulas={"2019-01-01": p("grant.amount")})\n',
    )
    assert "'grant.amount' has no value on 2019-01-01" in message
    assert "early (formula from 2019-01-01)" in message


def test_a_monthly_variable_in_a_yearly_formula_must_say_which_months(tmp_path: Path) -> None:
    _, _, message = only_problem(
        tmp_path, 'yearly = person("yearly", MONEY, period="year", formula=v("income"))\n'
    )
    assert "sum_of_year()" in message


def test_a_rules_file_that_does_not_run_is_named_with_its_line(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path, GOOD + "\nbroken = person('broken', MONEY, formula=v('income') * 1.5)\n"
    )
    found = problems(pack)
    assert len(found) == 1
    file, line, message = found[0]
    assert (file, line) == ("rules/main.py", line_of(pack, "broken ="))
    assert "float" in message
    assert 'Decimal("1.5")' in message


def test_python_and_or_on_formulas_is_refused_with_the_fix(tmp_path: Path) -> None:
    pack = write_pack(
        tmp_path, GOOD + "\nboth = person('both', BOOL, formula=v('is_child') and v('is_child'))\n"
    )
    ((_, _, message),) = problems(pack)
    assert "use & | ~" in message


def test_a_variable_declared_twice_is_refused(tmp_path: Path) -> None:
    _, _, message = only_problem(tmp_path, 'again = person("income", MONEY)\n')
    assert "declared twice" in message


def test_a_missing_entities_file_is_reported(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, GOOD)
    (pack / "rules" / "entities.yaml").unlink()
    assert problems(pack) == [("rules/entities.yaml", None, "This file is missing from the pack.")]


def test_choice_labels_must_name_exactly_the_values_of_the_enumeration(tmp_path: Path) -> None:
    _, _, message = only_problem(
        tmp_path,
        'tenure = household("tenure", enumeration("owner", "renter"),'
        ' choices={"owner": {"en": "Own", "pt": "Própria"}})\n',
    )
    assert "label each value of its enumeration, and only those (owner, renter)" in message


def test_a_variable_using_its_own_past_needs_a_first_formula_date(tmp_path: Path) -> None:
    _, _, message = only_problem(
        tmp_path, 'saved = person("saved", MONEY, formula=v("saved").last_month() + v("income"))\n'
    )
    assert "uses its own earlier months, so its first formula needs a date" in message
    rules = load_rules(
        write_pack(
            tmp_path / "dated",
            GOOD
            + 'saved = person("saved", MONEY, formulas={'
            + '"2026-01-01": v("saved").last_month() + 1})\n',
        )
    )
    assert rules.variable("saved").formulas
