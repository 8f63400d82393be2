"""The export conforms to the official CPSV-AP 3.2.0 SHACL shapes.

Validated as SOURCE.md in the standards folder says: pySHACL, the vocabulary as the
ontology graph, RDFS inference (so that a life event is also a cv:Event and a public
organisation also a foaf:Agent, and their shapes apply).
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS

from civitas.catalogue import Catalogue
from civitas.catalogue.rdf import DEFAULT_BASE, export_graph
from tests.catalogue.full_catalogue import full_catalogue

pytestmark = pytest.mark.standards

REPO = Path(__file__).resolve().parents[2]
STANDARDS = REPO.parent / "shared" / "standards" / "cpsv-ap-3.2.0"


class Shapes(NamedTuple):
    shacl: Graph
    vocabulary: Graph


class Report(NamedTuple):
    conforms: bool
    text: str


@pytest.fixture(scope="module")
def shapes() -> Shapes:
    shacl, vocabulary = STANDARDS / "cpsv-ap-SHACL.ttl", STANDARDS / "cpsv-ap.ttl"
    if not (shacl.is_file() and vocabulary.is_file()):
        pytest.skip(f"the CPSV-AP 3.2.0 shapes and vocabulary are not in {STANDARDS}")
    return Shapes(Graph().parse(shacl), Graph().parse(vocabulary))


def validate(graph: Graph, shapes: Shapes) -> Report:
    conforms, _, text = pyshacl.validate(
        graph, shacl_graph=shapes.shacl, ont_graph=shapes.vocabulary, inference="rdfs"
    )
    return Report(bool(conforms), str(text))


@pytest.fixture(scope="module")
def demo_report(demo_catalogue: Catalogue, shapes: Shapes) -> Report:
    return validate(export_graph(demo_catalogue), shapes)


def test_the_demo_pack_export_conforms_to_cpsv_ap(demo_report: Report) -> None:
    assert demo_report.conforms, demo_report.text


def test_an_export_using_every_field_conforms_to_cpsv_ap(shapes: Shapes) -> None:
    report = validate(export_graph(full_catalogue()), shapes)
    assert report.conforms, report.text


def test_the_shapes_do_catch_a_service_without_a_title(shapes: Shapes) -> None:
    graph = export_graph(full_catalogue())
    graph.remove((None, DCTERMS.title, None))
    report = validate(graph, shapes)
    assert not report.conforms
    assert f"{DEFAULT_BASE}testland/service/open-a-shop" in report.text
