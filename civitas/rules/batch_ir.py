"""The nodes a batch plan adds to the formula language, and the arithmetic built from them.

The batch compiler turns each formula into column expressions over whole tables. Before
that, the planner (:mod:`civitas.rules.batch_plan`) rewrites every elaborated formula
into a tree that a query engine can run as it stands:

- variables, parameters and dates become :class:`Column` reads and constants;
- rounding, products and quotients become :func:`divide` steps made of integer
  division and remainder only (no floats, no decimals), so both engines round
  half to even exactly as :func:`civitas.rules.values.divide` does;
- scales become strict selections and clipped sums, exactly as
  :meth:`civitas.rules.parameters.Brackets.calc_cents` computes them.

Nothing here runs a query; the compiler translates these nodes one to one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal as TypingLiteral
from typing import Protocol

from civitas.rules.expressions import (
    Arithmetic,
    Comparison,
    Const,
    Expr,
    Logic,
    Select,
    children,
)
from civitas.rules.parameters import Brackets, ScaleKind
from civitas.rules.values import Kind


@dataclass(frozen=True, eq=False)
class Column(Expr):
    """A column of the table being computed: an input or an earlier result."""

    name: str


@dataclass(frozen=True, eq=False)
class Null(Expr):
    """An unknown value of a kind, e.g. an input given for other periods only."""

    kind: Kind


@dataclass(frozen=True, eq=False)
class FirstKnown(Expr):
    """The first of these values that is known (SQL's COALESCE)."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class Known(Expr):
    """Whether any of these values is known: true or false, never unknown."""

    operands: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class Indicator(Expr):
    """1 when the condition holds, else 0 (also when it is unknown)."""

    condition: Expr


@dataclass(frozen=True, eq=False)
class Truncated(Expr):
    """Integer quotient or remainder, truncated toward zero; the divisor is never zero."""

    operator: TypingLiteral["div", "mod"]
    left: Expr
    right: Expr


Part = TypingLiteral["member", "value", "true", "false", "unknown"]


@dataclass(frozen=True, eq=False)
class MemberPart(Expr):
    """For one person, their share in an aggregate over a group's members.

    ``member``: whether they are a member (of the role, if one is asked); ``value``:
    a member's operand, else nothing; ``true``, ``false``, ``unknown``: whether a
    member's operand is known true, known false, unknown. Reduced per group (values
    summed or maximised, members and trues counted, the others tested for any),
    these give every aggregate with unknowns decided as the interpreter decides.
    """

    part: Part
    role_column: str | None  # the person's role in the group, when a role is asked
    role: str | None
    operand: Expr | None  # a column or constant


Reducer = TypingLiteral["sum", "max", "count", "any"]


@dataclass(frozen=True, eq=False)
class GroupResult(Expr):
    """An aggregate's value for a group, from its reduced parts (columns; NULL for a
    group without members)."""

    function: TypingLiteral["sum", "count", "any", "all", "max"]
    parts: tuple[tuple[Part, str], ...]


def integer(value: int) -> Const:
    return Const(value, Kind.INTEGER)


def size(node: Expr) -> int:
    """How many nodes a tree has, to decide whether repeating it is cheap."""
    return 1 + sum(size(child) for child in _all_children(node))


def _all_children(node: Expr) -> tuple[Expr, ...]:
    match node:
        case Truncated(left=left, right=right):
            return (left, right)
        case MemberPart(operand=operand):
            return () if operand is None else (operand,)
        case FirstKnown(operands=operands) | Known(operands=operands):
            return operands
        case Indicator(condition=condition):
            return (condition,)
    return children(node)


def columns_used(node: Expr) -> set[str]:
    """The names of the columns a tree reads."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Column):
            found.add(current.name)
        elif isinstance(current, MemberPart) and current.role_column is not None:
            found.add(current.role_column)
        elif isinstance(current, GroupResult):
            found.update(name for _, name in current.parts)
        stack.extend(_all_children(current))
    return found


def may_be_null(node: Expr, nullable: Callable[[str], bool]) -> bool:
    """Whether a tree can be unknown (NULL) for some row, given which columns can.

    Where none of the columns read can, the compiler leaves out every test for
    unknowns: a plain CASE, LEAST or SUM computes the same. Conservative: a tree of
    columns that can be NULL is taken to be NULL sometimes.
    """
    match node:
        case Column(name=name):
            return nullable(name)
        case Null():
            return True
        case Const() | Known() | Indicator():
            return False
        case FirstKnown(operands=operands):
            return all(may_be_null(operand, nullable) for operand in operands)
        case MemberPart(part=part, role_column=role_column, operand=operand):
            if part == "member":
                return role_column is not None and nullable(role_column)
            if part == "value":  # NULL for a person outside the role, on purpose
                return True
            role = role_column is not None and nullable(role_column)
            return role or (operand is not None and may_be_null(operand, nullable))
        case GroupResult(parts=parts):
            return any(part == "unknown" for part, _ in parts)
    return any(may_be_null(child, nullable) for child in _all_children(node))


def is_atom(node: Expr) -> bool:
    return isinstance(node, Column | Const | Null)


# -- exact division -------------------------------------------------------------------


class Definer(Protocol):
    """Where an intermediate result becomes a column, so that a formula may use it
    several times without the engine computing it again (the planner)."""

    def share(self, node: Expr, stage: int) -> Expr: ...


def divide(numerator: Expr, denominator: Expr, stage: int, at: Definer) -> Expr:
    """numerator / denominator rounded half to even, 0 when dividing by 0 (a known
    numerator), unknown when either is unknown: :func:`civitas.rules.values.divide`.

    Half to even is symmetric, so divide(n, d) = sign(d) * round(n / |d|). With
    m = 2n + |d| and D = 2|d|, the half-up quotient is floor(m / D); a tie is a zero
    remainder, where an odd quotient steps down to the even one.
    """
    if isinstance(denominator, Const):
        numerator, value = _reduced(numerator, denominator)
        if value == 0:
            return Arithmetic("*", numerator, integer(0))
        if abs(value) == 1:
            return numerator if value == 1 else Arithmetic("-", integer(0), numerator)
        shifted = at.share(_plus(_twice(numerator), integer(abs(value))), stage)
        rounded = _half_even(shifted, integer(2 * abs(value)), stage, at)
        return rounded if value > 0 else Arithmetic("-", integer(0), rounded)
    divisor = at.share(denominator, stage)
    magnitude = Select(((Comparison("<", divisor, integer(0)), _negated(divisor)),), divisor)
    shifted = at.share(_plus(_twice(numerator), magnitude), stage)
    safe = Select(((Comparison("==", divisor, integer(0)), integer(1)),), _twice(magnitude))
    rounded = _half_even(shifted, safe, stage, at)
    signed = Select(((Comparison("<", divisor, integer(0)), _negated(rounded)),), rounded)
    # shifted * 0 is 0 for a known numerator and unknown for an unknown one
    zero = Arithmetic("*", shifted, integer(0))
    return Select(((Comparison("==", divisor, integer(0)), zero),), signed)


def _reduced(numerator: Expr, denominator: Const) -> tuple[Expr, int]:
    """x * k / d as x * (k / g) / (d / g), g their greatest common divisor: the same
    fraction, so the same rounding, often with no division left (x * 0.5 * 2)."""
    value = denominator.value
    assert isinstance(value, int)
    match numerator:
        case Arithmetic(operator="*", left=left, right=Const(value=int() as factor)) if (
            not isinstance(factor, bool) and value != 0
        ):
            common = math.gcd(factor, value)
            return Arithmetic("*", left, integer(factor // common)), value // common
    return numerator, value


def _half_even(shifted: Expr, twice_divisor: Expr, stage: int, at: Definer) -> Expr:
    quotient = at.share(Truncated("div", shifted, twice_divisor), stage)
    remainder = at.share(Truncated("mod", shifted, twice_divisor), stage)
    below = Comparison("<", remainder, integer(0))  # truncation went up: floor is one less
    odd = Comparison("!=", Truncated("mod", quotient, integer(2)), integer(0))
    tie = Logic("and", Comparison("==", remainder, integer(0)), odd)
    return at.share(Arithmetic("-", Arithmetic("-", quotient, _one_if(below)), _one_if(tie)), stage)


def _one_if(condition: Expr) -> Expr:
    # unknown counts as 0 here: it comes with an unknown quotient, which decides
    return Indicator(condition)


def _twice(node: Expr) -> Expr:
    return Arithmetic("*", node, integer(2))


def _plus(left: Expr, right: Expr) -> Expr:
    return Arithmetic("+", left, right)


def _negated(node: Expr) -> Expr:
    return Arithmetic("-", integer(0), node)


def rounded(operand: Expr, step: int, stage: int, at: Definer) -> Expr:
    """The nearest multiple of ``step``, half to even."""
    return Arithmetic("*", divide(operand, integer(step), stage, at), integer(step))


# -- scales ---------------------------------------------------------------------------


def scale(brackets: Brackets, base: Expr, stage: int, at: Definer) -> Expr:
    """A scale's result for a base in cents, as Brackets.calc_cents computes it."""
    base = at.share(base, stage)
    thresholds = brackets.thresholds_in_cents()
    if brackets.kind is ScaleKind.SINGLE_AMOUNT:
        # the highest bracket whose threshold the base reaches; none: 0
        cases = tuple(
            (Comparison(">=", base, Const(low, Kind.MONEY)), Const(amount, Kind.MONEY))
            for low, amount in reversed(
                list(zip(thresholds, brackets.amounts_in_cents(), strict=True))
            )
        )
        return Select(cases, Const(0, Kind.MONEY))
    numerators, denominator = brackets.rates_as_integers()
    total: Expr = integer(0)
    for position, numerator in enumerate(numerators):
        low = thresholds[position]
        part: Expr = Arithmetic("-", base, integer(low))
        if position + 1 < len(numerators):
            width = thresholds[position + 1] - low
            part = Select(((Comparison(">=", part, integer(width)), integer(width)),), part)
        part = Select(((Comparison("<=", base, integer(low)), integer(0)),), part)
        total = Arithmetic("+", total, Arithmetic("*", part, integer(numerator)))
    # NULL base: every part is unknown, so the total is too
    return divide(total, integer(denominator), stage, at)
