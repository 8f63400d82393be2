"""The rules, for the services of a life event, for one household: due, not due, or unknown.

The same interpreter that explains results in the screener: each result keeps its plain
conditions (the "why / why not", with the law) and the whole explanation tree. A result
the rules cannot give for lack of data is ``unknown`` with the labels of exactly the
inputs that are missing: the platform asks the person for those, never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from civitas.proactive.domain import Assessment, Reason
from civitas.rules import (
    PERSON,
    Explanation,
    Interpreter,
    Kind,
    Outcome,
    Period,
    RuleBook,
    Situation,
    Unknown,
    Variable,
    explain,
    read_situation,
)


def service_variables(rules: RuleBook) -> dict[str, Variable]:
    """The result variable of each service the rules decide (the first, by name)."""
    found: dict[str, Variable] = {}
    for declared in rules.benefits():
        found.setdefault(declared.service or "", declared)
    return found


def assess(
    rules: RuleBook,
    situation: Mapping[str, Any],
    period: Period,
    services: Sequence[str],
    claimant: str,
) -> list[Assessment]:
    """The rules' answer for each of ``services`` they decide, for ``claimant``'s household.

    ``situation`` is plain data (persons, households) as ``read_situation`` reads it;
    ``claimant`` is a person of it. A person's service is assessed for everyone in the
    situation (a child's school meals, a parent's allowance), a group's for the
    claimant's group.
    """
    read = read_situation(rules, situation)
    interpreter = Interpreter(rules, read)
    variables = service_variables(rules)
    assessments = []
    for service in services:
        declared = variables.get(service)
        if declared is None:
            continue  # a service the rules do not decide (registering a birth, say)
        for member in _members(interpreter, read, declared, claimant):
            value = interpreter.value(declared.name, member, period)
            explanation = explain(interpreter, declared.name, member, period)
            needs = tuple(sorted(value.needs)) if isinstance(value, Unknown) else ()
            outcome = Outcome(declared, member, value, explanation, needs)
            labels = {need.variable: rules.variable(need.variable).label for need in needs}
            assessments.append(
                Assessment(
                    service=service,
                    variable=declared.name,
                    member=member,
                    for_person=declared.entity == PERSON,
                    status=outcome.status,
                    amount_cents=value if _is_money(declared, value) else None,  # type: ignore[arg-type]
                    reasons=tuple(_reason(c) for c in outcome.conditions),
                    missing=tuple(dict(label) for label in labels.values()),
                    trace=trace_of(explanation),
                )
            )
    return assessments


def _members(
    interpreter: Interpreter, situation: Situation, declared: Variable, claimant: str
) -> tuple[str, ...]:
    """Everyone of the household for a person's service; the claimant's group for a group's."""
    if declared.entity == PERSON:
        return interpreter.members_of(PERSON)
    groups = situation.groups.get(declared.entity, {})
    for name, group in groups.items():
        if any(claimant in members for members in group.members.values()):
            return (str(name),)
    return ()


def _is_money(declared: Variable, value: object) -> bool:
    return declared.type.kind is Kind.MONEY and isinstance(value, int)


def _reason(condition: Explanation) -> Reason:
    met = None if condition.value is None else condition.value == "true"
    return Reason(label=dict(condition.label), met=met, reference=condition.reference)


def trace_of(explanation: Explanation) -> dict[str, object]:
    """The explanation tree as plain data, to keep with a decision."""
    return {
        "variable": explanation.variable,
        "label": dict(explanation.label),
        "member": explanation.member,
        "period": explanation.period,
        "value": explanation.value,
        "source": explanation.source,
        "reference": explanation.reference,
        "parameters": [
            {
                "path": use.path,
                "value": use.value,
                "since": use.provenance.since.isoformat(),
                "reference": str(use.provenance.reference),
            }
            for use in explanation.parameters
        ],
        "children": [trace_of(child) for child in explanation.children],
    }
