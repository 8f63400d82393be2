"""The mandates page: who may act for you, whom you may act for, and what was done for you.

- ``GET /{lang}/mandates``: mandates given and offered, people and companies you may
  act for, the acts done for you, and the form to give a mandate;
- ``POST /{lang}/mandates``: give one (field errors shown on the page, nothing stored);
- ``POST /{lang}/mandates/{id}/accept|decline|revoke``;
- ``POST /{lang}/act-for``: act online for a person or company listed (``national_id``,
  ``ground`` and, for a granted mandate, ``mandate_id``), checked before anything is kept;
- ``POST /{lang}/act-for/stop``: back to one's own affairs.

Managing mandates and starting to act need a substantial sign-in: it decides who may
see and do what. Stopping needs any sign-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from civitas.core.errors import ExternalServiceUnavailable, InvalidInput
from civitas.identity.acting import ActingOnline
from civitas.identity.assurance import Level
from civitas.identity.domain import Person
from civitas.identity.mandates import Representation, no_such_mandate
from civitas.identity.pages import field_errors, service_choices
from civitas.identity.representation import Mandates
from civitas.identity.web import acting_of, require_session
from civitas.web import Renderer
from civitas.web.languages import page_language

MANAGING = Level.SUBSTANTIAL
ANSWERS = ("accept", "decline", "revoke")


def mandates_router(
    mandates: Mandates,
    acting: ActingOnline,
    renderer: Renderer,
    service_names: Mapping[str, Mapping[str, str]],
) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
    languages = renderer.site.languages

    async def page(
        request: Request,
        lang: str,
        fields: Mapping[str, object] | None = None,
        problem: InvalidInput | None = None,
    ) -> Response:
        session = require_session(request, MANAGING)
        person = session.person
        # each register on its own: one that is down hides only what it would have said
        children, children_answered = await _asked(mandates.children, person)
        companies, companies_answered = await _asked(mandates.companies, person)
        return renderer.page(
            request,
            "identity/mandates.html",
            {
                "given": mandates.given(person),
                "received": mandates.received(person),
                "representations": [*mandates.granted(person), *children, *companies],
                "children_answered": children_answered,
                "companies_answered": companies_answered,
                "acts": mandates.acts_for(person),
                "today": mandates.today(),
                **service_choices(service_names, lang),
                "fields": fields or {},
                "errors": field_errors(problem),
                "done": request.query_params.get("done", ""),
            },
            status_code=400 if problem else 200,
        )

    @router.get("/{lang}/mandates")
    async def show(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        return await page(request, lang)

    @router.post("/{lang}/mandates")
    async def give(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, MANAGING)
        form = await request.form()
        delegate = str(form.get("delegate", ""))[:40]
        services = [str(value)[:200] for value in form.getlist("services")][:200]
        last_day = _date(str(form.get("valid_until", "")))
        try:
            mandates.grant(session.person, delegate, services, last_day)
        except InvalidInput as problem:
            fields = {"delegate": delegate, "services": services, "valid_until": last_day}
            return await page(request, lang, fields, problem)
        return RedirectResponse(f"/{lang}/mandates?done=given", 303)

    @router.post("/{lang}/mandates/{mandate_id}/{answer}")
    async def change(request: Request, lang: str, mandate_id: str, answer: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, MANAGING)
        if answer not in ANSWERS:
            raise no_such_mandate()
        getattr(mandates, answer)(session.person, mandate_id[:64])
        return RedirectResponse(f"/{lang}/mandates?done={answer}", 303)

    @router.post("/{lang}/act-for")
    async def act_for(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, MANAGING)
        form = await request.form()
        await acting.begin(
            session,
            str(form.get("national_id", ""))[:64],
            str(form.get("ground", ""))[:16],
            str(form.get("mandate_id", ""))[:64],
        )
        return RedirectResponse(f"/{lang}/mandates?done=acting", 303)

    @router.post("/{lang}/act-for/stop")
    async def stop_acting(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request)
        acting.stop(session, acting_of(request))
        return RedirectResponse(f"/{lang}/mandates?done=stopped", 303)

    return router


async def _asked(
    ask: Callable[[Person], Awaitable[list[Representation]]], person: Person
) -> tuple[list[Representation], bool]:
    """What one register says (and True), or nothing (and False) when it did not answer."""
    try:
        return await ask(person), True
    except ExternalServiceUnavailable:
        return [], False


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
