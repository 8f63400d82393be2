"""The JSON API (/api/v1): what each endpoint answers, in both languages, and its errors."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response

from civitas.app import build_platform, create_app
from civitas.catalogue import Catalogue, CatalogueSearch, search_index_for
from civitas.catalogue.domain import Cost, EventKind
from civitas.config import Settings

BIRTH = "register-a-birth"
CHILD = "having-a-child"
REGISTRY = "civil-registry"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the read-only tests of this module: the API never writes."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("api") / "data", _env_file=None)
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    app.state.platform.engine.dispose()


def json_of(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def error_of(response: Response, status: int) -> dict[str, Any]:
    """The one error shape, with its status repeated in the body."""
    body: dict[str, Any] = json_of(response, status)
    assert set(body) == {"ok", "status", "error", "hint", "errors"}
    assert body["ok"] is False
    assert body["status"] == status
    assert body["error"]
    assert body["hint"]
    return body


def paths_of(body: dict[str, Any]) -> set[str]:
    return {e["path"] for e in body["errors"]}


# -- country --------------------------------------------------------------------------


def test_country_answers_in_the_language_asked(api: TestClient) -> None:
    en = json_of(api.get("/api/v1/country", params={"lang": "en"}))
    pt = json_of(api.get("/api/v1/country", params={"lang": "pt"}))
    assert en["name"] == "Republic of Valdoria"
    assert pt["name"] == "República da Valdória"
    assert pt["portal_name"] == "Serviços Públicos da Valdória"
    assert en["languages"] == pt["languages"] == ["en", "pt"]
    assert en["theme"]["primary"] == "#0b4f6c"
    assert en["theme"]["accent"] == "#ffbf47"


def test_language_defaults_to_the_first_language_of_the_pack(api: TestClient) -> None:
    response = api.get("/api/v1/country")
    body = json_of(response)
    assert body["lang"] == body["default_language"] == "en"
    assert response.headers["content-language"] == "en"


def test_answers_say_their_language_in_the_content_language_header(api: TestClient) -> None:
    response = api.get("/api/v1/life-events", params={"lang": "pt"})
    assert response.headers["content-language"] == "pt"


# -- life events ----------------------------------------------------------------------


def test_life_events_list_every_event_in_pack_order(
    api: TestClient, demo_catalogue: Catalogue
) -> None:
    body = json_of(api.get("/api/v1/life-events"))
    assert [e["id"] for e in body["items"]] == list(demo_catalogue.events)


@pytest.mark.parametrize("kind", ["life", "business"])
def test_life_events_filter_by_kind(api: TestClient, demo_catalogue: Catalogue, kind: str) -> None:
    body = json_of(api.get("/api/v1/life-events", params={"kind": kind}))
    expected = [e.id for e in demo_catalogue.events.values() if e.kind is EventKind(kind)]
    assert [e["id"] for e in body["items"]] == expected
    assert all(e["kind"] == kind for e in body["items"])


def test_journey_lists_its_steps_in_order_with_what_each_needs(
    api: TestClient, demo_catalogue: Catalogue
) -> None:
    body = json_of(api.get(f"/api/v1/life-events/{CHILD}"))
    event = demo_catalogue.event(CHILD)
    assert [s["service"]["id"] for s in body["steps"]] == [s.service for s in event.steps]
    assert [s["position"] for s in body["steps"]] == list(range(1, len(event.steps) + 1))
    first = body["steps"][0]
    service = demo_catalogue.service(first["service"]["id"])
    assert first["when"] == event.steps[0].when["en"]  # type: ignore[index]
    assert first["service"]["organisation"]["id"] == service.authority
    assert first["service"]["delivery"] == service.delivery.value
    assert first["service"]["processing_days"] == service.processing_days
    assert first["service"]["standard"]["working_days"] == service.standard.working_days
    assert [c["id"] for c in first["channels"]] == [c.id for c in service.channels]
    assert {e["id"] for e in first["evidence"]} >= set(service.evidence)
    assert body["summary"]["steps"] == len(event.steps)


def test_journey_summary_totals_the_whole_journey(
    api: TestClient, demo_catalogue: Catalogue
) -> None:
    summary = json_of(api.get(f"/api/v1/life-events/{CHILD}"))["summary"]
    journey = demo_catalogue.journey(CHILD)
    total = sum((Decimal(a["amount"]) for a in summary["total_costs"]), Decimal(0))
    assert total == journey.total_cost
    assert [o["id"] for o in summary["organisations"]] == list(journey.organisations)
    assert [e["id"] for e in summary["evidence"]] == list(journey.evidence)
    assert summary["total_processing_days"] == sum(s.processing_days for _, s in journey.steps)


def test_journey_is_written_in_portuguese_when_asked(api: TestClient) -> None:
    body = json_of(api.get(f"/api/v1/life-events/{CHILD}", params={"lang": "pt"}))
    assert body["name"] == "Ter um filho"
    assert body["steps"][0]["when"] == "Nos 15 dias após o nascimento"


# -- money ----------------------------------------------------------------------------


@pytest.fixture
def priced_client(settings: Settings, demo_catalogue: Catalogue) -> Iterator[TestClient]:
    """The demo catalogue with fees whose float sum is inexact (0.1 + 0.2), on a real index."""
    costs = tuple(
        Cost(f"fee-{i}", Decimal(amount), {"en": "Fee.", "pt": "Taxa."})
        for i, amount in enumerate(["65", "0.10", "0.20", "12.5"])
    )
    birth = dataclasses.replace(demo_catalogue.service(BIRTH), costs=costs)
    catalogue = dataclasses.replace(
        demo_catalogue, services={**demo_catalogue.services, BIRTH: birth}
    )
    platform = build_platform(settings)
    search = CatalogueSearch(catalogue, search_index_for(platform.engine))
    search.rebuild()
    app = create_app(settings, dataclasses.replace(platform, catalogue=catalogue, search=search))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_money_is_an_exact_decimal_string_with_its_currency(priced_client: TestClient) -> None:
    body = json_of(priced_client.get(f"/api/v1/services/{BIRTH}"))
    assert [(c["amount"], c["currency"]) for c in body["costs"]] == [
        ("65.00", "EUR"),
        ("0.10", "EUR"),
        ("0.20", "EUR"),
        ("12.50", "EUR"),
    ]
    assert body["total_costs"] == [{"amount": "77.80", "currency": "EUR"}]
    assert body["is_free"] is False


def test_journey_total_adds_money_exactly(
    priced_client: TestClient, demo_catalogue: Catalogue
) -> None:
    summary = json_of(priced_client.get(f"/api/v1/life-events/{CHILD}"))["summary"]
    others = demo_catalogue.journey(CHILD).total_cost - demo_catalogue.service(BIRTH).total_cost
    assert summary["total_costs"] == [
        {"amount": str((Decimal("77.80") + others).quantize(Decimal("0.01"))), "currency": "EUR"}
    ]


def test_a_free_service_costs_zero_in_the_country_currency(api: TestClient) -> None:
    body = json_of(api.get(f"/api/v1/services/{BIRTH}"))
    assert body["is_free"] is True
    assert body["total_costs"] == [{"amount": "0.00", "currency": "EUR"}]


# -- services -------------------------------------------------------------------------


def test_services_come_a_page_at_a_time(api: TestClient, demo_catalogue: Catalogue) -> None:
    everything = json_of(api.get("/api/v1/services", params={"limit": 100}))
    assert everything["total"] == len(demo_catalogue.services)
    ids = [s["id"] for s in everything["items"]]
    assert ids == list(demo_catalogue.services)[:100]
    page = json_of(api.get("/api/v1/services", params={"limit": 2, "offset": 1}))
    assert (page["limit"], page["offset"], page["total"]) == (2, 1, everything["total"])
    assert [s["id"] for s in page["items"]] == ids[1:3]


def test_services_filter_by_organisation_and_delivery(
    api: TestClient, demo_catalogue: Catalogue
) -> None:
    service = demo_catalogue.service(BIRTH)
    params = {"organisation": service.authority, "delivery": service.delivery.value}
    body = json_of(api.get("/api/v1/services", params={**params, "limit": 100}))
    expected = [
        s.id
        for s in demo_catalogue.services.values()
        if s.authority == service.authority and s.delivery is service.delivery
    ]
    assert [s["id"] for s in body["items"]] == expected
    assert BIRTH in expected


def test_a_filter_that_matches_nothing_gives_an_empty_page(api: TestClient) -> None:
    body = json_of(api.get("/api/v1/services", params={"organisation": "no-such-office"}))
    assert body["total"] == 0
    assert body["items"] == []


def test_service_shows_everything_with_references_written_out(
    api: TestClient, demo_catalogue: Catalogue
) -> None:
    body = json_of(api.get(f"/api/v1/services/{BIRTH}", params={"lang": "pt"}))
    service = demo_catalogue.service(BIRTH)
    assert body["name"] == "Registar um nascimento"
    assert body["organisation"] == {
        "id": service.authority,
        "name": demo_catalogue.organisation(service.authority).name["pt"],
    }
    assert [r["id"] for r in body["legal_basis"]] == list(service.legal_basis)
    assert (
        body["legal_basis"][0]["title"]
        == (demo_catalogue.legal_resources[service.legal_basis[0]].title["pt"])
    )
    assert {e["id"] for e in body["evidence"]} >= set(service.evidence)
    assert all(e["name"] for e in body["evidence"])
    assert [o["id"] for o in body["outputs"]] == [o.id for o in service.outputs]
    assert CHILD in [e["id"] for e in body["life_events"]]
    assert body["standard"]["share"] == str(service.standard.share)
    assert body["keywords"] == (list(service.keywords["pt"]) if service.keywords else [])


# -- organisations --------------------------------------------------------------------


def test_organisations_list_each_with_its_number_of_services(
    api: TestClient, demo_catalogue: Catalogue
) -> None:
    body = json_of(api.get("/api/v1/organisations"))
    assert [o["id"] for o in body["items"]] == list(demo_catalogue.organisations)
    counts = {o["id"]: o["service_count"] for o in body["items"]}
    assert counts[REGISTRY] == len(demo_catalogue.services_of(REGISTRY))


def test_organisation_lists_the_ids_of_its_services(
    api: TestClient, demo_catalogue: Catalogue
) -> None:
    body = json_of(api.get(f"/api/v1/organisations/{REGISTRY}", params={"lang": "pt"}))
    assert body["service_ids"] == [s.id for s in demo_catalogue.services_of(REGISTRY)]
    assert BIRTH in body["service_ids"]
    assert body["name"] == demo_catalogue.organisation(REGISTRY).name["pt"]


# -- search ---------------------------------------------------------------------------


def test_search_corrects_a_typo_and_says_how_it_understood_the_query(
    api: TestClient,
) -> None:
    body = json_of(api.get("/api/v1/search", params={"q": "birht"}))
    assert body["query"] == "birht"
    assert body["corrected"] == "birth"
    assert BIRTH in [s["id"] for s in body["services"]]
    assert body["count"] == len(body["services"]) + len(body["events"])


def test_search_in_portuguese_finds_portuguese_words(api: TestClient) -> None:
    body = json_of(api.get("/api/v1/search", params={"q": "nascimento", "lang": "pt"}))
    assert body["corrected"] is None
    found = {s["id"]: s["name"] for s in body["services"]}
    assert found[BIRTH] == "Registar um nascimento"


def test_an_empty_search_finds_nothing_without_an_error(api: TestClient) -> None:
    body = json_of(api.get("/api/v1/search", params={"q": "  "}))
    assert (body["count"], body["services"], body["events"]) == (0, [], [])


# -- errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/v1/services/no-such-service", "There is no service called no-such-service."),
        ("/api/v1/life-events/no-such-event", "There is no life event called no-such-event."),
        ("/api/v1/organisations/no-such-office", "There is no organisation called no-such-office."),
    ],
)
def test_an_unknown_id_is_a_404_in_the_error_shape(
    api: TestClient, path: str, message: str
) -> None:
    body = error_of(api.get(path), 404)
    assert body["error"] == message
    assert body["errors"] == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/services", {"limit": "0"}, "query.limit"),
        ("/api/v1/services", {"limit": "101"}, "query.limit"),
        ("/api/v1/services", {"limit": "many"}, "query.limit"),
        ("/api/v1/services", {"offset": "-1"}, "query.offset"),
        ("/api/v1/services", {"delivery": "by-pigeon"}, "query.delivery"),
        ("/api/v1/services", {"organisation": "Not An Id"}, "query.organisation"),
        ("/api/v1/life-events", {"kind": "holiday"}, "query.kind"),
        ("/api/v1/country", {"lang": "fr"}, "query.lang"),
        ("/api/v1/search", {"q": "x" * 201}, "query.q"),
        ("/api/v1/services/Not_An_Id", {}, "path.service_id"),
    ],
)
def test_a_parameter_that_cannot_be_used_is_a_400_naming_the_field(
    api: TestClient, path: str, params: dict[str, str], field: str
) -> None:
    body = error_of(api.get(path, params=params), 400)
    assert paths_of(body) == {field}
    assert all(e["message"] for e in body["errors"])


def test_every_unusable_parameter_is_listed_at_once(api: TestClient) -> None:
    response = api.get("/api/v1/services", params={"limit": "0", "lang": "fr"})
    assert paths_of(error_of(response, 400)) == {"query.limit", "query.lang"}


def test_a_body_larger_than_the_limit_is_refused_with_413(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", max_request_bytes=1024, _env_file=None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as small:
        response = small.post("/api/v1/services", content=b"x" * 5000)
    error_of(response, 413)


def test_a_method_the_endpoint_does_not_take_is_a_405_listing_the_allowed_ones(
    api: TestClient,
) -> None:
    response = api.post("/api/v1/services", json={"name": "new"})
    error_of(response, 405)
    assert response.headers["allow"] == "GET"


# -- OpenAPI --------------------------------------------------------------------------


@pytest.fixture
def openapi(api: TestClient) -> dict[str, Any]:
    spec: dict[str, Any] = json_of(api.get("/api/v1/openapi.json"))
    return spec


def catalogue_paths(openapi: dict[str, Any]) -> dict[str, Any]:
    """The catalogue's operations; the rules, identity and applications APIs are tested
    with their blocks."""
    others = ("/api/v1/rules/", "/api/v1/me", "/api/v1/applications/")
    return {k: v for k, v in openapi["paths"].items() if not k.startswith(others)}


def test_openapi_documents_every_endpoint(openapi: dict[str, Any]) -> None:
    assert set(catalogue_paths(openapi)) == {
        "/api/v1/health",
        "/api/v1/country",
        "/api/v1/life-events",
        "/api/v1/life-events/{event_id}",
        "/api/v1/services",
        "/api/v1/services/{service_id}",
        "/api/v1/organisations",
        "/api/v1/organisations/{organisation_id}",
        "/api/v1/search",
    }


def test_openapi_documents_400_in_the_error_shape_and_never_422(
    openapi: dict[str, Any],
) -> None:
    error = {"$ref": "#/components/schemas/ErrorBody"}
    for path, operations in catalogue_paths(openapi).items():
        responses = operations["get"]["responses"]
        assert "422" not in responses, path
        assert responses["413"]["content"]["application/json"]["schema"] == error
        if operations["get"].get("parameters"):
            assert responses["400"]["content"]["application/json"]["schema"] == error, path
        if "{" in path:
            assert responses["404"]["content"]["application/json"]["schema"] == error, path
    assert "HTTPValidationError" not in openapi["components"]["schemas"]


def test_openapi_lists_the_pack_languages_with_the_first_as_default(
    openapi: dict[str, Any],
) -> None:
    parameters = openapi["paths"]["/api/v1/services"]["get"]["parameters"]
    lang = next(p for p in parameters if p["name"] == "lang")
    assert lang["schema"]["default"] == "en"
    assert openapi["components"]["schemas"]["Language"]["enum"] == ["en", "pt"]


def test_openapi_describes_money_as_exact_strings(openapi: dict[str, Any]) -> None:
    amount = openapi["components"]["schemas"]["Cost"]["properties"]["amount"]
    assert amount["type"] == "string"
    assert amount["pattern"] == r"^-?[0-9]+\.[0-9]{2,}$"
