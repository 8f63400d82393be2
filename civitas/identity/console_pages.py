"""The assisted console's pages, and the page where a person makes a one-time code.

For the person (a substantial sign-in, as for mandates):

- ``GET /{lang}/account/consent-codes``: their codes (in use, used by whom, ended) and
  the form to make one; ``POST`` makes one and shows it once (only its hash is kept);
- ``POST /{lang}/account/consent-codes/{id}/cancel``.

For desk and phone staff (a substantial sign-in and the desk agent's permissions):

- ``GET /{lang}/console``: the serving banner and what it covers, or the search form;
- ``GET /{lang}/console/find?national_id=...``: the person's name, and how to open;
- ``POST /{lang}/console/serve``: open with the code the person reads out, or a mandate;
- ``POST /{lang}/console/look-up`` and ``/{lang}/console/close``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.responses import Response

from civitas.core.errors import CivitasError, InvalidInput
from civitas.identity.assurance import Level
from civitas.identity.consent_codes import Serving, spaced
from civitas.identity.console import ConsentCodes, Console, Found, MadeCode
from civitas.identity.pages import field_errors, service_choices
from civitas.identity.staff import Permission
from civitas.identity.web import require_session
from civitas.web import Renderer
from civitas.web.languages import page_language

NEEDED = Level.SUBSTANTIAL
NO_STORE = {"Cache-Control": "no-store"}  # pages naming a person, or showing a code


def console_router(
    console: Console,
    codes: ConsentCodes,
    renderer: Renderer,
    service_names: Mapping[str, Mapping[str, str]],
) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)
    languages = renderer.site.languages

    # -- the person's codes ----------------------------------------------------------

    def codes_page(
        request: Request,
        lang: str,
        made: MadeCode | None = None,
        problem: InvalidInput | None = None,
        chosen: list[str] | None = None,
    ) -> Response:
        session = require_session(request, NEEDED)
        return renderer.page(
            request,
            "identity/console_codes.html",
            {
                **service_choices(service_names, lang),
                "codes": codes.of(session.person),
                "now": codes.clock.now(),
                "made": made,
                "spaced": spaced,
                "chosen": chosen or [],
                "errors": field_errors(problem),
                "done": request.query_params.get("done", ""),
            },
            status_code=problem.status if problem else 200,
        )

    @router.get("/{lang}/account/consent-codes")
    async def show_codes(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        return codes_page(request, lang)

    @router.post("/{lang}/account/consent-codes")
    async def make_code(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        form = await request.form()
        chosen = [str(value)[:200] for value in form.getlist("services")][:200]
        try:
            made = codes.make(session.person, chosen)
        except InvalidInput as problem:
            return codes_page(request, lang, problem=problem, chosen=chosen)
        response = codes_page(request, lang, made=made)
        response.headers.update(NO_STORE)
        return response

    @router.post("/{lang}/account/consent-codes/{code_id}/cancel")
    async def cancel_code(request: Request, lang: str, code_id: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        codes.cancel(session.person, code_id[:64])
        return RedirectResponse(f"/{lang}/account/consent-codes?done=cancelled", 303)

    # -- the console -----------------------------------------------------------------

    def console_page(
        request: Request,
        lang: str,
        template: str,
        context: Mapping[str, Any],
        status_code: int = 200,
    ) -> Response:
        response = renderer.page(
            request,
            f"identity/{template}",
            {**service_choices(service_names, lang), **context},
            status_code=status_code,
        )
        response.headers.update(NO_STORE)
        return response

    @router.get("/{lang}/console")
    async def home(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        console.member(session.person)
        serving = console.current(session)
        return console_page(
            request,
            lang,
            "console_home.html",
            _home_context(serving, done=request.query_params.get("done", "")),
        )

    @router.get("/{lang}/console/find")
    async def find(
        request: Request, lang: str, national_id: str = Query("", max_length=40)
    ) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        console.member(session.person)
        try:
            found = await console.find(session.person, national_id)
        except InvalidInput as problem:
            context = _home_context(None, errors=field_errors(problem), national_id=national_id)
            return console_page(request, lang, "console_home.html", context, problem.status)
        return console_page(request, lang, "console_find.html", _find_context(found))

    @router.post("/{lang}/console/serve")
    async def serve(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        console.member(session.person, Permission.ACT_FOR_PERSON)
        form = await request.form()
        national_id = str(form.get("national_id", ""))[:40]
        code = str(form.get("code", ""))[:40]
        try:
            console.open(session, national_id, code)
        except CivitasError as problem:
            context = {
                **_find_context(Found(national_id, str(form.get("name", ""))[:200] or None)),
                "problem": problem,
                "errors": field_errors(problem),
            }
            return console_page(request, lang, "console_find.html", context, problem.status)
        return RedirectResponse(f"/{lang}/console?done=opened", 303)

    @router.post("/{lang}/console/look-up")
    async def look_up(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        console.member(session.person, Permission.ACT_FOR_PERSON)
        found = await console.look_up(session)
        context = _home_context(console.current(session), looked_up=found)
        return console_page(request, lang, "console_home.html", context)

    @router.post("/{lang}/console/close")
    async def close(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        console.member(session.person, Permission.ACT_FOR_PERSON)
        console.close(session)
        return RedirectResponse(f"/{lang}/console?done=closed", 303)

    return router


def _home_context(serving: Serving | None, **given: Any) -> dict[str, Any]:
    return {
        "serving": serving,
        "looked_up": None,
        "errors": {},
        "done": "",
        "national_id": "",
        **given,
    }


def _find_context(found: Found) -> dict[str, Any]:
    return {"found": found, "problem": None, "errors": {}, "code": ""}
