"""Durations compared with whole numbers, as dates compared with a fixed date.

"Aged 18 or over on the first of the month" is ``years_between(birth_date, start) >=
18``: computed row by row, it takes each birth date apart into year, month and day,
which costs a population batch more than any other arithmetic in the demo law. But a
duration to (or from) a fixed date only shrinks (or only grows) as the other date moves
later, so the comparison holds on one side of a single day, the *edge*: the batch
compares the date with the edge instead (``birth_date <= 2008-01-01``). The edge is
found once, by bisection over every day a date can hold, with the interpreter's own
:func:`~civitas.rules.interpreter.between`: both evaluators keep one meaning, to the
day (29 February included), and an unknown date stays unknown.

A comparison that holds for every day or for none is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from civitas.rules.expressions import Between, Comparison, Const, Expr
from civitas.rules.interpreter import between
from civitas.rules.values import Kind

_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}  # a < b is b > a
_FIRST, _LAST = date.min.toordinal(), date.max.toordinal()


def on_the_calendar(operator: str, left: Expr, right: Expr) -> Comparison | None:
    """``left operator right`` as one date compared with a fixed date, when one side is a
    duration between a date and a fixed date and the other a whole number; else None."""
    if isinstance(left, Const) and not isinstance(right, Const):
        operator, left, right = _MIRRORED.get(operator, operator), right, left
    if operator not in _MIRRORED or not isinstance(left, Between) or not _whole(right):
        return None
    assert isinstance(right, Const)
    assert isinstance(right.value, int)
    at_least = right.value + (operator in (">", "<="))  # d > n is d >= n + 1
    holds = operator in (">", ">=")  # else: the duration is under ``at_least``
    unit = left.unit
    if _fixed(left.end) and not _fixed(left.start):  # shrinks as the start moves later
        fixed, moving, grows = _day(left.end), left.start, False
        duration: Callable[[date], int] = lambda day: between(unit, day, fixed)  # noqa: E731
    elif _fixed(left.start) and not _fixed(left.end):  # grows as the end moves later
        fixed, moving, grows = _day(left.start), left.end, True
        duration = lambda day: between(unit, fixed, day)  # noqa: E731
    else:
        return None
    edge = _edge(duration, at_least, grows)
    if edge is None:
        return None
    if grows:  # long enough from the edge on
        return Comparison(">=" if holds else "<", moving, Const(edge, Kind.DATE))
    return Comparison("<=" if holds else ">", moving, Const(edge, Kind.DATE))  # up to it


def _edge(duration: Callable[[date], int], at_least: int, grows: bool) -> date | None:
    """The first day the duration reaches ``at_least`` (it grows), or the last day it
    still does (it shrinks); None when that is every day or none."""

    def reached(ordinal: int) -> bool:
        return duration(date.fromordinal(ordinal)) >= at_least

    if reached(_FIRST) == reached(_LAST):
        return None
    low, high = _FIRST, _LAST  # reached(low) != reached(high) throughout
    while high - low > 1:
        middle = (low + high) // 2
        if reached(middle) == reached(low):
            low = middle
        else:
            high = middle
    return date.fromordinal(high if grows else low)


def _fixed(node: Expr) -> bool:
    return isinstance(node, Const) and isinstance(node.value, date)


def _day(node: Expr) -> date:
    assert isinstance(node, Const)
    assert isinstance(node.value, date)
    return node.value


def _whole(node: Expr) -> bool:
    return (
        isinstance(node, Const)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
        and node.kind is Kind.INTEGER
    )
