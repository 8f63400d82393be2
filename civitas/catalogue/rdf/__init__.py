"""The catalogue as linked data: CPSV-AP 3.2.0 export and import (JSON-LD and Turtle).

- ``vocabulary``: namespaces, the Civitas extension (``civ:``) and code lists;
- ``export``: :class:`Catalogue` to an rdflib graph;
- ``import_``: a graph back to a checked :class:`Catalogue`;
- ``formats``: graphs as JSON-LD or Turtle text, and back.

An export read back gives a catalogue equal to the one written.
"""

from __future__ import annotations

from civitas.catalogue.rdf.export import export_graph
from civitas.catalogue.rdf.formats import (
    RdfFormat,
    parse_catalogue,
    parse_graph,
    read_catalogue,
    serialize_catalogue,
    serialize_graph,
)
from civitas.catalogue.rdf.import_ import GraphInvalid, import_graph
from civitas.catalogue.rdf.vocabulary import CIV, DEFAULT_BASE, JSONLD_CONTEXT

__all__ = [
    "CIV",
    "DEFAULT_BASE",
    "JSONLD_CONTEXT",
    "GraphInvalid",
    "RdfFormat",
    "export_graph",
    "import_graph",
    "parse_catalogue",
    "parse_graph",
    "read_catalogue",
    "serialize_catalogue",
    "serialize_graph",
]
