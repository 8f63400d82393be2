"""The decisions in the JSON API: 401 before anything else without a session, the list,
one decision, accepting (the application started, filled in by real registry nodes)
and declining, and refusals in the one error shape."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civitas.proactive.domain import Action
from tests.applications.support import Nodes, World, portal, registry_nodes, write_registers
from tests.identity.provider_support import number
from tests.proactive.inbox_support import FAMILY_LAW, decision, engine_of, settle

ANA, BRUNO = 0, 1
API = "/api/v1/me/decisions"
ERROR_KEYS = {"ok", "status", "error", "hint", "errors"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("inbox-api-country")
    write_registers(data)
    return data


@pytest.fixture(scope="module")
def nodes(data_dir: Path) -> Iterator[Nodes]:
    with registry_nodes(data_dir) as urls:
        yield urls


@pytest.fixture
def world(data_dir: Path, nodes: Nodes, tmp_path: Path) -> Iterator[World]:
    with portal(data_dir, nodes, tmp_path / "portal.db") as signed:
        yield signed


def signed_in(world: World, row: int = ANA) -> TestClient:
    world.portal.cookies.clear()
    world.sign_in(row, "substantial")
    return world.portal


def test_without_a_session_every_route_answers_401_before_reading_anything(
    world: World,
) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    client = world.portal
    garbage = {"content": b"{not json", "headers": {"content-type": "application/json"}}
    for answer in (
        client.get(API),
        client.get(f"{API}/{offer.id}"),
        client.get(f"{API}/not an id at all"),
        client.post(f"{API}/{offer.id}/accept", **garbage),  # type: ignore[arg-type]
        client.post(f"{API}/{offer.id}/decline", **garbage),  # type: ignore[arg-type]
    ):
        assert answer.status_code == 401, answer.text
        body = answer.json()
        assert set(body) == ERROR_KEYS
        assert body["ok"] is False
        assert body["status"] == 401
    assert signed_in(world).get(f"{API}/{offer.id}").json()["state"] == "open"


def test_the_list_gives_each_decision_with_its_reasons_data_used_and_links(
    world: World,
) -> None:
    ana = number(ANA)
    offer, grant = settle(
        engine_of(world),
        decision(ana),
        decision(ana, "birth-grant", Action.GRANTED, amount_cents=75_000),
    )
    found = signed_in(world).get(API, params={"lang": "pt"})
    assert found.status_code == 200, found.text
    listed = {d["id"]: d for d in found.json()["decisions"]}
    assert set(listed) == {offer.id, grant.id}
    shown = listed[offer.id]
    assert shown["service"] == "child-benefit"
    assert shown["life_event"] == "having-a-child"
    assert shown["action"] == "offered"
    assert shown["state"] == "open"
    assert shown["amount_cents"] == 16_500
    assert shown["per"] == "month"
    assert shown["period"] == "2026-03"
    assert shown["decided_at"].startswith("2026-03-12T09:00:00")
    assert shown["reasons"][0] == {
        "label": {
            "en": "There is a child under 18 in the household",
            "pt": "Há uma criança com menos de 18 anos no agregado",
        },
        "met": True,
        "reference": f"{FAMILY_LAW}#article-4",
    }
    assert shown["missing"] == []
    assert [d["party"] for d in shown["data_used"]] == [
        "civil-registry/population",
        "civil-registry/addresses",
    ]
    assert shown["links"] == {
        "self": f"{API}/{offer.id}",
        "page": f"/pt/inbox/{offer.id}",
        "accept": f"{API}/{offer.id}/accept",
        "decline": f"{API}/{offer.id}/decline",
        "application": None,
    }
    granted = listed[grant.id]
    assert granted["per"] == "once"
    assert granted["state"] == "done"
    assert granted["links"]["accept"] is None
    assert granted["links"]["decline"] is None


def test_accepting_returns_the_decision_and_the_application_started(world: World) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    client = signed_in(world)
    accepted = client.post(f"{API}/{offer.id}/accept")
    assert accepted.status_code == 200, accepted.text
    body = accepted.json()
    assert body["decision"]["state"] == "accepted"
    assert body["decision"]["answered_at"]
    reference = body["decision"]["application"]
    assert re.fullmatch(r"APP-[0-9A-F]{5}-[0-9A-F]{5}", reference)
    assert body["application_url"] == f"/en/apply/child-benefit/{reference}"
    assert body["decision"]["links"]["accept"] is None
    form = client.get(body["application_url"])
    assert form.status_code == 200, form.text
    assert number(ANA) in form.text  # filled in from the registers

    again = client.post(f"{API}/{offer.id}/accept")
    assert again.status_code == 200, again.text
    assert again.json()["decision"]["application"] == reference  # no second application


def test_declining_is_kept_and_accepting_it_then_is_refused_in_the_one_error_shape(
    world: World,
) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    client = signed_in(world)
    declined = client.post(f"{API}/{offer.id}/decline")
    assert declined.status_code == 200, declined.text
    assert declined.json()["decision"]["state"] == "declined"
    assert declined.json()["application_url"] is None

    refused = client.post(f"{API}/{offer.id}/accept", params={"lang": "en"})
    assert refused.status_code == 400, refused.text
    body = refused.json()
    assert set(body) == ERROR_KEYS
    assert body["error"] == "You said no thank you to this offer, so it cannot be accepted now."
    assert body["hint"]
    shown = client.get(f"{API}/{offer.id}").json()
    assert shown["state"] == "declined"
    assert shown["application"] is None


def test_a_question_cannot_be_declined(world: World) -> None:
    (question,) = settle(
        engine_of(world),
        decision(number(ANA), "parental-allowance", Action.NEEDS_INFORMATION, amount_cents=None),
    )
    client = signed_in(world)
    shown = client.get(f"{API}/{question.id}").json()
    assert shown["missing"][0]["en"].startswith("Months of social security contributions")
    assert shown["links"]["decline"] is None
    refused = client.post(f"{API}/{question.id}/decline")
    assert refused.status_code == 400, refused.text
    assert client.get(f"{API}/{question.id}").json()["state"] == "open"


def test_someone_elses_decision_is_not_found(world: World) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    bruno = signed_in(world, BRUNO)
    assert bruno.get(API).json() == {"decisions": []}
    for answer in (
        bruno.get(f"{API}/{offer.id}"),
        bruno.post(f"{API}/{offer.id}/accept"),
        bruno.post(f"{API}/{offer.id}/decline"),
    ):
        assert answer.status_code == 404, answer.text
        assert answer.json()["error"] == "We cannot find that decision."
    assert signed_in(world).get(f"{API}/{offer.id}").json()["state"] == "open"


def test_the_openapi_describes_the_decisions_and_their_refusals(world: World) -> None:
    paths = world.portal.get("/api/v1/openapi.json").json()["paths"]
    for path, method in (
        (API, "get"),
        (API + "/{decision_id}", "get"),
        (API + "/{decision_id}/accept", "post"),
        (API + "/{decision_id}/decline", "post"),
    ):
        operation = paths[path][method]
        assert "401" in operation["responses"], path
        assert "requestBody" not in operation, path
    assert "400" in paths[API + "/{decision_id}/accept"]["post"]["responses"]
