"""Translate every error, once, into an HTML page or the one JSON error shape.

JSON (under ``/api/``)::

    {"ok": false, "status": 404, "error": "...", "hint": "...",
     "errors": [{"path": "query.q", "message": "..."}]}

HTML: the shared error page, in the reader's language, saying what happened and
what to do next. Unexpected failures are logged and shown as a plain apology
with no internals.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import compile_path

from civitas.core.errors import (
    CivitasError,
    FieldError,
    InvalidInput,
    NotAllowed,
    NotFound,
    PayloadTooLarge,
)
from civitas.core.i18n import N_
from civitas.web.rendering import Renderer, current_language

log = logging.getLogger(__name__)

_BY_STATUS = {
    404: (
        N_("We cannot find that page."),
        N_("Check the address, or start again from the home page."),
    ),
    405: (N_("That action is not possible on this page."), N_("Go back and try again.")),
    413: (N_("What you sent is too large."), N_("Send something smaller.")),
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI, renderer: Renderer) -> None:
    _install(app, lambda request, error: render_error(request, renderer, error))


def install_json_error_handlers(app: FastAPI) -> None:
    """The one JSON error shape on every path, for services without pages (registry nodes)."""
    _install(app, lambda _request, error: JSONResponse(error_body(error), error.status))


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app answers at the request's path."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        pattern, _format, _convertors = compile_path(str(route.path))
        if route.methods and pattern.match(request.url.path):
            methods |= set(route.methods)
    return sorted(methods)


def _install(app: FastAPI, render: Callable[[Request, CivitasError], Response]) -> None:
    async def civitas_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CivitasError)
        return render(request, exc)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = tuple(
            FieldError(path=tuple(str(p) for p in e["loc"]), message=str(e["msg"]))
            for e in exc.errors()
        )
        problem = InvalidInput(
            N_("Some of what you sent cannot be used."),
            hint=N_("Correct the fields listed and try again."),
            errors=errors,
        )
        return render(request, problem)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message, hint = _BY_STATUS.get(
            exc.status_code, (N_("Something went wrong with that request."), N_("Try again."))
        )
        problem = CivitasError(message, hint=hint, status=exc.status_code)
        response = render(request, problem)
        response.headers.update(exc.headers or {})  # e.g. Allow on 405, required by RFC 9110
        if exc.status_code == 405:  # Starlette names only the first route of the path
            response.headers["Allow"] = ", ".join(_allowed_methods(request))
        return response

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("Unexpected error on %s %s", request.method, request.url.path)
        problem = CivitasError(
            N_("Sorry, something went wrong on our side."),
            hint=N_("Try again in a few minutes. If it keeps happening, contact us."),
            status=500,
        )
        return render(request, problem)

    app.add_exception_handler(CivitasError, civitas_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)


def refuse_too_large(renderer: Renderer) -> Callable[[Request, int], Response]:
    """The 413 answer of the body size limit, as a page or JSON like every other error."""

    def refuse(request: Request, max_bytes: int) -> Response:
        problem = PayloadTooLarge(
            N_("What you sent is too large."),
            hint=N_("Send at most {max_bytes} bytes."),
            params={"max_bytes": max_bytes},
        )
        return render_error(request, renderer, problem)

    return refuse


def refuse_forged_form(renderer: Renderer) -> Callable[[Request], Response]:
    """The 403 answer to a form without this browser's token (civitas.web.csrf)."""

    def refuse(request: Request) -> Response:
        problem = NotAllowed(
            N_("We could not accept this form."),
            hint=N_(
                "It may have been open too long, or sent from another website. Go back, "
                "reload the page and send it again."
            ),
        )
        return render_error(request, renderer, problem)

    return refuse


def error_body(error: CivitasError, gettext: Callable[[str], str] = str) -> dict[str, Any]:
    """The one JSON error shape."""
    message, hint = error.render(gettext)
    field_errors = error.errors if isinstance(error, InvalidInput) else ()
    return {
        "ok": False,
        "status": error.status,
        "error": message,
        "hint": hint,
        "errors": [{"path": e.dotted_path, "message": gettext(e.message)} for e in field_errors],
    }


def render_error(request: Request, renderer: Renderer, error: CivitasError) -> Response:
    language = current_language(request, renderer.site)
    gettext = renderer.translator(language).gettext
    message, hint = error.render(gettext)
    field_errors = error.errors if isinstance(error, InvalidInput) else ()
    if is_api(request):
        return JSONResponse(error_body(error, gettext), status_code=error.status)
    try:
        return renderer.page(
            request,
            "web/error.html",
            {
                "status": error.status,
                "message": message,
                "hint": hint,
                "field_errors": field_errors,
                "not_found": isinstance(error, NotFound) or error.status == 404,
            },
            language=language,
            status_code=error.status,
        )
    except Exception:
        # The error page itself failed: still answer with the message, never a traceback.
        log.exception("The error page could not be rendered")
        text = f"<h1>{html.escape(message)}</h1><p>{html.escape(hint)}</p>"
        page = f'<!doctype html><html lang="{language}"><title>{html.escape(message)}</title>'
        return HTMLResponse(page + text, status_code=error.status)
