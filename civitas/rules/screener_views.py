"""The screener's results as a page shows them, in one language.

Amounts, rates and parameter values are formatted for the reader (``€1,250.00``,
``1250,00 €``, ``65%``); each law is named by its title in the catalogue when the
catalogue knows its address; each benefit links to its catalogue service.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_skeleton

from civitas.catalogue import Catalogue
from civitas.core.i18n import Translator, format_money, locale_for
from civitas.core.text import pick
from civitas.rules.entities import PERSON
from civitas.rules.explanation import Explanation
from civitas.rules.interpreter import ParameterUse
from civitas.rules.parameters import Brackets, Parameter, ParameterValue, ScaleKind, ValueType
from civitas.rules.periods import Period
from civitas.rules.rulebook import RuleBook
from civitas.rules.screener import HOME, Outcome, Results, child_number
from civitas.rules.values import Kind, Need
from civitas.rules.variables import Variable
from civitas.web.rendering import format_share

_CURRENCY = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class Condition:
    label: str
    state: str  # "yes", "no" or "unknown"


@dataclass(frozen=True)
class Figure:
    """A parameter the result used: what it is, its value, and the law that sets it."""

    label: str
    value: str
    law: Link


@dataclass(frozen=True)
class OutcomeView:
    name: str
    member: str  # you, partner, child1 ... or home
    person: str  # "you", "partner", "child" or "home", for the wording
    number: int  # the child's number
    amount: str  # the value as people read it; "" for a plain yes
    service: Link | None
    law: Link
    conditions: tuple[Condition, ...]
    figures: tuple[Figure, ...]
    needs: tuple[tuple[str, str, str, int], ...]  # (label, member, person, number)


@dataclass(frozen=True)
class Refusal:
    """A benefit nobody in the home may get, and why not."""

    name: str
    per_person: bool  # a benefit of each person, so reasons name who they apply to
    reasons: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (condition, [(person, n)])
    law: Link
    figures: tuple[Figure, ...]
    service: Link | None


class ResultsView:
    """Everything the results page shows, formatted in ``language``."""

    def __init__(
        self,
        rules: RuleBook,
        catalogue: Catalogue,
        results: Results,
        language: str,
        translator: Translator,
    ) -> None:
        self.rules = rules
        self.catalogue = catalogue
        self.language = language
        self.fallback = catalogue.country.default_language
        self.currency = catalogue.country.currency
        self.translator = translator
        self.period = results.period
        self.period_text = month_name(results.period, language)
        self.laws = {
            resource.url.rstrip("/"): resource.title
            for resource in catalogue.legal_resources.values()
        }
        self.may_get = tuple(self.outcome(o) for o in results.may_get)
        self.not_known = tuple(self.outcome(o) for o in results.not_known)
        self.cannot_get = tuple(
            self.refusal(benefit, outcomes) for benefit, outcomes in results.cannot_get
        )
        self.not_assessed = tuple(self.text(benefit.label) for benefit in results.not_assessed)

    def text(self, value: Mapping[str, str] | None) -> str:
        return pick(value, self.language, self.fallback)

    def outcome(self, outcome: Outcome) -> OutcomeView:
        person, number = describe_member(outcome.member)
        service = self.catalogue.services.get(outcome.benefit.service or "")
        return OutcomeView(
            name=self.text(outcome.benefit.label),
            member=outcome.member,
            person=person,
            number=number,
            amount=self.amount(outcome.explanation),
            service=Link(f"/{self.language}/services/{service.id}", self.text(service.name))
            if service
            else None,
            law=self.law(outcome.explanation.reference),
            conditions=tuple(
                Condition(self.text(c.label), _state(c.value)) for c in outcome.conditions
            ),
            figures=tuple(self.figure(use) for use in outcome.parameters),
            needs=tuple(self.need(n) for n in _once(outcome.needs)),
        )

    def refusal(self, benefit: Variable, outcomes: tuple[Outcome, ...]) -> Refusal:
        """A benefit nobody may get, and the conditions that are not met, each once
        with the persons it is not met for."""
        views = tuple(self.outcome(o) for o in outcomes)
        reasons: dict[str, list[tuple[str, int]]] = {}
        for view in views:
            for condition in view.conditions:
                if condition.state == "no":
                    reasons.setdefault(condition.label, []).append((view.person, view.number))
        return Refusal(
            name=self.text(benefit.label),
            per_person=len(views) > 1 or benefit.entity == PERSON,
            reasons=tuple((label, tuple(who)) for label, who in reasons.items()),
            law=views[0].law,
            figures=views[0].figures,
            service=views[0].service,
        )

    def amount(self, explanation: Explanation) -> str:
        if explanation.value is None:
            return ""
        if explanation.kind is Kind.MONEY:
            return format_money(Decimal(explanation.value), self.currency, self.language)
        if explanation.kind is Kind.RATE:
            return format_share(Decimal(explanation.value), self.language)
        if explanation.kind is Kind.BOOL:
            return ""
        return explanation.value

    def law(self, url: str, article: str = "") -> Link:
        address = url.split("#", 1)[0].rstrip("/")
        title = self.text(self.laws.get(address)) or address
        return Link(url, f"{title}, {article}" if article else title)

    def figure(self, use: ParameterUse) -> Figure:
        leaf = self.rules.parameters.find(use.path)
        label = self.text(leaf.label) or use.path
        reference = use.provenance.reference
        law = self.law(reference.url, reference.article)
        try:
            found = self.rules.parameters.at(use.path, self.period.start)
        except Exception:  # the value was read, so it exists; never fail the page on it
            return Figure(label, use.value, law)
        if isinstance(found, Brackets):
            return Figure(label, self.brackets(found), law)
        kind = leaf.type if isinstance(leaf, Parameter) else ValueType.AMOUNT
        return Figure(label, self.parameter_value(found, kind), law)

    def parameter_value(self, found: ParameterValue, kind: ValueType) -> str:
        value, unit = found.value, found.unit
        gettext, ngettext = self.translator.gettext, self.translator.ngettext
        if isinstance(value, bool) or kind is ValueType.BOOLEAN:
            return gettext("yes") if value else gettext("no")
        if kind is ValueType.AMOUNT:
            return self.money(Decimal(value), unit)
        if kind is ValueType.RATE:
            return format_share(Decimal(value), self.language)
        number = int(value)
        units = {
            "year": ngettext("%(num)s year", "%(num)s years", number),
            "month": ngettext("%(num)s month", "%(num)s months", number),
            "day": ngettext("%(num)s day", "%(num)s days", number),
        }
        if unit in units:
            return units[unit] % {"num": number}
        return f"{number} {unit}".strip()

    def brackets(self, found: Brackets) -> str:
        gettext = self.translator.gettext
        parts = []
        for bracket in found.brackets:
            if found.kind is ScaleKind.MARGINAL_RATE:
                shown = format_share(bracket.value, self.language)
            else:
                shown = self.money(bracket.value, found.unit)
            threshold = self.money(bracket.threshold, found.unit)
            parts.append(
                gettext("from %(threshold)s: %(value)s")
                % {
                    "threshold": threshold,
                    "value": shown,
                }
            )
        return "; ".join(parts)

    def money(self, amount: Decimal, unit: str) -> str:
        currency = unit if _CURRENCY.match(unit or "") else self.currency
        return format_money(amount, currency, self.language)

    def need(self, need: Need) -> tuple[str, str, str, int]:
        declared = self.rules.variables.get(need.variable)
        label = self.text(declared.label) if declared else need.variable
        person, number = describe_member(need.member)
        return (label, need.member, person, number)


def month_name(period: Period, language: str) -> str:
    """The month as people write it: "March 2026", "março de 2026"."""
    return str(format_skeleton("yMMMM", period.start, locale=locale_for(language)))


def describe_member(member: str) -> tuple[str, int]:
    """How a page names a member: ("you", 0), ("partner", 0), ("child", 2), ("home", 0)."""
    if member in ("you", "partner"):
        return member, 0
    number = child_number(member)
    if number is not None:
        return "child", number
    return HOME, 0


def _state(value: str | None) -> str:
    return {"true": "yes", "false": "no"}.get(value or "", "unknown")


def _once(needs: tuple[Need, ...]) -> tuple[Need, ...]:
    """One need per input and member: an answer holds for every period."""
    seen: dict[tuple[str, str], Need] = {}
    for need in needs:
        seen.setdefault((need.member, need.variable), need)
    return tuple(seen.values())
