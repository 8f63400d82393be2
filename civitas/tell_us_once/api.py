"""Tell us once in the JSON API, for the mobile app.

- ``GET /api/v1/me/address-changes``: the addresses told, newest first, and for each
  agency whether it has the new one;
- ``POST /api/v1/me/address-changes``: tell a new address (JSON); 201 with the change,
  or 400 naming each field to correct.

Both read the session cookie (401 without one) and, while the person acts for someone
under a mandate covering the change of address, are about that someone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from civitas.core.errors import FieldError, InvalidInput, NotAllowed
from civitas.core.i18n import N_
from civitas.identity import ActingOnline, Level, Subject, require_subject
from civitas.tell_us_once.domain import FIELDS, SERVICE_ID, AddressChange
from civitas.tell_us_once.services import TellUsOnce
from civitas.tell_us_once.web import LOOKED, TOLD
from civitas.web import ErrorBody

MAX_ANSWER = 200
_ERRORS: dict[int | str, dict[str, Any]] = {s: {"model": ErrorBody} for s in (400, 401, 403)}


class NewAddressIn(BaseModel):
    street: str = Field(max_length=MAX_ANSWER)
    house_number: str = Field(max_length=20, description="Digits and an optional letter: 12A.")
    postcode: str = Field(max_length=20, description="Like 1200-001.")
    municipality: str = Field(max_length=MAX_ANSWER)
    moved_on: str = Field(max_length=20, description="The day of the move, YYYY-MM-DD.")


class DeliveryOut(BaseModel):
    service: str = Field(description="The agency's service: member/subsystem/service.")
    state: str = Field(description="pending, delivered or refused.")
    delivered_at: str | None
    message_id: str = Field(description="The exchange message that delivered it.")
    problem: str = Field(description="Why it waits or was refused, in words.")


class ChangeOut(BaseModel):
    id: str
    national_id: str
    street: str
    house_number: str
    postcode: str
    municipality: str
    moved_on: str
    told_at: str
    deliveries: list[DeliveryOut]


class ChangesOut(BaseModel):
    changes: list[ChangeOut]


def tell_us_once_api_router(
    tell_us_once: TellUsOnce, acting: ActingOnline, level: Level, wake_courier: Callable[[], None]
) -> APIRouter:
    router = APIRouter(prefix="/api/v1/me", tags=["tell us once"])

    def subject_of(request: Request) -> Subject:
        subject = require_subject(request, level)
        if not subject.covers(SERVICE_ID):
            raise NotAllowed(
                N_("Your mandate does not cover the change of address."),
                hint=N_("Ask the person to add the service to your mandate."),
            )
        return subject

    @router.get("/address-changes", response_model=ChangesOut, responses=_ERRORS)
    async def changes(request: Request) -> JSONResponse:
        subject = subject_of(request)
        acting.record(subject, LOOKED, SERVICE_ID)
        found = tell_us_once.changes(subject.national_id)
        return JSONResponse({"changes": [_change(c) for c in found]})

    @router.post(
        "/address-changes",
        response_model=ChangeOut,
        status_code=201,
        responses=_ERRORS,
        openapi_extra={  # read after the session is checked: 401 comes before any 400
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": NewAddressIn.model_json_schema()}},
            }
        },
    )
    async def tell(request: Request) -> JSONResponse:
        subject = subject_of(request)
        form = _answers(await request.body())
        change = tell_us_once.tell(subject.national_id, subject.actor.national_id, form)
        acting.record(subject, TOLD, SERVICE_ID)
        wake_courier()
        return JSONResponse(_change(change), status_code=201)

    return router


def _answers(body: bytes) -> dict[str, str]:
    """The JSON object's answers as text; the domain names each wrong or missing one."""
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise InvalidInput(
            N_("Send the new address as a JSON object."),
            hint=N_("Give the fields {fields}."),
            params={"fields": ", ".join(FIELDS)},
            errors=(FieldError(("body",), N_("Not a JSON object.")),),
        )
    return {name: str(document.get(name, ""))[:MAX_ANSWER] for name in FIELDS}


def _change(change: AddressChange) -> dict[str, Any]:
    address = change.address
    return {
        "id": change.id,
        "national_id": change.national_id,
        "street": address.street,
        "house_number": address.house_number,
        "postcode": address.postcode,
        "municipality": address.municipality,
        "moved_on": address.moved_on.isoformat(),
        "told_at": change.told_at.isoformat(),
        "deliveries": [
            {
                "service": d.parcel.service,
                "state": d.state.value,
                "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
                "message_id": d.message_id,
                "problem": d.problem,
            }
            for d in change.deliveries
        ],
    }
