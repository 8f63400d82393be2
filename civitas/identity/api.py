"""The identity part of the JSON API, for the mobile app: who is signed in, who used their data.

- ``GET /api/v1/me``: the signed-in person and how surely they signed in;
- ``GET /api/v1/me/data-use``: every use of their data (substantial sign-in).

Both read the session cookie; without a session (or with one too weak) the answer is
401 in the one error shape.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from civitas.identity.assurance import Level
from civitas.identity.data_use import DataUse
from civitas.identity.web import require_session
from civitas.web import ErrorBody

_SIGN_IN: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Nobody is signed in, or not surely enough."},
}


class Me(BaseModel):
    national_id: str = Field(description="The national number, as the identity provider said.")
    name: str
    level: str = Field(description="Level of assurance of the sign-in: low, substantial or high.")
    provider: str = Field(description="The identity provider used.")
    signed_in_at: str = Field(description="When, ISO 8601.")
    expires_at: str = Field(description="When the session ends at the latest, ISO 8601.")


class LegalBasis(BaseModel):
    text: dict[str, str] = Field(description="The law, in each language.")
    url: str


class DataUseEntry(BaseModel):
    time: str = Field(description="When the data was given, ISO 8601.")
    source: str = Field(description="The register that gave it (member/subsystem).")
    organisation: str = Field(description="The organisation that asked.")
    purpose: dict[str, str] = Field(description="Why, in each language.")
    legal_basis: LegalBasis
    data_items: list[str] = Field(description="The data items given (register columns).")
    case: str


class DataUseAnswer(BaseModel):
    uses: list[DataUseEntry] = Field(description="Newest first.")
    registers_not_answering: list[str] = Field(
        description="Registers that could not answer now: their uses are missing."
    )


def identity_api_router(data_use: DataUse) -> APIRouter:
    router = APIRouter(prefix="/api/v1", tags=["identity"], responses=_SIGN_IN)

    @router.get("/me", summary="Who is signed in")
    async def me(request: Request) -> Me:
        session = require_session(request)
        return Me(
            national_id=session.person.national_id,
            name=session.person.name,
            level=session.level.name.lower(),
            provider=session.provider,
            signed_in_at=session.started_at.isoformat(),
            expires_at=session.expires_at.isoformat(),
        )

    @router.get("/me/data-use", summary="Who used my data")
    async def uses(request: Request) -> DataUseAnswer:
        session = require_session(request, Level.SUBSTANTIAL)
        report = await data_use.of(session.person.national_id)
        return DataUseAnswer(
            uses=[
                DataUseEntry(
                    time=use.at.isoformat(),
                    source=use.register.party,
                    organisation=use.organisation,
                    purpose=dict(use.purpose),
                    legal_basis=LegalBasis(text=dict(use.legal_basis), url=use.legal_basis_url),
                    data_items=list(use.items),
                    case=use.case,
                )
                for use in report.uses
            ],
            registers_not_answering=[register.party for register in report.unanswered],
        )

    return router
