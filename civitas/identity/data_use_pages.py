"""The "who used my data" page: every use of the person's data, newest first.

``GET /{lang}/who-used-my-data`` needs a substantial sign-in: the list itself says a lot
about a person. The same list as JSON is ``GET /api/v1/me/data-use`` (civitas.identity.api).
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from civitas.core.text import pick
from civitas.identity.assurance import Level
from civitas.identity.data_use import DataUse, Use
from civitas.identity.web import require_session
from civitas.web import Renderer
from civitas.web.languages import page_language

NEEDED = Level.SUBSTANTIAL
PATH = "who-used-my-data"


def data_use_router(
    data_use: DataUse, renderer: Renderer, organisation_names: Mapping[str, Mapping[str, str]]
) -> APIRouter:
    router = APIRouter()
    languages = renderer.site.languages

    @router.get(f"/{{lang}}/{PATH}", response_class=HTMLResponse, include_in_schema=False)
    async def page(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request, NEEDED)
        report = await data_use.of(session.person.national_id)
        return renderer.page(
            request,
            "identity/data_use.html",
            {
                "report": report,
                "unanswered": [pick(register.name, lang) for register in report.unanswered],
                "organisation": lambda code: pick(organisation_names.get(code, {}), lang) or code,
                "item": lambda use, column: _item(use, column, lang),
            },
        )

    return router


def _item(use: Use, column: str, lang: str) -> str:
    """What a data item holds, in words: the register's own description of the column."""
    described = pick(use.register.items.get(column, {}), lang)
    return described.rstrip(".") if described else column.replace("_", " ")
