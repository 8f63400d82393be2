"""The consents page: what organisations ask to see, and the person's answers.

- ``GET /{lang}/account/consents``: every consent about the person and their children
  under 18, in plain words (who asks, why, which data, about whom, until when, what
  happened), with the registers that did not answer named;
- ``POST /{lang}/account/consents/{id}/grant|deny|withdraw``: answer one (the form
  names the register and whom it is about; both are checked), then back to the page.
  A last day that cannot be used is shown on the page with the error summary.

Answering decides who may see a person's data: it needs a substantial sign-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from civitas.consents.domain import Action, Consent, Overview, State, Step, day_from_parts
from civitas.consents.services import Consents
from civitas.core.errors import InvalidInput
from civitas.core.i18n import locale_for
from civitas.core.text import LocalText, pick
from civitas.exchange import Purpose
from civitas.identity import Level, require_session
from civitas.web import Renderer
from civitas.web.languages import page_language

NEEDED = Level.SUBSTANTIAL
PATH = "account/consents"
PARTS = ("day", "month", "year")


def consents_router(
    consents: Consents,
    renderer: Renderer,
    organisations: Mapping[str, LocalText],
    purposes: Mapping[str, Purpose],
) -> APIRouter:
    """``organisations``: each organisation's name by its id (the exchange member code)."""
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
    languages = renderer.site.languages

    async def page(
        request: Request,
        lang: str,
        failed: str = "",
        typed: Mapping[str, str] | None = None,
        problem: InvalidInput | None = None,
    ) -> Response:
        session = require_session(request, NEEDED)
        overview = await consents.overview(session.person)
        errors = {f"until-{failed}-day": e.message for e in problem.errors} if problem else {}
        gettext = renderer.translator(lang).gettext
        lines = [problem.render(gettext)[0]] if problem else []
        today = consents.today()
        return renderer.page(
            request,
            "consents/consents.html",
            {
                **describe(overview, lang, organisations, purposes, session.person.national_id),
                "today": today,
                "failed": failed,
                "typed": typed or {},
                "errors": errors,
                "problem_lines": lines,
                "done": request.query_params.get("done", "")[:20],
                "last_days": {
                    r.party: (r.usual_last_day(today), r.latest_last_day(today))
                    for r in consents.registers
                },
            },
            status_code=400 if problem else 200,
        )

    @router.get(f"/{{lang}}/{PATH}")
    async def show(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        return await page(request, lang)

    @router.post(f"/{{lang}}/{PATH}/{{consent_id}}/{{action}}")
    async def answer(request: Request, lang: str, consent_id: str, action: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        form = await request.form()
        typed = {part: str(form.get(part, ""))[:10] for part in PARTS}
        last_day = day_from_parts(*typed.values()) if action == Action.GRANT else None
        try:
            await consents.decide(
                session.person,
                str(form.get("register", ""))[:200],
                str(form.get("about", ""))[:40],
                consent_id[:64],
                action[:20],
                last_day,
            )
        except InvalidInput as problem:
            if not any(e.path == ("valid_until",) for e in problem.errors):
                raise
            return await page(request, lang, consent_id[:64], typed, problem)
        return RedirectResponse(f"/{lang}/{PATH}?done={Action(action).value}", 303)

    return router


def describe(
    overview: Overview,
    lang: str,
    organisations: Mapping[str, LocalText],
    purposes: Mapping[str, Purpose],
    viewer: str,
) -> dict[str, object]:
    """The overview and the helpers that put each consent in the page's language."""

    def organisation(code: str) -> str:
        return pick(organisations.get(code, {}), lang) or code

    def purpose(purpose_id: str) -> str:
        found = purposes.get(purpose_id)
        return pick(found.label, lang) if found else purpose_id

    def item(consent: Consent, column: str) -> str:
        described = pick(consent.register.items.get(column, {}), lang)
        return described.rstrip(".") if described else column.replace("_", " ")

    def when(day: dt.date | dt.datetime) -> str:
        return str(format_date(day, format="long", locale=locale_for(lang)))

    def by(consent: Consent, step: Step) -> dict[str, str]:
        """Who made a change: the asking organisation, you, your child, or someone else."""
        if step.state is State.REQUESTED:
            return {"kind": "organisation", "name": organisation(consent.organisation)}
        if step.by == viewer:
            return {"kind": "you", "name": ""}
        if step.by == consent.about.national_id:
            return {"kind": "them", "name": consent.about.name}
        return {"kind": "other", "name": step.by}

    return {
        "overview": overview,
        "unanswered": [pick(r.name, lang) for r in overview.unanswered],
        "organisation": organisation,
        "purpose": purpose,
        "legal_basis": lambda pid: purposes[pid].legal_basis if pid in purposes else None,
        "register_name": lambda consent: pick(consent.register.name, lang),
        "item": item,
        "when": when,
        "by": by,
    }
