"""Variables: what the rules know or compute about a person or a group.

A variable without formulas is an *input* (date of birth, monthly income); one with
formulas is computed (child benefit). Any variable may still be given as an input,
which then replaces its formula. Formulas are dated: each applies from its ``since``
date until the next one; a formula of ``None`` ends the variable (a benefit
abolished), after which it takes its type's default (no, zero).

Country packs declare variables in Python files under ``rules/``::

    child_benefit = variable(
        "child_benefit", entity="household", type=MONEY, period="month",
        label={"en": "Child benefit", "pt": "Abono de família"},
        reference="https://legislacao.gov.vd.example/family-benefits-act-2018",
        formulas={"2018-01-01": v("eligible_children") * p("...")},
    )
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from civitas.core.text import LocalText
from civitas.rules.expressions import Expr, Operand, lift
from civitas.rules.periods import Period, Unit
from civitas.rules.values import Type


@dataclass(frozen=True)
class Formula:
    """One dated version of a variable's formula."""

    since: date
    expression: Expr | None  # None: the variable has ended
    reference: str = ""  # the law of this version, when it differs from the variable's


@dataclass(frozen=True)
class Variable:
    """A typed, dated, documented fact about a person or group."""

    name: str
    entity: str  # person, household, ...
    type: Type
    period: Unit
    label: LocalText
    reference: str  # where the law defining it can be read (URL)
    formulas: tuple[Formula, ...] = ()
    unit: str = ""  # e.g. EUR, month
    documentation: LocalText | None = None
    question: LocalText | None = None  # how a screener asks for it, for inputs
    service: str | None = None  # the catalogue service this benefit or duty belongs to
    choices: Mapping[str, LocalText] | None = None  # labels of an enumeration's values
    source: str = field(default="", compare=False)  # file:line where it is declared

    @property
    def is_input(self) -> bool:
        return not self.formulas

    def period_for(self, period: Period) -> Period:
        """The period the variable has a value for within ``period``: the year or
        eternity holding a month for a yearly or eternal variable; else ``period``."""
        if period.unit is not self.period and self.period is not Unit.MONTH:
            return period.as_unit(self.period)
        return period

    def formula_for(self, period: Period) -> Formula | None:
        """The formula version in force on the period's first day; None if none is."""
        found = None
        for formula in self.formulas:
            if formula.since <= period.start:
                found = formula
        return found if found is not None and found.expression is not None else None


def variable(
    name: str,
    *,
    entity: str,
    type: Type,
    period: str,
    label: Mapping[str, str],
    reference: str,
    formula: Operand | None = None,
    formulas: Mapping[str, Operand | None] | None = None,
    references: Mapping[str, str] | None = None,
    unit: str = "",
    documentation: Mapping[str, str] | None = None,
    question: Mapping[str, str] | None = None,
    service: str | None = None,
    choices: Mapping[str, Mapping[str, str]] | None = None,
) -> Variable:
    """Declare a variable. ``formula`` applies always; ``formulas`` maps dates to versions.

    ``references`` gives, for a formula date, the law of that version; ``choices``
    labels each value of an enumeration in every language, for people to choose from.
    """
    caller = sys._getframe(1)  # the pack file line, for error messages: the outermost
    while caller.f_back and caller.f_back.f_code.co_filename == caller.f_code.co_filename:
        caller = caller.f_back  # call in the file, past any helper functions it defines
    dated: dict[str, Operand | None] = dict(formulas or {})
    if formula is not None:
        dated.setdefault(date.min.isoformat(), formula)
    versions = tuple(
        Formula(
            since=date.fromisoformat(since),
            expression=None if expression is None else lift(expression),
            reference=(references or {}).get(since, ""),
        )
        for since, expression in sorted(dated.items())
    )
    return Variable(
        name=name,
        entity=entity,
        type=type,
        period=Unit(period),
        label=dict(label),
        reference=reference,
        formulas=versions,
        unit=unit,
        documentation=dict(documentation) if documentation else None,
        question=dict(question) if question else None,
        service=service,
        choices={value: dict(text) for value, text in choices.items()} if choices else None,
        source=f"{caller.f_code.co_filename}:{caller.f_lineno}",
    )
