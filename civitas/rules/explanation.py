"""Explanations: why a variable has its value, as a tree people and programs can read."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from civitas.core.text import LocalText
from civitas.rules.interpreter import Interpreter, Key, ParameterUse, Step
from civitas.rules.periods import Period
from civitas.rules.rulebook import RuleBook
from civitas.rules.situation import Situation, show_value
from civitas.rules.values import Kind, Need, Unknown


@dataclass(frozen=True)
class Explanation:
    """One variable's value for one member and period, and everything that decided it."""

    variable: str
    label: LocalText
    entity: str
    member: str
    period: str
    kind: Kind
    value: str | None  # as people write it; None while unknown
    source: str  # formula, input, missing, default
    since: date | None  # the formula version used
    reference: str  # the law of that version
    parameters: tuple[ParameterUse, ...]
    needs: tuple[Need, ...]  # the inputs still missing, when unknown
    children: tuple[Explanation, ...]
    repeated: bool = False  # already explained higher in the tree; children left out

    @property
    def known(self) -> bool:
        return self.value is not None

    def walk(self) -> Iterator[Explanation]:
        yield self
        for child in self.children:
            yield from child.walk()


def calculate(
    rules: RuleBook, situation: Situation, period: Period, names: Sequence[str]
) -> tuple[Interpreter, dict[tuple[str, str], object]]:
    """Each named variable for every member of its entity, and the interpreter used."""
    interpreter = Interpreter(rules, situation)
    results: dict[tuple[str, str], object] = {}
    for name in names:
        declared = rules.variable(name)
        for member in interpreter.members_of(declared.entity):
            results[(name, member)] = interpreter.value(name, member, period)
    return interpreter, results


def explain(interpreter: Interpreter, name: str, member: str, period: Period) -> Explanation:
    step = interpreter.step(name, member, period)
    return _tree(interpreter, step, set())


def _tree(interpreter: Interpreter, step: Step, seen: set[Key]) -> Explanation:
    declared = interpreter.rules.variable(step.variable)
    key = (step.variable, step.member, str(step.period))
    repeated = key in seen
    seen.add(key)
    children = (
        ()
        if repeated
        else tuple(_tree(interpreter, interpreter.steps[used], seen) for used in step.uses)
    )
    version = next((f for f in declared.formulas if f.since == step.since), None)
    unknown = isinstance(step.value, Unknown)
    return Explanation(
        variable=step.variable,
        label=declared.label,
        entity=step.entity,
        member=step.member,
        period=str(step.period),
        kind=declared.type.kind,
        value=None if unknown else show_value(step.value, declared.type),  # type: ignore[arg-type]
        source=step.source,
        since=step.since,
        reference=(version.reference if version and version.reference else declared.reference),
        parameters=tuple(step.parameters),
        needs=tuple(sorted(step.value.needs)) if isinstance(step.value, Unknown) else (),
        children=children,
        repeated=repeated,
    )


def conditions(explanation: Explanation) -> tuple[Explanation, ...]:
    """The yes/no conditions under a result, for a plain "why / why not".

    A condition is a computed yes/no variable the result uses directly, or through
    another computed yes/no variable; each is listed once, nearest first.
    """
    found: dict[str, Explanation] = {}
    frontier = [explanation]
    while frontier:
        following = []
        for node in frontier:
            for child in node.children:
                if child.kind is Kind.BOOL and child.source == "formula":
                    if child.variable not in found:
                        found[child.variable] = child
                    following.append(child)
                elif (
                    child.kind is not Kind.BOOL
                    and child.source == "formula"
                    and node is explanation
                ):
                    following.append(child)
        frontier = following
    return tuple(found.values())


def needed_inputs(
    rules: RuleBook, situation: Situation, period: Period, names: Sequence[str]
) -> tuple[Need, ...]:
    """Every input still missing to know the named variables, for screeners."""
    _, results = calculate(rules, situation, period, names)
    needs: set[Need] = set()
    for value in results.values():
        if isinstance(value, Unknown):
            needs |= value.needs
    return tuple(sorted(needs))
