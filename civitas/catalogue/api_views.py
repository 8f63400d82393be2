"""Catalogue objects presented as API response models, in one language.

Texts are picked in the requested language (falling back to the pack's first); money is
written as exact decimal strings and summed per currency; references (organisations,
evidence, legal resources) are written out so an app needs one request per screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from civitas.catalogue import api_schemas as s
from civitas.catalogue.domain import Catalogue, Event, Service, Step
from civitas.core.text import pick


def _money(amount: Decimal) -> str:
    """Exact, with at least two decimals: 65 -> "65.00", 0.125 -> "0.125"."""
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return format(amount, "f")
    return format(amount.quantize(Decimal("0.01")), "f")


def _totals(costs: Iterable[tuple[Decimal, str]], default_currency: str) -> list[s.Amount]:
    sums: dict[str, Decimal] = {}
    for amount, currency in costs:
        sums[currency] = sums.get(currency, Decimal(0)) + amount
    if not sums:
        sums[default_currency] = Decimal(0)
    return [s.Amount(amount=_money(total), currency=c) for c, total in sums.items()]


class Presenter:
    """Turns catalogue objects into response models in one language."""

    def __init__(self, catalogue: Catalogue, language: str) -> None:
        self.catalogue = catalogue
        self.language = language
        self.fallback = catalogue.country.default_language

    def text(self, value: Mapping[str, str] | None) -> str:
        return pick(value, self.language, self.fallback)

    def optional(self, value: Mapping[str, str] | None) -> str | None:
        return self.text(value) if value else None

    def terms(self, value: Mapping[str, tuple[str, ...]] | None) -> list[str]:
        if not value:
            return []
        return list(value.get(self.language) or value.get(self.fallback) or ())

    def organisation_ref(self, organisation_id: str) -> s.OrganisationRef:
        found = self.catalogue.organisations[organisation_id]
        return s.OrganisationRef(id=found.id, name=self.text(found.name))

    def evidence(self, evidence_id: str) -> s.Evidence:
        e = self.catalogue.evidence[evidence_id]
        return s.Evidence(
            id=e.id, name=self.text(e.name), description=self.text(e.description), kind=e.kind
        )

    def legal(self, legal_id: str) -> s.LegalResource:
        r = self.catalogue.legal_resources[legal_id]
        return s.LegalResource(
            id=r.id, title=self.text(r.title), url=r.url, description=self.optional(r.description)
        )

    def channels(self, service: Service) -> list[s.Channel]:
        return [
            s.Channel(
                id=c.id,
                type=c.type,
                description=self.text(c.description),
                address=c.address,
                opening_hours=self.optional(c.opening_hours),
            )
            for c in service.channels
        ]

    def service_evidence(self, service: Service) -> list[s.Evidence]:
        """What the service asks for, directly or through its requirements, once each."""
        ids = dict.fromkeys(
            [*service.evidence, *(e for r in service.requirements for e in r.evidence)]
        )
        return [self.evidence(e) for e in ids]

    def service_summary(self, service: Service) -> s.ServiceSummary:
        return s.ServiceSummary(**self._summary_fields(service))

    def _summary_fields(self, service: Service) -> dict[str, Any]:
        currency = self.catalogue.country.currency
        return {
            "id": service.id,
            "name": self.text(service.name),
            "description": self.text(service.description),
            "organisation": self.organisation_ref(service.authority),
            "delivery": service.delivery,
            "assurance": service.assurance,
            "processing_days": service.processing_days,
            "standard": s.Standard(
                working_days=service.standard.working_days,
                share=format(service.standard.share, "f"),
            ),
            "costs": [
                s.Cost(
                    id=c.id,
                    amount=_money(c.amount),
                    currency=c.currency,
                    description=self.text(c.description),
                )
                for c in service.costs
            ],
            "total_costs": _totals(((c.amount, c.currency) for c in service.costs), currency),
            "is_free": service.is_free,
        }

    def service_detail(self, service: Service) -> s.ServiceDetail:
        return s.ServiceDetail(
            **self._summary_fields(service),
            lang=self.language,
            keywords=self.terms(service.keywords),
            participants=[self.organisation_ref(o) for o in service.participants],
            legal_basis=[self.legal(r) for r in service.legal_basis],
            channels=self.channels(service),
            requirements=[
                s.Requirement(
                    id=r.id,
                    name=self.text(r.name),
                    description=self.text(r.description),
                    kind=r.kind,
                    evidence=[self.evidence(e) for e in r.evidence],
                )
                for r in service.requirements
            ],
            evidence=self.service_evidence(service),
            outputs=[
                s.Output(
                    id=o.id,
                    name=self.text(o.name),
                    description=self.text(o.description),
                    kind=o.kind,
                )
                for o in service.outputs
            ],
            rules=[
                s.Rule(
                    id=r.id,
                    name=self.text(r.name),
                    description=self.text(r.description),
                    implements=[self.legal(x) for x in r.implements],
                )
                for r in service.rules
            ],
            life_events=[
                s.EventRef(id=e.id, kind=e.kind, name=self.text(e.name))
                for e in self.catalogue.events_with(service.id)
            ],
        )

    def event_summary(self, event: Event) -> s.EventSummary:
        return s.EventSummary(
            id=event.id,
            kind=event.kind,
            name=self.text(event.name),
            description=self.text(event.description),
            icon=event.icon,
            step_count=len(event.steps),
        )

    def step(self, position: int, step: Step, service: Service) -> s.JourneyStep:
        return s.JourneyStep(
            position=position,
            when=self.optional(step.when),
            service=self.service_summary(service),
            channels=self.channels(service),
            evidence=self.service_evidence(service),
        )

    def journey(self, event_id: str) -> s.Journey:
        journey = self.catalogue.journey(event_id)
        event = journey.event
        services = [service for _, service in journey.steps]
        costs = ((c.amount, c.currency) for x in services for c in x.costs)
        return s.Journey(
            lang=self.language,
            id=event.id,
            kind=event.kind,
            name=self.text(event.name),
            description=self.text(event.description),
            icon=event.icon,
            keywords=self.terms(event.keywords),
            steps=[
                self.step(position, step, service)
                for position, (step, service) in enumerate(journey.steps, start=1)
            ],
            summary=s.JourneySummary(
                steps=len(journey.steps),
                total_costs=_totals(costs, self.catalogue.country.currency),
                total_processing_days=sum(x.processing_days for x in services),
                organisations=[self.organisation_ref(o) for o in journey.organisations],
                evidence=[self.evidence(e) for e in journey.evidence],
            ),
        )
