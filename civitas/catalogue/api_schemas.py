"""Response models of the JSON API: they are the OpenAPI contract apps are built against.

Texts are plain strings in the language the request chose (``lang``). Money is an exact
decimal string ("65.00") next to its currency, never a float. Enumerations reuse the
domain's enums so the OpenAPI lists exactly the values the catalogue can hold. Ids carry
the pattern the country pack enforces for top-level ids; nested ids (channels, costs)
are not checked by the pack and so are plain strings.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from civitas.catalogue.domain import (
    AssuranceLevel,
    ChannelType,
    DeliveryMode,
    EventKind,
    EvidenceKind,
    OrganisationKind,
    OutputKind,
    RequirementKind,
)

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2,}$"
SHARE_PATTERN = r"^(0|1)(\.[0-9]+)?$"

Id = Annotated[str, Field(pattern=ID_PATTERN, examples=["register-a-birth"])]
Money = Annotated[
    str,
    Field(
        pattern=MONEY_PATTERN,
        description='An exact decimal amount with at least two decimals, e.g. "65.00".',
        examples=["65.00"],
    ),
]
Currency = Annotated[str, Field(description="ISO 4217 currency code.", examples=["EUR"])]


class _Model(BaseModel):
    # additionalProperties: false in the OpenAPI, so clients and tests see any stray field.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Health(_Model):
    ok: bool


class Amount(_Model):
    amount: Money
    currency: Currency


class Theme(_Model):
    primary: str = Field(description="Colour of headers and links, e.g. #0b4f6c.")
    accent: str = Field(description="Colour of the focus ring and highlights.")
    logo_url: str | None = Field(description="Address of the logo, relative to the site.")


class Country(_Model):
    lang: str
    id: Id
    name: str
    portal_name: str
    tagline: str
    languages: list[str] = Field(description="Languages of the portal; the first is the default.")
    default_language: str
    spatial: str
    currency: Currency
    theme: Theme


class OrganisationRef(_Model):
    id: Id
    name: str


class Evidence(_Model):
    id: Id
    name: str
    description: str
    kind: EvidenceKind


class LegalResource(_Model):
    id: Id
    title: str
    url: str
    description: str | None


class Channel(_Model):
    id: str
    type: ChannelType
    description: str
    address: str = Field(description="URL, phone number, e-mail or postal address.")
    opening_hours: str | None


class Cost(_Model):
    id: str
    amount: Money
    currency: Currency
    description: str


class Standard(_Model):
    """The published promise: ``share`` of cases are done within ``working_days``."""

    working_days: int = Field(ge=0)
    share: str = Field(pattern=SHARE_PATTERN, examples=["0.95"])


class Requirement(_Model):
    id: str
    name: str
    description: str
    kind: RequirementKind
    evidence: list[Evidence]


class Output(_Model):
    id: str
    name: str
    description: str
    kind: OutputKind


class Rule(_Model):
    id: str
    name: str
    description: str
    implements: list[LegalResource]


class EventRef(_Model):
    id: Id
    kind: EventKind
    name: str


class ServiceSummary(_Model):
    id: Id
    name: str
    description: str
    organisation: OrganisationRef
    delivery: DeliveryMode
    assurance: AssuranceLevel
    processing_days: int = Field(ge=0, description="Usual processing time in working days.")
    standard: Standard
    costs: list[Cost]
    total_costs: list[Amount] = Field(description="Sum of the costs, one entry per currency.")
    is_free: bool


class ServiceDetail(ServiceSummary):
    lang: str
    keywords: list[str]
    participants: list[OrganisationRef]
    legal_basis: list[LegalResource]
    channels: list[Channel]
    requirements: list[Requirement]
    evidence: list[Evidence] = Field(description="Every evidence the service asks for, once.")
    outputs: list[Output]
    rules: list[Rule]
    life_events: list[EventRef] = Field(description="Life events whose journey includes it.")


class ServiceList(_Model):
    lang: str
    total: int = Field(ge=0, description="Services matching the filters, on all pages.")
    limit: int
    offset: int
    items: list[ServiceSummary]


class EventSummary(_Model):
    id: Id
    kind: EventKind
    name: str
    description: str
    icon: str
    step_count: int = Field(ge=0)


class EventList(_Model):
    lang: str
    items: list[EventSummary]


class JourneyStep(_Model):
    position: int = Field(ge=1)
    when: str | None = Field(description="When to do this step, e.g. within 15 days.")
    service: ServiceSummary
    channels: list[Channel]
    evidence: list[Evidence]


class JourneySummary(_Model):
    steps: int = Field(ge=0)
    total_costs: list[Amount] = Field(description="Sum of every step's costs, per currency.")
    total_processing_days: int = Field(ge=0)
    organisations: list[OrganisationRef]
    evidence: list[Evidence] = Field(description="Every evidence the journey needs, once.")


class Journey(_Model):
    lang: str
    id: Id
    kind: EventKind
    name: str
    description: str
    icon: str
    keywords: list[str]
    steps: list[JourneyStep]
    summary: JourneySummary


class OrganisationSummary(_Model):
    id: Id
    name: str
    kind: OrganisationKind
    spatial: str
    service_count: int = Field(ge=0)


class OrganisationList(_Model):
    lang: str
    items: list[OrganisationSummary]


class OrganisationDetail(_Model):
    lang: str
    id: Id
    name: str
    kind: OrganisationKind
    spatial: str
    description: str
    homepage: str
    phone: str
    email: str
    address: str | None
    service_ids: list[Id] = Field(description="Services it is the competent authority for.")


class SearchResults(_Model):
    lang: str
    query: str
    corrected: str | None = Field(description="The query as understood, when words were corrected.")
    count: int = Field(ge=0)
    services: list[ServiceSummary]
    events: list[EventSummary]
