"""The consumer side of a call: build and sign a request, check and log the answer.

:meth:`Consumer.prepare` turns "ask ``tax-authority/tax/person`` about 123456789
for the purpose ``own-data``, for user U, in case C" into an :class:`Outgoing`
request: the full service address, a new message id, the exchange headers, and
the client member's signature over all of them. :meth:`Consumer.accept` checks the
answer's signature (by the provider member's key, over this request's hash, the
status and the body), logs the exchange, and turns a refusal into the house error
a caller expects (``NotAllowed``, ``InvalidInput``, ``NotFound``,
``ExternalServiceUnavailable``). An answer whose signature does not hold is never
used.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from civitas.core.clock import Clock
from civitas.core.errors import CivitasError, FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.exchange.addresses import ServiceAddress, SubsystemId
from civitas.exchange.domain import BasisKind, ExchangeSetup
from civitas.exchange.errors import (
    BadCall,
    CallNotFound,
    CallRefused,
    Code,
    ProviderUnavailable,
)
from civitas.exchange.headers import (
    BOUND,
    CLIENT,
    DISPLAY,
    ERROR,
    HIDE_UNTIL,
    ISSUE,
    LEGAL_BASIS,
    MESSAGE_ID,
    PURPOSE,
    REPRESENTED_PARTY,
    REQUEST_HASH,
    REQUEST_ID,
    SIGNATURE,
    USER,
    VERSION,
    parse_call_headers,
)
from civitas.exchange.ports import MessageLog
from civitas.exchange.signing import SignatureError, Signer, TrustList, digest

SENT = "sent"
FAILED = "failed"


@dataclass(frozen=True)
class Outgoing:
    """A signed request, ready to send to the provider's address."""

    address: ServiceAddress
    method: str
    target: str  # path and query, exactly as signed
    headers: dict[str, str]
    body: bytes
    message_id: str
    request_hash: str
    purpose: str
    case: str
    user: str


@dataclass(frozen=True)
class Received:
    """A verified answer."""

    status: int
    body: bytes
    message_id: str
    request_id: str

    def json(self) -> object:
        return json.loads(self.body)


class Consumer:
    """One client subsystem's side of the exchange."""

    def __init__(
        self,
        setup: ExchangeSetup,
        me: SubsystemId,
        signer: Signer,
        trust: TrustList,
        messages: MessageLog,
        clock: Clock,
    ) -> None:
        self.setup = setup
        self.me = me
        self.signer = signer
        self.trust = trust
        self.messages = messages
        self.clock = clock

    def prepare(
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
        method: str = "GET",
        body: bytes = b"",
    ) -> Outgoing:
        """The signed request for ``service`` (``member/subsystem/service``) and ``rest``."""
        address = self.setup.address(service, rest)
        if address is None:
            raise InvalidInput(
                N_("The exchange has no service '{service}'."),
                hint=N_("Write it member/subsystem/service as exchange.yaml declares it."),
                params={"service": service[:120]},
                errors=(FieldError(("service",), N_("Unknown service.")),),
            )
        known = self.setup.purposes.get(purpose)
        if legal_basis is None and known is not None:
            if known.legal_basis.kind is BasisKind.CONSENT:
                raise InvalidInput(
                    N_("The purpose '{purpose}' rests on consent: say which consent."),
                    hint=N_("Pass legal_basis='consent:<the id of the consent record>'."),
                    params={"purpose": purpose},
                )
            legal_basis = known.legal_basis.url
        target = address.path + (f"?{urlencode(query)}" if query else "")
        headers = {
            CLIENT: str(self.me),
            MESSAGE_ID: str(uuid.uuid4()),
            USER: user,
            ISSUE: case,
            PURPOSE: purpose,
            LEGAL_BASIS: legal_basis or "",
        }
        if represented_party:
            headers[REPRESENTED_PARTY] = represented_party
        if hide_until:
            headers[HIDE_UNTIL] = hide_until.isoformat()
        claims = {
            "v": VERSION,
            "method": method,
            "target": target,
            "body": digest(body),
            "headers": {name: headers[name] for name in BOUND if name in headers},
            "iat": int(self.clock.now().timestamp()),
        }
        headers[SIGNATURE] = self.signer.sign(claims)
        parse_call_headers(headers.items())  # refuse here what the provider would refuse
        return Outgoing(
            address=address,
            method=method,
            target=target,
            headers={DISPLAY[name]: value for name, value in headers.items()},
            body=body,
            message_id=headers[MESSAGE_ID],
            request_hash=digest(headers[SIGNATURE].encode()),
            purpose=purpose,
            case=case,
            user=user,
        )

    def accept(
        self, outgoing: Outgoing, status: int, headers: Mapping[str, str], body: bytes
    ) -> Received:
        """The answer, once its signature holds; raises the provider's refusal as a house error.

        ``headers`` must look names up without regard to case (as ``httpx.Headers`` does).
        """
        provider = outgoing.address.provider.member
        token = headers.get(SIGNATURE, "")
        request_id = headers.get(REQUEST_ID, "")
        error = headers.get(ERROR, "")
        body_hash = digest(body)  # checked against the signature, then logged
        problem = self._answer_problem(
            outgoing, status, token, request_id, body_hash, headers.get(REQUEST_HASH)
        )
        self.messages.append(
            SENT,
            {
                "message_id": outgoing.message_id,
                "request_id": request_id[:128],
                "service": outgoing.address.service_id,
                "path": outgoing.target[:500],
                "purpose": outgoing.purpose,
                "case": outgoing.case,
                "user": outgoing.user,
                "request_hash": outgoing.request_hash,
                "status": status,
                "error": error[:100] or None,
                "response_hash": body_hash,
                "response_signature": token[:4096] if problem is None else None,
                "problem": problem,
            },
        )
        if problem is not None:
            raise ProviderUnavailable(
                N_("The answer of {provider} cannot be trusted ({problem}), so it was not used."),
                hint=N_(
                    "Try again. If it keeps happening, check that the trust list holds "
                    "{provider}'s current key."
                ),
                params={"provider": provider, "problem": problem},
            )
        if status >= 400:
            raise _refusal(outgoing, status, error, body)
        return Received(status, body, outgoing.message_id, request_id)

    def _answer_problem(
        self,
        outgoing: Outgoing,
        status: int,
        token: str,
        request_id: str,
        body_hash: str,
        request_hash: str | None,
    ) -> str | None:
        if not token:
            return "no signature"
        try:
            _kid, claims = self.trust.verify(token, expected_kid=outgoing.address.provider.member)
        except SignatureError as error:
            return f"signature: {error.reason}"
        expected = {
            "v": VERSION,
            "request_id": request_id,
            "message_id": outgoing.message_id,
            "request_hash": outgoing.request_hash,
            "status": status,
            "body": body_hash,
        }
        differs = [name for name, value in expected.items() if claims.get(name) != value]
        if request_hash != outgoing.request_hash:
            differs.append("X-Road-Request-Hash")
        return f"differs from what was signed: {', '.join(differs)}" if differs else None

    def failed(self, outgoing: Outgoing, reason: str) -> ProviderUnavailable:
        """Log a request that got no answer; the error to raise."""
        self.messages.append(
            FAILED,
            {
                "message_id": outgoing.message_id,
                "service": outgoing.address.service_id,
                "purpose": outgoing.purpose,
                "case": outgoing.case,
                "user": outgoing.user,
                "request_hash": outgoing.request_hash,
                "reason": reason[:300],
            },
        )
        return ProviderUnavailable(
            N_("{provider} did not answer ({reason})."),
            hint=N_("Try again in a few minutes. If it keeps failing, contact {provider}."),
            params={"provider": outgoing.address.provider.party, "reason": reason[:300]},
        )

    def close(self) -> None:
        self.messages.close()


def _refusal(outgoing: Outgoing, status: int, code: str, body: bytes) -> CivitasError:
    """The house error for a refusal the provider signed."""
    try:
        answer = json.loads(body)
        reason = str(answer.get("error", "")) if isinstance(answer, dict) else ""
    except ValueError:
        reason = ""
    params = {"service": outgoing.address.short, "reason": reason[:300] or str(status)}
    code = code or Code.SERVICE_FAILED
    if status == 403:
        return CallRefused(
            N_("{service} refused the request: {reason}"),
            hint=N_("Check the purpose, and the access rights of your subsystem."),
            params=params,
            code=code,
        )
    if status == 404:
        return CallNotFound(
            N_("{service} found nothing: {reason}"),
            hint=N_("Check the service and the identifier asked for."),
            params=params,
            code=code,
        )
    if 400 <= status < 500:
        return BadCall(
            N_("{service} could not use the request: {reason}"),
            hint=N_("Correct the request as the answer says, then send it again."),
            params=params,
            status=status,
            code=code,
        )
    return ProviderUnavailable(
        N_("{service} failed to answer: {reason}"),
        hint=N_("Try again in a few minutes. If it keeps failing, contact its provider."),
        params=params,
        code=code,
    )
