"""The interpreter: the rules for one household, each step remembered for explaining.

It evaluates the elaborated formulas (see :mod:`civitas.rules.checker`) on demand,
so only what a question needs is computed, and keeps for every variable it touched
the formula version, the parameters (with their legal references) and the other
variables it used. Missing inputs give :class:`Unknown` values that say what they
still need; three-valued logic keeps them from deciding what is already decided.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_
from civitas.rules.entities import PERSON
from civitas.rules.expressions import (
    Aggregate,
    Arithmetic,
    Between,
    Comparison,
    Const,
    Convert,
    Expr,
    Extreme,
    FromGroup,
    Logic,
    Not,
    OneOf,
    ParameterRef,
    PeriodDate,
    Rounded,
    ScaleResult,
    Select,
    VariableRef,
)
from civitas.rules.parameters import Brackets, Parameter, ParameterValue, Provenance, ValueType
from civitas.rules.periods import DEEPEST, Period
from civitas.rules.rulebook import RuleBook
from civitas.rules.situation import Known, Situation
from civitas.rules.values import (
    Need,
    Unknown,
    Value,
    cents,
    default_of,
    divide,
    join_unknowns,
    millionths,
)

Result = Value | Unknown
Key = tuple[str, str, str]  # variable, member id, period


@dataclass(frozen=True)
class ParameterUse:
    """A parameter a formula read: its value on the day, and the law behind it."""

    path: str
    value: str  # as people read it: 165.00, 0.65, 18, or "scale" for bracket tables
    provenance: Provenance


@dataclass
class Step:
    """How one variable got its value for one member and period."""

    variable: str
    entity: str
    member: str
    period: Period
    value: Result = None
    source: str = "formula"  # formula, input, missing (an input not given), default
    since: date | None = None  # the formula version used
    parameters: list[ParameterUse] = field(default_factory=list)
    uses: list[Key] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    entity: str
    member: str
    period: Period
    step: Step


class Interpreter:
    """Evaluates variables for the persons and groups of one situation."""

    def __init__(self, rules: RuleBook, situation: Situation) -> None:
        self.rules = rules
        self.situation = situation
        self.steps: dict[Key, Step] = {}
        self._membership = {
            (pid, group): gid
            for group, instances in situation.groups.items()
            for gid, instance in instances.items()
            for people in instance.members.values()
            for pid in people
        }
        self._parameters: dict[tuple[str, date], ParameterValue | Brackets] = {}
        self._origin: Period | None = None  # the period first asked for, while computing

    def value(self, name: str, member: str, period: Period) -> Result:
        """The value of a variable for one person or group in a period."""
        return self.step(name, member, period).value

    def step(self, name: str, member: str, period: Period) -> Step:
        """The remembered step (computing it first if needed), for explanations."""
        if self._origin is not None:
            return self._variable(name, member, period)
        self._origin = period
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, DEEPEST * 16 + 1000))  # a dozen frames a month
        try:
            return self._variable(name, member, period)
        except _TooDeep:
            raise InvalidInput(
                N_("{name} reaches back more than {deepest} periods before {period}."),
                hint=N_("A formula that uses its own earlier months needs a start date."),
                params={"name": name, "deepest": DEEPEST, "period": str(period)},
            ) from None
        finally:
            sys.setrecursionlimit(limit)
            self._origin = None

    def members_of(self, entity: str) -> tuple[str, ...]:
        if entity == PERSON:
            return tuple(self.situation.persons)
        return tuple(self.situation.groups.get(entity, {}))

    def _variable(self, name: str, member: str, period: Period) -> Step:
        declared = self.rules.variable(name)
        period = declared.period_for(period)
        key = (name, member, str(period))
        found = self.steps.get(key)
        if found is not None:
            return found
        step = Step(name, declared.entity, member, period)
        self.steps[key] = step  # before evaluating, so a cycle cannot recurse for ever
        given = self.situation.inputs_of(declared.entity, member).get(name)
        if given is not None:
            step.source = "input"
            step.value = _for_period(
                given, period, Need(name, declared.entity, member, str(period))
            )
            if isinstance(step.value, Unknown):
                step.source = "missing"
            return step
        if declared.is_input:
            step.source = "missing"
            step.value = Unknown(frozenset({Need(name, declared.entity, member, str(period))}))
            return step
        formula = declared.formula_for(period)
        if formula is None or formula.expression is None:  # the variable has ended
            step.source = "default"
            step.value = default_of(declared.type.kind)
            return step
        step.since = formula.since
        context = _Context(declared.entity, member, period, step)
        step.value = self._eval(formula.expression, context)
        return step

    def _eval(self, node: Expr, at: _Context) -> Result:
        match node:
            case Const(value=value):
                return value
            case Convert(operand=operand, factor=factor):
                found = self._eval(operand, at)
                return found if isinstance(found, Unknown) else _int(found) * factor
            case VariableRef():
                return self._reference(node, at)
            case ParameterRef(path=path):
                return self._parameter(path, at)
            case ScaleResult(path=path, base=base):
                return self._scale(path, base, at)
            case PeriodDate(edge=edge):
                return at.period.start if edge == "start" else at.period.end
            case Arithmetic(operator=operator, left=left, right=right, scale=scale):
                a, b = self._eval(left, at), self._eval(right, at)
                if isinstance(a, Unknown) or isinstance(b, Unknown):
                    return join_unknowns(a, b)
                return _arithmetic(operator, _int(a), _int(b), scale)
            case Comparison(operator=operator, left=left, right=right):
                a, b = self._eval(left, at), self._eval(right, at)
                if isinstance(a, Unknown) or isinstance(b, Unknown):
                    return join_unknowns(a, b)
                return _compare(operator, a, b)
            case Logic(operator=operator, left=left, right=right):
                return self._logic(operator == "and", left, right, at)
            case Not(operand=operand):
                found = self._eval(operand, at)
                return found if isinstance(found, Unknown) else not found
            case Select(cases=cases, default=default):
                for condition, chosen in cases:
                    holds = self._eval(condition, at)
                    if isinstance(holds, Unknown):
                        return holds
                    if holds:
                        return self._eval(chosen, at)
                return self._eval(default, at)
            case Extreme(operator=operator, operands=operands):
                values = [self._eval(operand, at) for operand in operands]
                if any(isinstance(found, Unknown) for found in values):
                    return join_unknowns(*values)
                known = [found for found in values if not isinstance(found, Unknown)]
                return min(known) if operator == "min" else max(known)  # type: ignore[type-var]
            case Rounded(operand=operand, step=step):
                found = self._eval(operand, at)
                return found if isinstance(found, Unknown) else divide(_int(found), step) * step
            case OneOf(operand=operand, choices=choices):
                found = self._eval(operand, at)
                return found if isinstance(found, Unknown) else found in choices
            case Between(unit=unit, start=start, end=end):
                a, b = self._eval(start, at), self._eval(end, at)
                if not isinstance(a, date) or not isinstance(b, date):
                    return join_unknowns(a, b)
                return between(unit, a, b)
            case Aggregate():
                return self._aggregate(node, at)
            case FromGroup(group=group, operand=operand):
                gid = self._membership[(at.member, group)]
                return self._eval(operand, _Context(group, gid, at.period, at.step))
        raise TypeError(f"cannot evaluate {node!r}")

    def _reference(self, node: VariableRef, at: _Context) -> Result:
        values = [self._use(node.name, at.member, p, at) for p in node.periods(at.period)]
        if not node.adds_up:
            return values[0]
        if any(isinstance(found, Unknown) for found in values):
            return join_unknowns(*values)
        return sum(_int(found) for found in values)

    def _use(self, name: str, member: str, period: Period, at: _Context) -> Result:
        assert self._origin is not None
        if _months_from(period, self._origin) > DEEPEST:
            raise _TooDeep
        step = self._variable(name, member, period)
        key = (name, member, str(step.period))
        if key not in at.step.uses:
            at.step.uses.append(key)
        return step.value

    def _lookup(self, path: str, on: date) -> ParameterValue | Brackets:
        key = (path, on)
        found = self._parameters.get(key)
        if found is None:
            found = self._parameters[key] = self.rules.parameters.at(path, on)
        return found

    def _parameter(self, path: str, at: _Context) -> Result:
        found = self._lookup(path, at.period.start)
        assert isinstance(found, ParameterValue)
        leaf = self.rules.parameters.find(path)
        assert isinstance(leaf, Parameter)
        value = stored_parameter(found.value, leaf.type)
        _remember(at.step, ParameterUse(path, str(found.value), found.provenance))
        return value

    def _scale(self, path: str, base: Expr, at: _Context) -> Result:
        brackets = self._lookup(path, at.period.start)
        assert isinstance(brackets, Brackets)
        _remember(at.step, ParameterUse(path, "scale", brackets.provenance))
        found = self._eval(base, at)
        if isinstance(found, Unknown):
            return found
        return cents(brackets.calc(Decimal(_int(found)).scaleb(-2)))

    def _logic(self, conjunction: bool, left: Expr, right: Expr, at: _Context) -> Result:
        decisive = not conjunction  # false decides an "and", true decides an "or"
        a = self._eval(left, at)
        if a is decisive:
            return decisive
        b = self._eval(right, at)
        if b is decisive:
            return decisive
        if isinstance(a, Unknown) or isinstance(b, Unknown):
            return join_unknowns(a, b)
        return not decisive

    def _aggregate(self, node: Aggregate, at: _Context) -> Result:
        instance = self.situation.groups[node.group][at.member]
        people = _people(instance.members, node.role)
        if node.operand is None:
            return len(people)
        values = [
            self._eval(node.operand, _Context(PERSON, pid, at.period, at.step)) for pid in people
        ]
        if node.function in ("any", "all"):
            decisive = node.function == "any"
            if any(found is decisive for found in values):
                return decisive
            if any(isinstance(found, Unknown) for found in values):
                return join_unknowns(*values)
            return not decisive
        if any(isinstance(found, Unknown) for found in values):
            return join_unknowns(*values)
        if node.function == "count":
            return sum(1 for found in values if found is True)
        numbers = [_int(found) for found in values]
        if node.function == "max":
            return max(numbers, default=0)
        return sum(numbers)


def _people(members: Mapping[str, tuple[str, ...]], role: str | None) -> tuple[str, ...]:
    if role is not None:
        return members.get(role, ())
    return tuple(pid for people in members.values() for pid in people)


class _TooDeep(Exception):
    """A chain of earlier months reaching back further than DEEPEST periods."""


def _months_from(earlier: Period, later: Period) -> int:
    start, end = earlier.start, later.start
    return (end.year - start.year) * 12 + end.month - start.month


def stored_parameter(value: Decimal | int | bool, kind: ValueType) -> Value:
    """A parameter's value in the evaluators' stored form (cents, millionths)."""
    if kind is ValueType.AMOUNT:
        return cents(value)
    if kind is ValueType.RATE:
        return millionths(value)
    if kind is ValueType.INTEGER:
        return int(value)
    return bool(value)


def _remember(step: Step, use: ParameterUse) -> None:
    if all(known.path != use.path for known in step.parameters):
        step.parameters.append(use)


def _for_period(given: Known, period: Period, need: Need) -> Result:
    """An input's value in a period: its own, else the one for every period."""
    if isinstance(given, Mapping):
        found = given.get(str(period))
        return Unknown(frozenset({need})) if found is None else found
    return given


def _int(value: Result) -> int:
    assert isinstance(value, int), value
    return value


def _arithmetic(operator: str, a: int, b: int, scale: int) -> int:
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return divide(a * b, scale)
    return divide(a * scale, b)


def _compare(operator: str, a: Value, b: Value) -> bool:
    match operator:
        case "==":
            return a == b
        case "!=":
            return a != b
        case "<":
            return a < b  # type: ignore[operator]
        case "<=":
            return a <= b  # type: ignore[operator]
        case ">":
            return a > b  # type: ignore[operator]
    return a >= b  # type: ignore[operator]


def between(unit: str, start: date, end: date) -> int:
    """Whole years, months or days from ``start`` to ``end``."""
    if unit == "days":
        return (end - start).days
    if unit == "months":
        months = (end.year * 12 + end.month) - (start.year * 12 + start.month)
        return months - (1 if end.day < start.day else 0)
    years = end.year - start.year
    return years - (1 if (end.month, end.day) < (start.month, start.day) else 0)


def walk(interpreter: Interpreter, key: Key) -> Iterator[Step]:
    """A step and every step it used, each once, depth first."""
    seen: set[Key] = set()
    stack = [key]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        step = interpreter.steps[current]
        yield step
        stack.extend(reversed(step.uses))
