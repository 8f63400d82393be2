"""The provider's gate: ASGI middleware that lets only verified exchange calls through.

In front of a service (a registry node), the gate takes every request under
``/r1/``: the :class:`Provider` admits it or refuses it (signed answer with the
house JSON error and ``X-Road-Error``, logged, nothing forwarded). An admitted call
is forwarded inside the process to the service's own route (``routes`` maps a
service code to a path prefix: ``person`` -> ``/people``, so
``/r1/VLD/GOV/tax-authority/tax/person/123456789`` is served by
``/people/123456789``) with the verified call set in :data:`CURRENT_CALL` for the
service's access guard. The answer is held back until it is complete, then signed
and logged (exchange answers are small JSON documents). The ``data-use`` service
is answered by the gate itself.

Requests outside ``/r1/`` pass through untouched: the service's guard refuses them
when the exchange is on, since no verified call is set for them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from civitas.core.errors import CivitasError
from civitas.core.i18n import N_
from civitas.exchange.domain import DATA_USE, VerifiedCall
from civitas.exchange.errors import BadCall, CallNotFound, Code
from civitas.exchange.provider import CURRENT_CALL, Incoming, Provider, error_json

log = logging.getLogger("civitas.exchange")

PREFIX = "/r1/"
MAX_BODY = 64 * 1024
JSON = (b"content-type", b"application/json")


class ExchangeGate:
    def __init__(
        self,
        app: ASGIApp,
        provider: Provider,
        routes: Mapping[str, str],
        max_body: int = MAX_BODY,
    ) -> None:
        self.app = app
        self.provider = provider
        self.routes = dict(routes)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex
        raw_path = scope.get("raw_path") or scope["path"].encode()
        body = await self._body(receive)
        request = Incoming(
            method=scope["method"],
            path=raw_path.decode("latin-1"),
            query=scope.get("query_string", b"").decode("latin-1"),
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"]],
            body=body or b"",
        )
        try:
            if body is None:
                raise BadCall(
                    N_("The request body is larger than {limit} bytes."),
                    hint=N_("Exchange requests are small: send at most {limit} bytes."),
                    params={"limit": self.max_body},
                    status=413,
                    code=Code.TOO_LARGE,
                )
            call = self.provider.admit(request, request_id)
        except CivitasError as error:
            refusal = self.provider.refused(request, request_id, error)
            await _respond(send, refusal.status, [], refusal.headers, refusal.body)
            return
        status, headers, content = await self._serve(scope, call, request.body)
        signed = self.provider.answered(call, status, content)
        await _respond(send, status, headers, signed, content)

    async def _serve(
        self, scope: Scope, call: VerifiedCall, body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """The status, headers and body the service answers ``call`` with."""
        try:
            if call.address.service == DATA_USE:
                return 200, [JSON], self.provider.data_use(call)
            prefix = self.routes.get(call.address.service)
            if prefix is None:
                raise CallNotFound(
                    N_("This server does not serve {service} yet."),
                    hint=N_("Ask {provider} when the service will be available."),
                    params={"service": call.address.short, "provider": call.address.provider},
                )
            return await self._forward(scope, call, prefix, body)
        except CivitasError as error:
            return error.status, [JSON], error_json(error)
        except Exception:
            log.exception("The service failed on %s", call.address.path)
            failure = CivitasError(
                N_("Sorry, something went wrong on our side."),
                hint=N_("Try again in a few minutes. If it keeps happening, contact us."),
            )
            return 500, [JSON], error_json(failure)

    async def _forward(
        self, scope: Scope, call: VerifiedCall, prefix: str, body: bytes
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        path = f"{prefix}/{call.address.rest}" if call.address.rest else prefix
        inner = {**scope, "path": path, "raw_path": path.encode()}
        delivered = False
        status = 500
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def receive() -> Message:
            nonlocal delivered
            if delivered:
                return {"type": "http.disconnect"}
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"
                ]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        token = CURRENT_CALL.set(call)
        try:
            await self.app(inner, receive, send)
        finally:
            CURRENT_CALL.reset(token)
        return status, headers, b"".join(chunks)

    async def _body(self, receive: Receive) -> bytes | None:
        """The whole request body, or ``None`` when it passes ``max_body``."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


async def _respond(
    send: Send,
    status: int,
    headers: list[tuple[bytes, bytes]],
    exchange_headers: Mapping[str, str],
    body: bytes,
) -> None:
    names = {k.lower() for k, _v in headers}
    if b"content-type" not in names:
        headers = [*headers, JSON]
    headers = [
        *headers,
        *((k.encode("latin-1"), v.encode("latin-1")) for k, v in exchange_headers.items()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
