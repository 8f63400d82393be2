"""Periods a variable has a value for: a month, a year, or for ever (eternity)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_

DEEPEST = 240  # periods a chain of earlier months may reach back through, in both evaluators


class Unit(StrEnum):
    """How often a variable's value can change."""

    MONTH = "month"  # e.g. a monthly benefit, this month's income
    YEAR = "year"  # e.g. yearly household income for a means test
    ETERNITY = "eternity"  # never changes, e.g. date of birth


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """A month (``2026-03``), a year (``2026``) or ``eternity``."""

    unit: Unit
    start: date  # the first day; 0001-01-01 for eternity

    @classmethod
    def parse(cls, text: str, field: tuple[str | int, ...] = ("period",)) -> Period:
        """A period from ``YYYY-MM``, ``YYYY`` or ``eternity``."""
        if text == "eternity":
            return ETERNITY
        try:
            if found := _MONTH.match(text):
                return cls.month(int(found[1]), int(found[2]))
            if found := _YEAR.match(text):
                return cls(Unit.YEAR, date(int(found[1]), 1, 1))
        except ValueError:
            pass
        raise InvalidInput(
            N_("'{text}' is not a period."),
            hint=N_("Write a month as YYYY-MM (2026-03) or a year as YYYY (2026)."),
            params={"text": text[:40]},
            errors=(FieldError(field, N_("Expected a period such as 2026-03.")),),
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(Unit.MONTH, date(year, month, 1))

    @property
    def end(self) -> date:
        """The last day of the period."""
        if self.unit is Unit.ETERNITY:
            return date.max
        if self.unit is Unit.YEAR:
            return date(self.start.year, 12, 31)
        return self.shift(1).start - timedelta(days=1)

    def shift(self, months: int) -> Period:
        """The month ``months`` later (earlier when negative); a year moves by whole years."""
        if self.unit is Unit.ETERNITY:
            return self
        if self.unit is Unit.YEAR:
            return Period(Unit.YEAR, date(self.start.year + months // 12, 1, 1))
        index = self.start.year * 12 + self.start.month - 1 + months
        return Period.month(index // 12, index % 12 + 1)

    def as_unit(self, unit: Unit) -> Period:
        """The period of ``unit`` that holds this one: the year of a month, or eternity."""
        if unit is Unit.ETERNITY:
            return ETERNITY
        if unit is Unit.YEAR:
            return Period(Unit.YEAR, date(self.start.year, 1, 1))
        if self.unit is Unit.MONTH:
            return self
        raise ValueError(f"a {self.unit} holds no single month")

    def months(self) -> tuple[Period, ...]:
        """The months of a year (or the month itself)."""
        if self.unit is Unit.MONTH:
            return (self,)
        return tuple(Period.month(self.start.year, m) for m in range(1, 13))

    def __str__(self) -> str:
        if self.unit is Unit.ETERNITY:
            return "eternity"
        if self.unit is Unit.YEAR:
            return f"{self.start.year:04d}"
        return f"{self.start.year:04d}-{self.start.month:02d}"


ETERNITY = Period(Unit.ETERNITY, date.min)
