"""Compile a batch plan to Ibis expressions, for DuckDB or Spark.

:mod:`civitas.rules.batch_plan` has already turned every formula into columns over
columns, in stages; this module translates those trees one to one into Ibis values
and chains the frames: each person frame joins the group tables of earlier stages,
each group frame sums its members from the person frame of its stage and is kept
(cached) for the stages after it. Nothing runs until a caller asks for results.

Exactness on both engines:

- numbers are 64-bit integers throughout: literals are cast to BIGINT, so that a
  product of two constants cannot overflow a 32-bit integer first;
- division is the engine's own integer division (truncating; Ibis's ``//`` goes
  through floating point), never by zero: :mod:`civitas.rules.batch_ir` guards it;
- "unknown" is NULL. SQL's AND/OR already follow three-valued logic; everything
  else that SQL treats differently (CASE skips a NULL condition, LEAST and
  GREATEST skip NULLs, SUM skips NULLs) is spelled out explicitly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache, reduce
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import ibis.expr.types as ir

from civitas.rules.batch_inputs import ID, membership_of
from civitas.rules.batch_ir import (
    Column,
    FirstKnown,
    GroupResult,
    Indicator,
    Known,
    MemberPart,
    Null,
    Truncated,
    columns_used,
    may_be_null,
)
from civitas.rules.batch_plan import Plan
from civitas.rules.batch_schedule import Frame
from civitas.rules.entities import PERSON
from civitas.rules.expressions import (
    Arithmetic,
    Between,
    Comparison,
    Const,
    Convert,
    Expr,
    Extreme,
    Logic,
    Not,
    OneOf,
    Select,
)
from civitas.rules.values import NUMERIC, Kind

DTYPES: Mapping[Kind, dt.DataType] = {
    Kind.BOOL: dt.boolean,
    Kind.INTEGER: dt.int64,
    Kind.MONEY: dt.int64,
    Kind.RATE: dt.int64,
    Kind.DATE: dt.date,
    Kind.ENUM: dt.string,
}
_KEY = "__key"  # a group id while joining, so that it cannot clash with ``__id``


# the engines' own integer division (truncated toward zero), by dialect
_QUOTIENT = {"duckdb": "divide", "pyspark": "div"}


@cache
def _quotient(dialect: str) -> Callable[[Any, Any], ir.Value]:
    """The engine's integer division as an Ibis function (``//`` would go through
    floating point)."""

    def quotient(left: int, right: int) -> int:  # type: ignore[empty-body]
        """Integer division truncated toward zero; Ibis reads only the signature."""

    function: Callable[[Any, Any], ir.Value] = ibis.udf.scalar.builtin(
        quotient, name=_QUOTIENT.get(dialect, "divide")
    )
    return function


@cache  # Ibis values are immutable; building one is not cheap
def literal(value: bool | int | str | date, kind: Kind) -> ir.Value:
    """A constant of a kind; whole numbers always as BIGINT."""
    if kind in NUMERIC:
        number = int(value)  # type: ignore[arg-type]
        small = -(2**31) <= number < 2**31
        return ibis.literal(number, type="int32" if small else "int64").cast("int64")
    return ibis.literal(value, type=DTYPES[kind])


class Emitter:
    """Translates planned trees into Ibis values over one table."""

    def __init__(self, dialect: str) -> None:
        self.quotient = _quotient(dialect)

    def value(self, node: Expr, table: ir.Table, nullable: Callable[[str], bool]) -> ir.Value:
        """``node`` over ``table``, whose columns ``nullable`` says can be NULL."""

        def emit(child: Expr) -> Any:
            return self.value(child, table, nullable)

        match node:
            case Column(name=name):
                return table[name]
            case Null(kind=kind):
                return ibis.null(DTYPES[kind])
            case Const(value=value, kind=kind):
                return literal(value, kind)
            case FirstKnown(operands=operands):
                return ibis.coalesce(*(emit(operand) for operand in operands))
            case Indicator(condition=condition):
                return ibis.ifelse(
                    emit(condition), literal(1, Kind.INTEGER), literal(0, Kind.INTEGER)
                )
            case Known(operands=operands):
                return reduce(lambda a, b: a | b, [emit(o).notnull() for o in operands])
            case Convert(operand=operand, factor=factor):
                return emit(operand) * literal(factor, Kind.INTEGER)
            case Arithmetic(operator=operator, left=left, right=right):
                return _ARITHMETIC[operator](emit(left), emit(right))
            case Truncated(operator="div", left=left, right=right):
                return self.quotient(emit(left), emit(right))
            case Truncated(left=left, right=right):
                return emit(left) % emit(right)
            case Comparison(operator=operator, left=left, right=right):
                return _COMPARISON[operator](emit(left), emit(right))
            case Logic(operator="and", left=left, right=right):
                return emit(left) & emit(right)
            case Logic(left=left, right=right):
                return emit(left) | emit(right)
            case Not(operand=operand):
                return ~emit(operand)
            case Select(cases=cases, default=default):
                branches = [(emit(c), emit(v), _unknown_when(c, nullable)) for c, v in cases]
                return _strict_cases(branches, emit(default))
            case Extreme(operator=operator, operands=operands):
                values = [emit(operand) for operand in operands]
                chosen = ibis.least(*values) if operator == "min" else ibis.greatest(*values)
                if not any(may_be_null(operand, nullable) for operand in operands):
                    return chosen
                unknown = reduce(lambda a, b: a | b, [v.isnull() for v in values])
                return ibis.cases((unknown, ibis.null(chosen.type())), else_=chosen)
            case OneOf(operand=operand, choices=choices):
                # equalities, not IN: Spark misreads "x IN (...) IS NULL" once inlined
                chosen = emit(operand)
                if not choices:  # false, or unknown for an unknown operand
                    return ibis.cases((chosen.isnull(), ibis.null("boolean")), else_=False)
                return reduce(lambda a, b: a | b, [chosen == choice for choice in choices])
            case Between(unit=unit, start=start, end=end):
                return _between(unit, emit(start), emit(end))
            case MemberPart():
                return _member_part(node, table, emit)
            case GroupResult():
                return _group_result(node, table)
        raise TypeError(f"the batch compiler cannot translate {node!r}")


_ARITHMETIC: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
}
_COMPARISON: Mapping[str, Callable[[Any, Any], Any]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _strict_cases(cases: list[tuple[Any, Any, str | None]], default: Any) -> ir.Value:
    """The first case that holds; an unknown condition makes the result unknown
    (SQL's CASE would skip it). A column compared with a constant is tested for
    NULL once, however many cases compare it (as a scale's brackets do)."""
    values = [value for _, value, _ in cases] + [default]
    typed = next((v.type() for v in values if not v.type().is_null()), dt.int64)
    unknown = ibis.null(typed)
    branches: list[tuple[Any, Any]] = []
    tested = {_NEVER}
    for condition, value, when in cases:
        if when not in tested:
            branches.append((condition.isnull(), unknown))
            if when is not None:
                tested.add(when)
        branches.append((condition, value))
    return ibis.cases(*branches, else_=default)


_NEVER = "never"  # a condition that is never unknown


def _unknown_when(condition: Expr, nullable: Callable[[str], bool]) -> str | None:
    """What makes a condition unknown, when it is known: nothing, or one column."""
    if not may_be_null(condition, nullable):
        return _NEVER
    match condition:
        case Known() | Const(value=bool()):
            return _NEVER
        case Comparison(left=Column(name=name), right=Const()):
            return name
        case Comparison(left=Const(), right=Column(name=name)):
            return name
    return None


def _between(unit: str, start: Any, end: Any) -> ir.Value:
    if unit == "days":
        return end.delta(start, unit="day").cast("int64")
    if unit == "months":
        whole = (end.year() * 12 + end.month()) - (start.year() * 12 + start.month())
        short = ibis.ifelse(end.day() < start.day(), 1, 0)
    else:
        whole = end.year() - start.year()
        later = end.month() * 100 + end.day() < start.month() * 100 + start.day()
        short = ibis.ifelse(later, 1, 0)
    return (whole - short).cast("int64")


def _member_part(node: MemberPart, table: ir.Table, emit: Callable[[Expr], Any]) -> ir.Value:
    """A person's share in an aggregate of their group (see batch_ir.MemberPart)."""
    in_role: Any = None
    if node.role_column is not None:
        in_role = table[node.role_column] == node.role

    def member(condition: Any) -> Any:
        return condition if in_role is None else in_role & condition

    if node.part == "member":
        return literal(True, Kind.BOOL) if in_role is None else in_role
    assert node.operand is not None
    operand = emit(node.operand)
    if node.part == "value":
        return operand if in_role is None else ibis.ifelse(in_role, operand, None)
    if node.part == "unknown":
        return member(operand.isnull())
    return member(operand if node.part == "true" else ~operand)


def _reduced(function: str, column: Any) -> Any:
    """A part reduced over a group's members. Sums are cast back to BIGINT: DuckDB
    sums into HUGEINT, which would make every later step slower."""
    if function == "sum":
        return ops.Cast(column.sum(), to=dt.int64).to_expr()
    if function == "max":
        return column.max()
    if function == "count":
        return ibis.ifelse(column, 1, None).count()  # the members for whom it holds
    return column.any()


def _group_result(node: GroupResult, table: ir.Table) -> ir.Value:
    """An aggregate's value from its reduced parts; a group without members has NULL
    parts: no members, nothing unknown."""
    parts: dict[str, str] = dict(node.parts)

    def number(name: str) -> Any:
        return table[parts[name]].fill_null(0)

    def holds(name: str) -> Any:
        return table[parts[name]].fill_null(False)

    if node.function == "count" and "member" in parts:
        return number("member")
    if node.function in ("sum", "max", "count"):
        found = number("value" if node.function != "count" else "true")
    elif node.function == "any":
        found = holds("true")
    else:
        found = ~holds("false")
    if "unknown" not in parts:  # no member's operand can be unknown
        return found
    unknown = holds("unknown")
    if node.function in ("sum", "max", "count"):
        return ibis.cases((unknown, ibis.null("int64")), else_=found)
    if node.function == "any":
        return ibis.cases((found, True), (unknown, ibis.null("boolean")), else_=False)
    return ibis.cases((~found, False), (unknown, ibis.null("boolean")), else_=True)


# -- running the frames ----------------------------------------------------------------


def _groups_of(group: str, persons: ir.Table | None) -> ir.Table:
    """Without a table of its own, a group kind has the groups its persons belong to."""
    assert persons is not None
    key = persons[membership_of(group)]
    return persons.select(**{ID: key}).filter(key.notnull()).distinct()


class Runner:
    """Chains the frames of a plan over the input tables of one backend."""

    def __init__(
        self,
        plan: Plan,
        frames: list[Frame],
        sources: Mapping[str, ir.Table],
        connection: Any,
    ) -> None:
        self.plan = plan
        self.frames = frames
        self.sources = sources
        self.connection = connection
        self.emitter = Emitter(connection.name)
        self.cached: list[ir.Table] = []
        self.views: list[str] = []

    def run(self) -> dict[str, ir.Table]:
        """The outputs per entity: the id column and one column per variable."""
        persons_base = self._base(PERSON) if self._needs_persons() else None
        tables = {
            group: self._base(group) if group in self.sources else _groups_of(group, persons_base)
            for group in self._groups()
        }
        person_stages: dict[int, ir.Table] = {}
        for frame in self.frames:
            if frame.entity == PERSON:
                assert persons_base is not None
                person_stages[frame.stage] = self._person_frame(frame, persons_base, tables)
            else:
                persons = person_stages.get(frame.stage)
                tables[frame.entity] = self._group_frame(frame, tables[frame.entity], persons)
        return self._outputs(person_stages, tables)

    def release(self) -> None:
        """Drop the group tables and person views kept between stages."""
        for table in self.cached:
            table.release()
        self.cached.clear()
        for name in self.views:
            self.connection.drop_view(name, force=True)
        self.views.clear()

    # -- tables ---------------------------------------------------------------------

    def _needs_persons(self) -> bool:
        return any(column.entity == PERSON for column in self.plan.inputs)

    def _groups(self) -> set[str]:
        return {entity for entity in self.plan.entity_of.values() if entity != PERSON}

    def _base(self, entity: str) -> ir.Table:
        """The entity's input columns under their planned names and types."""
        source = self.sources[entity]
        columns = {
            column.name: source[column.source].cast(
                dt.int64 if column.kind is None else DTYPES[column.kind]
            )
            for column in self.plan.inputs
            if column.entity == entity
        }
        return source.select(**columns)

    def _person_frame(
        self, frame: Frame, base: ir.Table, tables: Mapping[str, ir.Table]
    ) -> ir.Table:
        table = base
        for group, names in frame.imports.items():
            groups = tables[group]
            right = groups.select(**{_KEY: groups[ID]}, **{n: groups[n] for n in names})
            table = table.left_join(right, table[membership_of(group)] == right[_KEY]).select(
                *table.columns, *names
            )
        table = self._layers(frame, table).select(*frame.keep)
        # a view is compiled once, here; Ibis would compile the whole tree again in
        # every query built on it (and the engine inlines a view like a subquery)
        name = f"civitas_persons_{uuid.uuid4().hex[:12]}"
        self.views.append(name)
        return self.connection.create_view(name, table)

    def _group_frame(self, frame: Frame, table: ir.Table, persons: ir.Table | None) -> ir.Table:
        if frame.reductions:
            assert persons is not None
            key = persons[membership_of(frame.entity)]
            parts = {r.name: _reduced(r.function, persons[r.source]) for r in frame.reductions}
            sums = persons.group_by(**{_KEY: key}).aggregate(**parts)
            table = table.left_join(sums, table[ID] == sums[_KEY]).select(*table.columns, *parts)
        table = self._layers(frame, table).select(*frame.keep)
        cached = table.cache()
        self.cached.append(cached)
        return cached

    def _layers(self, frame: Frame, table: ir.Table) -> ir.Table:
        """The frame's columns, layer by layer, each layer handing on only the columns
        later layers or the frame's result read (narrow selects compile faster)."""
        nullable = self.plan.nullable_in(frame.entity)
        later = [set(frame.keep)]
        for layer in reversed(frame.layers):
            later.append(later[-1].union(*(columns_used(d.expression) for d in layer)))
        later.reverse()  # later[n]: the columns read from layer n on
        for n, layer in enumerate(frame.layers):
            handed = [name for name in table.columns if name in later[n + 1]]
            table = table.select(
                *handed,
                **{d.name: self.emitter.value(d.expression, table, nullable) for d in layer},
            )
        return table

    def _outputs(
        self, person_stages: Mapping[int, ir.Table], tables: Mapping[str, ir.Table]
    ) -> dict[str, ir.Table]:
        results: dict[str, ir.Table] = {}
        entities = dict.fromkeys(output.entity for output in self.plan.outputs)
        for entity in entities:
            wanted = [output for output in self.plan.outputs if output.entity == entity]
            if entity == PERSON:
                stage = max([0, *(self.plan.stage_of[o.column] for o in wanted)])
                table = person_stages[stage]
            else:
                table = tables[entity]
            results[entity] = table.select(
                **{f"{entity}_id": table[ID]},
                **{o.variable: table[o.column].cast(DTYPES[o.kind]) for o in wanted},
            )
        return results
