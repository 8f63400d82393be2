"""Every error of the provider, answered the way its reader expects, never as a traceback.

- OAuth errors at ``/token`` and ``/userinfo``: the JSON of RFC 6749 5.2 / RFC 6750 3,
  with ``WWW-Authenticate`` on 401;
- authorization errors the client must hear about: a redirect to its registered
  address with ``error``, ``error_description``, ``state`` and ``iss`` (RFC 9207);
- everything a person must read: a page in their language saying what to do next.
"""

from __future__ import annotations

import html
import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from civitas.core.errors import CivitasError, FieldError, InvalidInput
from civitas.core.i18n import N_
from civitas.identity.provider.pages import Pages
from civitas.identity.provider.protocol import OAuthError, RedirectedError, redirect_to
from civitas.web.limits import Refusal

log = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}  # RFC 6749 5.1
_BY_STATUS = {
    404: (
        N_("We cannot find that page."),
        N_("Check the address, or start again from the home page."),
    ),
    405: (N_("That action is not possible on this page."), N_("Go back and try again.")),
    413: (N_("What you sent is too large."), N_("Send something smaller.")),
}


def install_provider_error_handlers(app: FastAPI, pages: Pages, issuer: str) -> None:
    async def oauth_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, OAuthError)
        if isinstance(exc, RedirectedError):
            answer = {"error": exc.error, "error_description": exc.description}
            answer |= {"state": exc.state} if exc.state else {}
            return RedirectResponse(redirect_to(exc.redirect_uri, {**answer, "iss": issuer}), 303)
        headers = dict(NO_STORE)
        if exc.status == 401:
            scheme = "Bearer" if exc.error == "invalid_token" else "Basic"
            headers["WWW-Authenticate"] = f'{scheme} realm="{issuer}", error="{exc.error}"'
        body = {"error": exc.error, "error_description": exc.description}
        return JSONResponse(body, exc.status, headers=headers)

    async def civitas_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, CivitasError)
        return error_page(pages, request, exc)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = tuple(
            FieldError(tuple(str(p) for p in e["loc"]), str(e["msg"])) for e in exc.errors()
        )
        problem = InvalidInput(
            N_("Some of what you sent cannot be used."),
            hint=N_("Correct the fields listed and try again."),
            errors=errors,
        )
        return error_page(pages, request, problem)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message, hint = _BY_STATUS.get(
            exc.status_code, (N_("Something went wrong with that request."), N_("Try again."))
        )
        response = error_page(pages, request, CivitasError(message, hint, status=exc.status_code))
        response.headers.update(exc.headers or {})
        return response

    async def unexpected_error(request: Request, exc: Exception) -> Response:
        log.exception("Unexpected error on %s %s", request.method, request.url.path)
        problem = CivitasError(
            N_("Sorry, something went wrong on our side."),
            hint=N_("Try again in a few minutes. If it keeps happening, contact us."),
            status=500,
        )
        return error_page(pages, request, problem)

    app.add_exception_handler(OAuthError, oauth_error)
    app.add_exception_handler(CivitasError, civitas_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)


def error_page(pages: Pages, request: Request, error: CivitasError) -> Response:
    language = pages.language(request)
    message, hint = error.render(pages.renderer.translator(language).gettext)
    context = {
        "status": error.status,
        "message": message,
        "hint": hint,
        "field_errors": error.errors if isinstance(error, InvalidInput) else (),
    }
    try:
        return pages.page(
            request, "identity/provider_error.html", context, language, status=error.status
        )
    except Exception:
        # The error page itself failed: still answer with the message, never a traceback.
        log.exception("The error page could not be rendered")
        text = f"<h1>{html.escape(message)}</h1><p>{html.escape(hint)}</p>"
        page = f'<!doctype html><html lang="{language}"><title>{html.escape(message)}</title>'
        return HTMLResponse(page + text, status_code=error.status)


def too_large(pages: Pages) -> Refusal:
    """The 413 answer of the body size limit, as a page like every other error."""

    def refuse(request: Request, max_bytes: int) -> Response:
        message, hint = _BY_STATUS[413]
        return error_page(pages, request, CivitasError(message, hint, status=413))

    return refuse
