"""The "who used my data" page: every use of the person's data, newest first.

``GET /{lang}/who-used-my-data`` needs a substantial sign-in: the list itself says a lot
about a person. The same list as JSON is ``GET /api/v1/me/data-use`` (civitas.identity.api).

While acting for a child or a company, it is theirs, and reading it is recorded as an
act done for them. A granted mandate names services and does not open this record.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from civitas.core.text import pick
from civitas.identity.acting import ActingOnline
from civitas.identity.assurance import Level
from civitas.identity.data_use import DataUse, Use, data_use_of
from civitas.identity.web import require_subject
from civitas.web import Renderer
from civitas.web.languages import page_language

NEEDED = Level.SUBSTANTIAL
PATH = "who-used-my-data"


def data_use_router(
    data_use: DataUse,
    acting: ActingOnline,
    renderer: Renderer,
    organisation_names: Mapping[str, Mapping[str, str]],
) -> APIRouter:
    router = APIRouter()
    languages = renderer.site.languages

    @router.get(f"/{{lang}}/{PATH}", response_class=HTMLResponse, include_in_schema=False)
    async def page(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        subject = require_subject(request, NEEDED)
        report = await data_use_of(data_use, acting, subject)
        return renderer.page(
            request,
            "identity/data_use.html",
            {
                "report": report,
                "subject": subject,
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
