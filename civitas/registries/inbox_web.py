"""The routes behind a node's inbox services, reached only through the exchange gate.

``/notices/{kind}/{national id}`` (POST) takes reported errors and changes of address;
``/consents/{national id}`` lists (GET) and changes (POST) the person's consents. The
gate forwards ``/r1/.../address-change/123456789`` to ``/notices/address-change/123456789``
with the verified call in context; a request that did not come through the gate has no
call and is refused.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, Response

from civitas.core.errors import FieldError, InvalidInput, NotAllowed
from civitas.core.i18n import N_
from civitas.exchange import VerifiedCall, current_call
from civitas.registries.inbox import CONSENT, Inbox
from civitas.registries.notices import NoticeKind
from civitas.web import ErrorBody

NationalIdPath = Annotated[str, Path(max_length=40, description="Nine digits, e.g. 123456789.")]

INBOX_ROUTES = {
    NoticeKind.REPORTED_ERROR.value: "/notices/reported-error",
    NoticeKind.ADDRESS_CHANGE.value: "/notices/address-change",
    CONSENT: "/consents",
}
"""Exchange services of a node's inbox and the routes that serve them."""

_ERRORS: dict[int | str, dict[str, Any]] = {s: {"model": ErrorBody} for s in (400, 403, 404, 409)}


def inbox_router(inbox: Inbox) -> APIRouter:
    router = APIRouter(tags=["inbox"])

    @router.post("/notices/{kind}/{national_id}", status_code=201, responses=_ERRORS)
    async def notice(request: Request, kind: NoticeKind, national_id: NationalIdPath) -> Response:
        """Keep a reported error or a change of address about the person."""
        kept = inbox.receive(_call(), kind, national_id, await _document(request))
        return JSONResponse({"notice": kept}, status_code=201)

    @router.get("/consents/{national_id}", responses=_ERRORS)
    async def consents(national_id: NationalIdPath) -> Response:
        """The person's consents kept by this register, newest first."""
        return JSONResponse(inbox.consents(_call(), national_id))

    @router.post("/consents/{national_id}", responses=_ERRORS)
    async def change(request: Request, national_id: NationalIdPath) -> Response:
        """Request (an agency), grant, deny or withdraw (the person) a consent."""
        return JSONResponse(inbox.change_consent(_call(), national_id, await _document(request)))

    return router


def _call() -> VerifiedCall:
    call = current_call()
    if call is None:
        raise NotAllowed(
            N_("This register receives notices and consents only through the once-only exchange."),
            hint=N_("Send a signed request to its exchange address under /r1/."),
        )
    return call


async def _document(request: Request) -> object:
    try:
        return json.loads(await request.body())
    except ValueError:
        raise InvalidInput(
            N_("The request body is not JSON."),
            hint=N_("Send a JSON object."),
            errors=(FieldError(("body",), N_("Not JSON.")),),
        ) from None
