"""The gate in front of a service: verified calls are forwarded with their facts, every
answer is signed and logged, refusals carry the house JSON error and X-Road-Error."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from civitas.core.clock import FixedClock
from civitas.core.errors import NotFound
from civitas.core.i18n import N_
from civitas.exchange import (
    CallRefused,
    Code,
    Consumer,
    ExchangeGate,
    Outgoing,
    Provider,
    ProviderUnavailable,
    current_call,
)
from civitas.web import install_json_error_handlers
from tests.exchange.conftest import Closable
from tests.exchange.support import BENEFITS, PERSON, consumer, provider


def service(gate: Provider) -> FastAPI:
    """A small service: echoes the verified call; records a data use like a registry does."""
    app = FastAPI()
    install_json_error_handlers(app)

    @app.get("/things/{thing}")
    async def thing(thing: str) -> dict[str, Any]:
        call = current_call()
        if thing == "boom":
            raise RuntimeError("the service broke")
        if thing == "missing":
            raise NotFound(N_("Nothing here."))
        if call is not None:
            gate.record_use(call, [thing], ["national_id"], 1)
        return {
            "thing": thing,
            "purpose": call.purpose.id if call else None,
            "columns": sorted(call.columns) if call and call.columns else None,
        }

    app.add_middleware(ExchangeGate, provider=gate, routes={"person": "/things"})
    return app


@pytest.fixture
def parties(
    data_dir: Path, clock: FixedClock, closing: Callable[[Closable], None]
) -> Iterator[tuple[Provider, Consumer, TestClient]]:
    gate, portal = provider(data_dir, clock), consumer(data_dir, clock)
    closing(gate)
    closing(portal)
    with TestClient(service(gate), raise_server_exceptions=False) as client:
        yield gate, portal, client


def send(client: TestClient, outgoing: Outgoing) -> Any:
    return client.request(outgoing.method, outgoing.target, headers=outgoing.headers)


def ask(portal: Consumer, rest: str = PERSON, purpose: str = "own-data") -> Outgoing:
    return portal.prepare(
        "tax-authority/tax/person", rest, purpose=purpose, user="VLD1", case="c-1"
    )


def logged(party: Provider | Consumer) -> list[dict[str, Any]]:
    return [entry for _offset, entry in party.messages.entries()]


def test_a_verified_call_reaches_the_service_and_its_answer_is_signed(
    parties: tuple[Provider, Consumer, TestClient],
) -> None:
    gate, portal, client = parties
    outgoing = portal.prepare(
        "tax-authority/tax/person",
        PERSON,
        purpose="prefill-application",
        user="VLD1",
        case="c-1",
        query={"as_of": "2025-01-01"},
    )
    response = send(client, outgoing)
    assert response.status_code == 200
    assert response.json() == {
        "thing": PERSON,
        "purpose": "prefill-application",
        "columns": ["annual_income_cents", "income_source", "national_id"],
    }
    assert response.headers["x-road-request-hash"] == outgoing.request_hash
    assert response.headers["x-road-id"] == outgoing.message_id
    assert response.headers["x-road-service"] == "VLD/GOV/tax-authority/tax/person"
    assert "x-road-error" not in response.headers
    received = portal.accept(outgoing, response.status_code, response.headers, response.content)
    assert received.json() == response.json()
    message = logged(gate)[-1]
    assert message["kind"] == "message"
    assert message["request_signature"] == outgoing.headers["X-Civitas-Signature"]
    assert (message["status"], message["purpose"], message["case"]) == (
        200,
        "prefill-application",
        "c-1",
    )
    assert logged(portal)[-1]["kind"] == "sent"


def test_a_refusal_is_the_house_json_error_signed_coded_and_logged(
    parties: tuple[Provider, Consumer, TestClient],
) -> None:
    gate, portal, client = parties
    outgoing = ask(portal, purpose="fraud-investigation")
    response = client.get(
        outgoing.target,
        headers={
            **outgoing.headers,
            "X-Civitas-Legal-Basis": "https://legislacao.gov.vd.example/family-benefits-act-2018#article-40",
        },
    )
    assert response.status_code == 403
    assert response.headers["x-road-error"] == "Server.AccessDenied"
    body = response.json()
    assert body["ok"] is False
    assert body["status"] == 403
    assert "may not call tax-authority/tax/person" in body["error"]
    assert (
        body["hint"]
        == "Its access rights allow only these purposes: own-data, prefill-application."
    )
    refused = logged(gate)[-1]
    assert (refused["kind"], refused["code"], refused["status"]) == (
        "refused",
        Code.ACCESS_DENIED,
        403,
    )


def test_a_refusal_reaches_the_consumer_as_not_allowed_with_its_code(
    parties: tuple[Provider, Consumer, TestClient],
) -> None:
    _gate, portal, client = parties
    outgoing = ask(portal)
    send(client, outgoing)
    replayed = send(client, outgoing)
    assert replayed.headers["x-road-error"] == "Client.Replayed"
    with pytest.raises(CallRefused) as refused:
        portal.accept(outgoing, replayed.status_code, replayed.headers, replayed.content)
    assert refused.value.code == Code.REPLAYED
    assert refused.value.status == 403
    assert "already used" in refused.value.render()[0]


def test_requests_without_exchange_headers_get_every_problem_listed(
    parties: tuple[Provider, Consumer, TestClient],
) -> None:
    _gate, _portal, client = parties
    response = client.get(f"/r1/VLD/GOV/tax-authority/tax/person/{PERSON}")
    assert response.status_code == 400
    assert response.headers["x-road-error"] == "Client.BadRequest"
    assert "headers.X-Civitas-Signature" in [e["path"] for e in response.json()["errors"]]
    assert response.headers["x-civitas-signature"]  # refusals are signed too


def test_errors_of_the_service_pass_signed_with_their_code(
    parties: tuple[Provider, Consumer, TestClient],
) -> None:
    gate, portal, client = parties
    missing = send(client, ask(portal, "missing"))
    assert (missing.status_code, missing.headers["x-road-error"]) == (404, "Service.NotFound")
    assert missing.json()["error"] == "Nothing here."
    broken = send(client, ask(portal, "boom"))
    assert (broken.status_code, broken.headers["x-road-error"]) == (500, "Service.Failed")
    assert "the service broke" not in broken.text
    assert [e["status"] for e in logged(gate) if e["kind"] == "message"] == [404, 500]


def test_an_oversized_body_is_refused_before_it_is_read(
    parties: tuple[Provider, Consumer, TestClient],
) -> None:
    _gate, portal, client = parties
    outgoing = ask(portal)
    response = client.post(outgoing.target, headers=outgoing.headers, content=b"x" * 70_000)
    assert (response.status_code, response.headers["x-road-error"]) == (
        413,
        "Server.RequestTooLarge",
    )


def test_paths_outside_the_exchange_pass_through_without_a_call(
    parties: tuple[Provider, Consumer, TestClient],
) -> None:
    _gate, _portal, client = parties
    assert client.get("/things/x").json()["purpose"] is None  # the service's guard decides


def test_an_answer_changed_on_the_way_or_unsigned_is_not_used(
    parties: tuple[Provider, Consumer, TestClient],
) -> None:
    _gate, portal, client = parties
    outgoing = ask(portal)
    response = send(client, outgoing)
    with pytest.raises(ProviderUnavailable) as refused:
        portal.accept(outgoing, 200, response.headers, response.content.replace(b"own", b"OWN"))
    assert "differs from what was signed: body" in refused.value.render()[0]
    unsigned = {k: v for k, v in response.headers.items() if k != "x-civitas-signature"}
    with pytest.raises(ProviderUnavailable, match="no signature"):
        portal.accept(outgoing, 200, unsigned, response.content)
    other = ask(portal)  # an answer to another request does not fit this one
    with pytest.raises(ProviderUnavailable, match="request_hash"):
        portal.accept(other, 200, response.headers, response.content)
    assert [e.get("problem") for e in logged(portal)[-3:]] == [
        "differs from what was signed: body",
        "no signature",
        "differs from what was signed: message_id, request_hash, X-Road-Request-Hash",
    ]


def test_data_use_shows_each_use_of_a_persons_data_except_hidden_ones_until_their_date(
    parties: tuple[Provider, Consumer, TestClient],
    data_dir: Path,
    clock: FixedClock,
    closing: Callable[[Closable], None],
) -> None:
    _gate, portal, client = parties
    benefits = consumer(data_dir, clock, BENEFITS)
    closing(benefits)
    assert send(client, ask(portal)).status_code == 200
    hidden = benefits.prepare(
        "tax-authority/tax/person",
        PERSON,
        purpose="fraud-investigation",
        user="inspector-7",
        case="inquiry-3",
        hide_until=dt.date(2025, 6, 1),
    )
    assert send(client, hidden).status_code == 200

    def uses() -> list[dict[str, Any]]:
        outgoing = portal.prepare(
            "tax-authority/tax/data-use", PERSON, purpose="data-use-report", user="VLD1", case="c"
        )
        response = send(client, outgoing)
        answer = portal.accept(outgoing, response.status_code, response.headers, response.content)
        return json.loads(answer.body)["uses"]  # type: ignore[no-any-return]

    (seen,) = uses()
    assert seen["organisation"] == "civil-registry"
    assert seen["purpose_label"]["pt"] == "Mostrar-lhe os seus próprios dados"
    assert seen["legal_basis"]["kind"] == "law"
    assert seen["columns"] == ["national_id"]
    assert "user" not in seen
    clock.advance(dt.timedelta(days=92))  # 2025-06-01
    assert [u["purpose"] for u in uses()] == ["own-data", "fraud-investigation"]


def test_data_use_is_only_for_clients_with_a_right_to_it(
    parties: tuple[Provider, Consumer, TestClient],
    data_dir: Path,
    clock: FixedClock,
    closing: Callable[[Closable], None],
) -> None:
    _gate, _portal, client = parties
    benefits = consumer(data_dir, clock, BENEFITS)
    closing(benefits)
    outgoing = benefits.prepare(
        "tax-authority/tax/data-use", PERSON, purpose="data-use-report", user="u", case="c"
    )
    response = send(client, outgoing)
    assert (response.status_code, response.headers["x-road-error"]) == (403, "Server.AccessDenied")


def test_a_restart_keeps_the_data_use_index_and_the_recent_message_ids(
    parties: tuple[Provider, Consumer, TestClient], data_dir: Path, clock: FixedClock
) -> None:
    gate, portal, client = parties
    outgoing = ask(portal)
    assert send(client, outgoing).status_code == 200
    gate.close()
    again = provider(data_dir, clock)
    try:
        assert len(again.uses.offsets(PERSON)) == 1
        with TestClient(service(again), raise_server_exceptions=False) as restarted:
            assert send(restarted, outgoing).headers["x-road-error"] == "Client.Replayed"
    finally:
        again.close()


def test_a_service_without_a_trailing_id_is_forwarded_with_its_signed_query(
    data_dir: Path, clock: FixedClock, closing: Callable[[Closable], None]
) -> None:
    gate = provider(data_dir, clock)
    worker = consumer(data_dir, clock, ("civil-registry", "proactive"))
    closing(gate)
    closing(worker)
    app = FastAPI()

    @app.get("/feed")
    async def feed(after: str = "", limit: int = 0) -> dict[str, Any]:
        call = current_call()
        return {"after": after, "limit": limit, "columns": sorted(call.columns or ())}

    app.add_middleware(ExchangeGate, provider=gate, routes={"changes": "/feed"})
    outgoing = worker.prepare(
        "tax-authority/tax/changes",
        purpose="proactive-services",
        user="VLD/GOV/civil-registry/proactive",
        case="changes:tax-authority/tax",
        query={"after": "dGF4OmFiYzoxMg", "limit": "50"},
    )
    assert outgoing.target == "/r1/VLD/GOV/tax-authority/tax/changes?after=dGF4OmFiYzoxMg&limit=50"
    with TestClient(app) as client:
        response = send(client, outgoing)
    assert response.status_code == 200
    assert response.json() == {
        "after": "dGF4OmFiYzoxMg",
        "limit": 50,
        "columns": ["annual_income_cents", "income_source", "national_id"],
    }
    tampered = worker.prepare(
        "tax-authority/tax/changes",
        purpose="proactive-services",
        user="u",
        case="c",
        query={"after": "dGF4OmFiYzoxMg", "limit": "50"},
    )
    with TestClient(app) as client:
        changed = client.get(
            tampered.target.replace("limit=50", "limit=1000"), headers=tampered.headers
        )
    assert (changed.status_code, changed.headers["x-road-error"]) == (
        403,
        "Client.InvalidSignature",
    )
