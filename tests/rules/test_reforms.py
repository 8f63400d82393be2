# ruff: noqa: E501  (rule sources are quoted as written)
"""Reforms: parameter and formula changes applied to the law, checked like the law."""

from __future__ import annotations

from pathlib import Path

import pytest

from civitas.rules import Period, RuleBook, RulesInvalid, load_rules, v, variable
from civitas.rules.interpreter import Interpreter
from civitas.rules.reforms import apply_reform, find_reform, load_reforms, reform
from civitas.rules.situation import read_situation
from civitas.rules.values import MONEY
from tests.rules.small_pack import write_pack

RULES = """
income = person("income", MONEY)
birth_date = person("birth_date", DATE, period="eternity")
is_child = person("is_child", BOOL, formula=age_on(v("birth_date")) < p("grant.age_limit"))
grant = household("grant", MONEY, formulas={
    "2020-01-01": members("household", "child").count(v("is_child")) * p("grant.amount"),
})
tier = household("tier", MONEY, formula=p("grant.tiers").calc(members("household").sum(v("income"))))
"""

MARCH = Period.parse("2026-03")
FAMILY = {
    "persons": {"ana": {"income": 900}, "kid": {"birth_date": "2020-01-01", "income": 0}},
    "households": {"home": {"adult": ["ana"], "child": ["kid"]}},
}


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pack(tmp_path_factory.mktemp("reforms"), RULES)


@pytest.fixture(scope="module")
def rules(pack: Path) -> RuleBook:
    return load_rules(pack)


def grant(rules: RuleBook, period: Period = MARCH, name: str = "grant") -> object:
    return Interpreter(rules, read_situation(rules, FAMILY)).value(name, "home", period)


def test_a_parameter_change_applies_from_its_date_and_keeps_the_history(rules: RuleBook) -> None:
    change = reform(
        "more", label={"en": "More"}, parameters={"grant.amount": {"2026-03-01": "150.00"}}
    )
    reformed = apply_reform(rules, change)
    assert grant(reformed) == 15000
    assert grant(reformed, Period.parse("2026-02")) == 12000
    assert grant(reformed, Period.parse("2025-02")) == 10000
    assert grant(rules) == 12000  # the law itself is untouched


def test_a_scale_change_gives_new_brackets(rules: RuleBook) -> None:
    change = reform(
        "tiers",
        label={"en": "Tiers"},
        parameters={"grant.tiers": {"2026-01-01": [("0", "70.00"), ("500", "0")]}},
    )
    assert grant(apply_reform(rules, change), name="tier") == 0
    assert grant(rules, name="tier") == 5000


def test_a_formula_change_replaces_the_variable(rules: RuleBook) -> None:
    flat = variable(
        "grant",
        entity="household",
        type=MONEY,
        period="month",
        label={"en": "Grant"},
        reference="https://law.example.org/grants",
        formula=v("tier") * 2,
    )
    assert (
        grant(apply_reform(rules, reform("flat", label={"en": "Flat"}, variables=[flat]))) == 10000
    )


def test_a_broken_reform_is_refused_with_clear_errors(rules: RuleBook) -> None:
    broken = variable(
        "grant",
        entity="household",
        type=MONEY,
        period="month",
        label={"en": "Grant"},
        reference="https://law.example.org/grants",
        formula=v("nothing"),
    )
    change = reform(
        "broken",
        label={"en": "Broken"},
        variables=[broken],
        parameters={"grant.amont": {"2026-01-01": "1"}, "grant.amount": {"2026-01-01": "a lot"}},
    )
    with pytest.raises(RulesInvalid) as raised:
        apply_reform(rules, change)
    messages = [e.message for e in raised.value.errors]
    assert "The reform broken changes 'grant.amont', which the pack does not define." in messages
    assert any(m.startswith("The reform broken:") for m in messages)


def test_reforms_are_read_from_the_pack(pack: Path) -> None:
    (pack / "reforms").mkdir()
    (pack / "reforms" / "more.py").write_text(
        "from civitas.rules.reforms import reform\n"
        "more = reform('more', label={'en': 'More'}, parameters={'grant.amount': {'2026-01-01': '200.00'}})\n",
        encoding="utf-8",
    )
    assert list(load_reforms(pack)) == ["more"]
    assert find_reform(pack, "more").parameters == {"grant.amount": {"2026-01-01": "200.00"}}
