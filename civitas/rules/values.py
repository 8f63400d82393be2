"""What rule values are: their types, periods, exact arithmetic and "unknown".

Both evaluators share these definitions, so one person and a whole country get the
same numbers to the cent:

- **money** is whole cents (``int``); a literal or parameter like 150.00 becomes 15000;
- **rate** is whole millionths (``int``): 0.65 is 650_000, 1 is 1_000_000;
- **integer**, **bool**, **date** and **enumeration** (a ``str`` among listed values)
  are what they say.

Every product or quotient that leaves whole units is rounded **once, half to even**
(banker's rounding), by :func:`divide`. Dividing by zero gives zero: a share of
nothing is nothing.

A value that cannot be known because an input is missing is an :class:`Unknown`
carrying the inputs it still needs; it is never taken as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

RATE_ONE = 1_000_000  # a rate of 1 (100 %) in millionths
CENTS = 100  # cents in one unit of money


class Kind(StrEnum):
    """The type of a variable or expression."""

    BOOL = "bool"
    INTEGER = "integer"
    MONEY = "money"
    RATE = "rate"
    DATE = "date"
    ENUM = "enumeration"


NUMERIC = frozenset({Kind.INTEGER, Kind.MONEY, Kind.RATE})


@dataclass(frozen=True)
class Type:
    """A kind, and for enumerations the values allowed."""

    kind: Kind
    choices: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.kind}({', '.join(self.choices)})" if self.choices else str(self.kind)


BOOL = Type(Kind.BOOL)
INTEGER = Type(Kind.INTEGER)
MONEY = Type(Kind.MONEY)
RATE = Type(Kind.RATE)
DATE = Type(Kind.DATE)


def enumeration(*choices: str) -> Type:
    """An enumeration type with these values, e.g. ``enumeration("owner", "renter")``."""
    return Type(Kind.ENUM, tuple(choices))


def default_of(kind: Kind) -> bool | int | None:
    """The value of a variable on a date no formula covers (a benefit not yet in law)."""
    return {Kind.BOOL: False, Kind.INTEGER: 0, Kind.MONEY: 0, Kind.RATE: 0}.get(kind)


def divide(numerator: int, denominator: int) -> int:
    """numerator / denominator, rounded half to even; zero when dividing by zero."""
    if denominator == 0:
        return 0
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def cents(amount: Decimal | int | str) -> int:
    """An amount of money as whole cents; refuses fractions of a cent."""
    exact = Decimal(amount)
    scaled = exact * CENTS
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than two decimal places")
    return int(scaled)


def millionths(rate: Decimal | int | str) -> int:
    """A rate as whole millionths; refuses more than six decimal places."""
    exact = Decimal(rate)
    scaled = exact * RATE_ONE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{rate} has more than six decimal places")
    return int(scaled)


def to_decimal(value: int, kind: Kind) -> Decimal:
    """A money or rate value in the units people read: euros, or a plain fraction."""
    if kind is Kind.MONEY:
        return Decimal(value).scaleb(-2)
    if kind is Kind.RATE:
        return (Decimal(value) / RATE_ONE).normalize()
    return Decimal(value)


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known yet, and the inputs that would decide it."""

    needs: frozenset[Need]

    def __or__(self, other: Unknown) -> Unknown:
        return Unknown(self.needs | other.needs)


@dataclass(frozen=True, order=True)
class Need:
    """One missing input: a variable, for one entity, in one period."""

    variable: str
    entity: str  # the entity kind, e.g. person
    member: str  # the id of the person or group in the situation
    period: str


Value = bool | int | date | str | None
"""A known value (``None`` only for a date or enumeration left empty on purpose)."""


def join_unknowns(*values: object) -> Unknown:
    needs: frozenset[Need] = frozenset()
    for value in values:
        if isinstance(value, Unknown):
            needs = needs | value.needs
    return Unknown(needs)
