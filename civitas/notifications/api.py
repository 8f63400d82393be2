"""Messages and notification settings in the JSON API, for the mobile app.

- ``GET /api/v1/me/messages``: the person's messages, newest first, in ``?lang=``;
- ``GET /api/v1/me/messages/{message_id}``: one, noted as read; someone else's is 404;
- ``GET /api/v1/me/notification-preferences``: how they are told (``saved`` false: the
  usual, never chosen);
- ``PUT /api/v1/me/notification-preferences``: choose, ``{"email": "ana@example.org",
  "email_on": true, "letters_on": false, "language": "pt"}``; 400 naming each field.

All read the session cookie (substantial sign-in; 401 without one), the PUT before it
reads the body, so a stranger learns nothing from its checks.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.identity import ActingOnline
from civitas.notifications.access import CHOSE, READ, subject_of
from civitas.notifications.domain import Message, Preferences
from civitas.notifications.preferences import FIELDS, refuse_if_any
from civitas.notifications.services import Notifications
from civitas.web import ErrorBody
from civitas.web.languages import language_parameter

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 404, 503)
}
MESSAGE_ID = Path(max_length=40, pattern=r"^[A-Za-z0-9_-]+$")


class DeliveryOut(BaseModel):
    channel: str = Field(description="portal, email or letter.")
    state: str = Field(description="delivered, pending, sent, printed, waiting or failed.")
    language: str = Field(description="The language it was sent in; empty until sent.")
    attempts: int
    sent_at: str | None = Field(description="When it was sent or printed, ISO 8601.")
    problem: str = Field(description="Why it waits or failed, in words.")


class MessageOut(BaseModel):
    id: str
    subject: str = Field(description="In the language asked; empty if it cannot be written.")
    body: str = Field(description="Plain text; a blank line starts a paragraph.")
    action: str = Field(description="The words of the link, if it has one.")
    link: str = Field(description="A portal path without the language, or empty.")
    sent_at: str = Field(description="When it was kept, ISO 8601.")
    read_at: str | None = Field(description="When it was first read; null: not yet.")
    deliveries: list[DeliveryOut]


class MessagesOut(BaseModel):
    messages: list[MessageOut]


class PreferencesIn(BaseModel):
    """How to be told, besides the messages in the portal."""

    email: str = Field(default="", max_length=254, description="Needed when email_on.")
    email_on: bool = False
    letters_on: bool = True
    language: str = Field(description="The language of emails and letters.")


class PreferencesOut(PreferencesIn):
    saved: bool = Field(description="False: never chosen; the usual applies.")


def notifications_api_router(notifications: Notifications, acting: ActingOnline) -> APIRouter:
    router = APIRouter(prefix="/api/v1/me", tags=["notifications"], responses=_ERRORS)
    language = language_parameter(notifications.languages)

    def out(message: Message, lang: str) -> MessageOut:
        filled = notifications.written(message, lang)
        return MessageOut(
            id=message.id,
            subject=filled.subject if filled else "",
            body=filled.body if filled else "",
            action=filled.action if filled else "",
            link=message.link,
            sent_at=message.created_at.isoformat(),
            read_at=message.read_at.isoformat() if message.read_at else None,
            deliveries=[
                DeliveryOut(
                    channel=d.channel.value,
                    state=d.state.value,
                    language=d.language,
                    attempts=d.attempts,
                    sent_at=d.sent_at.isoformat() if d.sent_at else None,
                    problem=d.problem,
                )
                for d in message.deliveries
            ],
        )

    @router.get("/messages", summary="My messages")
    async def messages(request: Request, lang: str = Depends(language)) -> MessagesOut:
        subject = subject_of(request)
        acting.record(subject, READ)
        found = notifications.messages(subject.national_id)
        return MessagesOut(messages=[out(m, lang) for m in found])

    @router.get("/messages/{message_id}", summary="One of my messages (noted as read)")
    async def message(
        request: Request, message_id: str = MESSAGE_ID, lang: str = Depends(language)
    ) -> MessageOut:
        subject = subject_of(request)
        found = notifications.read(subject.national_id, message_id)
        acting.record(subject, READ)
        return out(found, lang)

    @router.get("/notification-preferences", summary="How I am told")
    async def preferences(request: Request) -> PreferencesOut:
        subject = subject_of(request)
        saved = notifications.preferences(subject.national_id)
        return _preferences(saved or notifications.usual(), saved is not None)

    @router.put(
        "/notification-preferences",
        summary="Choose how I am told",
        openapi_extra={  # read after the session is checked: 401 comes before any 400
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": PreferencesIn.model_json_schema()}},
            }
        },
    )
    async def choose(request: Request) -> PreferencesOut:
        subject = subject_of(request)
        chosen = notifications.choose(subject.national_id, _answers(await request.body()))
        acting.record(subject, CHOSE)
        return _preferences(chosen, True)

    return router


def _preferences(chosen: Preferences, saved: bool) -> PreferencesOut:
    return PreferencesOut(
        email=chosen.email,
        email_on=chosen.email_on,
        letters_on=chosen.letters_on,
        language=chosen.language,
        saved=saved,
    )


def _answers(body: bytes) -> dict[str, str | bool]:
    """The JSON object's answers; each of the wrong type named (the domain checks values)."""
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise InvalidInput(
            N_("Send your choices as a JSON object."),
            hint=N_("Give the fields {fields}."),
            params={"fields": ", ".join(FIELDS)},
            errors=(FieldError(("body",), N_("Not a JSON object.")),),
        )
    answers: dict[str, str | bool] = {}
    problems = []
    for name, usual in (("email", ""), ("email_on", False), ("letters_on", True), ("language", "")):
        value = document.get(name, usual)
        if isinstance(usual, bool) and not isinstance(value, bool):
            problems.append(FieldError((name,), N_("Give true or false.")))
        elif isinstance(usual, str) and not isinstance(value, str):
            problems.append(FieldError((name,), N_("Give it as text.")))
        else:
            answers[name] = value[:300] if isinstance(value, str) else value
    refuse_if_any(problems)
    return answers
