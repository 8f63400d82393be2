"""Write a :class:`Catalogue` as a CPSV-AP 3.2.0 graph (see ``vocabulary`` for the terms).

Every resource gets an IRI under ``{base}{country id}/`` built from its identifier, so
exports are stable from one run to the next; parts of a service (channels, costs...)
are named below the service, because their ids only need to be unique there.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, TIME, XSD

from civitas.catalogue.domain import (
    Catalogue,
    Channel,
    Cost,
    CountryProfile,
    Event,
    EventKind,
    Evidence,
    LegalResource,
    Organisation,
    Output,
    Requirement,
    Rule,
    Service,
)
from civitas.catalogue.rdf.vocabulary import (
    CIV,
    CPSV,
    CV,
    DEFAULT_BASE,
    ELI,
    LOCN,
    PREFIXES,
    code_iri,
    currency_iri,
    scheme_iri,
)
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_


def export_graph(catalogue: Catalogue, base: str = DEFAULT_BASE) -> Graph:
    """The whole catalogue as one graph; raise InvalidInput if ids collide inside a service."""
    return _Writer(catalogue, base).write()


class _Writer:
    def __init__(self, catalogue: Catalogue, base: str) -> None:
        self.catalogue = catalogue
        self.root = f"{base}{quote(catalogue.country.id, safe='')}/"
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)

    def write(self) -> Graph:
        self._country(self.catalogue.country)
        for index, organisation in enumerate(self.catalogue.organisations.values()):
            self._organisation(organisation, index)
        for index, legal in enumerate(self.catalogue.legal_resources.values()):
            self._legal_resource(legal, index)
        for index, evidence in enumerate(self.catalogue.evidence.values()):
            self._evidence(evidence, index)
        for index, service in enumerate(self.catalogue.services.values()):
            self._service(service, index)
        for index, event in enumerate(self.catalogue.events.values()):
            self._event(event, index)
        return self.graph

    # -- naming ------------------------------------------------------------------

    def iri(self, kind: str, identifier: str) -> URIRef:
        return URIRef(f"{self.root}{kind}/{quote(identifier, safe='')}")

    def location(self, code: str) -> URIRef:
        node = self.iri("location", code)
        self.add(node, RDF.type, DCTERMS.Location)
        self.add(node, DCTERMS.identifier, Literal(code))
        return node

    def concept(self, value: enum.StrEnum) -> URIRef:
        node = code_iri(value)
        self.add(node, RDF.type, SKOS.Concept)
        self.add(node, SKOS.notation, Literal(value.value))
        self.add(node, SKOS.inScheme, scheme_iri(type(value)))
        self.add(scheme_iri(type(value)), RDF.type, SKOS.ConceptScheme)
        return node

    def currency(self, code: str) -> URIRef:
        node = currency_iri(code)
        self.add(node, RDF.type, SKOS.Concept)
        return node

    # -- triples -----------------------------------------------------------------

    def add(
        self, subject: URIRef | BNode, predicate: URIRef, value: URIRef | BNode | Literal
    ) -> None:
        self.graph.add((subject, predicate, value))

    def text(self, subject: URIRef, predicate: URIRef, text: Mapping[str, str] | None) -> None:
        for language, value in (text or {}).items():
            self.add(subject, predicate, Literal(value, lang=language))

    def plain(self, subject: URIRef, predicate: URIRef, value: str) -> None:
        if value:
            self.add(subject, predicate, Literal(value))

    def link(self, subject: URIRef, predicate: URIRef, value: str) -> None:
        """A web address as an IRI when it is one, else as text (never a broken IRI)."""
        if not value:
            return
        parts = urlsplit(value)
        if parts.scheme and not any(c in value for c in ' <>"{}|\\^`'):
            self.add(subject, predicate, URIRef(value))
        else:
            self.add(subject, predicate, Literal(value, datatype=XSD.anyURI))

    def ordered(
        self,
        subject: URIRef,
        predicate: URIRef | None,
        order: URIRef,
        values: Sequence[URIRef | Literal],
    ) -> None:
        """Plain triples for CPSV-AP readers, plus a list that keeps the order for Civitas."""
        if predicate is not None:
            for value in values:
                self.add(subject, predicate, value)
        if not values:
            self.add(subject, order, RDF.nil)
            return
        head = BNode()
        Collection(self.graph, head, list(values))
        self.add(subject, order, head)

    def described(
        self,
        node: URIRef,
        kind: URIRef,
        identifier: str,
        position: int | None,
        title: Mapping[str, str] | None = None,
        description: Mapping[str, str] | None = None,
    ) -> None:
        self.add(node, RDF.type, kind)
        self.add(node, DCTERMS.identifier, Literal(identifier))
        if position is not None:
            self.add(node, CIV.position, Literal(position))
        self.text(node, DCTERMS.title, title)
        self.text(node, DCTERMS.description, description)

    def keywords(self, node: URIRef, keywords: Mapping[str, tuple[str, ...]] | None) -> None:
        if keywords is None:
            return
        terms = [Literal(term, lang=lang) for lang, words in keywords.items() for term in words]
        self.ordered(node, DCAT.keyword, CIV.keywordOrder, terms)

    # -- resources ---------------------------------------------------------------

    def _country(self, country: CountryProfile) -> None:
        node = URIRef(f"{self.root}country")
        self.described(node, CIV.CountryProfile, country.id, None, title=country.name)
        self.text(node, CIV.portalName, country.portal_name)
        self.text(node, CIV.tagline, country.tagline)
        self.ordered(node, None, CIV.languages, [Literal(lang) for lang in country.languages])
        self.add(node, DCTERMS.spatial, self.location(country.spatial))
        self.add(node, CIV.currency, self.currency(country.currency))
        self.add(node, CIV.themePrimary, Literal(country.theme.primary))
        self.add(node, CIV.themeAccent, Literal(country.theme.accent))
        self.add(node, CIV.logo, Literal(country.theme.logo))

    def _organisation(self, organisation: Organisation, index: int) -> None:
        node = self.iri("organisation", organisation.id)
        # dct:title as well as skos:prefLabel: a PublicOrganisation is a foaf:Agent,
        # and the Agent shape asks for a title.
        self.described(node, CV.PublicOrganisation, organisation.id, index, organisation.name)
        self.text(node, SKOS.prefLabel, organisation.name)
        self.text(node, DCTERMS.description, organisation.description)
        self.add(node, CIV.organisationKind, Literal(organisation.kind.value))
        self.add(node, DCTERMS.spatial, self.location(organisation.spatial))
        self.link(node, FOAF.homepage, organisation.homepage)
        if organisation.phone or organisation.email:
            contact = URIRef(f"{node}/contact-point")
            self.add(node, CV.contactPoint, contact)
            self.add(contact, RDF.type, CV.ContactPoint)
            self.plain(contact, CV.telephone, organisation.phone)
            self.plain(contact, CV.email, organisation.email)
        if organisation.address is not None:
            address = URIRef(f"{node}/address")
            self.add(node, LOCN.address, address)
            self.add(address, RDF.type, LOCN.Address)
            self.text(address, LOCN.fullAddress, organisation.address)

    def _legal_resource(self, legal: LegalResource, index: int) -> None:
        node = self.iri("legal-resource", legal.id)
        self.described(node, ELI.LegalResource, legal.id, index, legal.title, legal.description)
        self.link(node, FOAF.page, legal.url)

    def _evidence(self, evidence: Evidence, index: int) -> None:
        node = self.iri("evidence", evidence.id)
        self.described(node, CV.Evidence, evidence.id, index, evidence.name, evidence.description)
        self.add(node, DCTERMS.type, self.concept(evidence.kind))

    def _service(self, service: Service, index: int) -> None:
        node = self.iri("service", service.id)
        self.described(node, CPSV.PublicService, service.id, index, service.name)
        self.text(node, DCTERMS.description, service.description)
        self.keywords(node, service.keywords)
        self.add(node, CV.hasCompetentAuthority, self.iri("organisation", service.authority))
        self.ordered(
            node,
            CIV.participant,
            CIV.participantOrder,
            [self.iri("organisation", o) for o in service.participants],
        )
        self.ordered(
            node,
            CV.hasLegalResource,
            CIV.legalResourceOrder,
            [self.iri("legal-resource", law) for law in service.legal_basis],
        )
        self.ordered(
            node,
            CPSV.hasInput,
            CIV.inputOrder,
            [self.iri("evidence", e) for e in service.evidence],
        )
        self.add(
            node,
            CV.processingTime,
            Literal(f"P{service.processing_days}D", datatype=XSD.duration),
        )
        self.add(node, CIV.standardWorkingDays, Literal(service.standard.working_days))
        self.add(node, CIV.standardShare, Literal(service.standard.share))
        self.add(node, CIV.deliveryMode, Literal(service.delivery.value))
        self.add(node, CIV.minimumAssurance, Literal(service.assurance.value))
        for event in self.catalogue.events_with(service.id):
            self.add(node, CV.isGroupedBy, self.iri("event", event.id))

        parts = _Parts(self, node, service.id)
        parts.add(CV.hasChannel, "channel", service.channels, self._channel)
        parts.add(CV.hasCost, "cost", service.costs, self._cost)
        parts.add(CV.holdsRequirement, "requirement", service.requirements, self._requirement)
        parts.add(CPSV.produces, "output", service.outputs, self._output)
        parts.add(CPSV.follows, "rule", service.rules, self._rule)
        parts.check()

    def _channel(self, node: URIRef, channel: Channel, index: int) -> None:
        self.described(node, CV.Channel, channel.id, index, description=channel.description)
        self.add(node, DCTERMS.type, self.concept(channel.type))
        self.plain(node, CIV.address, channel.address)
        if channel.opening_hours is not None:
            hours = URIRef(f"{node}/opening-hours")
            self.add(node, CV.openingHours, hours)
            self.add(hours, RDF.type, TIME.TemporalEntity)
            self.text(hours, DCTERMS.description, channel.opening_hours)

    def _cost(self, node: URIRef, cost: Cost, index: int) -> None:
        self.described(node, CV.Cost, cost.id, index, description=cost.description)
        self.add(node, CV.hasValue, Literal(float(cost.amount), datatype=XSD.double))
        self.add(node, CIV.amount, Literal(cost.amount, datatype=XSD.decimal))
        self.add(node, CV.currency, self.currency(cost.currency))

    def _requirement(self, node: URIRef, requirement: Requirement, index: int) -> None:
        self.described(
            node, CV.Requirement, requirement.id, index, requirement.name, requirement.description
        )
        self.add(node, DCTERMS.type, self.concept(requirement.kind))
        self.ordered(
            node,
            CV.hasSupportingEvidence,
            CIV.supportingEvidenceOrder,
            [self.iri("evidence", e) for e in requirement.evidence],
        )

    def _output(self, node: URIRef, output: Output, index: int) -> None:
        self.described(node, CV.Output, output.id, index, output.name, output.description)
        self.add(node, DCTERMS.type, self.concept(output.kind))

    def _rule(self, node: URIRef, rule: Rule, index: int) -> None:
        self.described(node, CPSV.Rule, rule.id, index, rule.name, rule.description)
        self.ordered(
            node,
            CPSV.implements,
            CIV.implementsOrder,
            [self.iri("legal-resource", law) for law in rule.implements],
        )

    def _event(self, event: Event, index: int) -> None:
        node = self.iri("event", event.id)
        kind = CV.LifeEvent if event.kind is EventKind.LIFE else CV.BusinessEvent
        self.described(node, kind, event.id, index, event.name, event.description)
        self.keywords(node, event.keywords)
        self.plain(node, CIV.icon, event.icon)
        for position, step in enumerate(event.steps, start=1):
            service = self.iri("service", step.service)
            self.add(node, CV.hasRelatedService, service)
            step_node = URIRef(f"{node}/step/{position}")
            self.add(node, CIV.step, step_node)
            self.add(step_node, RDF.type, CIV.Step)
            self.add(step_node, CIV.position, Literal(position))
            self.add(step_node, CIV.service, service)
            self.text(step_node, CIV.when, step.when)


_Part = Channel | Cost | Requirement | Output | Rule
_PartWriter = Callable[[URIRef, Any, int], None]


class _Parts:
    """Writes the parts of one service and notices two parts named alike."""

    def __init__(self, writer: _Writer, service: URIRef, service_id: str) -> None:
        self.writer = writer
        self.service = service
        self.service_id = service_id
        self.errors: list[FieldError] = []

    def add(self, predicate: URIRef, kind: str, items: Iterable[_Part], write: _PartWriter) -> None:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                self.errors.append(
                    FieldError(
                        ("services", self.service_id, f"{kind}s", index, "id"),
                        f"Two {kind}s of this service have the id '{item.id}'; "
                        "give each a different id.",
                    )
                )
            seen.add(item.id)
            node = URIRef(f"{self.service}/{kind}/{quote(item.id, safe='')}")
            self.writer.add(self.service, predicate, node)
            write(node, item, index)

    def check(self) -> None:
        if self.errors:
            raise InvalidInput(
                N_("The catalogue cannot be exported: {count} problem(s)."),
                hint=N_("Fix each problem listed, then export again."),
                params={"count": len(self.errors)},
                errors=tuple(self.errors),
            )
