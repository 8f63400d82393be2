"""Plan a population batch: what to compute, on which table, in which stage.

The batch compiler evaluates the same elaborated formulas as the interpreter, for all
persons and groups at once. This module decides *what* to compute, with no query
engine in sight; :mod:`civitas.rules.compiler` turns the plan into queries.

- Each variable is computed once per period it is needed in (``months_ago`` and
  ``sum_of_year`` reach other periods) and becomes a column of its entity's table.
- Inputs come from the entity's table, each row read as one member of a situation:
  a value in ``name`` holds for every period, one in ``name@2026-02`` for that
  period only (and wins); values for other periods only leave it unknown, and so
  does no value at all, unless the variable has a formula, which then computes it.
  Parameters and scales become constants for the first day of the period.
- **Stages.** A group sums its members and a person reads their group, so columns
  are computed in stages: at stage ``s`` persons may read group columns of earlier
  stages (joined in), and groups may aggregate person columns of stage ``s``. Each
  group table is kept after its stage; person tables are recomputed from the input
  when a later stage needs them, which is cheaper than storing millions of rows.

A duration between a date and a fixed day compared with a whole number ("aged 18 or
over") becomes the date compared with one day (:mod:`civitas.rules.batch_dates`).

Missing or mistyped input columns are all reported at once, before anything runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_
from civitas.rules.batch_dates import on_the_calendar
from civitas.rules.batch_inputs import ID, InputColumn, InputTables, role_of
from civitas.rules.batch_ir import (
    Column,
    FirstKnown,
    GroupResult,
    Known,
    MemberPart,
    Null,
    Part,
    Reducer,
    divide,
    integer,
    is_atom,
    may_be_null,
    rounded,
    scale,
    size,
)
from civitas.rules.checker import PARAMETER_TYPES
from civitas.rules.entities import PERSON
from civitas.rules.expressions import (
    Aggregate,
    Arithmetic,
    Between,
    Comparison,
    Const,
    Convert,
    Expr,
    Extreme,
    FromGroup,
    Logic,
    Not,
    OneOf,
    ParameterRef,
    PeriodDate,
    Rounded,
    ScaleResult,
    Select,
    VariableRef,
)
from civitas.rules.interpreter import stored_parameter
from civitas.rules.parameters import Brackets, Parameter, ParameterValue
from civitas.rules.periods import DEEPEST, Period, Unit
from civitas.rules.rulebook import RuleBook
from civitas.rules.values import Kind, default_of
from civitas.rules.variables import Variable

_SHARED_SIZE = 6  # a tree this small is cheaper to repeat than to store


@dataclass(frozen=True)
class Definition:
    """A column computed on an entity's table in a stage."""

    name: str
    entity: str
    stage: int
    expression: Expr


@dataclass(frozen=True)
class Reduction:
    """A person column reduced per group (summed, maximised, its trues counted or
    tested for any), into a group column."""

    group: str
    stage: int
    name: str  # the group column
    function: Reducer
    source: str  # the person column


@dataclass(frozen=True)
class Output:
    """A variable asked for, and the column that will hold it."""

    entity: str
    variable: str
    column: str
    kind: Kind


@dataclass(frozen=True)
class Plan:
    """Everything to compute for one period, in an order that works."""

    period: Period
    inputs: tuple[InputColumn, ...]
    definitions: tuple[Definition, ...]  # each after the columns it uses
    reductions: tuple[Reduction, ...]
    outputs: tuple[Output, ...]
    entity_of: Mapping[str, str]  # every column: the entity whose table holds it
    stage_of: Mapping[str, int]  # every column: its stage; -1 for inputs
    nullable: Mapping[str, bool] = field(default_factory=dict)  # can be NULL on its table

    def nullable_in(self, entity: str) -> Callable[[str], bool]:
        """Which columns can be NULL on the entity's tables."""
        return _nullable_in(entity, self.entity_of, self.nullable)


def _nullable_in(
    entity: str, entity_of: Mapping[str, str], nullable: Mapping[str, bool]
) -> Callable[[str], bool]:
    def check(name: str) -> bool:
        if entity_of.get(name, entity) != entity:
            return True  # a group's column joined in: a person may have no group
        return nullable.get(name, True)

    return check


def plan(
    rules: RuleBook,
    period: Period,
    variables: Sequence[str],
    tables: Mapping[str, Mapping[str, str]],
    complete: Mapping[str, Collection[str]] | None = None,
) -> Plan:
    """The plan for ``variables`` in ``period``, from tables with these columns and
    column types ("integer", "boolean", "date", "string", "null" or another name).
    ``complete`` names, per table, the columns known to hold no NULL: what is computed
    from those alone is never unknown, and the queries do not test for it.

    Raises InvalidInput naming every variable and table that does not fit.
    """
    planner = _Planner(rules, InputTables(tables, complete or {}))
    outputs = []
    for name in variables:
        declared = rules.variable(name)
        try:
            with _deep_recursion():
                outputs.append(planner.output(declared, period))
        except (_TooDeep, RecursionError):
            raise InvalidInput(
                N_("{name} reaches back more than {deepest} periods before {period}."),
                hint=N_("A formula that uses its own earlier months needs a start date."),
                params={"name": name, "deepest": DEEPEST, "period": str(period)},
            ) from None
    planner.identifiers()
    planner.inputs.check()
    return Plan(
        period=period,
        inputs=tuple(planner.inputs.read.values()),
        definitions=tuple(planner.definitions),
        reductions=tuple(planner.reductions),
        outputs=tuple(outputs),
        entity_of=planner.entity_of,
        stage_of=planner.stage_of,
        nullable=planner.nullable,
    )


class _TooDeep(Exception):
    """Variables needing variables of earlier periods, further back than DEEPEST."""


@contextmanager
def _deep_recursion() -> Iterator[None]:
    """Room for DEEPEST nested variables, each a dozen frames of the walk below."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, DEEPEST * 16 + 1000))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


@dataclass(frozen=True)
class _At:
    entity: str
    period: Period


@dataclass
class _Planner:
    rules: RuleBook
    inputs: InputTables
    definitions: list[Definition] = field(default_factory=list)
    reductions: list[Reduction] = field(default_factory=list)
    entity_of: dict[str, str] = field(default_factory=dict)
    stage_of: dict[str, int] = field(default_factory=dict)
    nullable: dict[str, bool] = field(default_factory=dict)
    _variables: dict[tuple[str, str], tuple[Expr, int]] = field(default_factory=dict)
    _nodes: dict[tuple[int, str], tuple[Expr, int]] = field(default_factory=dict)
    _defined: dict[str, Expr] = field(default_factory=dict)  # by column name
    _depth: int = 0
    _memberships: set[str] = field(default_factory=set)

    # -- outputs and variables ----------------------------------------------------------

    def output(self, declared: Variable, period: Period) -> Output:
        if declared.period is Unit.MONTH and period.unit is not Unit.MONTH:
            raise InvalidInput(
                N_("{name} is computed per month; ask for a month such as 2026-03."),
                params={"name": declared.name},
            )
        found, stage = self.variable(declared.name, period)
        if not isinstance(found, Column):
            found = self.define(declared.entity, found, stage)
        return Output(declared.entity, declared.name, found.name, declared.type.kind)

    def variable(self, name: str, period: Period) -> tuple[Expr, int]:
        declared = self.rules.variable(name)
        period = declared.period_for(period)
        key = (name, str(period))
        found = self._variables.get(key)
        if found is None:
            self._depth += 1
            if self._depth > DEEPEST:
                raise _TooDeep
            found = self._variables[key] = self._compute(name, period)
            self._depth -= 1
        return found

    def _compute(self, name: str, period: Period) -> tuple[Expr, int]:
        """A variable from its columns, else its formula, as a situation gives it: a row
        with a value in ``name`` or ``name@period`` uses it; a row with values for
        other periods only is unknown; a row with none is computed."""
        declared = self.rules.variable(name)
        entity, kind = declared.entity, declared.type.kind
        columns = self.inputs.columns(entity)
        own = f"{name}@{period}"
        given = [self.read(entity, column, kind) for column in (own, name) if column in columns]
        others = [c for c in columns if c.startswith(f"{name}@") and c != own]
        if declared.is_input:
            if not given and not others:
                self.inputs.missing(entity, name, period, kind)
            if len(given) < 2:
                return (given[0] if given else Null(kind)), -1
            return self.define(entity, FirstKnown(tuple(given)), -1), 0
        computed, stage = self._formula(declared, period)
        if not given and not others:
            return computed, stage
        cases: list[tuple[Expr, Expr]] = [(Known((column,)), column) for column in given]
        if others:
            elsewhere = tuple(self.read(entity, column, kind) for column in others)
            cases.append((Known(elsewhere), Null(kind)))
        return self.define(entity, Select(tuple(cases), computed), stage), max(stage, 0)

    def _formula(self, declared: Variable, period: Period) -> tuple[Expr, int]:
        formula = declared.formula_for(period)
        kind = declared.type.kind
        if formula is None or formula.expression is None:
            default = default_of(kind)
            return (Null(kind) if default is None else Const(default, kind)), -1
        expression, stage = self.term(formula.expression, _At(declared.entity, period))
        if is_atom(expression) and self._belongs(expression, declared.entity):
            return expression, stage
        return self.define(declared.entity, expression, stage), max(stage, 0)

    def _belongs(self, node: Expr, entity: str) -> bool:
        """Whether a column is on the entity's own table (not a group's, joined in)."""
        return not isinstance(node, Column) or self.entity_of[node.name] == entity

    # -- columns ----------------------------------------------------------------------

    def read(self, entity: str, source: str, kind: Kind | None, name: str = "") -> Column:
        """An input column, checked against the type it must have."""
        name = self.inputs.column(entity, source, kind, name)
        self.entity_of[name] = entity
        self.stage_of[name] = -1
        self.nullable[name] = self.inputs.read[(entity, source)].nullable
        return Column(name)

    def define(self, entity: str, expression: Expr, stage: int) -> Column:
        name = f"__c{len(self.definitions)}"
        stage = max(stage, 0)
        self.definitions.append(Definition(name, entity, stage, expression))
        self._defined[name] = expression
        self.entity_of[name] = entity
        self.stage_of[name] = stage
        self.nullable[name] = self.may_be_null(entity, expression)
        return Column(name)

    def held(self, node: Expr, at: _At) -> Expr:
        """What a column of the entity's own table holds, else ``node`` itself."""
        if isinstance(node, Column) and self.entity_of.get(node.name) == at.entity:
            return self._defined.get(node.name, node)
        return node

    def may_be_null(self, entity: str, node: Expr) -> bool:
        """Whether a tree over the entity's table can be unknown for some row."""
        return may_be_null(node, _nullable_in(entity, self.entity_of, self.nullable))

    def sharer(self, entity: str) -> _Sharer:
        return _Sharer(self, entity)

    def atom(self, entity: str, node: Expr, stage: int) -> Expr:
        return node if is_atom(node) else self.define(entity, node, stage)

    def shared(self, entity: str, node: Expr, stage: int) -> Expr:
        """``node`` itself when small, else a column holding it."""
        return node if size(node) <= _SHARED_SIZE else self.define(entity, node, stage)

    # -- formulas -----------------------------------------------------------------------

    def term(self, node: Expr, at: _At) -> tuple[Expr, int]:
        """``node`` rewritten over columns, and the earliest stage it can be computed in."""
        match node:
            case Const():
                return node, -1
            case Convert(operand=operand, factor=factor):
                found, stage = self.term(operand, at)
                return Convert(found, factor), stage
            case VariableRef():
                return self.reference(node, at)
            case ParameterRef(path=path):
                return self.parameter(path, at), -1
            case ScaleResult(path=path, base=base):
                found, stage = self.term(base, at)
                brackets = self.rules.parameters.at(path, at.period.start)
                assert isinstance(brackets, Brackets)
                return scale(brackets, found, stage, self.sharer(at.entity)), stage
            case PeriodDate(edge=edge):
                day = at.period.start if edge == "start" else at.period.end
                return Const(day, Kind.DATE), -1
            case Arithmetic():
                return self.arithmetic(node, at)
            case Comparison(operator=operator, left=left, right=right):
                (a, first), (b, second) = self.term(left, at), self.term(right, at)
                dated = on_the_calendar(operator, self.held(a, at), self.held(b, at))
                compared = Comparison(operator, a, b) if dated is None else dated
                return compared, max(first, second)
            case Logic(operator=operator, left=left, right=right):
                (a, first), (b, second) = self.term(left, at), self.term(right, at)
                return Logic(operator, a, b), max(first, second)
            case Not(operand=operand):
                found, stage = self.term(operand, at)
                return Not(found), stage
            case Select():
                return self.select(node, at)
            case Extreme(operator=operator, operands=operands):
                terms = [self.term(operand, at) for operand in operands]
                stage = max(found for _, found in terms)
                shared = tuple(self.shared(at.entity, found, stage) for found, _ in terms)
                return Extreme(operator, shared), stage
            case Rounded(operand=operand, step=step):
                found, stage = self.term(operand, at)
                return rounded(found, step, stage, self.sharer(at.entity)), stage
            case OneOf(operand=operand, choices=choices):
                found, stage = self.term(operand, at)
                return OneOf(found, choices), stage
            case Between(unit=unit, start=start, end=end):
                (a, first), (b, second) = self.term(start, at), self.term(end, at)
                stage = max(first, second)
                a, b = self.shared(at.entity, a, stage), self.shared(at.entity, b, stage)
                return Between(unit, a, b), stage
            case Aggregate():
                return self.remembered(node, at, self.aggregate)
            case FromGroup():
                return self.remembered(node, at, self.from_group)
        raise TypeError(f"the batch compiler cannot compute {node!r}")

    def reference(self, node: VariableRef, at: _At) -> tuple[Expr, int]:
        terms = [self.variable(node.name, period) for period in node.periods(at.period)]
        if not node.adds_up:
            return terms[0]
        return _total([found for found, _ in terms]), max(stage for _, stage in terms)

    def parameter(self, path: str, at: _At) -> Const:
        leaf = self.rules.parameters.find(path)
        assert isinstance(leaf, Parameter)
        found = leaf.at(at.period.start)
        assert isinstance(found, ParameterValue)
        value = stored_parameter(found.value, leaf.type)
        assert isinstance(value, bool | int)
        return Const(value, PARAMETER_TYPES[leaf.type].kind)

    def arithmetic(self, node: Arithmetic, at: _At) -> tuple[Expr, int]:
        (a, first), (b, second) = self.term(node.left, at), self.term(node.right, at)
        stage = max(first, second)
        if node.operator in "+-" or (node.operator == "*" and node.scale == 1):
            return Arithmetic(node.operator, a, b), stage
        sharer = self.sharer(at.entity)
        if node.operator == "*":
            return divide(
                Arithmetic("*", a, b), Const(node.scale, Kind.INTEGER), stage, sharer
            ), stage
        dividend = a if node.scale == 1 else Arithmetic("*", a, Const(node.scale, Kind.INTEGER))
        return divide(dividend, b, stage, sharer), stage

    def select(self, node: Select, at: _At) -> tuple[Expr, int]:
        terms = [(self.term(c, at), self.term(v, at)) for c, v in node.cases]
        default, stage = self.term(node.default, at)
        stage = max([stage, *(max(c[1], v[1]) for c, v in terms)])
        # a condition is used twice: is it unknown, does it hold
        cases = tuple((self.shared(at.entity, c[0], stage), v[0]) for c, v in terms)
        return Select(cases, default), stage

    def remembered(
        self, node: Expr, at: _At, compute: Callable[[Expr, _At], tuple[Expr, int]]
    ) -> tuple[Expr, int]:
        """Aggregates and group reads, computed once per period."""
        key = (id(node), str(at.period))
        found = self._nodes.get(key)
        if found is None:
            found = self._nodes[key] = compute(node, at)
        return found

    def from_group(self, node: Expr, at: _At) -> tuple[Expr, int]:
        assert isinstance(node, FromGroup)
        found, stage = self.term(node.operand, _At(node.group, at.period))
        if isinstance(found, Const | Null):
            return found, -1
        column = self.atom(node.group, found, stage)
        assert isinstance(column, Column)
        self._memberships.add(node.group)
        # the group's column is joined into the person table at a later stage
        return column, self.stage_of[column.name] + 1

    def aggregate(self, node: Expr, at: _At) -> tuple[Expr, int]:
        assert isinstance(node, Aggregate)
        group = node.group
        self._memberships.add(group)
        operand: Expr | None = None
        stage = 0
        if node.operand is not None:
            found, stage = self.term(node.operand, _At(PERSON, at.period))
            operand = self.atom(PERSON, found, stage)
            stage = max(stage, 0)
        role_column = None
        if node.role is not None:
            role_column = self.read(PERSON, f"{group}_role", Kind.ENUM, role_of(group)).name
        parts: list[tuple[Part, str]] = []
        # an operand never unknown needs no test for unknown members
        certain = operand is not None and not self.may_be_null(PERSON, operand)
        for part, function in _PARTS[(node.function, operand is None)]:
            if part == "unknown" and certain:
                continue
            person = self.define(PERSON, MemberPart(part, role_column, node.role, operand), stage)
            name = f"__r{len(self.reductions)}"
            self.reductions.append(Reduction(group, stage, name, function, person.name))
            self.entity_of[name], self.stage_of[name] = group, stage
            self.nullable[name] = True  # a group without members has none
            parts.append((part, name))
        result = GroupResult(node.function, tuple(parts))
        return self.define(group, result, stage), stage

    def identifiers(self) -> None:
        """The id columns of every table used (ids are ``ID`` in each table)."""
        self.inputs.identifiers(set(self.entity_of.values()), self._memberships)
        for column in self.inputs.read.values():
            if column.name != ID:
                self.entity_of[column.name], self.stage_of[column.name] = column.entity, -1
                self.nullable[column.name] = column.nullable


def _total(terms: list[Expr]) -> Expr:
    """The sum of several months' values; a column that gives all of them (an input
    given once for every period) is multiplied rather than added again and again."""
    counts: dict[str, int] = {}
    others: list[Expr] = []
    for term in terms:
        if isinstance(term, Column):
            counts[term.name] = counts.get(term.name, 0) + 1
        else:
            others.append(term)
    parts = [
        Column(name) if count == 1 else Arithmetic("*", Column(name), integer(count))
        for name, count in counts.items()
    ]
    summed: list[Expr] = [*parts, *others]
    total = summed[0]
    for part in summed[1:]:
        total = Arithmetic("+", total, part)
    return total


@dataclass(frozen=True)
class _Sharer:
    planner: _Planner
    entity: str

    def share(self, node: Expr, stage: int) -> Expr:
        return self.planner.atom(self.entity, node, stage)


# the parts of each aggregate and how they are reduced, by function and "no operand"
_PARTS: dict[tuple[str, bool], tuple[tuple[Part, Reducer], ...]] = {
    ("sum", False): (("value", "sum"), ("unknown", "any")),
    ("max", False): (("value", "max"), ("unknown", "any")),
    ("count", True): (("member", "count"),),
    ("count", False): (("true", "count"), ("unknown", "any")),
    ("any", False): (("true", "any"), ("unknown", "any")),
    ("all", False): (("false", "any"), ("unknown", "any")),
}
