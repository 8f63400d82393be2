"""The consents in the JSON API, for the mobile app (session cookie, substantial sign-in).

- ``GET /api/v1/me/consents``: every consent about the person and their children under 18;
- ``POST /api/v1/me/consents/{id}``: answer one, ``{"action": "grant", "register":
  "health-service/health", "about": "123456789", "valid_until": "2027-02-28"}``.

Without a session (or with one too weak) the answer is 401 in the one error shape; the
body is read only after that, so a stranger learns nothing from its checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from civitas.consents.domain import Consent
from civitas.consents.services import Consents
from civitas.core.text import LocalText
from civitas.exchange import Purpose
from civitas.identity import Level, require_session
from civitas.web import ErrorBody

NEEDED = Level.SUBSTANTIAL
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Nobody is signed in, or not surely enough."},
}
_ANSWER_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 403, 404, 409, 503)
}


class Person(BaseModel):
    national_id: str
    name: str
    yours: bool = Field(description="True for the signed-in person, false for their child.")


class Organisation(BaseModel):
    id: str = Field(description="The organisation's id in the catalogue.")
    name: dict[str, str] = Field(description="Its name, in each language.")


class ConsentPurpose(BaseModel):
    id: str
    label: dict[str, str] = Field(description="Why the data is wanted, in each language.")
    legal_basis: dict[str, str] = Field(description="The legal basis, in each language.")


class DataItem(BaseModel):
    item: str = Field(description="The register's column.")
    description: dict[str, str] = Field(description="What it holds, in each language.")


class HistoryStep(BaseModel):
    at: str = Field(description="When, ISO 8601.")
    state: str
    by: str = Field(description="The user it was done for: a national number or an officer.")


class ConsentEntry(BaseModel):
    id: str
    source: str = Field(description="The register that keeps it (member/subsystem).")
    register_name: dict[str, str]
    about: Person
    organisation: Organisation = Field(description="Who asks.")
    purpose: ConsentPurpose
    data_items: list[DataItem]
    state: str = Field(description="requested, granted, denied, withdrawn or expired.")
    valid_until: str | None = Field(description="The last day, once given (YYYY-MM-DD).")
    history: list[HistoryStep]
    actions: list[str] = Field(description="The answers that can be given now.")
    latest_last_day: str = Field(description="The latest last day a grant may name today.")


class ConsentsAnswer(BaseModel):
    consents: list[ConsentEntry] = Field(description="Waiting for an answer first.")
    registers_not_answering: list[str] = Field(
        description="Registers that could not answer now: their consents are missing."
    )
    children_checked: bool = Field(
        description="False when the population register could not say who the children are."
    )


class Decision(BaseModel):
    """An answer to one consent."""

    action: str = Field(max_length=20, description="grant, deny or withdraw.")
    source: str = Field(
        max_length=200, description="The register that keeps it (member/subsystem)."
    )
    about: str = Field(max_length=40, description="Whom it is about: you or your child.")
    valid_until: dt.date | None = Field(
        default=None, description="For grant: the last day (YYYY-MM-DD)."
    )


class DecisionAnswer(BaseModel):
    consent: ConsentEntry


def consents_api_router(
    consents: Consents,
    organisations: Mapping[str, LocalText],
    purposes: Mapping[str, Purpose],
) -> APIRouter:
    router = APIRouter(prefix="/api/v1/me", tags=["consents"], responses=_ERRORS)

    def entry(consent: Consent) -> ConsentEntry:
        found = purposes.get(consent.purpose)
        register = consent.register
        return ConsentEntry(
            id=consent.id,
            source=register.party,
            register_name=dict(register.name),
            about=Person(
                national_id=consent.about.national_id,
                name=consent.about.name,
                yours=consent.about.yours,
            ),
            organisation=Organisation(
                id=consent.organisation,
                name=dict(organisations.get(consent.organisation, {})),
            ),
            purpose=ConsentPurpose(
                id=consent.purpose,
                label=dict(found.label) if found else {},
                legal_basis=dict(found.legal_basis.text) if found else {},
            ),
            data_items=[
                DataItem(item=column, description=dict(register.items.get(column, {})))
                for column in consent.items
            ],
            state=consent.state.value,
            valid_until=consent.valid_until.isoformat() if consent.valid_until else None,
            history=[
                HistoryStep(at=s.at.isoformat(), state=s.state.value, by=s.by)
                for s in consent.history
            ],
            actions=[a.value for a in consent.actions],
            latest_last_day=register.latest_last_day(consents.today()).isoformat(),
        )

    @router.get("/consents", summary="My consents and my children's")
    async def mine(request: Request) -> ConsentsAnswer:
        session = require_session(request, NEEDED)
        overview = await consents.overview(session.person)
        return ConsentsAnswer(
            consents=[entry(c) for c in overview.consents],
            registers_not_answering=[r.party for r in overview.unanswered],
            children_checked=overview.children_checked,
        )

    @router.post(
        "/consents/{consent_id}",
        summary="Give, refuse or withdraw a consent",
        responses=_ANSWER_ERRORS,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": Decision.model_json_schema()}},
            }
        },
    )
    async def answer(
        request: Request, consent_id: str = Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    ) -> DecisionAnswer:
        session = require_session(request, NEEDED)
        decision = _decision(await request.body())
        decided = await consents.decide(
            session.person,
            decision.source,
            decision.about,
            consent_id,
            decision.action,
            decision.valid_until,
        )
        return DecisionAnswer(consent=entry(decided))

    return router


def _decision(body: bytes) -> Decision:
    """The decision sent, or the fields to correct, in the shape FastAPI's own checks give."""
    try:
        return Decision.model_validate_json(body)
    except ValidationError as invalid:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in invalid.errors()]
        ) from None
