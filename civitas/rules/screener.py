"""The screener "check what you may get": which questions to ask next, and the results.

A person says who lives with them (a partner or not, and how many children); the
screener evaluates every benefit of the rule book for everyone in the home and asks
only the inputs the rules still need. It asks about one person (or the home) at a
time, and about that person only the *leading* missing inputs: for each result still
unknown it follows the evaluation in order, to the first value used that is still
unknown, down to the inputs it lacks. So a "no" to the first condition of a benefit
means its later conditions are never asked; a child is asked for a date of birth
before anything an age could rule out.

An answer given once holds for every period. "I do not know" is an answer too: the
screener then looks for another way to decide, and when there is none the benefit is
shown as unknown with the inputs it would need. Nothing here knows a country: the
persons are placed in the rule book's groups (adults in a group's first role,
children in its ``child`` role or else its last one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from civitas.rules.entities import PERSON
from civitas.rules.explanation import Explanation, calculate, conditions, explain
from civitas.rules.interpreter import Interpreter, Key, ParameterUse
from civitas.rules.periods import Period
from civitas.rules.rulebook import RuleBook
from civitas.rules.screener_answers import Answer, DontKnow
from civitas.rules.situation import GroupInstance, Known, Situation
from civitas.rules.values import Kind, Need, Unknown, Value
from civitas.rules.variables import Variable

YOU = "you"
PARTNER = "partner"
CHILD = "child"  # children are child1, child2, ...
HOME = "home"  # the id of the one group of each kind
MAX_CHILDREN = 6
MAX_QUESTIONS = 6  # questions on one page at most
MAX_STEPS = 60  # a guard: every step answers at least one question, so this is never hit


AnswerKey = tuple[str, str]  # (member, variable)
Answers = Mapping[AnswerKey, Answer]


@dataclass(frozen=True)
class Household:
    """Who lives with the person: a partner or not, and how many children."""

    partner: bool = False
    children: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.children <= MAX_CHILDREN:
            raise ValueError(f"children must be from 0 to {MAX_CHILDREN}")

    @property
    def adults(self) -> tuple[str, ...]:
        return (YOU, PARTNER) if self.partner else (YOU,)

    @property
    def kids(self) -> tuple[str, ...]:
        return tuple(f"{CHILD}{number}" for number in range(1, self.children + 1))

    @property
    def persons(self) -> tuple[str, ...]:
        return (*self.adults, *self.kids)


def child_number(member: str) -> int | None:
    """2 for ``child2``; None for anyone else."""
    found = re.fullmatch(rf"{CHILD}([1-9][0-9]?)", member)
    return int(found[1]) if found else None


@dataclass(frozen=True)
class Question:
    """One input to ask about one person or group."""

    variable: Variable
    member: str

    @property
    def key(self) -> str:
        return f"{self.member}.{self.variable.name}"


@dataclass(frozen=True)
class Step:
    """A page of questions, all about one person or about the home."""

    entity: str
    member: str
    questions: tuple[Question, ...]


Status = Literal["yes", "no", "unknown"]


@dataclass(frozen=True)
class Outcome:
    """One benefit for one person or group: its value, and why."""

    benefit: Variable
    member: str
    value: Value | Unknown
    explanation: Explanation
    needs: tuple[Need, ...] = ()  # for an unknown value: the questions that would decide it

    @property
    def status(self) -> Status:
        if isinstance(self.value, Unknown):
            return "unknown"
        if self.value is None or self.value is False or self.value == 0:
            return "no"
        return "yes"

    @property
    def conditions(self) -> tuple[Explanation, ...]:
        """The yes/no conditions of the result, for a plain "why / why not".

        A result whose only direct condition is itself made of conditions ("can get
        child benefit": has a child, and earns under the limit) would only repeat the
        result; its parts are listed instead.
        """
        found = conditions(self.explanation)
        direct = [
            child
            for child in self.explanation.children
            if child.kind is Kind.BOOL and child.source == "formula"
        ]
        inner = conditions(direct[0]) if len(direct) == 1 else ()
        if not inner:
            return found
        listed = {c.variable for c in inner} | {direct[0].variable}
        return (*inner, *(c for c in found if c.variable not in listed))

    @property
    def parameters(self) -> tuple[ParameterUse, ...]:
        """Every parameter the result used, once each, nearest first."""
        found: dict[str, ParameterUse] = {}
        for node in self.explanation.walk():
            for use in node.parameters:
                found.setdefault(use.path, use)
        return tuple(found.values())


@dataclass(frozen=True)
class Results:
    period: Period
    outcomes: tuple[Outcome, ...]

    @property
    def may_get(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "yes")

    @property
    def not_known(self) -> tuple[Outcome, ...]:
        """Unknown results a person could settle by answering more questions."""
        return tuple(o for o in self.outcomes if o.status == "unknown" and _askable(o))

    @property
    def not_assessed(self) -> tuple[Variable, ...]:
        """Benefits that stay unknown only for facts a screener never asks (a death, say)."""
        found = {
            o.benefit.name: o.benefit
            for o in self.outcomes
            if o.status == "unknown" and not _askable(o)
        }
        return tuple(found.values())

    @property
    def cannot_get(self) -> tuple[tuple[Variable, tuple[Outcome, ...]], ...]:
        """Benefits nobody in the home may get, each with everyone's outcome."""
        by_benefit: dict[str, list[Outcome]] = {}
        for outcome in self.outcomes:
            by_benefit.setdefault(outcome.benefit.name, []).append(outcome)
        return tuple(
            (found[0].benefit, tuple(found))
            for found in by_benefit.values()
            if all(o.status == "no" for o in found)
        )


def _askable(outcome: Outcome) -> bool:
    return bool(outcome.needs)


Evaluation = tuple[Interpreter, dict[tuple[str, str], object]]  # what calculate() gives


class Screener:
    """Questions and results for one household, against one rule book."""

    def __init__(self, rules: RuleBook) -> None:
        self.rules = rules
        self.benefits = tuple(b.name for b in rules.benefits())
        self._order = {name: position for position, name in enumerate(rules.variables)}

    # ---------------------------------------------------------------- the situation

    def members(self, household: Household) -> tuple[tuple[str, str], ...]:
        """(entity, member id) of everyone and every group, in the order they are asked."""
        persons = tuple((PERSON, pid) for pid in household.persons)
        return (*persons, *((group, HOME) for group in self.rules.entities.groups))

    def situation(self, household: Household, answers: Answers) -> Situation:
        known: dict[str, dict[str, Known]] = {m: {} for m in household.persons}
        group_inputs: dict[str, dict[str, Known]] = {g: {} for g in self.rules.entities.groups}
        for (member, name), answer in answers.items():
            declared = self.rules.variables.get(name)
            if declared is None or isinstance(answer, DontKnow):
                continue
            if declared.entity == PERSON and member in known:
                known[member][name] = answer
            elif declared.entity in group_inputs and member == HOME:
                group_inputs[declared.entity][name] = answer
        groups = {}
        for group, kind in self.rules.entities.groups.items():
            roles = tuple(kind.roles)
            children_role = CHILD if CHILD in roles else roles[-1]
            members: dict[str, tuple[str, ...]] = {roles[0]: household.adults}
            members[children_role] = (*members.get(children_role, ()), *household.kids)
            groups[group] = {HOME: GroupInstance(members, group_inputs[group])}
        return Situation(known, groups)

    def is_member(self, household: Household, entity: str, member: str) -> bool:
        return (entity, member) in self.members(household)

    # ---------------------------------------------------------------- questions

    def evaluate(self, household: Household, answers: Answers, period: Period) -> Evaluation:
        """Every benefit for every member, from the answers so far."""
        return calculate(self.rules, self.situation(household, answers), period, self.benefits)

    def next_step(
        self,
        household: Household,
        answers: Answers,
        period: Period,
        evaluation: Evaluation | None = None,
    ) -> Step | None:
        """The next page of questions, or None when no answer could tell more."""
        interpreter, results = evaluation or self.evaluate(household, answers, period)
        asked = set(answers)
        leading: set[AnswerKey] = set()
        memo: dict[Key, frozenset[AnswerKey]] = {}
        for (name, member), value in results.items():
            if isinstance(value, Unknown):
                key = (name, member, str(interpreter.step(name, member, period).period))
                leading |= _leading(interpreter, key, asked, memo)
        for entity, member in self.members(household):
            wanted = sorted(
                (name for who, name in leading if who == member),
                key=lambda name: self._order.get(name, 0),
            )
            wanted = [n for n in wanted if self.rules.variable(n).entity == entity]
            if wanted:
                questions = tuple(
                    Question(self.rules.variable(name), member) for name in wanted[:MAX_QUESTIONS]
                )
                return Step(entity, member, questions)
        return None

    # ---------------------------------------------------------------- results

    def results(
        self,
        household: Household,
        answers: Answers,
        period: Period,
        evaluation: Evaluation | None = None,
    ) -> Results:
        interpreter, values = evaluation or self.evaluate(household, answers, period)
        outcomes = []
        for (name, member), value in values.items():
            explanation = explain(interpreter, name, member, period)
            needs = tuple(
                need
                for need in sorted(value.needs if isinstance(value, Unknown) else ())
                if self.rules.variable(need.variable).question is not None
            )
            result = value if isinstance(value, Unknown) else _value(value)
            outcomes.append(Outcome(self.rules.variable(name), member, result, explanation, needs))
        return Results(period, tuple(outcomes))


def _value(found: object) -> Value:
    assert found is None or isinstance(found, bool | int | date | str), found
    return found


def _leading(
    interpreter: Interpreter,
    key: Key,
    asked: set[AnswerKey],
    memo: dict[Key, frozenset[AnswerKey]],
) -> frozenset[AnswerKey]:
    """The inputs still to ask that come first in deciding the step at ``key``.

    The first value the step used that is unknown and has something left to ask is
    followed down; values whose missing inputs were all answered "I do not know" are
    passed over, since another condition may still decide.
    """
    if key in memo:
        return memo[key]
    memo[key] = frozenset()  # a cycle contributes nothing
    step = interpreter.steps[key]
    found: frozenset[AnswerKey] = frozenset()
    if isinstance(step.value, Unknown):
        if step.source == "missing" or not step.uses:
            found = frozenset(
                (need.member, need.variable)
                for need in step.value.needs
                if (need.member, need.variable) not in asked
                and interpreter.rules.variable(need.variable).question is not None
            )
        else:
            for used in step.uses:
                if isinstance(interpreter.steps[used].value, Unknown):
                    found = _leading(interpreter, used, asked, memo)
                    if found:
                        break
    memo[key] = found
    return found
