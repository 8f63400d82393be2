"""The identity part of the JSON API, for the mobile app: who is signed in, who used their data.

- ``GET /api/v1/me``: the signed-in person and how surely they signed in;
- ``GET /api/v1/me/data-use``: every use of their data (substantial sign-in).

Both read the session cookie; without a session (or with one too weak) the answer is
401 in the one error shape. Both say whom the person acts for (``acting_for``, null
for no one); while acting for a child or a company, the data use is theirs (and the
look-up is recorded as an act done for them).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from civitas.identity.acting import ActingOnline
from civitas.identity.assurance import Level
from civitas.identity.data_use import DataUse, data_use_of
from civitas.identity.domain import Person
from civitas.identity.mandates import Acting, ActingStatus
from civitas.identity.web import acting_of, require_session, require_subject
from civitas.web import ErrorBody

_SIGN_IN: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Nobody is signed in, or not surely enough."},
}


class Actor(BaseModel):
    national_id: str
    name: str


class ActingFor(BaseModel):
    national_id: str = Field(description="The national number, or a company's number.")
    name: str
    ground: str = Field(description="parent, company (its owner), or granted (a mandate).")
    mandate_id: str | None = Field(description="The mandate acted under, for 'granted'.")
    valid_until: str | None = Field(description="The mandate's last day, ISO 8601.")
    services: list[str] | None = Field(
        description="The catalogue services the mandate covers; null: every service."
    )
    checked: bool = Field(
        description="False when the register that says so did not answer just now: "
        "nothing can be done for them until it does."
    )
    actor: Actor = Field(description="Who acts for them: the signed-in person.")


class Me(BaseModel):
    national_id: str = Field(description="The national number, as the identity provider said.")
    name: str
    level: str = Field(description="Level of assurance of the sign-in: low, substantial or high.")
    provider: str = Field(description="The identity provider used.")
    signed_in_at: str = Field(description="When, ISO 8601.")
    expires_at: str = Field(description="When the session ends at the latest, ISO 8601.")
    acting_for: ActingFor | None = Field(description="Whom they act for now; null: no one.")


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
    acting_for: ActingFor | None = Field(
        description="Whose data use this is, when acting for them; null: one's own."
    )
    uses: list[DataUseEntry] = Field(description="Newest first.")
    registers_not_answering: list[str] = Field(
        description="Registers that could not answer now: their uses are missing."
    )


def acting_answer(acting: Acting | None, actor: Person) -> ActingFor | None:
    if acting is None or acting.status is ActingStatus.ENDED:
        return None
    who, representation = acting.acting_for, acting.representation
    return ActingFor(
        national_id=who.national_id,
        name=who.name,
        ground=who.ground.value,
        mandate_id=who.mandate_id or None,
        valid_until=representation.until.isoformat()
        if representation and representation.until
        else None,
        services=list(representation.services)
        if representation and representation.services is not None
        else None,
        checked=representation is not None,
        actor=Actor(national_id=actor.national_id, name=actor.name),
    )


def identity_api_router(data_use: DataUse, acting: ActingOnline) -> APIRouter:
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
            acting_for=acting_answer(acting_of(request), session.person),
        )

    @router.get("/me/data-use", summary="Who used my data")
    async def uses(request: Request) -> DataUseAnswer:
        subject = require_subject(request, Level.SUBSTANTIAL)
        report = await data_use_of(data_use, acting, subject)
        return DataUseAnswer(
            acting_for=acting_answer(acting_of(request), subject.actor)
            if subject.representation
            else None,
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
