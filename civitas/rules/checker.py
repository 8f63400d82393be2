"""Check every formula when the rules load, and settle its types.

Finds unknown variables, parameters, groups and roles, type errors, parameters
missing on a date a formula covers, and cycles, each named with its file, line,
variable and formula date, so that nothing fails in the middle of a batch.

Checking also *elaborates* a formula: plain numbers become typed constants in
their stored units (cents, millionths), whole numbers meeting rates are converted,
and each product or quotient learns the scale that keeps its units whole. Both
evaluators run the elaborated tree, so they cannot disagree on a type.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from civitas.core.errors import FieldError, NotFound
from civitas.rules.coercion import (
    PRODUCTS,
    QUOTIENTS,
    TypeProblem,
    check_choices,
    coerce,
    common_type,
    literal_type,
    settle,
    unify,
)
from civitas.rules.cycles import find_cycles
from civitas.rules.entities import PERSON, Entities, Group
from civitas.rules.expressions import (
    Aggregate,
    Arithmetic,
    Between,
    Comparison,
    Const,
    Expr,
    Extreme,
    FromGroup,
    Literal,
    Logic,
    Money,
    Not,
    OneOf,
    ParameterRef,
    PeriodDate,
    Rounded,
    ScaleResult,
    Select,
    VariableRef,
    references,
)
from civitas.rules.parameters import Parameter, ParameterNode, Scale, ValueType
from civitas.rules.periods import Unit
from civitas.rules.problems import problem_at
from civitas.rules.values import (
    BOOL,
    DATE,
    INTEGER,
    MONEY,
    NUMERIC,
    RATE,
    Kind,
    Type,
)
from civitas.rules.variables import Formula, Variable

PARAMETER_TYPES = {
    ValueType.AMOUNT: MONEY,
    ValueType.RATE: RATE,
    ValueType.INTEGER: INTEGER,
    ValueType.BOOLEAN: BOOL,
}


@dataclass(frozen=True)
class _Window:
    """Where a formula is being checked: whose variable, on which entity, which dates."""

    variable: Variable
    entity: str
    since: date
    until: date | None  # last day the formula applies; None if open-ended


@dataclass
class Checked:
    """The outcome of checking: elaborated formulas and every problem found."""

    formulas: dict[str, tuple[Formula, ...]] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)


def check(
    entities: Entities, variables: Mapping[str, Variable], parameters: ParameterNode
) -> Checked:
    checker = _Checker(entities, variables, parameters)
    checked = Checked()
    for variable in variables.values():
        checked.formulas[variable.name] = checker.variable(variable, checked.errors)
    if not checked.errors:
        checked.errors.extend(find_cycles(variables, checked.formulas))
    return checked


class _Checker:
    def __init__(
        self, entities: Entities, variables: Mapping[str, Variable], parameters: ParameterNode
    ) -> None:
        self.entities = entities
        self.variables = variables
        self.parameters = parameters

    def variable(self, variable: Variable, errors: list[FieldError]) -> tuple[Formula, ...]:
        if variable.entity not in self.entities.names():
            known = ", ".join(self.entities.names())
            errors.append(
                problem_at(
                    variable,
                    f"{variable.name}: unknown entity '{variable.entity}' "
                    f"(the pack declares {known}).",
                )
            )
            return ()
        if variable.choices is not None and set(variable.choices) != set(variable.type.choices):
            errors.append(
                problem_at(
                    variable,
                    f"{variable.name}: label each value of its enumeration, and only those "
                    f"({', '.join(variable.type.choices) or 'it is not an enumeration'}).",
                )
            )
        elaborated = []
        for position, formula in enumerate(variable.formulas):
            if formula.expression is None:
                elaborated.append(formula)
                continue
            following = variable.formulas[position + 1 :]
            until = following[0].since - timedelta(days=1) if following else None
            window = _Window(variable, variable.entity, formula.since, until)
            try:
                expression, found = self.infer(formula.expression, window, variable.type)
                expression = coerce(expression, found, variable.type)
                if formula.since == date.min and _uses_own_past(variable.name, expression):
                    raise TypeProblem(
                        "it uses its own earlier months, so its first formula needs a date "
                        "(before it, the variable starts from its default)."
                    )
            except TypeProblem as problem:
                since = "" if formula.since == date.min else f" (formula from {formula.since})"
                errors.append(problem_at(variable, f"{variable.name}{since}: {problem}"))
                continue
            elaborated.append(replace(formula, expression=expression))
        return tuple(elaborated)

    def infer(
        self, node: Expr, at: _Window, expected: Type | None = None
    ) -> tuple[Expr, Type | None]:
        """The elaborated node and its type; None for a plain number with nothing to meet.

        ``expected`` is the type the surrounding formula wants, which plain numbers take.
        """
        match node:
            case Literal(value=bool() as value):
                return Const(value, Kind.BOOL), BOOL
            case Literal(value=int() | Decimal()):
                if expected is not None and expected.kind in NUMERIC:
                    return coerce(node, None, expected), expected
                return node, None
            case Literal(value=str() as value):
                return Const(value, Kind.ENUM), Type(Kind.ENUM, (value,))
            case Literal(value=date() as value):
                return Const(value, Kind.DATE), DATE
            case Money(cents=amount):
                return Const(amount, Kind.MONEY), MONEY
            case VariableRef():
                return node, self._reference(node, at)
            case ParameterRef(path=path):
                parameter = self._leaf(path, at, Parameter)
                assert isinstance(parameter, Parameter)
                return node, PARAMETER_TYPES[parameter.type]
            case ScaleResult(path=path, base=base):
                self._leaf(path, at, Scale)
                elaborated, found = self.infer(base, at)
                return ScaleResult(path, coerce(elaborated, found, MONEY)), MONEY
            case PeriodDate():
                return node, DATE
            case Arithmetic():
                return self._arithmetic(node, at, expected)
            case Comparison(operator=operator, left=left, right=right):
                left_node, right_node, common = self._common(left, right, at)
                if common.kind in (Kind.BOOL, Kind.ENUM) and operator not in ("==", "!="):
                    raise TypeProblem(f"'{operator}' cannot order {common.kind} values.")
                return Comparison(operator, left_node, right_node), BOOL
            case Logic(operator=operator, left=left, right=right):
                return Logic(
                    operator, self._expect(left, at, BOOL), self._expect(right, at, BOOL)
                ), BOOL
            case Not(operand=operand):
                return Not(self._expect(operand, at, BOOL)), BOOL
            case Select(cases=cases, default=default):
                return self._select(cases, default, at, expected)
            case Extreme(operator=operator, operands=operands):
                return self._extreme(operator, operands, at, expected)
            case Rounded(operand=operand, places=places):
                elaborated, found = self.infer(operand, at)
                if found is None or found.kind not in (Kind.MONEY, Kind.RATE):
                    raise TypeProblem("rounded(...) needs money or a rate.")
                most = 2 if found.kind is Kind.MONEY else 6
                if not 0 <= places <= most:
                    raise TypeProblem(f"rounded(...) keeps 0 to {most} places for {found.kind}.")
                return Rounded(elaborated, places, 10 ** (most - places)), found
            case OneOf(operand=operand, choices=choices):
                elaborated, found = self.infer(operand, at)
                if found is None or found.kind is not Kind.ENUM:
                    raise TypeProblem("one_of(...) needs an enumeration.")
                check_choices(found, choices)
                return OneOf(elaborated, choices), BOOL
            case Between(unit=unit, start=start, end=end):
                return Between(
                    unit, self._expect(start, at, DATE), self._expect(end, at, DATE)
                ), INTEGER
            case Aggregate():
                return self._aggregate(node, at)
            case FromGroup(group=group, operand=operand):
                if at.entity != PERSON:
                    raise TypeProblem(
                        f"from_group('{group}', ...) works only in a person's formula."
                    )
                self._group(group)
                elaborated, found = self.infer(operand, replace(at, entity=group), expected)
                elaborated, found = settle(elaborated, found)
                return FromGroup(group, elaborated), found
        raise TypeProblem(f"{node!r} cannot be used in a formula.")

    # -- pieces ---------------------------------------------------------------------

    def _reference(self, node: VariableRef, at: _Window) -> Type:
        target = self.variables.get(node.name)
        if target is None:
            raise TypeProblem(f"it uses the variable '{node.name}', which no rule declares.")
        if target.entity != at.entity:
            hint = (
                f"use from_group('{target.entity}', v('{node.name}'))"
                if at.entity == PERSON
                else f"use members('{at.entity}').sum(v('{node.name}')) or similar"
            )
            raise TypeProblem(f"'{node.name}' belongs to {target.entity}, not {at.entity}: {hint}.")
        if node.shift != "same":
            if target.period is not Unit.MONTH:
                raise TypeProblem(f"'{node.name}' is not monthly, so it has no other months.")
            adds_up = node.shift in ("sum_of_year", "sum_of_last_months")
            if adds_up and target.type.kind not in NUMERIC:
                raise TypeProblem(f"'{node.name}' is {target.type.kind}; only numbers add up.")
            if node.months < 1:
                raise TypeProblem("a number of months must be 1 or more.")
            if node.shift != "sum_of_year" and at.variable.period is not Unit.MONTH:
                raise TypeProblem(
                    f"months_ago and sum_of_last_months work in monthly formulas; "
                    f"'{at.variable.name}' is {at.variable.period}ly."
                )
        elif target.period is Unit.MONTH and at.variable.period is not Unit.MONTH:
            raise TypeProblem(
                f"'{node.name}' is monthly; a {at.variable.period} formula must say which "
                f"months, e.g. v('{node.name}').sum_of_year()."
            )
        return target.type

    def _leaf(
        self, path: str, at: _Window, kind: type[Parameter] | type[Scale]
    ) -> Parameter | Scale:
        try:
            found = self.parameters.find(path)
        except NotFound:
            raise TypeProblem(
                f"it uses the parameter '{path}', which the pack does not define."
            ) from None
        if not isinstance(found, kind):
            what = "a scale (use .calc(base))" if isinstance(found, Scale) else "not a scale"
            raise TypeProblem(f"the parameter '{path}' is {what}.")
        _covered(found, at)
        return found

    def _arithmetic(
        self, node: Arithmetic, at: _Window, expected: Type | None
    ) -> tuple[Expr, Type]:
        additive = node.operator in "+-"
        hint = expected if additive else None
        left, left_type = self.infer(node.left, at, hint)
        right, right_type = self.infer(node.right, at, hint)
        if additive:
            left, right, common = unify(left, left_type, right, right_type)
            if common.kind not in NUMERIC:
                raise TypeProblem(f"'{node.operator}' needs numbers, not {common.kind}.")
            return Arithmetic(node.operator, left, right), common
        left, left_type = settle(left, left_type)
        right, right_type = settle(right, right_type)
        kinds = (left_type.kind, right_type.kind)
        table = PRODUCTS if node.operator == "*" else QUOTIENTS
        if kinds not in table:
            raise TypeProblem(f"cannot compute {kinds[0]} {node.operator} {kinds[1]}.")
        result, scale = table[kinds]
        return Arithmetic(node.operator, left, right, scale), Type(result)

    def _common(self, left: Expr, right: Expr, at: _Window) -> tuple[Expr, Expr, Type]:
        left_node, left_type = self.infer(left, at)
        right_node, right_type = self.infer(right, at)
        return unify(left_node, left_type, right_node, right_type)

    def _expect(self, node: Expr, at: _Window, wanted: Type) -> Expr:
        elaborated, found = self.infer(node, at)
        return coerce(elaborated, found, wanted)

    def _select(
        self,
        cases: tuple[tuple[Expr, Expr], ...],
        default: Expr,
        at: _Window,
        expected: Type | None,
    ) -> tuple[Expr, Type]:
        conditions = [self._expect(condition, at, BOOL) for condition, _ in cases]
        values = [self.infer(value, at, expected) for _, value in [*cases, (None, default)]]
        common = common_type([found for _, found in values]) or literal_type(values)
        settled = [coerce(node, found, common) for node, found in values]
        return Select(tuple(zip(conditions, settled[:-1], strict=True)), settled[-1]), common

    def _extreme(
        self, operator: str, operands: tuple[Expr, ...], at: _Window, expected: Type | None
    ) -> tuple[Expr, Type]:
        if len(operands) < 2:
            raise TypeProblem(f"{operator}imum(...) needs at least two values.")
        values = [self.infer(operand, at, expected) for operand in operands]
        common = common_type([found for _, found in values]) or literal_type(values)
        if common.kind not in NUMERIC and common.kind is not Kind.DATE:
            raise TypeProblem(f"{operator}imum(...) needs numbers or dates.")
        settled = tuple(coerce(node, found, common) for node, found in values)
        return Extreme(operator, settled), common  # type: ignore[arg-type]

    def _aggregate(self, node: Aggregate, at: _Window) -> tuple[Expr, Type]:
        if at.entity == PERSON or at.entity != node.group:
            raise TypeProblem(f"members('{node.group}') works only in a formula of a {node.group}.")
        group = self._group(node.group)
        if node.role is not None and node.role not in group.roles:
            roles = ", ".join(group.roles)
            raise TypeProblem(f"the {node.group} has no role '{node.role}' (it has {roles}).")
        person = replace(at, entity=PERSON)
        if node.operand is None:
            return node, INTEGER
        if node.function in ("count", "any", "all"):
            operand = self._expect(node.operand, person, BOOL)
            return replace(node, operand=operand), INTEGER if node.function == "count" else BOOL
        elaborated, found = self.infer(node.operand, person)
        found = found or INTEGER
        elaborated = coerce(elaborated, found, found)
        if found.kind not in NUMERIC:
            raise TypeProblem(f"{node.function}(...) over members needs numbers, not {found.kind}.")
        return replace(node, operand=elaborated), found

    def _group(self, name: str) -> Group:
        group = self.entities.groups.get(name)
        if group is None:
            known = ", ".join(self.entities.groups) or "none"
            raise TypeProblem(f"there is no group '{name}' (groups: {known}).")
        return group


def _uses_own_past(name: str, expression: Expr) -> bool:
    return any(r.name == name and r.shift == "months_ago" for r in references(expression))


def _covered(leaf: Parameter | Scale, at: _Window) -> None:
    """The parameter has a value on every day the formula applies (or from 2000 for
    open-ended formulas written without a start date)."""
    values = leaf.values
    start = at.since if at.since != date.min else None
    if start is not None and (not values or values[0].since > start):
        first = values[0].since if values else "never"
        raise TypeProblem(
            f"the parameter '{leaf.path}' has no value on {start}, when the formula starts "
            f"(its first value applies from {first})."
        )
    for entry in values:
        ends = entry.content is None
        inside = (start is None or entry.since > start) and (
            at.until is None or entry.since <= at.until
        )
        if ends and inside:
            raise TypeProblem(
                f"the parameter '{leaf.path}' ends on {entry.since}, while the formula still "
                f"applies; end the formula on that date too."
            )
