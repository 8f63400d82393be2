"""CPSV-AP export and import: what maps to what, exact round trips, clear errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD
from typer.testing import CliRunner

from civitas.catalogue import Catalogue, load_catalogue
from civitas.catalogue.cli import catalogue_app
from civitas.catalogue.domain import Channel, ChannelType
from civitas.catalogue.rdf import (
    CIV,
    DEFAULT_BASE,
    GraphInvalid,
    RdfFormat,
    export_graph,
    import_graph,
    parse_catalogue,
    read_catalogue,
    serialize_catalogue,
    serialize_graph,
)
from civitas.catalogue.rdf.vocabulary import CPSV, CV
from civitas.cli import main
from civitas.core.errors import InvalidInput, NotFound
from tests.catalogue.full_catalogue import full_catalogue
from tests.catalogue.minimal_pack import write_pack

ROOT = f"{DEFAULT_BASE}testland/"


def iri(kind: str, identifier: str) -> URIRef:
    return URIRef(f"{ROOT}{kind}/{identifier}")


def problems(graph: Graph) -> list[str]:
    with pytest.raises(GraphInvalid) as caught:
        import_graph(graph)
    return [f"{e.dotted_path}: {e.message}" for e in caught.value.errors]


@pytest.fixture
def graph() -> Graph:
    return export_graph(full_catalogue())


# -- round trips ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(RdfFormat))
def test_the_demo_pack_survives_export_and_import_unchanged(
    demo_catalogue: Catalogue, fmt: RdfFormat
) -> None:
    text = serialize_catalogue(demo_catalogue, fmt)
    assert parse_catalogue(text, fmt) == demo_catalogue


@pytest.mark.parametrize("fmt", list(RdfFormat))
def test_every_field_of_the_domain_survives_export_and_import(fmt: RdfFormat) -> None:
    original = full_catalogue()
    back = parse_catalogue(serialize_catalogue(original, fmt).encode("utf-8"))
    assert back == original
    # Equality of mappings ignores order; the order the pack was written in is kept too.
    assert list(back.services) == list(original.services)
    assert back.country.languages == ("pt", "en")
    assert back.service("get-a-record").keywords == {
        "en": ("record", "copy", "record"),
        "pt": ("registo", "cópia"),
    }


def test_money_stays_exact_beyond_what_a_double_can_hold() -> None:
    back = parse_catalogue(serialize_catalogue(full_catalogue(), RdfFormat.TURTLE))
    assert back.service("get-a-record").costs[0].amount == Decimal("12345678901234.56")
    assert str(back.service("get-a-record").costs[1].amount) == "0.10"


def test_an_export_does_not_depend_on_the_order_triples_were_added_in() -> None:
    graph = export_graph(full_catalogue())
    reversed_graph = Graph()
    for prefix, namespace in graph.namespaces():
        reversed_graph.bind(prefix, namespace)
    for triple in sorted(graph, reverse=True):
        reversed_graph.add(triple)
    for fmt in RdfFormat:
        assert serialize_graph(reversed_graph, fmt) == serialize_graph(graph, fmt)


def test_json_ld_carries_its_own_context_and_needs_no_network() -> None:
    document = json.loads(serialize_catalogue(full_catalogue(), RdfFormat.JSONLD))
    assert document["@context"]["cpsv"] == "http://purl.org/vocab/cpsv#"
    assert document["@context"]["civ"] == str(CIV)


def test_resources_are_named_under_the_base_iri_given() -> None:
    graph = export_graph(full_catalogue(), base="https://services.gov.example/")
    assert (
        URIRef("https://services.gov.example/testland/service/get-a-record"),
        RDF.type,
        CPSV.PublicService,
    ) in graph


# -- what maps to what ---------------------------------------------------------


def test_a_service_is_a_cpsv_public_service_with_its_parts(graph: Graph) -> None:
    service = iri("service", "get-a-record")
    assert (service, DCTERMS.identifier, Literal("get-a-record")) in graph
    assert (service, DCTERMS.title, Literal("Obter um registo", lang="pt")) in graph
    assert (service, DCTERMS.title, Literal("Get a record", lang="en")) in graph
    assert (service, CV.hasCompetentAuthority, iri("organisation", "registry")) in graph
    assert (service, CV.hasLegalResource, iri("legal-resource", "fees-decree")) in graph
    assert (service, CPSV.hasInput, iri("evidence", "photo")) in graph
    assert (service, CV.processingTime, Literal("P0D", datatype=XSD.duration)) in graph
    assert (service, CV.isGroupedBy, iri("event", "moving-house")) in graph
    for predicate in (CV.hasChannel, CV.hasCost, CV.holdsRequirement, CPSV.produces, CPSV.follows):
        assert len(list(graph.objects(service, predicate))) >= 1


def test_a_fee_has_a_value_and_an_eu_currency_concept(graph: Graph) -> None:
    cost = URIRef(f"{iri('service', 'get-a-record')}/cost/stamp")
    eur = URIRef("http://publications.europa.eu/resource/authority/currency/EUR")
    assert (cost, RDF.type, CV.Cost) in graph
    assert graph.value(cost, CV.hasValue) == Literal(0.1, datatype=XSD.double)
    assert (cost, CV.currency, eur) in graph
    assert (eur, RDF.type, SKOS.Concept) in graph


def test_every_code_list_value_used_is_typed_as_a_concept(graph: Graph) -> None:
    for value in graph.objects(None, DCTERMS.type):
        assert (value, RDF.type, SKOS.Concept) in graph
    for location in graph.objects(None, DCTERMS.spatial):
        assert (location, RDF.type, DCTERMS.Location) in graph


def test_a_journey_keeps_its_steps_in_order_with_their_timing(graph: Graph) -> None:
    event = iri("event", "moving-house")
    assert (event, RDF.type, CV.LifeEvent) in graph
    assert (iri("event", "starting-a-business"), RDF.type, CV.BusinessEvent) in graph
    steps = sorted(
        graph.objects(event, CIV.step), key=lambda s: int(str(graph.value(s, CIV.position)))
    )
    assert [graph.value(s, CIV.service) for s in steps] == [
        iri("service", "open-a-shop"),
        iri("service", "get-a-record"),
    ]
    assert (steps[1], CIV.when, Literal("Before you move", lang="en")) in graph


def test_a_graph_from_another_publisher_gets_its_journey_from_related_services(
    graph: Graph,
) -> None:
    graph.remove((None, CIV.step, None))
    event = import_graph(graph).event("moving-house")
    assert [step.service for step in event.steps] == ["get-a-record", "open-a-shop"]
    assert all(step.when is None for step in event.steps)


# -- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("this is { not rdf", RdfFormat.TURTLE, "Turtle"),
        ("{ not json", RdfFormat.JSONLD, "JSON-LD"),
        ('{"@context": "https://example.org/context.jsonld"}', None, "JSON-LD"),
        (b"\xff\xfe binary", None, "RDF"),
    ],
)
def test_text_that_is_not_rdf_is_refused_with_the_reason(
    text: str | bytes, fmt: RdfFormat | None, expected: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_catalogue(text, fmt)
    message, hint = caught.value.render()
    assert message == f"The file cannot be read as {expected}."
    assert hint
    [reason] = caught.value.errors
    assert reason.message


def test_a_remote_json_ld_context_is_refused_not_fetched() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_catalogue('{"@context": ["https://example.org/c.jsonld"], "@id": "x"}')
    assert "https://example.org/c.jsonld" in caught.value.errors[0].message


def test_a_graph_without_a_country_says_what_is_missing() -> None:
    assert problems(Graph()) == [
        "country: The graph must describe exactly one country (a resource typed "
        "civ:CountryProfile); it has 0. Civitas needs the country's names and languages: "
        "export the catalogue from Civitas, or add them."
    ]


def test_a_missing_required_property_is_named_with_its_resource(graph: Graph) -> None:
    graph.remove((iri("service", "open-a-shop"), DCTERMS.title, None))
    assert problems(graph) == ["services.open-a-shop.name: dct:title is missing; it is required."]


def test_a_missing_translation_is_reported(graph: Graph) -> None:
    graph.remove(
        (
            iri("evidence", "photo"),
            DCTERMS.description,
            Literal("Uma fotografia recente.", lang="pt"),
        )
    )
    assert problems(graph) == ["evidence.photo.description: The 'pt' translation is missing."]


def test_a_reference_to_an_unknown_resource_is_reported(graph: Graph) -> None:
    service = iri("service", "open-a-shop")
    graph.set((service, CV.hasCompetentAuthority, iri("organisation", "nobody")))
    [problem] = problems(graph)
    assert problem.startswith("services.open-a-shop.authority: ")
    assert f"{iri('organisation', 'nobody')} names no public organisation in the graph" in problem


def test_every_problem_is_reported_at_once(graph: Graph) -> None:
    graph.remove((iri("service", "open-a-shop"), DCTERMS.title, None))
    graph.set((iri("service", "open-a-shop"), CV.processingTime, Literal("PT5H")))
    graph.set((iri("service", "open-a-shop"), CIV.deliveryMode, Literal("by-pigeon")))
    graph.set((iri("service", "open-a-shop"), CIV.standardShare, Literal(Decimal("1.5"))))
    found = problems(graph)
    assert len(found) == 4, found
    assert any("'PT5H' must be a number of days, like P5D" in p for p in found)
    assert any(
        "'by-pigeon' is not one of: automatic, proactive_offer, on_request" in p for p in found
    )
    assert "services.open-a-shop.standard: Share must be above 0 and at most 1, e.g. 0.95." in found


def test_an_unknown_channel_type_lists_the_known_ones(graph: Graph) -> None:
    channel = URIRef(f"{iri('service', 'open-a-shop')}/channel/phone")
    graph.set((channel, DCTERMS.type, URIRef("http://example.org/pigeon")))
    [problem] = problems(graph)
    assert problem.startswith("services.open-a-shop.channels.phone.type: ")
    assert "https://civitas.example/code/channel-type/web" in problem


def test_two_resources_with_one_identifier_are_reported(graph: Graph) -> None:
    graph.set((iri("evidence", "photo"), DCTERMS.identifier, Literal("id-card")))
    [problem] = problems(graph)
    assert "Two evidences have this dct:identifier" in problem


def test_export_refuses_two_parts_of_a_service_with_one_id() -> None:
    catalogue = full_catalogue()
    service = catalogue.services["open-a-shop"]
    twin = Channel(id="phone", type=ChannelType.APP, description={"en": "x", "pt": "x"})
    services = dict(catalogue.services)
    services["open-a-shop"] = type(service)(
        **{**vars(service), "channels": (*service.channels, twin)}
    )
    broken = Catalogue(**{**vars(catalogue), "services": services})
    with pytest.raises(InvalidInput) as caught:
        export_graph(broken)
    assert [e.dotted_path for e in caught.value.errors] == ["services.open-a-shop.channels[1].id"]


def test_reading_a_file_that_does_not_exist_says_so(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        read_catalogue(tmp_path / "nothing.ttl")


def test_the_file_suffix_chooses_the_format(tmp_path: Path) -> None:
    turtle = serialize_graph(export_graph(full_catalogue()), RdfFormat.TURTLE)
    (tmp_path / "catalogue.jsonld").write_text(turtle, encoding="utf-8")
    (tmp_path / "catalogue.ttl").write_text(turtle, encoding="utf-8")
    assert read_catalogue(tmp_path / "catalogue.ttl") == full_catalogue()
    with pytest.raises(InvalidInput, match="JSON-LD"):
        read_catalogue(tmp_path / "catalogue.jsonld")


# -- command line --------------------------------------------------------------


@pytest.fixture
def pack_env(tmp_path: Path) -> dict[str, str]:
    """The small test pack as the configured country pack, for CLI runs."""
    return {"CIVITAS_COUNTRY_PACK": str(write_pack(tmp_path / "pack"))}


def test_cli_export_writes_json_ld_to_standard_output(pack_env: dict[str, str]) -> None:
    result = CliRunner().invoke(catalogue_app, ["export"], env=pack_env)
    assert result.exit_code == 0, result.output
    expected = load_catalogue(Path(pack_env["CIVITAS_COUNTRY_PACK"]))
    assert parse_catalogue(result.stdout, RdfFormat.JSONLD) == expected


def test_cli_export_then_import_of_a_turtle_file(tmp_path: Path, pack_env: dict[str, str]) -> None:
    target = tmp_path / "catalogue.ttl"
    runner = CliRunner()
    exported = runner.invoke(
        catalogue_app, ["export", "--format", "turtle", "--out", str(target)], env=pack_env
    )
    assert exported.exit_code == 0, exported.output
    assert target.read_text(encoding="utf-8").startswith("@prefix")
    imported = runner.invoke(catalogue_app, ["import", str(target)])
    assert imported.exit_code == 0, imported.output
    assert "The file holds a valid catalogue for testland: 1 events, 1 services" in " ".join(
        imported.stdout.split()
    )


def test_cli_import_of_a_broken_file_prints_the_problems_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix dct: <http://purl.org/dc/terms/> .\n<x:a> dct:title 'A'@en .\n")
    with pytest.raises(SystemExit) as stopped:
        main(["catalogue", "import", str(broken)])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "Error: The catalogue graph has 1 problem(s)." in err
    assert "country: The graph must describe exactly one country" in err
    assert "Hint:" in err
