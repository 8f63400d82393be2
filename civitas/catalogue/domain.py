"""The service catalogue, modelled on CPSV-AP 3.2.0.

Plain frozen dataclasses: no I/O and no frameworks. Objects refer to each other by
identifier (a service names its competent authority by the organisation's id), as
the country pack's YAML does; :class:`Catalogue` resolves the references and is
only ever built whole and consistent (see ``catalogue.pack``).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from civitas.core.errors import NotFound
from civitas.core.i18n import N_
from civitas.core.text import LocalTerms, LocalText

_T = TypeVar("_T")


class OrganisationKind(enum.StrEnum):
    NATIONAL_AGENCY = "national_agency"
    MUNICIPALITY = "municipality"
    REGIONAL_AUTHORITY = "regional_authority"


class ChannelType(enum.StrEnum):
    """How a person can use a service (CPSV-AP channel types)."""

    WEB = "web"
    APP = "app"
    PHONE = "phone"
    DESK = "desk"
    MAIL = "mail"
    EMAIL = "email"


class DeliveryMode(enum.StrEnum):
    """How the service reaches the person."""

    AUTOMATIC = "automatic"  # granted without any action, from registry data
    PROACTIVE_OFFER = "proactive_offer"  # offered, accepted with one click
    ON_REQUEST = "on_request"  # the person applies


class AssuranceLevel(enum.StrEnum):
    """Minimum level of identity assurance (eIDAS scale; ``none`` for anonymous use)."""

    NONE = "none"
    LOW = "low"
    SUBSTANTIAL = "substantial"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """Position on the scale, so that levels compare: ``a.rank >= b.rank``."""
        return list(AssuranceLevel).index(self)


class EventKind(enum.StrEnum):
    LIFE = "life"
    BUSINESS = "business"


class EvidenceKind(enum.StrEnum):
    """Classification of evidence types (CPSV-AP evidence type classification)."""

    CERTIFICATE = "certificate"
    IDENTITY_DOCUMENT = "identity_document"
    DECLARATION = "declaration"
    PROOF_OF_PAYMENT = "proof_of_payment"
    PHOTO = "photo"
    FORM = "form"
    OTHER = "other"


class RequirementKind(enum.StrEnum):
    ELIGIBILITY = "eligibility"
    DOCUMENT = "document"
    PAYMENT = "payment"
    PERSONAL_PRESENCE = "personal_presence"


class OutputKind(enum.StrEnum):
    DOCUMENT = "document"
    DECISION = "decision"
    PAYMENT = "payment"
    REGISTRATION = "registration"
    SERVICE = "service"


@dataclass(frozen=True)
class LegalResource:
    """A law or regulation (CPSV-AP ``eli:LegalResource``)."""

    id: str
    title: LocalText
    url: str
    description: LocalText | None = None


@dataclass(frozen=True)
class Organisation:
    """A public organisation (CPSV-AP ``cv:PublicOrganisation``)."""

    id: str
    name: LocalText
    kind: OrganisationKind
    spatial: str  # code of the area it serves, e.g. a country or municipality code
    description: LocalText
    homepage: str = ""
    phone: str = ""
    email: str = ""
    address: LocalText | None = None


@dataclass(frozen=True)
class Evidence:
    """A document or data item a person provides (CPSV-AP ``cv:Evidence``)."""

    id: str
    name: LocalText
    description: LocalText
    kind: EvidenceKind = EvidenceKind.OTHER


@dataclass(frozen=True)
class Requirement:
    """A condition to use the service (CPSV-AP ``cv:Requirement``)."""

    id: str
    name: LocalText
    description: LocalText
    kind: RequirementKind = RequirementKind.ELIGIBILITY
    evidence: tuple[str, ...] = ()  # ids of Evidence that prove it


@dataclass(frozen=True)
class Cost:
    """A fee (CPSV-AP ``cv:Cost``). ``amount`` is exact; zero means free."""

    id: str
    amount: Decimal
    description: LocalText
    currency: str = "EUR"


@dataclass(frozen=True)
class Channel:
    """A way to use the service (CPSV-AP ``cv:Channel``)."""

    id: str
    type: ChannelType
    description: LocalText
    address: str = ""  # a URL, phone number, e-mail or postal address, as fits the type
    opening_hours: LocalText | None = None


@dataclass(frozen=True)
class Output:
    """What the person receives (CPSV-AP ``cv:Output``)."""

    id: str
    name: LocalText
    description: LocalText
    kind: OutputKind = OutputKind.DOCUMENT


@dataclass(frozen=True)
class Rule:
    """How the legal basis is applied (CPSV-AP ``cv:Rule``)."""

    id: str
    name: LocalText
    description: LocalText
    implements: tuple[str, ...] = ()  # ids of LegalResource


@dataclass(frozen=True)
class ServiceStandard:
    """The published promise: ``share`` of cases done within ``working_days``."""

    working_days: int
    share: Decimal  # between 0 and 1, e.g. 0.95

    def __post_init__(self) -> None:
        if self.working_days < 0:
            raise ValueError("working_days must be zero or more")
        if not Decimal(0) < self.share <= Decimal(1):
            raise ValueError("share must be above 0 and at most 1, e.g. 0.95")


@dataclass(frozen=True)
class Service:
    """A public service (CPSV-AP ``cpsv:PublicService``)."""

    id: str
    name: LocalText
    description: LocalText
    authority: str  # id of the competent Organisation
    processing_days: int  # usual processing time in working days (0: immediate)
    standard: ServiceStandard
    delivery: DeliveryMode
    assurance: AssuranceLevel
    legal_basis: tuple[str, ...]  # ids of LegalResource
    channels: tuple[Channel, ...]
    keywords: LocalTerms | None = None
    requirements: tuple[Requirement, ...] = ()
    evidence: tuple[str, ...] = ()  # ids of Evidence the service asks for
    costs: tuple[Cost, ...] = ()
    outputs: tuple[Output, ...] = ()
    rules: tuple[Rule, ...] = ()
    participants: tuple[str, ...] = ()  # ids of other organisations taking part

    @property
    def is_free(self) -> bool:
        return all(cost.amount == 0 for cost in self.costs)

    @property
    def total_cost(self) -> Decimal:
        return sum((cost.amount for cost in self.costs), Decimal(0))


@dataclass(frozen=True)
class Step:
    """One step of a life event's journey: a service, and when to use it."""

    service: str  # id of the Service
    when: LocalText | None = None


@dataclass(frozen=True)
class Event:
    """A life event or business event (CPSV-AP ``cv:LifeEvent`` / ``cv:BusinessEvent``)."""

    id: str
    kind: EventKind
    name: LocalText
    description: LocalText
    steps: tuple[Step, ...]
    keywords: LocalTerms | None = None
    icon: str = ""  # name of an icon in the design system


@dataclass(frozen=True)
class Theme:
    """How the portal looks for this country."""

    primary: str = "#0b4f6c"  # headers and links; must contrast 4.5:1 with white
    accent: str = "#ffbf47"  # focus ring and highlights
    logo: str = ""  # file name inside the pack, served as the site logo


@dataclass(frozen=True)
class CountryProfile:
    """The country itself: names, languages and theme."""

    id: str
    name: LocalText
    portal_name: LocalText
    tagline: LocalText
    languages: tuple[str, ...]
    spatial: str
    currency: str = "EUR"
    theme: Theme = field(default_factory=Theme)

    @property
    def default_language(self) -> str:
        return self.languages[0]


@dataclass(frozen=True)
class Journey:
    """A life event laid out for a person: every step with its service, in order."""

    event: Event
    steps: tuple[tuple[Step, Service], ...]

    @property
    def total_cost(self) -> Decimal:
        return sum((service.total_cost for _, service in self.steps), Decimal(0))

    @property
    def organisations(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for _, service in self.steps:
            seen.setdefault(service.authority, None)
        return tuple(seen)

    @property
    def evidence(self) -> tuple[str, ...]:
        """Every evidence id the journey asks for, once, in the order first needed."""
        seen: dict[str, None] = {}
        for _, service in self.steps:
            for evidence_id in service.evidence:
                seen.setdefault(evidence_id, None)
            for requirement in service.requirements:
                for evidence_id in requirement.evidence:
                    seen.setdefault(evidence_id, None)
        return tuple(seen)


@dataclass(frozen=True)
class Catalogue:
    """Everything the country publishes, with references resolved and checked."""

    country: CountryProfile
    organisations: Mapping[str, Organisation]
    services: Mapping[str, Service]
    events: Mapping[str, Event]
    evidence: Mapping[str, Evidence]
    legal_resources: Mapping[str, LegalResource]

    def service(self, service_id: str) -> Service:
        return _find(self.services, service_id, N_("There is no service called {id}."))

    def event(self, event_id: str) -> Event:
        return _find(self.events, event_id, N_("There is no life event called {id}."))

    def organisation(self, organisation_id: str) -> Organisation:
        return _find(
            self.organisations, organisation_id, N_("There is no organisation called {id}.")
        )

    def journey(self, event_id: str) -> Journey:
        event = self.event(event_id)
        return Journey(event, tuple((step, self.services[step.service]) for step in event.steps))

    def life_events(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events.values() if e.kind is EventKind.LIFE)

    def business_events(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events.values() if e.kind is EventKind.BUSINESS)

    def services_of(self, organisation_id: str) -> tuple[Service, ...]:
        return tuple(s for s in self.services.values() if s.authority == organisation_id)

    def events_with(self, service_id: str) -> tuple[Event, ...]:
        return tuple(
            e for e in self.events.values() if any(s.service == service_id for s in e.steps)
        )

    def references(self) -> Iterator[tuple[str, str, str]]:
        """(kind, id, referenced id) for every cross-reference, for consistency checks."""
        for service in self.services.values():
            yield "organisation", service.id, service.authority
            for participant in service.participants:
                yield "organisation", service.id, participant
            for legal_id in service.legal_basis:
                yield "legal_resource", service.id, legal_id
            for rule in service.rules:
                for legal_id in rule.implements:
                    yield "legal_resource", service.id, legal_id
            for evidence_id in service.evidence:
                yield "evidence", service.id, evidence_id
            for requirement in service.requirements:
                for evidence_id in requirement.evidence:
                    yield "evidence", service.id, evidence_id
        for event in self.events.values():
            for step in event.steps:
                yield "service", event.id, step.service


def _find(items: Mapping[str, _T], key: str, message: str) -> _T:
    try:
        return items[key]
    except KeyError:
        raise NotFound(
            message,
            hint=N_("Check the address, or search for what you need."),
            params={"id": key},
        ) from None
