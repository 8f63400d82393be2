"""The formula language: small expression trees built with Python operators.

A formula is not Python code that runs; it is a tree of formula nodes, built once
when the rules load. The interpreter walks the tree for one household and explains
each step; the compiler turns the same tree into a query for a whole population.

Write formulas with the helpers (listed in the rules reference)::

    v("monthly_income") * p("benefits.unemployment_benefit.rate")
    where(v("age") < 18, money("150.00"), money(0))
    members("household", role="child").count(v("age") < p("benefits.child_benefit.age_limit"))

Use ``&``, ``|`` and ``~`` for and, or and not (Python's own ``and``/``or``/``if``
cannot be overloaded, so using them on a formula is an error). Comparisons give
yes/no values; ``==`` compares, it does not test whether two formulas are the same.

Plain numbers take the type of what they meet: ``v("rent") > 500`` means 500.00 in
money, ``v("income") * 2`` doubles, ``v("income") * Decimal("0.5")`` halves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal as TypingLiteral

from civitas.rules.periods import Period, Unit
from civitas.rules.values import Kind, cents


class Expr:
    """A node of a formula. Operators build bigger formulas from smaller ones."""

    __slots__ = ()
    __hash__ = object.__hash__  # nodes are used by identity; == builds a comparison

    def __add__(self, other: Operand) -> Expr:
        return Arithmetic("+", self, lift(other))

    def __radd__(self, other: Operand) -> Expr:
        return Arithmetic("+", lift(other), self)

    def __sub__(self, other: Operand) -> Expr:
        return Arithmetic("-", self, lift(other))

    def __rsub__(self, other: Operand) -> Expr:
        return Arithmetic("-", lift(other), self)

    def __mul__(self, other: Operand) -> Expr:
        return Arithmetic("*", self, lift(other))

    def __rmul__(self, other: Operand) -> Expr:
        return Arithmetic("*", lift(other), self)

    def __truediv__(self, other: Operand) -> Expr:
        return Arithmetic("/", self, lift(other))

    def __rtruediv__(self, other: Operand) -> Expr:
        return Arithmetic("/", lift(other), self)

    def __neg__(self) -> Expr:
        return Arithmetic("-", Literal(0), self)

    def __lt__(self, other: Operand) -> Expr:
        return Comparison("<", self, lift(other))

    def __le__(self, other: Operand) -> Expr:
        return Comparison("<=", self, lift(other))

    def __gt__(self, other: Operand) -> Expr:
        return Comparison(">", self, lift(other))

    def __ge__(self, other: Operand) -> Expr:
        return Comparison(">=", self, lift(other))

    def __eq__(self, other: object) -> Expr:  # type: ignore[override]
        return Comparison("==", self, lift(other))  # type: ignore[arg-type]

    def __ne__(self, other: object) -> Expr:  # type: ignore[override]
        return Comparison("!=", self, lift(other))  # type: ignore[arg-type]

    def __and__(self, other: Operand) -> Expr:
        return Logic("and", self, lift(other))

    def __rand__(self, other: Operand) -> Expr:
        return Logic("and", lift(other), self)

    def __or__(self, other: Operand) -> Expr:
        return Logic("or", self, lift(other))

    def __ror__(self, other: Operand) -> Expr:
        return Logic("or", lift(other), self)

    def __invert__(self) -> Expr:
        return Not(self)

    def __bool__(self) -> bool:
        raise TypeError(
            "A formula has no truth value while the rules load: use & | ~ instead of "
            "and/or/not, and where(...) or select(...) instead of if."
        )


Operand = Expr | int | Decimal | bool | str | date


def lift(value: Operand) -> Expr:
    """A formula node for a plain Python value, or the node itself."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, float):
        raise TypeError(
            f"{value!r} is a float, which cannot hold money or rates exactly: "
            f'write Decimal("{value}") or money("{value}") instead.'
        )
    if isinstance(value, bool | int | Decimal | str | date):
        return Literal(value)
    raise TypeError(f"{value!r} cannot be used in a formula.")


# -- leaves -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Literal(Expr):
    """A plain value written in a formula; numbers take the type of what they meet."""

    value: int | Decimal | bool | str | date


@dataclass(frozen=True, eq=False)
class Money(Expr):
    """An amount of money written in a formula, in cents."""

    cents: int


@dataclass(frozen=True, eq=False)
class Const(Expr):
    """A typed value in its stored form (cents, millionths...); made when rules load."""

    value: bool | int | str | date
    kind: Kind


@dataclass(frozen=True, eq=False)
class Convert(Expr):
    """A whole number used as a rate: multiplied by ``factor``; made when rules load."""

    operand: Expr
    factor: int


Shift = TypingLiteral["same", "months_ago", "sum_of_year", "sum_of_last_months"]


@dataclass(frozen=True, eq=False)
class VariableRef(Expr):
    """Another variable's value for the same person or group.

    By default in the same period (or the year or eternity holding it). The methods
    reach other periods of a monthly variable.
    """

    name: str
    shift: Shift = "same"
    months: int = 0

    def months_ago(self, months: int) -> VariableRef:
        """Its value ``months`` months before this period."""
        return VariableRef(self.name, "months_ago", months)

    def last_month(self) -> VariableRef:
        """Its value in the month before this one."""
        return self.months_ago(1)

    def sum_of_year(self) -> VariableRef:
        """The sum of its monthly values over the calendar year holding this period."""
        return VariableRef(self.name, "sum_of_year", 12)

    def sum_of_last_months(self, months: int) -> VariableRef:
        """The sum over the last ``months`` months, this one included."""
        return VariableRef(self.name, "sum_of_last_months", months)

    @property
    def adds_up(self) -> bool:
        """Whether the reference is a sum over several months."""
        return self.shift in ("sum_of_year", "sum_of_last_months")

    def periods(self, at: Period) -> tuple[Period, ...]:
        """The periods whose values the reference reads, from a formula's period ``at``."""
        if self.shift == "same":
            return (at,)
        if self.shift == "months_ago":
            return (at.shift(-self.months),)
        if self.shift == "sum_of_year":
            return at.as_unit(Unit.YEAR).months()
        return tuple(at.shift(-back) for back in range(self.months - 1, -1, -1))


@dataclass(frozen=True, eq=False)
class ParameterRef(Expr):
    """A parameter's value on the first day of the period."""

    path: str

    def calc(self, base: Operand) -> Expr:
        """The result of this bracket scale for ``base`` (money)."""
        return ScaleResult(self.path, lift(base))


@dataclass(frozen=True, eq=False)
class ScaleResult(Expr):
    path: str
    base: Expr


@dataclass(frozen=True, eq=False)
class PeriodDate(Expr):
    """The first or last day of the period being computed."""

    edge: TypingLiteral["start", "end"]


# -- operations ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Arithmetic(Expr):
    """``scale`` is set when the rules load: a product is divided by it, a dividend
    multiplied by it, so that units stay whole (see ``civitas.rules.values``)."""

    operator: TypingLiteral["+", "-", "*", "/"]
    left: Expr
    right: Expr
    scale: int = 1


@dataclass(frozen=True, eq=False)
class Comparison(Expr):
    operator: TypingLiteral["<", "<=", ">", ">=", "==", "!="]
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class Logic(Expr):
    """And / or with three values: false and unknown is false, true or unknown is true."""

    operator: TypingLiteral["and", "or"]
    left: Expr
    right: Expr


@dataclass(frozen=True, eq=False)
class Not(Expr):
    operand: Expr


@dataclass(frozen=True, eq=False)
class Select(Expr):
    """The value of the first case whose condition holds, else the default."""

    cases: tuple[tuple[Expr, Expr], ...]
    default: Expr


@dataclass(frozen=True, eq=False)
class Extreme(Expr):
    """The smallest or largest of several values."""

    operator: TypingLiteral["min", "max"]
    operands: tuple[Expr, ...]


@dataclass(frozen=True, eq=False)
class Rounded(Expr):
    """Money rounded to whole units (``places=0``) or to ``places`` decimals, half to even.

    ``step`` is set when the rules load: the multiple of the stored unit to round to
    (100 cents for whole euros)."""

    operand: Expr
    places: int
    step: int = 0


@dataclass(frozen=True, eq=False)
class OneOf(Expr):
    """Whether an enumeration's value is one of several."""

    operand: Expr
    choices: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Between(Expr):
    """Whole years, months or days from one date to a later one (negative if earlier)."""

    unit: TypingLiteral["years", "months", "days"]
    start: Expr
    end: Expr


@dataclass(frozen=True, eq=False)
class Aggregate(Expr):
    """A group's members (of one role, or all) reduced to one value."""

    group: str
    role: str | None
    function: TypingLiteral["sum", "count", "any", "all", "max"]
    operand: Expr | None  # None counts every member


@dataclass(frozen=True, eq=False)
class FromGroup(Expr):
    """For a person: a value of the group (e.g. the household) they belong to."""

    group: str
    operand: Expr


# -- the helpers formulas are written with ----------------------------------------------


def v(name: str) -> VariableRef:
    """The variable called ``name`` for the same person or group."""
    return VariableRef(name)


def p(path: str) -> ParameterRef:
    """The parameter at a dotted path, e.g. ``benefits.birth_grant.amount``."""
    return ParameterRef(path)


def money(amount: int | str | Decimal) -> Money:
    """An amount of money, e.g. ``money("150.00")``."""
    return Money(cents(amount))


def where(condition: Operand, then: Operand, otherwise: Operand) -> Expr:
    """``then`` if the condition holds, else ``otherwise``."""
    return Select(((lift(condition), lift(then)),), lift(otherwise))


def select(*cases: tuple[Operand, Operand], default: Operand) -> Expr:
    """The value of the first ``(condition, value)`` case that holds, else ``default``."""
    return Select(tuple((lift(c), lift(value)) for c, value in cases), lift(default))


def minimum(*operands: Operand) -> Expr:
    """The smallest of the values; unknown if any is unknown."""
    return Extreme("min", tuple(lift(o) for o in operands))


def maximum(*operands: Operand) -> Expr:
    """The largest of the values; unknown if any is unknown."""
    return Extreme("max", tuple(lift(o) for o in operands))


def rounded(operand: Operand, places: int = 0) -> Expr:
    """Rounded half to even: money to whole units by default."""
    return Rounded(lift(operand), places)


def one_of(operand: Operand, choices: Sequence[str]) -> Expr:
    """Whether an enumeration has one of the listed values."""
    return OneOf(lift(operand), tuple(choices))


def all_of(*conditions: Operand) -> Expr:
    """True when every condition holds."""
    result = lift(conditions[0])
    for condition in conditions[1:]:
        result = Logic("and", result, lift(condition))
    return result


def any_of(*conditions: Operand) -> Expr:
    """True when at least one condition holds."""
    result = lift(conditions[0])
    for condition in conditions[1:]:
        result = Logic("or", result, lift(condition))
    return result


def period_start() -> Expr:
    """The first day of the period being computed."""
    return PeriodDate("start")


def period_end() -> Expr:
    """The last day of the period being computed."""
    return PeriodDate("end")


def age_on(birth: Operand, on: Operand | None = None) -> Expr:
    """Whole years from a date of birth to ``on`` (the first day of the period)."""
    return Between("years", lift(birth), lift(on) if on is not None else period_start())


def years_between(start: Operand, end: Operand) -> Expr:
    """Whole years from one date to another (an anniversary counts on its day)."""
    return Between("years", lift(start), lift(end))


def months_between(start: Operand, end: Operand) -> Expr:
    """Whole months from one date to another."""
    return Between("months", lift(start), lift(end))


def days_between(start: Operand, end: Operand) -> Expr:
    """Days from one date to another."""
    return Between("days", lift(start), lift(end))


def from_group(group: str, operand: Operand) -> Expr:
    """For a person, the value of ``operand`` for their ``group`` (e.g. household)."""
    return FromGroup(group, lift(operand))


@dataclass(frozen=True)
class Members:
    """The members of a group, all or of one role, to sum, count or test."""

    group: str
    role: str | None = None

    def sum(self, operand: Operand) -> Expr:
        """The sum over the members; zero when there are none."""
        return Aggregate(self.group, self.role, "sum", lift(operand))

    def count(self, condition: Operand | None = None) -> Expr:
        """How many members there are, or how many meet the condition."""
        return Aggregate(
            self.group, self.role, "count", None if condition is None else lift(condition)
        )

    def any(self, condition: Operand) -> Expr:
        """Whether at least one member meets the condition."""
        return Aggregate(self.group, self.role, "any", lift(condition))

    def all(self, condition: Operand) -> Expr:
        """Whether every member meets the condition (true when there are none)."""
        return Aggregate(self.group, self.role, "all", lift(condition))

    def max(self, operand: Operand) -> Expr:
        """The largest value among the members; zero when there are none."""
        return Aggregate(self.group, self.role, "max", lift(operand))


def members(group: str, role: str | None = None) -> Members:
    """The members of the ``group`` being computed, e.g. ``members("household", "child")``."""
    return Members(group, role)


def references(expression: Expr) -> Iterator[VariableRef]:
    """Every reference to a variable inside a formula."""
    stack = [expression]
    while stack:
        node = stack.pop()
        if isinstance(node, VariableRef):
            yield node
        stack.extend(children(node))


def children(expression: Expr) -> tuple[Expr, ...]:
    """The nodes directly under a node, for walks over a formula."""
    match expression:
        case Arithmetic(left=left, right=right) | Comparison(left=left, right=right):
            return (left, right)
        case Logic(left=left, right=right):
            return (left, right)
        case Not(operand=operand) | Rounded(operand=operand) | OneOf(operand=operand):
            return (operand,)
        case Convert(operand=operand):
            return (operand,)
        case FromGroup(operand=operand):
            return (operand,)
        case ScaleResult(base=base):
            return (base,)
        case Select(cases=cases, default=default):
            return (*(node for case in cases for node in case), default)
        case Extreme(operands=operands):
            return operands
        case Between(start=start, end=end):
            return (start, end)
        case Aggregate(operand=operand):
            return () if operand is None else (operand,)
    return ()
