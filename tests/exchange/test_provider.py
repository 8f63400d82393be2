"""The provider admits only calls signed by their client's key, unchanged, in time, new
and allowed; each refusal says why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from civitas.core.clock import FixedClock
from civitas.core.errors import CivitasError
from civitas.exchange import CallNotFound, CallRefused, Code, Consumer, Incoming, Provider
from civitas.exchange.signing import Signer, generate_key
from tests.exchange.conftest import Closable
from tests.exchange.support import BENEFITS, NOW, PERSON, consumer, incoming, provider


@pytest.fixture
def parties(
    data_dir: Path, clock: FixedClock, closing: Callable[[Closable], None]
) -> tuple[Provider, Consumer]:
    gate, portal = provider(data_dir, clock), consumer(data_dir, clock)
    closing(gate)
    closing(portal)
    return gate, portal


def refusal(gate: Provider, request: Incoming) -> CivitasError:
    with pytest.raises(CivitasError) as refused:
        gate.admit(request, "r-1")
    return refused.value


def ask(portal: Consumer, purpose: str = "own-data", **kwargs: object) -> Incoming:
    outgoing = portal.prepare(
        "tax-authority/tax/person", PERSON, purpose=purpose, user="VLD1", case="c-1", **kwargs
    )  # type: ignore[arg-type]
    return incoming(outgoing)


def test_a_signed_allowed_call_is_admitted_with_its_facts(
    parties: tuple[Provider, Consumer],
) -> None:
    gate, portal = parties
    outgoing = portal.prepare(
        "tax-authority/tax/person",
        PERSON,
        purpose="prefill-application",
        user="VLD123456789",
        case="housing-2025-7",
        query={"as_of": "2025-01-01"},
        represented_party="GOV/municipality-porto-alto",
    )
    call = gate.admit(incoming(outgoing), "r-1")
    assert call.client.party == "civil-registry/portal"
    assert call.address.rest == PERSON
    assert (call.purpose.id, call.case, call.user) == (
        "prefill-application",
        "housing-2025-7",
        "VLD123456789",
    )
    assert call.represented_party == "GOV/municipality-porto-alto"
    assert call.columns == {"national_id", "income_source", "annual_income_cents"}
    assert call.request_hash == outgoing.request_hash
    assert call.issued_at == int(NOW.timestamp())


@pytest.mark.parametrize(
    ("change", "part"),
    [
        ({"x-civitas-purpose": "prefill-application"}, "X-Civitas-Purpose"),
        ({"x-road-issue": "another case"}, "X-Road-Issue"),
        ({"x-road-userid": "VLD999"}, "X-Road-UserId"),
        ({"x-civitas-hide-until": "2030-01-01"}, "X-Civitas-Hide-Until"),
    ],
)
def test_a_header_changed_after_signing_is_refused_by_name(
    parties: tuple[Provider, Consumer], change: dict[str, str], part: str
) -> None:
    gate, portal = parties
    error = refusal(gate, incoming_with(ask(portal), change))
    assert isinstance(error, CallRefused)
    assert error.code == Code.INVALID_SIGNATURE
    assert error.render()[0] == f"The request differs from what civil-registry signed: {part}."


def incoming_with(request: Incoming, change: dict[str, str]) -> Incoming:
    headers = dict(request.headers)
    headers.update(change)
    return Incoming(
        request.method, request.path, request.query, list(headers.items()), request.body
    )


def test_a_changed_address_body_or_method_is_refused(parties: tuple[Provider, Consumer]) -> None:
    gate, portal = parties
    request = ask(portal)
    other = request.path.replace(PERSON, "987654321")
    for changed, part in [
        (Incoming(request.method, other, "", request.headers), "address"),
        (Incoming(request.method, request.path, "x=1", request.headers), "address"),
        (Incoming(request.method, request.path, "", request.headers, b"{}"), "body"),
        (Incoming("POST", request.path, "", request.headers), "method"),
    ]:
        assert f"signed: {part}." in refusal(gate, changed).render()[0]


def test_a_signature_by_another_key_is_refused(
    parties: tuple[Provider, Consumer], clock: FixedClock
) -> None:
    gate, portal = parties
    thief = Consumer(
        portal.setup,
        portal.me,
        Signer("civil-registry", generate_key("civil-registry")),
        portal.trust,
        portal.messages,
        clock,
    )
    error = refusal(gate, ask(thief))
    assert error.render()[0] == (
        "The signature of the request is not civil-registry's: the request was altered, or "
        "signed with another key."
    )
    impostor = Consumer(
        portal.setup,
        portal.me,
        Signer("tax-authority", gate.signer.key),
        portal.trust,
        portal.messages,
        clock,
    )
    assert refusal(gate, ask(impostor)).render()[0] == (
        "The request is signed by tax-authority, but sent in the name of civil-registry."
    )


def test_an_unknown_client_subsystem_is_refused(parties: tuple[Provider, Consumer]) -> None:
    gate, portal = parties
    error = refusal(
        gate, incoming_with(ask(portal), {"x-road-client": "VLD/GOV/civil-registry/kiosk"})
    )
    assert error.code == Code.UNKNOWN_CLIENT  # type: ignore[attr-defined]
    assert error.status == 403


def test_old_future_and_replayed_requests_are_refused(
    parties: tuple[Provider, Consumer], clock: FixedClock
) -> None:
    gate, portal = parties
    stale = ask(portal)
    clock.advance(dt.timedelta(minutes=5))
    assert refusal(gate, stale).code == Code.EXPIRED  # type: ignore[attr-defined]
    ahead = ask(portal)
    clock.advance(dt.timedelta(minutes=-1))
    assert refusal(gate, ahead).code == Code.EXPIRED  # type: ignore[attr-defined]
    fresh = ask(portal)
    gate.admit(fresh, "r-1")
    assert refusal(gate, fresh).code == Code.REPLAYED  # type: ignore[attr-defined]


def test_a_forbidden_purpose_is_refused_after_the_signature_holds(
    parties: tuple[Provider, Consumer],
) -> None:
    gate, portal = parties
    error = refusal(gate, ask(portal, "benefit-eligibility", legal_basis="https://x.example/a"))
    assert error.code == Code.ACCESS_DENIED  # type: ignore[attr-defined]


def test_services_of_other_providers_or_unknown_services_are_not_found(
    parties: tuple[Provider, Consumer],
) -> None:
    gate, portal = parties
    request = ask(portal)
    for path in (
        "/r1/VLD/GOV/tax-authority/tax/nothing/1",
        "/r1/VLD/GOV/civil-registry/population/person/1",
        "/r1/XX/GOV/tax-authority/tax/person/1",
    ):
        error = refusal(gate, Incoming("GET", path, "", request.headers))
        assert isinstance(error, CallNotFound)
        assert error.code == Code.UNKNOWN_SERVICE


def test_a_client_may_hide_only_where_its_right_allows(
    parties: tuple[Provider, Consumer],
    data_dir: Path,
    clock: FixedClock,
    closing: Callable[[Closable], None],
) -> None:
    gate, _portal = parties
    benefits = consumer(data_dir, clock, BENEFITS)
    closing(benefits)
    later = dt.date(2025, 9, 1)
    fraud = benefits.prepare(
        "tax-authority/tax/person",
        PERSON,
        purpose="fraud-investigation",
        user="inspector-7",
        case="inquiry-3",
        hide_until=later,
    )
    assert gate.admit(incoming(fraud), "r-1").hide_until == later
