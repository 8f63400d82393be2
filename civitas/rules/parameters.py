"""Dated parameters of the law: values, bracket scales, and where each comes from.

A parameter is a value the law sets and changes over time (an amount, a rate, a
whole number, a yes/no). Each dated entry applies from its ``since`` date until the
day before the next entry's; an entry whose value is ``None`` ends the parameter.
Every lookup returns the value together with its :class:`Provenance` (the entry used
and its legal reference), so an explanation can always cite the law.

Money is exact. Amounts are ``Decimal`` with two places; rates are ``Decimal``.
Whole columns are computed in integer cents (``numpy.int64``), never in floats.

Scales (bracket tables) come in two kinds, with one threshold rule for both:
**thresholds are inclusive lower bounds** - a base equal to a threshold falls in the
bracket that starts there, and a base below the first threshold falls in no bracket.

- ``marginal_rate`` (tax-like): each bracket's rate applies to the part of the base
  between its threshold and the next one. The sum over brackets is computed exactly
  (as a rational number) and rounded **once, half to even, to the cent**.
- ``single_amount``: the result is the amount of the highest bracket whose threshold
  is at or below the base; ``0`` below the first threshold.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from civitas.core.errors import InvalidInput, NotFound
from civitas.core.i18n import N_
from civitas.core.text import LocalText

CENT = Decimal("0.01")
Cents = npt.NDArray[np.int64]
Value = Decimal | int | bool
"""A parameter value: an amount or rate (``Decimal``), a whole number, or a yes/no."""


class ValueType(StrEnum):
    """What a parameter's values are."""

    AMOUNT = "amount"  # money, exact to the cent, e.g. 150.00
    RATE = "rate"  # a fraction, e.g. 0.65 for 65 %
    INTEGER = "integer"  # a whole number, e.g. 12 months
    BOOLEAN = "boolean"  # true or false


class ScaleKind(StrEnum):
    """How a scale turns a base into a result."""

    MARGINAL_RATE = "marginal_rate"  # each rate applies to the part of the base in its bracket
    SINGLE_AMOUNT = "single_amount"  # the amount of the bracket the whole base falls in


@dataclass(frozen=True)
class LegalReference:
    """Where the law that sets a value can be read."""

    url: str  # the law's web address, starting with https://
    article: str = ""  # the article or paragraph, e.g. Article 7(2)

    def __str__(self) -> str:
        return f"{self.url} ({self.article})" if self.article else self.url


@dataclass(frozen=True)
class Bracket:
    """One row of a scale: from ``threshold`` on, this rate or amount."""

    threshold: Decimal
    value: Decimal  # the rate (marginal scales) or the amount (single-amount scales)


@dataclass(frozen=True)
class Dated:
    """One dated entry: applies from ``since``; ``content`` None means the parameter ended."""

    since: date
    content: Value | tuple[Bracket, ...] | None
    reference: LegalReference | None = None  # the amending law; else the parameter's own
    source: str = ""  # where the entry is written, e.g. parameters/tax.yaml:12


@dataclass(frozen=True)
class Provenance:
    """Which dated entry gave a value and which law sets it, for explanations."""

    path: str
    entry: int  # position of the dated entry, 0 for the first
    since: date
    until: date | None  # last day it applies; None while no later entry exists
    reference: LegalReference
    source: str = ""


@dataclass(frozen=True)
class _Leaf:
    path: str
    label: LocalText
    reference: LegalReference
    values: tuple[Dated, ...]
    unit: str = ""

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]

    def _entry(self, on: date) -> tuple[Any, Provenance]:
        """The content that applies ``on`` a date, with its provenance."""
        index = -1
        for position, entry in enumerate(self.values):
            if entry.since <= on:
                index = position
        if index < 0:
            first = self.values[0].since.isoformat() if self.values else "-"
            raise NotFound(
                N_("The parameter {path} has no value on {date}."),
                hint=N_("Its first value applies from {first}."),
                params={"path": self.path, "date": on.isoformat(), "first": first},
            )
        entry = self.values[index]
        if entry.content is None:
            raise NotFound(
                N_("The parameter {path} ended on {ended}; it has no value on {date}."),
                hint=N_("Ask for a date before {ended}, or check the law that ended it."),
                params={
                    "path": self.path,
                    "date": on.isoformat(),
                    "ended": entry.since.isoformat(),
                },
            )
        following = self.values[index + 1].since if index + 1 < len(self.values) else None
        provenance = Provenance(
            path=self.path,
            entry=index,
            since=entry.since,
            until=following - timedelta(days=1) if following else None,
            reference=entry.reference or self.reference,
            source=entry.source,
        )
        return entry.content, provenance


@dataclass(frozen=True)
class Parameter(_Leaf):
    """A dated value set by law."""

    type: ValueType = ValueType.AMOUNT

    def at(self, on: date) -> ParameterValue:
        content, provenance = self._entry(on)
        return ParameterValue(content, self.unit, provenance)


@dataclass(frozen=True)
class ParameterValue:
    """A parameter's value on a date, and where it comes from."""

    value: Value
    unit: str
    provenance: Provenance

    @property
    def cents(self) -> int:
        """An amount as whole cents."""
        if not isinstance(self.value, Decimal):
            raise InvalidInput(
                N_("The parameter {path} is not an amount."),
                params={"path": self.provenance.path},
            )
        return int(self.value.scaleb(2).to_integral_value())


@dataclass(frozen=True)
class Scale(_Leaf):
    """A dated bracket table."""

    kind: ScaleKind = ScaleKind.MARGINAL_RATE

    def at(self, on: date) -> Brackets:
        content, provenance = self._entry(on)
        return Brackets(self.kind, content, self.unit, provenance)


@dataclass(frozen=True)
class Brackets:
    """A scale's brackets on a date; computes its result for one base or a column."""

    kind: ScaleKind
    brackets: tuple[Bracket, ...]
    unit: str
    provenance: Provenance

    def bracket_for(self, base: Decimal | int) -> int | None:
        """Position of the bracket ``base`` falls in (inclusive lower bounds), or None."""
        found = None
        for position, bracket in enumerate(self.brackets):
            if _exact(base) >= bracket.threshold:
                found = position
        return found

    def calc(self, base: Decimal | int) -> Decimal:
        """The result for one base, exact to the cent."""
        value = _exact(base)
        if self.kind is ScaleKind.SINGLE_AMOUNT:
            position = self.bracket_for(value)
            return Decimal(0).quantize(CENT) if position is None else self.brackets[position].value
        total = Fraction(0)
        for position, bracket in enumerate(self.brackets):
            upper = self._upper(position)
            top = value if upper is None else min(value, upper)
            if top > bracket.threshold:
                total += Fraction(top - bracket.threshold) * Fraction(bracket.value)
        return Decimal(round(total * 100)).scaleb(-2)  # round() of a Fraction: half to even

    def calc_cents(self, bases: Sequence[int] | Cents) -> Cents:
        """The results for a column of bases given in cents, as cents (same rule as calc)."""
        array = np.asarray(bases)
        if array.dtype.kind not in "iu":
            raise InvalidInput(
                N_("The scale {path} needs whole cents, not {kind} numbers."),
                hint=N_("Convert the amounts to integer cents first."),
                params={"path": self.provenance.path, "kind": str(array.dtype)},
            )
        array = array.astype(np.int64)
        thresholds = np.array(self.thresholds_in_cents(), dtype=np.int64)
        if self.kind is ScaleKind.SINGLE_AMOUNT:
            amounts = np.array([0, *self.amounts_in_cents()], dtype=np.int64)
            return amounts[np.searchsorted(thresholds, array, side="right")]
        return self._marginal_cents(array, thresholds)

    def thresholds_in_cents(self) -> list[int]:
        return [_to_cents(b.threshold) for b in self.brackets]

    def amounts_in_cents(self) -> list[int]:
        """A single-amount scale's amounts, in cents."""
        return [_to_cents(b.value) for b in self.brackets]

    def rates_as_integers(self) -> tuple[list[int], int]:
        """A marginal scale's rates as integer numerators over one power of ten, so the
        exact total of a base in cents is an integer numerator over that denominator."""
        places = max([0, *(-_exponent(b.value) for b in self.brackets)])
        return [int(b.value.scaleb(places)) for b in self.brackets], 10**places

    def _marginal_cents(self, bases: Cents, thresholds: Cents) -> Cents:
        # The exact total is an integer numerator; Python ints take over where int64
        # could overflow.
        numerators, denominator = self.rates_as_integers()
        largest = int(np.abs(bases).max(initial=0)) + int(np.abs(thresholds).max(initial=0))
        widest = largest * max((abs(n) for n in numerators), default=0) * len(numerators)
        exact: npt.NDArray[Any] = bases if widest < 2**62 else bases.astype(object)
        total = np.zeros_like(exact)
        for position, numerator in enumerate(numerators):
            low = int(thresholds[position])
            part = exact - low
            if position + 1 < len(numerators):
                part = np.minimum(part, int(thresholds[position + 1]) - low)
            total = total + np.maximum(part, 0) * numerator
        return _round_half_even(total, denominator).astype(np.int64)

    def _upper(self, position: int) -> Decimal | None:
        following = position + 1
        return self.brackets[following].threshold if following < len(self.brackets) else None


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


def _round_half_even(numerator: npt.NDArray[Any], denominator: int) -> npt.NDArray[Any]:
    """numerator / denominator rounded half to even, element by element, in integers."""
    quotient = numerator // denominator  # floor division, so 0 <= remainder < denominator
    remainder = numerator - quotient * denominator
    twice = remainder * 2
    up = (twice > denominator) | ((twice == denominator) & (quotient % 2 == 1))
    rounded: npt.NDArray[Any] = quotient + up
    return rounded


def _to_cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _exact(base: object) -> Decimal:
    """A base as an exact Decimal; floats are refused, they would carry binary errors."""
    if isinstance(base, bool) or not isinstance(base, Decimal | int):
        raise InvalidInput(
            N_("A scale needs an exact amount, not {kind}."),
            hint=N_("Pass a Decimal such as Decimal('1234.56'), or whole cents."),
            params={"kind": type(base).__name__},
        )
    return Decimal(base)


Leaf = Parameter | Scale


@dataclass(frozen=True)
class ParameterNode:
    """A group of parameters (a folder, a file or a mapping in a file)."""

    path: str  # "" for the root
    children: tuple[ParameterNode | Parameter | Scale, ...] = ()
    label: LocalText | None = None

    @property
    def name(self) -> str:
        return self.path.rpartition(".")[2]

    @cached_property
    def _index(self) -> dict[str, ParameterNode | Parameter | Scale]:
        index: dict[str, ParameterNode | Parameter | Scale] = {self.path: self}
        for child in self.children:
            if isinstance(child, ParameterNode):
                index.update(child._index)
            else:
                index[child.path] = child
        return index

    def find(self, path: str) -> ParameterNode | Parameter | Scale:
        """The group, parameter or scale at a dotted path."""
        found = self._index.get(path)
        if found is None:
            raise NotFound(
                N_("There is no parameter called {path}."),
                hint=N_("Run 'civitas rules parameters' to list them."),
                params={"path": path},
            )
        return found

    def at(self, path: str, on: date) -> ParameterValue | Brackets:
        """The value of the parameter or scale at ``path`` on a date, with its provenance."""
        found = self.find(path)
        if isinstance(found, ParameterNode):
            raise InvalidInput(
                N_("{path} is a group of parameters, not one parameter."),
                hint=N_("Ask for one of the parameters inside it."),
                params={"path": path},
            )
        return found.at(on)

    def leaves(self) -> Iterator[Parameter | Scale]:
        """Every parameter and scale under this node, in path order."""
        for child in self.children:
            if isinstance(child, ParameterNode):
                yield from child.leaves()
            else:
                yield child
