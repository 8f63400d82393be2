"""The RDF terms the catalogue is written in: CPSV-AP 3.2.0 plus a small Civitas extension.

CPSV-AP describes most of the catalogue. What it has no property for, the Civitas
namespace ``https://civitas.example/ns#`` (prefix ``civ``) carries, so that an export
read back gives exactly the catalogue that was written:

- ``civ:CountryProfile``: the country (names, ``civ:languages`` in order, theme, currency);
- service standard (``civ:standardWorkingDays``, ``civ:standardShare``), ``civ:deliveryMode``,
  ``civ:minimumAssurance``, ``civ:participant`` (another organisation taking part);
- ``civ:organisationKind``, ``civ:icon`` of an event, a channel's ``civ:address``;
- ``civ:Step`` (``civ:service``, ``civ:when``) linked from an event by ``civ:step``: the
  ordered journey, which ``cv:hasRelatedService`` alone cannot express;
- ``civ:position`` and the ``civ:*Order`` lists: RDF values have no order, the catalogue's
  lists do; consumers that do not know them still get every plain CPSV-AP triple;
- ``civ:amount``: the exact decimal fee next to CPSV-AP's ``cv:hasValue`` (an ``xsd:double``).

Code lists: currencies use the EU Publications Office authority table. For channel,
evidence, requirement and output types no EU list matches the catalogue's values one to
one, so they are concepts of Civitas schemes under ``https://civitas.example/code/``;
each is typed ``skos:Concept`` in the data, as the CPSV-AP shapes require.

The ``.example`` domain is reserved (RFC 2606): these IRIs are stable names, not pages.
"""

from __future__ import annotations

import enum
from urllib.parse import quote

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, TIME, XSD

from civitas.catalogue.domain import ChannelType, EvidenceKind, OutputKind, RequirementKind

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
CIV = Namespace("https://civitas.example/ns#")

CODE_BASE = "https://civitas.example/code/"
CURRENCY_BASE = "http://publications.europa.eu/resource/authority/currency/"
DEFAULT_BASE = "https://civitas.example/id/"
"""Where exported resources are named unless the caller gives its own base IRI."""

PREFIXES: dict[str, Namespace] = {
    "cpsv": CPSV,
    "cv": CV,
    "dct": Namespace(str(DCTERMS)),
    "dcat": Namespace(str(DCAT)),
    "eli": ELI,
    "foaf": Namespace(str(FOAF)),
    "locn": LOCN,
    "rdf": Namespace(str(RDF)),
    "skos": Namespace(str(SKOS)),
    "time": Namespace(str(TIME)),
    "xsd": Namespace(str(XSD)),
    "civ": CIV,
}

JSONLD_CONTEXT: dict[str, str] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
"""Embedded, so that reading or writing JSON-LD never fetches a remote context."""

# The code list each kind of value belongs to, by enum.
CODE_SCHEMES: dict[type[enum.StrEnum], str] = {
    ChannelType: "channel-type",
    EvidenceKind: "evidence-kind",
    RequirementKind: "requirement-kind",
    OutputKind: "output-kind",
}


def scheme_iri(kind: type[enum.StrEnum]) -> URIRef:
    return URIRef(CODE_BASE + CODE_SCHEMES[kind])


def code_iri(value: enum.StrEnum) -> URIRef:
    return URIRef(f"{scheme_iri(type(value))}/{value.value}")


def currency_iri(code: str) -> URIRef:
    return URIRef(CURRENCY_BASE + quote(code, safe=""))


def short_name(term: URIRef) -> str:
    """``dct:title`` for a term in a known namespace, for messages people read."""
    for prefix, namespace in PREFIXES.items():
        if term.startswith(str(namespace)):
            return f"{prefix}:{term[len(str(namespace)) :]}"
    return f"<{term}>"
