"""A duration compared with a whole number holds for exactly the dates the batch's
comparison with the edge day lets through: on the edge, either side of it, and
anywhere else (29 February and month ends included)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from civitas.rules import Period
from civitas.rules.batch_dates import on_the_calendar
from civitas.rules.batch_plan import plan
from civitas.rules.batch_schedule import schedule
from civitas.rules.expressions import Between, Comparison, Const, Expr
from civitas.rules.interpreter import between
from civitas.rules.values import Kind
from tests.rules.batch_pack import load_pack

MOVING = Const("the other date", Kind.ENUM)  # stands for the column; never evaluated
OPERATORS = ("<", "<=", ">", ">=")
days = st.dates(date(1900, 1, 1), date(2100, 12, 31))


@given(
    unit=st.sampled_from(["years", "months", "days"]),
    fixed=days,
    fixed_at_end=st.booleans(),
    operator=st.sampled_from(OPERATORS),
    count=st.integers(-40, 130),
    number_first=st.booleans(),
    elsewhere=days,
)
def test_the_edge_divides_the_days_where_the_comparison_holds(
    unit: str,
    fixed: date,
    fixed_at_end: bool,
    operator: str,
    count: int,
    number_first: bool,
    elsewhere: date,
) -> None:
    bound = Const(fixed, Kind.DATE)
    duration = Between(unit, MOVING, bound) if fixed_at_end else Between(unit, bound, MOVING)  # type: ignore[arg-type]
    number = Const(count, Kind.INTEGER)
    mirrored = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[operator]
    dated = (
        on_the_calendar(mirrored, number, duration)
        if number_first
        else on_the_calendar(operator, duration, number)
    )
    assert dated is not None  # some day in 1900-2100 holds and some does not
    assert isinstance(dated, Comparison)
    assert dated.left is MOVING
    edge = _day(dated.right)
    for day in (edge - timedelta(days=1), edge, edge + timedelta(days=1), elsewhere):
        start, end = (day, fixed) if fixed_at_end else (fixed, day)
        assert _compare(dated.operator, day, edge) == _compare(
            operator, between(unit, start, end), count
        ), day


def test_a_comparison_that_holds_every_day_or_none_is_left_as_it_is() -> None:
    duration = Between("years", MOVING, Const(date(2026, 1, 1), Kind.DATE))
    assert on_the_calendar("<", duration, Const(99_999, Kind.INTEGER)) is None
    assert on_the_calendar(">=", duration, Const(99_999, Kind.INTEGER)) is None


def test_only_durations_between_a_date_and_a_fixed_date_against_whole_numbers() -> None:
    fixed = Const(date(2026, 1, 1), Kind.DATE)
    duration = Between("years", MOVING, fixed)
    assert on_the_calendar("==", duration, Const(18, Kind.INTEGER)) is None
    assert on_the_calendar("<", duration, Const(18_00, Kind.MONEY)) is None
    assert on_the_calendar("<", Between("years", fixed, fixed), Const(1, Kind.INTEGER)) is None
    assert on_the_calendar("<", Between("years", MOVING, MOVING), Const(1, Kind.INTEGER)) is None


def test_the_batch_compares_birth_dates_instead_of_working_out_ages(tmp_path: Path) -> None:
    rules = load_pack(tmp_path)  # is_child: age < 18; toddler: months_between(...) < 36
    tables = {"person": {"person_id": "integer", "household_id": "integer", "birth_date": "date"}}
    planned = plan(rules, Period.parse("2026-01"), ["is_child", "toddler"], tables)
    frames = schedule(planned)
    computed = [d.expression for frame in frames for layer in frame.layers for d in layer]
    assert computed
    assert not any(isinstance(e, Between) for e in computed)
    assert all(isinstance(e, Comparison) and _day(e.right) for e in computed)


def _day(node: Expr) -> date:
    assert isinstance(node, Const)
    assert isinstance(node.value, date)
    return node.value


def _compare(operator: str, a: Any, b: Any) -> bool:
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]
