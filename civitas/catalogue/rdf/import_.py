"""Read a CPSV-AP graph back into a :class:`Catalogue`, checking it as a pack is checked.

Reading is all or nothing, like loading a pack: every problem is collected (which
resource, which property, what was expected) and no catalogue is returned unless the
whole graph is consistent. Resources are found by their ``rdf:type`` and named by
their ``dct:identifier``, never by the shape of their IRIs, so graphs from other
publishers work as long as they carry the Civitas extension where CPSV-AP has no term.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS
from rdflib.term import Node

from civitas.catalogue.domain import (
    AssuranceLevel,
    Catalogue,
    Channel,
    ChannelType,
    Cost,
    CountryProfile,
    DeliveryMode,
    Event,
    EventKind,
    Evidence,
    EvidenceKind,
    LegalResource,
    Organisation,
    OrganisationKind,
    Output,
    OutputKind,
    Requirement,
    RequirementKind,
    Rule,
    Service,
    ServiceStandard,
    Step,
    Theme,
)
from civitas.catalogue.rdf.reading import KINDS, GraphReader
from civitas.catalogue.rdf.vocabulary import CIV, CPSV, CV, LOCN
from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import Path

_T = TypeVar("_T")

DURATION_IN_DAYS = re.compile(r"^P(\d+)D$")


class GraphInvalid(InvalidInput):
    """The graph cannot be read as a catalogue; ``errors`` lists every problem."""


def import_graph(graph: Graph) -> Catalogue:
    """The catalogue the graph describes; raise :class:`GraphInvalid` listing every problem."""
    return _Reader(graph).read()


class _Reader(GraphReader):
    """Builds each domain object from its resource."""

    def read(self) -> Catalogue:
        country = self._country()
        if country is None:
            raise self._invalid()
        nodes = {kind: self.index(kind) for kind in KINDS}
        catalogue = Catalogue(
            country=country,
            organisations=self._build(nodes["organisations"], self._organisation),
            legal_resources=self._build(nodes["legal_resources"], self._legal_resource),
            evidence=self._build(nodes["evidence"], self._evidence),
            services=self._build(nodes["services"], self._service),
            events=self._build(nodes["events"], self._event),
        )
        if self.errors:
            raise self._invalid()
        return catalogue

    def _invalid(self) -> GraphInvalid:
        return GraphInvalid(
            N_("The catalogue graph has {count} problem(s)."),
            hint=N_("Fix each problem listed, then import the file again."),
            params={"count": len(self.errors)},
            errors=tuple(self.errors),
        )

    def _build(
        self, nodes: list[tuple[Node, str]], read: Callable[[Node, str], _T | None]
    ) -> dict[str, _T]:
        built = {}
        for node, identifier in nodes:
            value = read(node, identifier)
            if value is not None:
                built[identifier] = value
        return built

    # -- resources ---------------------------------------------------------------

    def _country(self) -> CountryProfile | None:
        found = list(self.graph.subjects(RDF.type, CIV.CountryProfile, unique=True))
        if len(found) != 1:
            self.fail(
                ("country",),
                "The graph must describe exactly one country (a resource typed "
                f"civ:CountryProfile); it has {len(found)}. Civitas needs the country's "
                "names and languages: export the catalogue from Civitas, or add them.",
            )
            return None
        node = found[0]
        path: Path = ("country",)
        identifier = self.identifier(node, path)
        languages = self.sequence(node, CIV.languages, (*path, "languages"))
        self.languages = tuple(str(language) for language in languages or ())
        if not self.languages:
            self.fail((*path, "languages"), "civ:languages must list at least one language.")
        if identifier is None or self.errors:
            return None
        return CountryProfile(
            id=identifier,
            name=self.text(node, DCTERMS.title, (*path, "name")) or {},
            portal_name=self.text(node, CIV.portalName, (*path, "portal_name")) or {},
            tagline=self.text(node, CIV.tagline, (*path, "tagline")) or {},
            languages=self.languages,
            spatial=self.location(node, (*path, "spatial")),
            currency=self.currency(node, CIV.currency, (*path, "currency")),
            theme=Theme(
                primary=self.plain(node, CIV.themePrimary, (*path, "theme", "primary"))
                or Theme.primary,
                accent=self.plain(node, CIV.themeAccent, (*path, "theme", "accent"))
                or Theme.accent,
                logo=self.plain(node, CIV.logo, (*path, "theme", "logo")),
            ),
        )

    def _organisation(self, node: Node, identifier: str) -> Organisation | None:
        path: Path = ("organisations", identifier)
        kind = self.choice(node, CIV.organisationKind, OrganisationKind, (*path, "kind"))
        name = self.text(node, SKOS.prefLabel, (*path, "name"))
        contact = self.graph.value(node, CV.contactPoint)
        address = self.graph.value(node, LOCN.address)
        organisation = Organisation(
            id=identifier,
            name=name or {},
            kind=kind or OrganisationKind.NATIONAL_AGENCY,
            spatial=self.location(node, (*path, "spatial")),
            description=self.text(node, DCTERMS.description, (*path, "description")) or {},
            homepage=self.link(node, FOAF.homepage, (*path, "homepage")),
            phone="" if contact is None else self.plain(contact, CV.telephone, (*path, "phone")),
            email="" if contact is None else self.plain(contact, CV.email, (*path, "email")),
            address=None
            if address is None
            else self.text(address, LOCN.fullAddress, (*path, "address")),
        )
        return organisation if kind and name else None

    def _legal_resource(self, node: Node, identifier: str) -> LegalResource | None:
        path: Path = ("legal_resources", identifier)
        title = self.text(node, DCTERMS.title, (*path, "title"))
        return LegalResource(
            id=identifier,
            title=title or {},
            url=self.link(node, FOAF.page, (*path, "url"), required=True),
            description=self.text(node, DCTERMS.description, (*path, "description"), False),
        )

    def _evidence(self, node: Node, identifier: str) -> Evidence | None:
        path: Path = ("evidence", identifier)
        return Evidence(
            id=identifier,
            name=self.text(node, DCTERMS.title, (*path, "name")) or {},
            description=self.text(node, DCTERMS.description, (*path, "description")) or {},
            kind=self.concept(node, EvidenceKind, (*path, "kind"), EvidenceKind.OTHER)
            or EvidenceKind.OTHER,
        )

    def _service(self, node: Node, identifier: str) -> Service | None:
        path: Path = ("services", identifier)
        authority = self.single(node, CV.hasCompetentAuthority, (*path, "authority"), True)
        days = self.plain(node, CV.processingTime, (*path, "processing_days"), required=True)
        in_days = DURATION_IN_DAYS.match(days)
        if days and not in_days:
            self.fail(
                (*path, "processing_days"),
                f"cv:processingTime '{days}' must be a number of days, like P5D.",
            )
        values: dict[str, Any] = {
            "id": identifier,
            "name": self.text(node, DCTERMS.title, (*path, "name")),
            "description": self.text(node, DCTERMS.description, (*path, "description")),
            "keywords": self.keywords(node, (*path, "keywords")),
            "authority": None
            if authority is None
            else self.ref(authority, "organisations", (*path, "authority")),
            "participants": self.refs(
                node,
                CIV.participant,
                CIV.participantOrder,
                "organisations",
                (*path, "participants"),
            ),
            "legal_basis": self.refs(
                node,
                CV.hasLegalResource,
                CIV.legalResourceOrder,
                "legal_resources",
                (*path, "legal_basis"),
            ),
            "evidence": self.refs(
                node, CPSV.hasInput, CIV.inputOrder, "evidence", (*path, "evidence")
            ),
            "processing_days": int(in_days.group(1)) if in_days else None,
            "standard": self._standard(node, (*path, "standard")),
            "delivery": self.choice(node, CIV.deliveryMode, DeliveryMode, (*path, "delivery")),
            "assurance": self.choice(
                node, CIV.minimumAssurance, AssuranceLevel, (*path, "assurance")
            ),
            "channels": self._each(node, CV.hasChannel, (*path, "channels"), self._channel),
            "costs": self._each(node, CV.hasCost, (*path, "costs"), self._cost),
            "requirements": self._each(
                node, CV.holdsRequirement, (*path, "requirements"), self._requirement
            ),
            "outputs": self._each(node, CPSV.produces, (*path, "outputs"), self._output),
            "rules": self._each(node, CPSV.follows, (*path, "rules"), self._rule),
        }
        optional = {"keywords"}
        if any(value is None for key, value in values.items() if key not in optional):
            return None
        return Service(**values)

    def _standard(self, node: Node, path: Path) -> ServiceStandard | None:
        days = self.number(node, CIV.standardWorkingDays, (*path, "working_days"), int)
        share = self.number(node, CIV.standardShare, (*path, "share"), Decimal)
        if days is None or share is None:
            return None
        try:
            return ServiceStandard(working_days=days, share=share)
        except ValueError as problem:
            self.fail(path, f"{str(problem).capitalize()}.")
            return None

    def _each(
        self,
        node: Node,
        predicate: URIRef,
        path: Path,
        read: Callable[[Node, str, Path], _T | None],
    ) -> tuple[_T, ...] | None:
        parts = [
            read(part, ident, (*path, ident)) for part, ident in self.parts(node, predicate, path)
        ]
        complete = [part for part in parts if part is not None]
        return tuple(complete) if len(complete) == len(parts) else None

    def _channel(self, node: Node, identifier: str, path: Path) -> Channel | None:
        kind = self.concept(node, ChannelType, (*path, "type"), None)
        description = self.text(node, DCTERMS.description, (*path, "description"))
        hours = self.graph.value(node, CV.openingHours)
        opening_hours = (
            None
            if hours is None
            else self.text(hours, DCTERMS.description, (*path, "opening_hours"))
        )
        if kind is None or description is None:
            return None
        return Channel(
            id=identifier,
            type=kind,
            description=description,
            address=self.plain(node, CIV.address, (*path, "address")),
            opening_hours=opening_hours,
        )

    def _cost(self, node: Node, identifier: str, path: Path) -> Cost | None:
        exact = CIV.amount if self.graph.value(node, CIV.amount) is not None else CV.hasValue
        amount = self.number(node, exact, (*path, "amount"), Decimal)
        description = self.text(node, DCTERMS.description, (*path, "description"))
        currency = self.currency(node, CV.currency, (*path, "currency"))
        if amount is None or description is None:
            return None
        return Cost(id=identifier, amount=amount, description=description, currency=currency)

    def _requirement(self, node: Node, identifier: str, path: Path) -> Requirement | None:
        name = self.text(node, DCTERMS.title, (*path, "name"))
        description = self.text(node, DCTERMS.description, (*path, "description"))
        kind = self.concept(node, RequirementKind, (*path, "kind"), RequirementKind.ELIGIBILITY)
        evidence = self.refs(
            node,
            CV.hasSupportingEvidence,
            CIV.supportingEvidenceOrder,
            "evidence",
            (*path, "evidence"),
        )
        if name is None or description is None or kind is None:
            return None
        return Requirement(identifier, name, description, kind, evidence)

    def _output(self, node: Node, identifier: str, path: Path) -> Output | None:
        name = self.text(node, DCTERMS.title, (*path, "name"))
        description = self.text(node, DCTERMS.description, (*path, "description"))
        kind = self.concept(node, OutputKind, (*path, "kind"), OutputKind.DOCUMENT)
        if name is None or description is None or kind is None:
            return None
        return Output(identifier, name, description, kind)

    def _rule(self, node: Node, identifier: str, path: Path) -> Rule | None:
        name = self.text(node, DCTERMS.title, (*path, "name"))
        description = self.text(node, DCTERMS.description, (*path, "description"))
        implements = self.refs(
            node, CPSV.implements, CIV.implementsOrder, "legal_resources", (*path, "implements")
        )
        if name is None or description is None:
            return None
        return Rule(identifier, name, description, implements)

    def _event(self, node: Node, identifier: str) -> Event | None:
        path: Path = ("events", identifier)
        is_life = (node, RDF.type, CV.LifeEvent) in self.graph
        name = self.text(node, DCTERMS.title, (*path, "name"))
        description = self.text(node, DCTERMS.description, (*path, "description"))
        steps = self._steps(node, (*path, "steps"))
        if name is None or description is None or steps is None:
            return None
        return Event(
            id=identifier,
            kind=EventKind.LIFE if is_life else EventKind.BUSINESS,
            name=name,
            description=description,
            steps=steps,
            keywords=self.keywords(node, (*path, "keywords")),
            icon=self.plain(node, CIV.icon, (*path, "icon")),
        )

    def _steps(self, node: Node, path: Path) -> tuple[Step, ...] | None:
        """The journey from civ:step, else (other publishers) from cv:hasRelatedService."""
        nodes = sorted(self.graph.objects(node, CIV.step), key=str)
        steps: list[Step | None] = []
        if nodes:
            for index, (step, _) in enumerate(self.in_order((n, str(n)) for n in nodes)):
                target = self.single(step, CIV.service, (*path, index, "service"), True)
                service = None if target is None else self.ref(target, "services", (*path, index))
                when = self.text(step, CIV.when, (*path, index, "when"), required=False)
                steps.append(None if service is None else Step(service, when))
        else:
            for index, target in enumerate(
                sorted(self.graph.objects(node, CV.hasRelatedService), key=str)
            ):
                service = self.ref(target, "services", (*path, index))
                steps.append(None if service is None else Step(service))
        if not steps:
            self.fail(path, "A journey needs at least one step (civ:step or cv:hasRelatedService).")
        complete = [step for step in steps if step is not None]
        return tuple(complete) if steps and len(complete) == len(steps) else None
