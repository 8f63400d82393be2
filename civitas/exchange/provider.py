"""The provider side of a call: admit a request, sign the answer, log both.

:meth:`Provider.admit` turns a raw request into a :class:`VerifiedCall` or raises
the refusal, checking in this order (cheap and public checks first, the signature
before anything that remembers or reveals):

1. the address names a service this provider offers (404 otherwise);
2. the exchange headers are present and well formed (400);
3. the client subsystem is a member of the exchange (403);
4. the signature is by the client member's key and covers exactly this method,
   path and query, body and exchange headers (403);
5. the signed issue time is within the window, the message id is new (403);
6. an access right allows this client, service and purpose (403), with the
   purpose's legal basis (400).

Every answer, refusals included, is signed by the provider's key over the request
id and hash, the status and the body's hash; every request is logged with the
client's signature, so the log proves who asked what, when and why.

The gate (an adapter) sets :data:`CURRENT_CALL` while the service handles a
verified call; the service's access guard reads it with :func:`current_call`.
Nothing a client sends can set it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from civitas.core.clock import Clock
from civitas.core.errors import CivitasError, FieldError
from civitas.core.i18n import N_
from civitas.exchange.addresses import ServiceAddress, SubsystemId, parse_service_path
from civitas.exchange.datause import USE, DataUseIndex, shown_use, use_fields, visible
from civitas.exchange.domain import ExchangeSetup, VerifiedCall
from civitas.exchange.errors import (
    BadCall,
    CallNotFound,
    CallRefused,
    Code,
    error_code,
    service_error_code,
)
from civitas.exchange.headers import (
    DISPLAY,
    ERROR,
    MESSAGE_ID,
    REQUEST_HASH,
    REQUEST_ID,
    SERVICE,
    SIGNATURE,
    VERSION,
    CallHeaders,
    parse_call_headers,
)
from civitas.exchange.ports import MessageLog
from civitas.exchange.replay import ReplayGuard, Window
from civitas.exchange.rights import decide
from civitas.exchange.signing import SignatureError, Signer, TrustList, digest

log = logging.getLogger("civitas.exchange")

CURRENT_CALL: ContextVar[VerifiedCall | None] = ContextVar("civitas_exchange_call", default=None)
MESSAGE = "message"
REFUSED = "refused"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:/-]{1,128}$")
_PERSON = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_call() -> VerifiedCall | None:
    """The verified exchange call being served, or ``None`` outside the gate."""
    return CURRENT_CALL.get()


@dataclass(frozen=True)
class Incoming:
    """A request as the gate received it."""

    method: str
    path: str  # as sent, without the query
    query: str  # as sent, without "?"
    headers: Sequence[tuple[str, str]]  # lower-case names, in order, repeats kept
    body: bytes = b""

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class Provider:
    """One provider subsystem's side of the exchange."""

    def __init__(
        self,
        setup: ExchangeSetup,
        me: SubsystemId,
        signer: Signer,
        trust: TrustList,
        messages: MessageLog,
        clock: Clock,
        window: Window | None = None,
    ) -> None:
        self.setup = setup
        self.me = me
        self.signer = signer
        self.trust = trust
        self.messages = messages
        self.clock = clock
        self.replay = ReplayGuard(window)
        self.uses = DataUseIndex()
        self._resume(messages.entries())

    def _resume(self, entries: Iterable[tuple[int, dict[str, Any]]]) -> None:
        """Rebuild the data-use index, and the message ids still inside the window, from the
        log: a restart neither hides uses from people nor lets a recent request be replayed."""
        window = self.replay.window
        recent = (self.clock.now() - window.max_age - window.max_skew).timestamp()
        for offset, entry in entries:
            kind = entry.get("kind")
            if kind == USE:
                self.uses.add((str(p) for p in entry.get("people", ())), offset)
            elif kind == MESSAGE:
                seen_at = _seconds(entry.get("time"))
                client = str(entry.get("client", "")).split("/")
                if seen_at >= recent and len(client) == 4:
                    self.replay.remember(client[2], str(entry.get("message_id")), seen_at)

    # -- admitting a request

    def admit(self, request: Incoming, request_id: str) -> VerifiedCall:
        """The verified call, or the refusal raised (see the module docstring for the order)."""
        address = parse_service_path(request.path)
        if address.provider != self.me or not self.setup.offers(address):
            raise CallNotFound(
                N_("{provider} offers no service at {path}."),
                hint=N_("Check the address: this server provides the services of {provider}."),
                params={"provider": str(self.me), "path": address.path[:120]},
            )
        headers = parse_call_headers(request.headers)
        client = headers.client
        if not self.setup.knows(client):
            raise CallRefused(
                N_("The client {client} is not a member subsystem of this exchange."),
                hint=N_("Send your own subsystem as declared in exchange.yaml in X-Road-Client."),
                params={"client": str(client)},
                code=Code.UNKNOWN_CLIENT,
            )
        issued_at = self._check_signature(request, headers)
        self.replay.check(
            client.member, headers.message_id, issued_at, self.clock.now().timestamp()
        )
        purpose, right = decide(
            self.setup, client, address, headers.purpose, headers.legal_basis, headers.hide_until
        )
        return VerifiedCall(
            message_id=headers.message_id,
            client=client,
            address=address,
            purpose=purpose,
            legal_basis=headers.legal_basis,
            case=headers.issue,
            user=headers.user,
            represented_party=headers.represented_party,
            hide_until=headers.hide_until,
            columns=right.columns,
            issued_at=issued_at,
            request_hash=digest(headers.signature.encode()),
            request_id=request_id,
            signature=headers.signature,
        )

    def _check_signature(self, request: Incoming, headers: CallHeaders) -> int:
        member = headers.client.member
        try:
            _kid, claims = self.trust.verify(headers.signature, expected_kid=member)
        except SignatureError as error:
            raise _signature_refused(error, member) from None
        differs = []
        if claims.get("v") != VERSION:
            differs.append("version")
        if claims.get("method") != request.method:
            differs.append("method")
        if claims.get("target") != request.target:
            differs.append("address")
        if claims.get("body") != digest(request.body):
            differs.append("body")
        signed_headers = claims.get("headers")
        if signed_headers != headers.bound:  # then name each header that differs
            if not isinstance(signed_headers, dict):
                signed_headers = {}
            for name in sorted(set(signed_headers) | set(headers.bound)):
                if signed_headers.get(name) != headers.bound.get(name):
                    differs.append(DISPLAY.get(name, "headers"))
        issued_at = claims.get("iat")
        if not isinstance(issued_at, int) or isinstance(issued_at, bool):
            differs.append("time")
        if differs:
            raise CallRefused(
                N_("The request differs from what {member} signed: {parts}."),
                hint=N_("Sign the request exactly as it is sent, and change nothing after."),
                params={"member": member, "parts": ", ".join(differs)},
                code=Code.INVALID_SIGNATURE,
            )
        assert isinstance(issued_at, int)
        return issued_at

    # -- answering

    def answered(self, call: VerifiedCall, status: int, body: bytes) -> dict[str, str]:
        """The exchange headers of the answer to ``call``; the exchange is logged."""
        body_hash = digest(body)
        headers = self._signed(
            call.request_id, call.message_id, call.request_hash, status, body_hash
        )
        headers[SERVICE] = call.address.service_id
        if status >= 400:
            headers[ERROR] = service_error_code(status)
        self.messages.append(
            MESSAGE,
            {
                "request_id": call.request_id,
                "message_id": call.message_id,
                "client": str(call.client),
                "service": call.address.service_id,
                "path": call.address.path,
                "purpose": call.purpose.id,
                "legal_basis": call.legal_basis,
                "case": call.case,
                "user": call.user,
                "represented_party": call.represented_party,
                "request_hash": call.request_hash,
                "request_signature": call.signature,  # the client's proof of what it asked
                "status": status,
                "response_hash": body_hash,
            },
        )
        return headers

    def refused(self, request: Incoming, request_id: str, error: CivitasError) -> Answer:
        """The signed, logged answer refusing ``request``."""
        body = error_json(error)
        raw = dict(request.headers)
        message_id = _safe(raw.get(MESSAGE_ID, ""))
        signature = raw.get(SIGNATURE, "")
        request_hash = digest(signature.encode()) if signature else ""
        headers = self._signed(request_id, message_id, request_hash, error.status, digest(body))
        headers[ERROR] = error_code(error)
        reason = error.render()[0]
        self.messages.append(
            REFUSED,
            {
                "request_id": request_id,
                "message_id": message_id,
                "client": _safe(raw.get("x-road-client", "")),
                "path": request.path[:200],
                "status": error.status,
                "code": headers[ERROR],
                "reason": reason,
                "request_hash": request_hash,
            },
        )
        log.warning(
            "refused %s %s: %s (%s)", request.method, request.path[:200], reason, headers[ERROR]
        )
        return Answer(error.status, headers, body)

    def _signed(
        self, request_id: str, message_id: str, request_hash: str, status: int, body_hash: str
    ) -> dict[str, str]:
        claims = {
            "v": VERSION,
            "request_id": request_id,
            "message_id": message_id,
            "request_hash": request_hash,
            "status": status,
            "body": body_hash,
            "iat": int(self.clock.now().timestamp()),
        }
        headers = {REQUEST_ID: request_id, REQUEST_HASH: request_hash}
        if message_id:
            headers[MESSAGE_ID] = message_id
        headers[SIGNATURE] = self.signer.sign(claims)
        return headers

    # -- data use

    def record_use(
        self, call: VerifiedCall, people: Sequence[str], columns: Sequence[str], rows: int
    ) -> None:
        """Log that data about ``people`` left for ``call`` (what "who used my data" shows)."""
        offset = self.messages.append(USE, use_fields(call, people, columns, rows))
        self.uses.add(people, offset)

    def data_use(self, call: VerifiedCall) -> bytes:
        """The answer of the ``data-use`` service: the person's visible ``use`` entries."""
        person = call.address.rest
        if not _PERSON.match(person):
            raise BadCall(
                N_("Ask the data-use service about one person: {service}/<national id>."),
                hint=N_("Add the person's national id to the address."),
                params={"service": call.address.path[:120]},
                errors=(FieldError(("path",), N_("Missing or malformed national id.")),),
            )
        today = self.clock.now().date()
        entries = (self.messages.read(offset) for offset in self.uses.offsets(person))
        shown = [shown_use(e, self.setup.purposes) for e in entries if visible(e, today)]
        answer = {"provider": str(self.me), "person": person, "uses": shown}
        return json.dumps(answer, ensure_ascii=False).encode()

    @property
    def service_base(self) -> str:
        """``/r1/VLD/GOV/tax-authority/tax``: the path under which this provider's services are."""
        return ServiceAddress(self.me, "").path.rstrip("/")

    def close(self) -> None:
        self.messages.close()


def error_body(error: CivitasError) -> dict[str, Any]:
    """The house JSON error shape (as ``civitas.web`` renders it, untranslated)."""
    message, hint = error.render()
    problems = getattr(error, "errors", ())
    return {
        "ok": False,
        "status": error.status,
        "error": message,
        "hint": hint,
        "errors": [{"path": p.dotted_path, "message": p.message} for p in problems],
    }


def error_json(error: CivitasError) -> bytes:
    """:func:`error_body` as the bytes of an answer."""
    return json.dumps(error_body(error)).encode()


def _signature_refused(error: SignatureError, member: str) -> CallRefused:
    if error.reason == SignatureError.UNKNOWN_KEY and error.kid and error.kid != member:
        message = N_("The request is signed by {kid}, but sent in the name of {member}.")
    elif error.reason == SignatureError.UNKNOWN_KEY:
        message = N_("The trust list holds no key of {member}, so its signature cannot be checked.")
    elif error.reason == SignatureError.BAD_SIGNATURE:
        message = N_(
            "The signature of the request is not {member}'s: the request was altered, or "
            "signed with another key."
        )
    else:
        message = N_("The signature of the request cannot be read.")
    return CallRefused(
        message,
        hint=N_("Sign each request with your organisation's key from the exchange's trust list."),
        params={"member": member, "kid": error.kid[:64]},
        code=Code.INVALID_SIGNATURE,
    )


def _seconds(stamp: object) -> float:
    try:
        return dt.datetime.fromisoformat(str(stamp)).timestamp()
    except ValueError:
        return 0.0


def _safe(text: str) -> str:
    """A client-sent identifier, kept in the log only when it is plainly one."""
    return text if _SAFE_ID.match(text) else ""
