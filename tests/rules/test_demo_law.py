"""The demo country's law: it loads, every benefit is tested, and every YAML test passes.

Each test in ``civitas/packs/demo/rules/tests/*.yaml`` is one pytest item, named by
its file and title, so a failure reads like the policy test that failed.
"""

from __future__ import annotations

import pytest

from civitas.catalogue import Catalogue
from civitas.config import DEMO_PACK
from civitas.rules import RULES_FOLDER, load_rules
from civitas.rules.rule_tests import RuleTest, find_test_files, load_tests, run

RULES = load_rules(DEMO_PACK)
TESTS = load_tests(RULES, find_test_files(DEMO_PACK / RULES_FOLDER / "tests"), root=DEMO_PACK)


@pytest.mark.parametrize("case", TESTS, ids=lambda case: f"{case.file}:{case.line} {case.name}")
def test_the_demo_law_passes_its_policy_test(case: RuleTest) -> None:
    outcome = run(RULES, case)
    assert outcome.passed, "\n".join(outcome.failures)


def test_at_least_ten_benefits_are_linked_to_catalogue_services(
    demo_catalogue: Catalogue,
) -> None:
    benefits = RULES.benefits()
    assert len(benefits) >= 10
    assert all(benefit.service in demo_catalogue.services for benefit in benefits)


def test_every_benefit_has_at_least_five_tests() -> None:
    for benefit in RULES.benefits():
        cases = sum(1 for case in TESTS if any(e.variable == benefit.name for e in case.expected))
        assert cases >= 5, f"{benefit.name} has {cases} tests"


NOT_ASKED = {"has_died", "death_date"}  # facts of the civil register, never asked of people


def test_every_input_but_register_facts_asks_its_question_in_both_languages() -> None:
    for declared in RULES.variables.values():
        if declared.is_input and declared.name not in NOT_ASKED:
            assert declared.question is not None, declared.name
            assert set(declared.question) == {"en", "pt"}, declared.name
        if declared.name in NOT_ASKED:
            assert declared.question is None, declared.name
        assert set(declared.label) == {"en", "pt"}, declared.name
        assert declared.reference.startswith("https://"), declared.name


def test_a_benefit_changes_on_a_reform_date_and_is_tested_on_both_sides() -> None:
    child_benefit = RULES.variable("child_benefit_per_child")
    assert child_benefit.formulas
    periods = {
        str(case.period)[:4]
        for case in TESTS
        if any(e.variable == "child_benefit" for e in case.expected)
    }
    assert {"2025", "2026"} <= periods
