"""Rule tests written by policy staff: a situation, a period and the values expected.

A test file is a YAML list; each test has a ``name``, a ``period`` (``2026-03``),
``persons`` and groups as in :mod:`civitas.rules.situation`, ``expected`` values
and an optional ``tolerance`` (an amount, e.g. 0.01)::

    - name: One child, low income
      period: 2026-03
      persons: {ana: {monthly_income: 900.00}, rui: {birth_date: 2020-02-10}}
      households: {home: {adult: [ana], child: [rui]}}
      expected:
        child_benefit: 165.00        # the only household
        age: {ana: 35, rui: 6}       # per person
        housing_allowance: unknown   # cannot be known from these inputs

Every file is read completely before any test runs; a malformed file is reported
with its file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from civitas.core.content import YamlDocument, YamlProblem, read_yaml
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.rules.interpreter import Interpreter
from civitas.rules.periods import Period
from civitas.rules.rulebook import RuleBook
from civitas.rules.situation import Situation, parse_value, plural, read_situation, show_value
from civitas.rules.values import NUMERIC, Kind, Unknown, Value, cents, millionths

UNKNOWN = "unknown"
_KEYS = {"name", "period", "persons", "expected", "tolerance", "description"}


@dataclass(frozen=True)
class Expectation:
    variable: str
    member: str
    value: Value | Unknown  # stored form; Unknown(frozenset()) for "unknown"
    line: int


@dataclass(frozen=True)
class RuleTest:
    name: str
    file: str
    line: int
    period: Period
    situation: Situation
    expected: tuple[Expectation, ...]
    tolerance: int  # in the stored unit of money (cents) or rates (millionths)

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Outcome:
    test: RuleTest
    failures: tuple[str, ...]  # one line per value that differs

    @property
    def passed(self) -> bool:
        return not self.failures


class RuleTestsInvalid(InvalidInput):
    """Test files that cannot be read; ``errors`` lists every problem."""


def find_test_files(path: Path) -> list[Path]:
    """The ``.yaml`` test files at ``path`` (a file or a folder, searched in depth)."""
    if path.is_file():
        return [path]
    return sorted(path.rglob("*.yaml")) if path.is_dir() else []


def load_tests(rules: RuleBook, paths: Iterable[Path], root: Path | None = None) -> list[RuleTest]:
    """Every test in the files, or RuleTestsInvalid naming each problem."""
    tests: list[RuleTest] = []
    errors: list[FieldError] = []
    for path in paths:
        shown = (path.relative_to(root) if root and path.is_relative_to(root) else path).as_posix()
        try:
            document = read_yaml(path, shown)
        except YamlProblem as problem:
            errors.append(problem.error)
            continue
        if not isinstance(document.data, list):
            errors.append(
                document.error((), "A test file is a list of tests, each starting with '- name:'.")
            )
            continue
        for index, raw in enumerate(document.data):
            tests.extend(_test(rules, document, index, raw, errors))
    if errors:
        raise RuleTestsInvalid(
            N_("The rule tests have {count} problem(s)."),
            hint=N_("Fix each problem listed in the test files, then run them again."),
            params={"count": len(errors)},
            errors=tuple(errors),
        )
    return tests


def _test(
    rules: RuleBook, document: YamlDocument, index: int, raw: Any, errors: list[FieldError]
) -> list[RuleTest]:
    at = (index,)
    before = len(errors)
    if not isinstance(raw, Mapping):
        errors.append(
            document.error(at, "Each test is a mapping with name, period, persons and expected.")
        )
        return []
    allowed = _KEYS | {plural(group) for group in rules.entities.groups}
    for key in raw:
        if key not in allowed:
            errors.append(
                document.error(
                    (*at, key), f"Unknown field; use one of: {', '.join(sorted(allowed))}."
                )
            )
    for key in ("name", "period", "persons", "expected"):
        if key not in raw:
            errors.append(document.error(at, f"The test has no '{key}'."))
    if len(errors) > before:
        return []
    period = None
    try:
        period = Period.parse(str(raw["period"]), (*at, "period"))
    except InvalidInput as invalid:
        errors.extend(document.error(e.path, e.message) for e in invalid.errors)
    situation = None
    data = {key: value for key, value in raw.items() if key not in _KEYS or key == "persons"}
    try:
        situation = read_situation(rules, data, at)
    except InvalidInput as invalid:
        errors.extend(document.error(e.path, e.message) for e in invalid.errors)
    tolerance = _tolerance(raw.get("tolerance"), document, at, errors)
    if period is None or situation is None:
        return []
    expected = _expected(rules, situation, raw["expected"], document, (*at, "expected"), errors)
    if len(errors) > before:
        return []
    return [
        RuleTest(
            str(raw["name"]),
            document.file,
            document.line_of(at),
            period,
            situation,
            expected,
            tolerance,
        )
    ]


def _tolerance(
    raw: object, document: YamlDocument, at: tuple[int], errors: list[FieldError]
) -> int:
    if raw is None:
        return 0
    try:
        return cents(Decimal(repr(raw) if isinstance(raw, float) else str(raw)))
    except (ValueError, ArithmeticError):
        errors.append(document.error((*at, "tolerance"), "Expected an amount such as 0.01."))
        return 0


def _expected(
    rules: RuleBook,
    situation: Situation,
    raw: object,
    document: YamlDocument,
    at: tuple[int | str, ...],
    errors: list[FieldError],
) -> tuple[Expectation, ...]:
    if not isinstance(raw, Mapping) or not raw:
        errors.append(document.error(at, "Expected a mapping of variable names to values."))
        return ()
    found = []
    for name, value in raw.items():
        where = (*at, name)
        declared = rules.variables.get(str(name))
        if declared is None:
            errors.append(document.error(where, "No rule has a variable with this name."))
            continue
        members = (
            tuple(situation.persons)
            if declared.entity == "person"
            else tuple(situation.groups.get(declared.entity, {}))
        )
        if isinstance(value, Mapping):
            pairs = [(str(member), item, (*where, member)) for member, item in value.items()]
        elif len(members) == 1:
            pairs = [(members[0], value, where)]
        else:
            errors.append(
                document.error(
                    where,
                    f"There are {len(members)} of its {declared.entity}s; "
                    "give a value for each id.",
                )
            )
            continue
        for member, item, path in pairs:
            if member not in members:
                errors.append(
                    document.error(path, f"'{member}' is not a {declared.entity} of this test.")
                )
                continue
            try:
                stored: Value | Unknown = (
                    Unknown(frozenset()) if item == UNKNOWN else parse_value(declared.type, item)
                )
            except ValueError as problem:
                errors.append(document.error(path, str(problem)))
                continue
            found.append(Expectation(str(name), member, stored, document.line_of(path)))
    return tuple(found)


def run(rules: RuleBook, test: RuleTest) -> Outcome:
    interpreter = Interpreter(rules, test.situation)
    failures = []
    for expectation in test.expected:
        declared = rules.variable(expectation.variable)
        got = interpreter.value(expectation.variable, expectation.member, test.period)
        if not _matches(got, expectation.value, declared.type.kind, test.tolerance):
            failures.append(
                f"{expectation.variable} for {expectation.member}: expected "
                f"{_show(expectation.value, declared.type)}, got {_show(got, declared.type)} "
                f"(line {expectation.line})"
            )
    return Outcome(test, tuple(failures))


def _matches(got: object, wanted: object, kind: Kind, tolerance: int) -> bool:
    if isinstance(wanted, Unknown) or isinstance(got, Unknown):
        return isinstance(wanted, Unknown) and isinstance(got, Unknown)
    if kind in NUMERIC and isinstance(got, int) and isinstance(wanted, int):
        allowed = (
            tolerance
            if kind is Kind.MONEY
            else millionths(Decimal(tolerance) / 100)
            if kind is Kind.RATE
            else 0
        )
        return abs(got - wanted) <= allowed
    return got == wanted


def _show(value: object, kind: Any) -> str:
    if isinstance(value, Unknown):
        needs = ", ".join(sorted({f"{n.variable} of {n.member}" for n in value.needs}))
        return f"unknown (needs {needs})" if needs else "unknown"
    return show_value(value, kind)  # type: ignore[arg-type]
