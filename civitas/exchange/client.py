"""``ExchangeClient``: call providers' services over HTTP, signed, checked and logged.

The client is asynchronous, for the portal and other FastAPI parts; one client keeps
its connections open across calls. It uses httpx2 (the maintained httpx line that
Starlette's test client and the identity block use too): on this machine it sends
twice the requests per second httpx 0.28 does, which the exchange's throughput
target needs. ``locations`` says where each
provider subsystem listens (``"tax-authority/tax" -> "http://127.0.0.1:8103"``),
since on one machine a client talks to the providers' gates directly rather than
through a security server of its own.

    async with ExchangeClient(consumer, locations) as exchange:
        answer = await exchange.get(
            "tax-authority/tax/person", "123456789",
            purpose="own-data", user="VLD123456789", case="portal-session-1",
        )
        records = answer.json()["records"]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from types import TracebackType

import httpx2

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.exchange.consumer import Consumer, Outgoing, Received

DEFAULT_TIMEOUT = 10.0


class ExchangeClient:
    def __init__(
        self,
        consumer: Consumer,
        locations: Mapping[str, str],
        http: httpx2.AsyncClient | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.consumer = consumer
        self.locations = {party: url.rstrip("/") for party, url in locations.items()}
        self._own_http = http is None
        self.http = http or httpx2.AsyncClient(timeout=timeout)

    async def get(
        self,
        service: str,
        rest: str = "",
        *,
        purpose: str,
        user: str,
        case: str,
        query: Mapping[str, str] | None = None,
        legal_basis: str | None = None,
        represented_party: str | None = None,
        hide_until: date | None = None,
    ) -> Received:
        """GET ``service`` (``member/subsystem/service``) with ``rest`` appended.

        Raises ``NotAllowed``, ``InvalidInput``, ``NotFound`` when the provider refuses
        (403, 4xx, 404), ``ExternalServiceUnavailable`` when it cannot be reached,
        fails, or its answer is not signed as it should be.
        """
        outgoing = self.consumer.prepare(
            service,
            rest,
            purpose=purpose,
            user=user,
            case=case,
            query=query,
            legal_basis=legal_basis,
            represented_party=represented_party,
            hide_until=hide_until,
        )
        return await self.send(outgoing)

    async def post(
        self,
        service: str,
        document: Mapping[str, object],
        rest: str = "",
        *,
        purpose: str,
        user: str,
        case: str,
        legal_basis: str | None = None,
        represented_party: str | None = None,
    ) -> Received:
        """POST ``document`` as JSON to ``service``: data given to an agency (a change of
        address, a reported error, a consent). Signed over the body; raises as :meth:`get`."""
        outgoing = self.consumer.prepare(
            service,
            rest,
            purpose=purpose,
            user=user,
            case=case,
            legal_basis=legal_basis,
            represented_party=represented_party,
            method="POST",
            body=json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode(),
        )
        return await self.send(outgoing)

    async def send(self, outgoing: Outgoing) -> Received:
        """Send a prepared request and check its answer."""
        base = self.locations.get(outgoing.address.provider.party)
        if base is None:
            raise InvalidInput(
                N_("No address is known for {provider}."),
                hint=N_("Give the client the address where {provider} listens."),
                params={"provider": outgoing.address.provider.party},
                errors=(FieldError(("locations",), N_("Missing provider address.")),),
            )
        try:
            response = await self.http.request(
                outgoing.method,
                base + outgoing.target,
                headers={**outgoing.headers, **_content_type(outgoing)},
                content=outgoing.body or None,
            )
        except httpx2.HTTPError as error:
            raise self.consumer.failed(outgoing, type(error).__name__) from None
        return self.consumer.accept(
            outgoing, response.status_code, response.headers, response.content
        )

    async def aclose(self) -> None:
        if self._own_http:
            await self.http.aclose()

    async def __aenter__(self) -> ExchangeClient:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


def _content_type(outgoing: Outgoing) -> dict[str, str]:
    return {"content-type": "application/json"} if outgoing.body else {}
