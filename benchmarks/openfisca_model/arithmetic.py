"""Small helpers the formulas share: the law's rounding, and whole years, months, days.

OpenFisca keeps money in float32 euros. The law rounds every product and quotient to
the cent, half to even (``civitas/rules/values.py``); :func:`cents` does the same on
floats, and is also applied to sums so that float32 never carries a fraction of a cent
into a comparison with a limit.

Whole years and months between dates follow ``civitas.rules.interpreter.between``: a
year (month) is complete on the same day number, or on the month's last day when it
has no such day. Instead of splitting a million dates into year, month and day, they
are compared with the one date that starts each count (``searchsorted``): a person is
at least k years old exactly when born on or before the day k years before.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

import numpy

Array = numpy.ndarray[Any, Any]
SPAN = 2400  # counts are exact from -SPAN to SPAN months (200 years); beyond, clipped


def cents(amount: Array) -> Array:
    """An amount in euros rounded to the cent, half to even, stored as OpenFisca does."""
    rounded = numpy.round(numpy.asarray(amount, dtype=numpy.float64), 2)
    return rounded.astype(numpy.float32)


def day(instant: Any) -> numpy.datetime64:
    """An OpenFisca instant (e.g. ``period.start``) as a numpy day."""
    return numpy.datetime64(instant.date.isoformat(), "D")


def whole_years(start: Array, end: Any) -> Array:
    """Whole years from each of ``start`` (dates) to ``end`` (an instant): an age."""
    return _count(start, end.date, 12, SPAN // 12)


def whole_months(start: Array, end: Any) -> Array:
    """Whole months from each of ``start`` (dates) to ``end`` (an instant)."""
    return _count(start, end.date, 1, SPAN)


def days_between(start: Array, end: Any) -> Array:
    """Days from each of ``start`` (dates) to ``end`` (an instant)."""
    return (day(end) - start).astype(numpy.int64)


def _count(start: Array, on: date, step: int, span: int) -> Array:
    """The largest k (from -span to span) such that ``start`` <= the day k steps before."""
    firsts = [_months_before(on, k * step) for k in range(span, -span - 1, -1)]  # ascending
    reached = len(firsts) - numpy.searchsorted(numpy.array(firsts, "datetime64[D]"), start)
    return reached.astype(numpy.int64) - span - 1


def _months_before(on: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day if it has no such day)."""
    index = on.year * 12 + on.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(on.day, last))
