# ruff: noqa: E501  (rule sources and test files are quoted as written)
"""Rule tests in YAML: they run, they fail with the line of the value that differs,
and a malformed file is named with its line and field before anything runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from civitas.cli import app
from civitas.rules import RuleBook, load_rules
from civitas.rules.rule_tests import RuleTestsInvalid, load_tests, run
from tests.rules.small_pack import write_pack

RULES = """
income = person("income", MONEY)
half_income = person("half_income", MONEY, formula=v("income") * p("grant.rate"))
household_income = household("household_income", MONEY, formula=members("household").sum(v("income")))
"""

PASSING = """\
- name: Half of the income
  period: 2026-03
  persons:
    ana: {income: 1000.00}
    bea: {income: 0.15}
  households:
    home: {adult: [ana, bea]}
  expected:
    half_income: {ana: 500.00, bea: 0.08}
    household_income: 1000.15
- name: Without an income nothing can be known
  period: 2026-03
  persons:
    ana: {}
  expected:
    half_income: unknown
"""


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_pack(tmp_path_factory.mktemp("tests"), RULES)


@pytest.fixture(scope="module")
def rules(pack: Path) -> RuleBook:
    return load_rules(pack)


def write(pack: Path, text: str, name: str = "case.yaml") -> Path:
    path = pack / "rules" / "tests" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_passing_tests_pass(rules: RuleBook, pack: Path) -> None:
    tests = load_tests(rules, [write(pack, PASSING)], root=pack)
    assert [t.name for t in tests] == [
        "Half of the income",
        "Without an income nothing can be known",
    ]
    assert all(run(rules, test).passed for test in tests)
    assert tests[0].where == "rules/tests/case.yaml:1"


def test_a_wrong_value_fails_with_its_line(rules: RuleBook, pack: Path) -> None:
    text = PASSING.replace("bea: 0.08", "bea: 0.07")
    (test, _) = load_tests(rules, [write(pack, text)], root=pack)
    outcome = run(rules, test)
    assert outcome.failures == ("half_income for bea: expected 0.07, got 0.08 (line 9)",)


def test_a_tolerance_allows_a_small_difference(rules: RuleBook, pack: Path) -> None:
    text = PASSING.replace("bea: 0.08", "bea: 0.07").replace(
        "  period: 2026-03\n", "  period: 2026-03\n  tolerance: 0.01\n", 1
    )
    (test, _) = load_tests(rules, [write(pack, text)], root=pack)
    assert run(rules, test).passed


def test_an_unknown_value_is_reported_with_what_it_needs(rules: RuleBook, pack: Path) -> None:
    text = PASSING.replace("half_income: unknown", "half_income: 0")
    (_, test) = load_tests(rules, [write(pack, text)], root=pack)
    assert run(rules, test).failures == (
        "half_income for ana: expected 0.00, got unknown (needs income of ana) (line 16)",
    )


@pytest.mark.parametrize(
    ("text", "line", "path", "message"),
    [
        (
            "- name: x\n  period: 2026-13\n  persons: {a: {}}\n  expected: {income: 1}\n",
            2,
            (0, "period"),
            "Expected a period such as 2026-03.",
        ),
        (
            "- name: x\n  period: 2026-03\n  persons: {a: {incme: 1}}\n  expected: {income: 1}\n",
            3,
            (0, "persons", "a", "incme"),
            "No rule has a variable with this name.",
        ),
        (
            "- name: x\n  period: 2026-03\n  persons: {a: {}}\n  expected: {incme: 1}\n",
            4,
            (0, "expected", "incme"),
            "No rule has a variable with this name.",
        ),
        (
            "- name: x\n  period: 2026-03\n  persons: {a: {}}\n  expected: {income: lots}\n",
            4,
            (0, "expected", "income"),
            "Expected an amount such as 900.00.",
        ),
        (
            "- name: x\n  period: 2026-03\n  persons: {a: {}}\n",
            1,
            (0,),
            "The test has no 'expected'.",
        ),
        (
            "- name: x\n  perod: 2026-03\n  period: 2026-03\n  persons: {a: {}}\n  expected: {income: 1}\n",
            2,
            (0, "perod"),
            "Unknown field; use one of: description, expected, households, name, period, persons, tolerance.",
        ),
        ("name: x\n", 1, (), "A test file is a list of tests, each starting with '- name:'."),
        ("- name: [x\n", 2, (), None),
    ],
)
def test_a_malformed_test_file_is_named_with_its_line_and_field(
    rules: RuleBook, pack: Path, text: str, line: int, path: tuple[object, ...], message: str | None
) -> None:
    with pytest.raises(RuleTestsInvalid) as raised:
        load_tests(rules, [write(pack, text, "bad.yaml")], root=pack)
    (error,) = raised.value.errors
    assert (error.file, error.line, error.path) == ("rules/tests/bad.yaml", line, path)
    if message:
        assert error.message == message


def test_the_command_runs_the_tests_and_fails_when_one_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = write_pack(tmp_path, RULES)
    monkeypatch.setenv("CIVITAS_COUNTRY_PACK", str(pack))
    write(pack, PASSING)
    result = CliRunner().invoke(app, ["rules", "test"])
    assert result.exit_code == 0, result.output
    assert "2 passed, 0 failed, in 1 file(s)." in result.output
    write(pack, PASSING.replace("bea: 0.08", "bea: 0.07"))
    result = CliRunner().invoke(app, ["rules", "test"])
    assert result.exit_code == 1
    assert "FAIL rules/tests/case.yaml:1  Half of the income" in result.output


def test_explain_and_graph_commands_print_the_reasoning(
    pack: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CIVITAS_COUNTRY_PACK", str(pack))
    situation = tmp_path / "family.yaml"
    situation.write_text("persons:\n  ana: {income: 1000.00}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        ["rules", "explain", "half_income", "--situation", str(situation), "--period", "2026-03"],
    )
    assert result.exit_code == 0, result.output
    assert "half_income [ana, 2026-03] = 500.00" in result.output
    assert "parameter grant.rate = 0.5  (https://law.example.org/grants)" in result.output
    assert "income [ana, 2026-03] = 1000.00  (given)" in result.output
    result = CliRunner().invoke(app, ["rules", "graph", "household_income"])
    assert result.exit_code == 0, result.output
    assert "Inputs it may need:\n  income  (person)" in result.output
