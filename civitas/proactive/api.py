"""The person's decisions in the JSON API, for the mobile app (session cookie, substantial).

- ``GET /api/v1/me/decisions``: every decision told to the person, newest first;
- ``GET /api/v1/me/decisions/{id}``: one of them (404 for anyone else's);
- ``POST /api/v1/me/decisions/{id}/accept``: accept an offer or answer a question; the
  application is started, filled in from the registers, when the service has a form;
- ``POST /api/v1/me/decisions/{id}/decline``: no thank you; not offered again.

The session is checked first: without one (or one too weak) the answer is 401 in the
one error shape, before anything else is looked at. The POSTs take no body. While the
person acts for someone, every answer is about them, for the services a mandate covers.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from civitas.core.errors import NotAllowed
from civitas.core.i18n import N_
from civitas.identity import ActingOnline, Level, Subject, require_subject
from civitas.proactive.domain import Action, Decision, OfferState
from civitas.proactive.offers import ACCEPTED, DECLINED, LOOKED, Applying, Offers
from civitas.web import ErrorBody

NEEDED = Level.SUBSTANTIAL

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Nobody is signed in, or not surely enough."},
    403: {"model": ErrorBody, "description": "A mandate that does not cover the service."},
}
_ONE_ERRORS: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}}
_ANSWER_ERRORS: dict[int | str, dict[str, Any]] = {s: {"model": ErrorBody} for s in (400, 404, 503)}


class ReasonOut(BaseModel):
    label: dict[str, str] = Field(description="The condition in the law's words, per language.")
    met: bool | None = Field(description="Whether it is met; null when not known.")
    reference: str = Field(description="The law (a URL).")


class DataUsedOut(BaseModel):
    party: str = Field(description="The register asked: member/subsystem.")
    service: str = Field(description="Its exchange service.")
    message_id: str = Field(description="The exchange message that carried the data.")


class LinksOut(BaseModel):
    self: str
    page: str = Field(description="The decision's page in the portal.")
    accept: str | None = Field(description="POST here to accept; null when it cannot be.")
    decline: str | None = Field(description="POST here to decline; null when it cannot be.")
    application: str | None = Field(description="The application started when accepted.")


class DecisionOut(BaseModel):
    id: str
    service: str = Field(description="The service's id in the catalogue.")
    life_event: str = Field(description="The life event that caused it (catalogue id).")
    action: str = Field(description="granted, offered, suggested or needs_information.")
    state: str = Field(description="open (waiting for an answer), accepted, declined or done.")
    amount_cents: int | None = Field(description="The amount, in cents, when the rules gave one.")
    per: str = Field(description="month, or once for a service paid once.")
    period: str = Field(description="The month the rules were applied to, YYYY-MM.")
    decided_at: str = Field(description="When, ISO 8601.")
    answered_at: str | None = Field(description="When the person answered, ISO 8601.")
    beneficiary: str = Field(description="Whom the service is for: a national number.")
    reasons: list[ReasonOut]
    missing: list[dict[str, str]] = Field(
        description="The facts the rules still need, per language (for a question)."
    )
    data_used: list[DataUsedOut]
    application: str | None = Field(description="The application's reference, once accepted.")
    links: LinksOut


class DecisionsOut(BaseModel):
    decisions: list[DecisionOut] = Field(description="Newest first.")


class AnswerOut(BaseModel):
    decision: DecisionOut
    application_url: str | None = Field(
        description="The application's form in the portal, when one was started."
    )


def decisions_api_router(
    offers: Offers,
    applying: Applying | None,
    acting: ActingOnline,
    once: Collection[str],
    levels: Mapping[str, Level],
    languages: tuple[str, ...],
) -> APIRouter:
    """``once``: services paid once (not monthly); ``levels``: the level of assurance
    each service asks (accepting starts its application); ``languages``: the site's, the
    first the default (``?lang=`` chooses the portal links' language)."""
    router = APIRouter(prefix="/api/v1/me", tags=["proactive services"], responses=_ERRORS)
    online = frozenset(applying.services) if applying is not None else frozenset()

    def subject_of(request: Request) -> Subject:
        return require_subject(request, NEEDED)

    def language(request: Request) -> str:
        asked = request.query_params.get("lang", "")
        return asked if asked in languages else languages[0]

    def covered(subject: Subject, decision: Decision) -> Decision:
        if not subject.covers(decision.service):
            raise NotAllowed(
                N_("Your mandate does not cover this service."),
                hint=N_("Ask the person to add the service to your mandate."),
            )
        return decision

    def out(decision: Decision, lang: str) -> DecisionOut:
        here = f"/api/v1/me/decisions/{decision.id}"
        is_open = decision.state is OfferState.OPEN
        offered = decision.action is Action.OFFERED
        may_accept = is_open and (offered or decision.service in online)
        application = (
            f"/{lang}/apply/{decision.service}/{decision.application}"
            if decision.application
            else None
        )
        return DecisionOut(
            id=decision.id,
            service=decision.service,
            life_event=decision.life_event,
            action=decision.action.value,
            state=decision.state.value,
            amount_cents=decision.amount_cents,
            per="once" if decision.service in once else "month",
            period=decision.period,
            decided_at=decision.decided_at.isoformat(),
            answered_at=decision.answered_at.isoformat() if decision.answered_at else None,
            beneficiary=decision.beneficiary,
            reasons=[
                ReasonOut(label=dict(r.label), met=r.met, reference=r.reference)
                for r in decision.reasons
            ],
            missing=[dict(m) for m in decision.missing],
            data_used=[
                DataUsedOut(party=d.party, service=d.service, message_id=d.message_id)
                for d in decision.data_used
            ],
            application=decision.application or None,
            links=LinksOut(
                self=here,
                page=f"/{lang}/inbox/{decision.id}",
                accept=f"{here}/accept" if may_accept else None,
                decline=f"{here}/decline" if is_open and offered else None,
                application=application,
            ),
        )

    @router.get("/decisions", summary="What the government did for me")
    async def mine(request: Request) -> DecisionsOut:
        subject = subject_of(request)
        acting.record(subject, LOOKED)
        found = [d for d in offers.of_person(subject.national_id) if subject.covers(d.service)]
        return DecisionsOut(decisions=[out(d, language(request)) for d in found])

    @router.get("/decisions/{decision_id}", summary="One decision", responses=_ONE_ERRORS)
    async def one(request: Request, decision_id: str) -> DecisionOut:
        subject = subject_of(request)
        decision = covered(subject, offers.get(subject.national_id, decision_id))
        acting.record(subject, LOOKED, decision.service)
        return out(decision, language(request))

    @router.post(
        "/decisions/{decision_id}/accept",
        summary="Accept an offer, or answer a question",
        description="Starts the application, filled in from the registers, when the "
        "service has an online form. Accepting again changes nothing.",
        responses=_ANSWER_ERRORS,
    )
    async def accept(request: Request, decision_id: str) -> AnswerOut:
        subject = subject_of(request)
        decision = covered(subject, offers.acceptable(subject.national_id, decision_id))
        subject = require_subject(request, max(levels.get(decision.service, NEEDED), NEEDED))
        accepted = await offers.take_up(
            subject.national_id,
            decision.id,
            applying,
            user=subject.actor.national_id,
            represented_party=subject.party,
        )
        if accepted.answered_at != decision.answered_at:
            acting.record(subject, ACCEPTED, decision.service)
        shown = out(accepted, language(request))
        return AnswerOut(decision=shown, application_url=shown.links.application)

    @router.post(
        "/decisions/{decision_id}/decline",
        summary="Decline an offer: it is not offered again",
        responses=_ANSWER_ERRORS,
    )
    async def decline(request: Request, decision_id: str) -> AnswerOut:
        subject = subject_of(request)
        decision = covered(subject, offers.declinable(subject.national_id, decision_id))
        declined = offers.decline(subject.national_id, decision.id)
        if declined.answered_at != decision.answered_at:
            acting.record(subject, DECLINED, decision.service)
        return AnswerOut(decision=out(declined, language(request)), application_url=None)

    return router
