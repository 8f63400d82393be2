"""The messages pages and the notification settings: parse, call :class:`Notifications`,
render; nothing else.

- ``GET /{lang}/messages``: the person's messages, newest first, the unread ones marked;
- ``GET /{lang}/messages/{message_id}``: one message, noted as read, and how it went
  out (email sent, letter printed, ...); someone else's is 404;
- ``GET|POST /{lang}/account/notifications``: how the person wants to be told (email
  address, email and letters on or off, language); answers to correct are shown with
  the error summary (400, nothing kept), a saved choice with a confirmation.

A substantial sign-in is needed. While acting for a child or a company, they are theirs,
and reading and choosing are recorded as acts done for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from civitas.core.errors import InvalidInput
from civitas.core.i18n import locale_for
from civitas.identity import ActingOnline, Subject
from civitas.notifications.access import CHOSE, READ, subject_of
from civitas.notifications.domain import Message
from civitas.notifications.services import Notifications
from civitas.notifications.templates import Filled
from civitas.web import Renderer
from civitas.web.languages import page_language

MESSAGES = "messages"
SETTINGS = "account/notifications"


def notifications_router(
    notifications: Notifications, acting: ActingOnline, renderer: Renderer
) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
    languages = renderer.site.languages

    def helpers(lang: str) -> dict[str, object]:
        def written(message: Message) -> Filled | None:
            return notifications.written(message, lang)

        def when(moment: dt.datetime) -> str:
            return str(format_date(moment.date(), format="long", locale=locale_for(lang)))

        return {"written": written, "when": when}

    @router.get(f"/{{lang}}/{MESSAGES}")
    async def messages(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request)
        acting.record(subject, READ)
        found = notifications.messages(subject.national_id)
        context = {"subject": subject, "messages": found, **helpers(lang)}
        return renderer.page(request, "notifications/messages.html", context)

    @router.get(f"/{{lang}}/{MESSAGES}/{{message_id}}")
    async def message(request: Request, lang: str, message_id: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request)
        found = notifications.read(subject.national_id, message_id[:40])
        acting.record(subject, READ)
        filled = notifications.written(found, lang)
        context = {"subject": subject, "message": found, "filled": filled, **helpers(lang)}
        return renderer.page(request, "notifications/message.html", context)

    def settings_page(
        request: Request,
        subject: Subject,
        typed: Mapping[str, object] | None = None,
        problem: InvalidInput | None = None,
    ) -> Response:
        saved = notifications.preferences(subject.national_id)
        usual = notifications.usual()
        shown = saved or usual
        switches = (("email", shown.email_on), ("letter", shown.letters_on))
        chosen = {
            "email": shown.email,
            "channels": [channel for channel, on in switches if on],
            "language": shown.language,
        }
        return renderer.page(
            request,
            "notifications/preferences.html",
            {
                "subject": subject,
                "saved": saved,
                "usual": usual,
                "chosen": typed or chosen,
                "languages": languages,
                "errors": {e.dotted_path: e.message for e in problem.errors} if problem else {},
                "done": request.query_params.get("saved") == "1" and problem is None,
            },
            status_code=400 if problem else 200,
        )

    @router.get(f"/{{lang}}/{SETTINGS}")
    async def settings(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        return settings_page(request, subject_of(request))

    @router.post(f"/{{lang}}/{SETTINGS}")
    async def choose(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request)
        form = await request.form()
        channels = [str(value)[:10] for value in form.getlist("channels")]
        email = str(form.get("email", ""))[:300]
        language = str(form.get("language", ""))[:10]
        typed = {"email": email, "channels": channels, "language": language}
        answers: dict[str, str | bool] = {
            "email": email,
            "email_on": "email" in channels,
            "letters_on": "letter" in channels,
            "language": language,
        }
        try:
            notifications.choose(subject.national_id, answers)
        except InvalidInput as problem:
            return settings_page(request, subject, typed, problem)
        acting.record(subject, CHOSE)
        return RedirectResponse(f"/{lang}/{SETTINGS}?saved=1", 303)

    return router
