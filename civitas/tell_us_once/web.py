"""Tell-us-once pages: parse, call :class:`TellUsOnce`, render; nothing else.

- ``GET /{lang}/change-of-address``: the address the register holds, the form for the
  new one (and the agencies that will be told), and the addresses told before;
- ``POST /{lang}/change-of-address``: keep it, deliver it, show where it went;
- ``GET /{lang}/change-of-address/{reference}``: each agency and whether it was told.

The change of address service's level of assurance applies. While acting for someone
(a child, a person under a mandate covering this service), it is their move, and telling
and looking are recorded as acts done for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from civitas.catalogue import Catalogue
from civitas.core.errors import InvalidInput
from civitas.core.i18n import N_
from civitas.core.text import pick
from civitas.identity import ActingOnline, Level, Subject, not_covered, require_subject
from civitas.tell_us_once.domain import FIELDS, SERVICE_ID
from civitas.tell_us_once.services import TellUsOnce
from civitas.web import Renderer
from civitas.web.languages import page_language

LocalText = Mapping[str, str]
PATH = SERVICE_ID

TOLD = N_("Told the state a new address")  # an act done for someone, as they read it
LOOKED = N_("Looked at the addresses told")


def tell_us_once_router(
    tell_us_once: TellUsOnce,
    catalogue: Catalogue,
    organisations: Mapping[str, LocalText],
    registers: Mapping[str, LocalText],
    acting: ActingOnline,
    renderer: Renderer,
    level: Level,
    wake_courier: Callable[[], None],
) -> APIRouter:
    """``organisations``: each organisation's name by its code; ``registers``: each
    register's name by its exchange party (``member/subsystem``); ``level``: the service's
    level of assurance; ``wake_courier`` asks the courier to deliver now."""
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
    languages = renderer.site.languages
    service = catalogue.services[SERVICE_ID]

    def subject_of(request: Request, lang: str) -> Subject:
        subject = require_subject(request, level)
        if not subject.covers(SERVICE_ID):
            assert subject.representation is not None
            covered = [
                pick(catalogue.services[s].name, lang)
                for s in subject.representation.services or ()
                if s in catalogue.services
            ]
            raise not_covered(subject.representation, pick(service.name, lang), covered)
        return subject

    def organisation(lang: str) -> Callable[[str], str]:
        return lambda member: pick(organisations.get(member, {}), lang) or member

    async def form_page(
        request: Request,
        lang: str,
        subject: Subject,
        sent: Mapping[str, str],
        problem: InvalidInput | None = None,
    ) -> Response:
        current = await tell_us_once.current_address(subject.national_id, subject.actor.national_id)
        return renderer.page(
            request,
            "tell_us_once/form.html",
            {
                "service": service,
                "subject": subject,
                "current": current,
                "sent": sent,
                "errors": {e.dotted_path: e.message for e in problem.errors} if problem else {},
                "recipients": list(dict.fromkeys(s.split("/")[0] for s in tell_us_once.recipients)),
                "organisation": organisation(lang),
                "changes": tell_us_once.changes(subject.national_id),
            },
            status_code=400 if problem else 200,
        )

    @router.get(f"/{{lang}}/{PATH}")
    async def start(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request, lang)
        acting.record(subject, LOOKED, SERVICE_ID)
        return await form_page(request, lang, subject, {})

    @router.post(f"/{{lang}}/{PATH}")
    async def tell(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request, lang)
        form = await request.form()
        sent = {name: str(form.get(name, ""))[:200] for name in FIELDS}
        try:
            change = tell_us_once.tell(subject.national_id, subject.actor.national_id, sent)
        except InvalidInput as problem:
            return await form_page(request, lang, subject, sent, problem)
        acting.record(subject, TOLD, SERVICE_ID)
        wake_courier()
        return RedirectResponse(f"/{lang}/{PATH}/{change.id}", 303)

    @router.get(f"/{{lang}}/{PATH}/{{reference}}")
    async def followed(request: Request, lang: str, reference: str) -> Response:
        page_language(lang, languages)
        subject = subject_of(request, lang)
        change = tell_us_once.change(subject.national_id, reference[:40])
        return renderer.page(
            request,
            "tell_us_once/change.html",
            {
                "service": service,
                "subject": subject,
                "change": change,
                "organisation": organisation(lang),
                "register": lambda service: pick(
                    registers.get(service.rsplit("/", 1)[0], {}), lang
                ),
            },
        )

    return router
