"""ExchangeClient: builds, signs and sends the call, checks the answer, raises house errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest

from civitas.core.clock import FixedClock
from civitas.core.errors import InvalidInput, NotAllowed
from civitas.exchange import CallNotFound, Consumer, ExchangeClient, Provider, ProviderUnavailable
from tests.exchange.conftest import Closable
from tests.exchange.support import PERSON, consumer, provider
from tests.exchange.test_gate import service

TAX = "tax-authority/tax"


@pytest.fixture
def parties(
    data_dir: Path, clock: FixedClock, closing: Callable[[Closable], None]
) -> tuple[Provider, Consumer]:
    gate, portal = provider(data_dir, clock), consumer(data_dir, clock)
    closing(gate)
    closing(portal)
    return gate, portal


def run(gate: Provider, portal: Consumer, call: Callable[[ExchangeClient], Any]) -> Any:
    async def go() -> Any:
        transport = httpx2.ASGITransport(app=service(gate))
        async with httpx2.AsyncClient(transport=transport) as http:
            client = ExchangeClient(portal, {TAX: "http://tax.test/"}, http=http)
            async with client:
                return await call(client)

    return asyncio.run(go())


def test_a_call_returns_the_verified_answer(parties: tuple[Provider, Consumer]) -> None:
    gate, portal = parties
    answer = run(
        gate,
        portal,
        lambda client: client.get(
            f"{TAX}/person",
            PERSON,
            purpose="own-data",
            user="VLD123456789",
            case="session-1",
            query={"fields": "a b", "x": "é~'"},  # the query is signed as sent
        ),
    )
    assert answer.status == 200
    assert answer.json()["purpose"] == "own-data"
    assert answer.request_id


def test_refusals_become_house_errors(parties: tuple[Provider, Consumer]) -> None:
    gate, portal = parties
    with pytest.raises(NotAllowed, match="may not call"):
        run(
            gate,
            portal,
            lambda client: client.get(
                f"{TAX}/person",
                PERSON,
                purpose="fraud-investigation",
                user="u",
                case="c",
            ),
        )
    with pytest.raises(CallNotFound, match="Nothing here"):
        run(
            gate,
            portal,
            lambda c: c.get(f"{TAX}/person", "missing", purpose="own-data", user="u", case="c"),
        )


def test_bad_input_is_refused_before_anything_is_sent(parties: tuple[Provider, Consumer]) -> None:
    gate, portal = parties
    with pytest.raises(InvalidInput, match="no service 'tax-authority/tax/people'"):
        run(
            gate,
            portal,
            lambda c: c.get(f"{TAX}/people", PERSON, purpose="own-data", user="u", case="c"),
        )
    with pytest.raises(InvalidInput, match="X-Road-UserId"):
        run(
            gate,
            portal,
            lambda c: c.get(f"{TAX}/person", PERSON, purpose="own-data", user="Zoë", case="c"),
        )
    with pytest.raises(InvalidInput, match="rests on consent"):
        run(
            gate,
            portal,
            lambda c: c.get(
                "health-service/health/person",
                PERSON,
                purpose="school-health-check",
                user="u",
                case="c",
            ),
        )
    with pytest.raises(InvalidInput, match="No address is known for health-service/health"):
        run(
            gate,
            portal,
            lambda c: c.get(
                "health-service/health/person", PERSON, purpose="own-data", user="u", case="c"
            ),
        )


def test_a_provider_that_does_not_answer_is_unavailable_and_logged(
    parties: tuple[Provider, Consumer], unused_port: int
) -> None:
    _gate, portal = parties

    async def go() -> None:
        async with ExchangeClient(portal, {TAX: f"http://127.0.0.1:{unused_port}"}, timeout=2) as c:
            await c.get(f"{TAX}/person", PERSON, purpose="own-data", user="u", case="c")

    with pytest.raises(ProviderUnavailable, match="did not answer"):
        asyncio.run(go())
    failed = [entry for _o, entry in portal.messages.entries()][-1]
    assert (failed["kind"], failed["reason"]) == ("failed", "ClientConnectorError")


@pytest.fixture
def unused_port() -> int:
    from tests.support.live_server import free_port

    return free_port()
