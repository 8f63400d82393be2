"""Sign-in pages and the session cookie: parse, call :class:`Identity`, answer.

- ``GET /{lang}/sign-in`` starts a sign-in (or lists the ways to sign in);
- ``GET /sign-in/callback`` is where providers send people back;
- ``POST /{lang}/sign-out`` and ``/{lang}/sign-out-everywhere`` end sessions;
- ``GET /{lang}/account`` shows who is signed in, how surely, and on which devices
  (``GET /api/v1/me`` in :mod:`civitas.identity.api` says it as JSON).

Pages that need a signed-in person call :func:`require_session`; what it raises is
answered here: a browser is sent to sign in (or shown why a surer sign-in is needed),
an API client gets 401 in the one JSON error shape.

A session may act for someone else (:mod:`civitas.identity.acting`). The session
loader checks that again on every request but those for design files, and keeps the
answer for the layout's banner (:func:`acting_of`); pages that deal with a person's
affairs ask :func:`require_subject` whose they are: the person's own, or those of whom
they act for, refused when that just ended or could not be checked.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from civitas.core.errors import CivitasError
from civitas.core.i18n import N_
from civitas.identity.acting import ActingOnline
from civitas.identity.assurance import Level
from civitas.identity.domain import Session, SignInNeeded, Subject, sign_in_needed
from civitas.identity.mandates import Acting, ActingStatus, acting_ended, acting_unchecked
from civitas.identity.services import Identity, SignedIn
from civitas.web import Renderer
from civitas.web.csrf import new_token, token_cookie
from civitas.web.errors import error_body, is_api
from civitas.web.languages import page_language
from civitas.web.rendering import current_language

COOKIE = "civitas_session"
CALLBACK_PATH = "/sign-in/callback"
_STATE_KEY = "session"
_ACTING_KEY = "acting"  # the layout's banner reads it too (civitas.web.rendering)
FILES = ("/static/", "/theme/")  # design files: no one's affairs, nothing to check


def session_of(request: Request) -> Session | None:
    """The signed-in person's session for this request, if any."""
    found = request.scope.get("state", {}).get(_STATE_KEY)
    return found if isinstance(found, Session) else None


def require_session(request: Request, level: Level = Level.LOW) -> Session:
    """The session, at ``level`` or surer; otherwise the person is asked to sign in."""
    session = session_of(request)
    if session is None or session.level < level:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise sign_in_needed(level, path, session.level if session else Level.NONE)
    return session


def acting_of(request: Request) -> Acting | None:
    """Whom the session acts for, as checked for this request; None for no one."""
    found = request.scope.get("state", {}).get(_ACTING_KEY)
    return found if isinstance(found, Acting) else None


def require_subject(request: Request, level: Level = Level.LOW) -> Subject:
    """Whose affairs this page deals with: the signed-in person's (at ``level`` or surer),
    or, while they act for someone, that someone's, checked for this very request."""
    session = require_session(request, level)
    acting = acting_of(request)
    if acting is None:
        if session.acting is not None:  # never trust the session alone
            raise acting_unchecked(session.acting)
        return Subject(session.person)
    if acting.status is ActingStatus.ENDED:
        raise acting_ended(acting.acting_for)
    if acting.representation is None:
        raise acting_unchecked(acting.acting_for)
    return Subject(session.person, acting.representation)


class SessionLoader:
    """ASGI middleware: finds the session of the request's cookie, once per request,
    and checks again whom it acts for (a revoked mandate ends the acting here)."""

    def __init__(self, app: ASGIApp, identity: Identity, acting: ActingOnline | None) -> None:
        self.app = app
        self.identity = identity
        self.acting = acting

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = scope.setdefault("state", {})
            session = self.identity.current(Request(scope).cookies.get(COOKIE))
            if session is not None and not str(scope["path"]).startswith(FILES):
                session = await self._check_acting(session, state)
            state[_STATE_KEY] = session
        await self.app(scope, receive, send)

    async def _check_acting(self, session: Session, state: dict[str, object]) -> Session:
        """The session, no longer acting for anyone when that just ended."""
        if self.acting is None or session.acting is None:
            return session
        acting = await self.acting.check(session)
        state[_ACTING_KEY] = acting
        if acting is not None and acting.status is ActingStatus.ENDED:
            return replace(session, acting=None)
        return session


def install_identity(
    app: FastAPI,
    identity: Identity,
    renderer: Renderer,
    portal_url: str,
    secure: bool,
    acting: ActingOnline | None = None,
) -> None:
    """Mount the sign-in routes, the session loader and the answer to SignInNeeded."""
    languages = renderer.site.languages
    lifetime = int(identity.rules.lifetime.total_seconds())
    app.add_middleware(SessionLoader, identity=identity, acting=acting)
    renderer.environment.globals["sign_in_path"] = "sign-in"

    async def needs_sign_in(request: Request, error: Exception) -> Response:
        assert isinstance(error, SignInNeeded)
        language = current_language(request, renderer.site)
        if is_api(request):
            gettext = renderer.translator(language).gettext
            return JSONResponse(error_body(error, gettext), 401, {"WWW-Authenticate": "Bearer"})
        if error.current is Level.NONE:
            return RedirectResponse(_sign_in_address(language, error.return_to, error.level), 303)
        return renderer.page(
            request,
            "identity/step_up.html",
            {"needed": error.level, "current": error.current, "return_to": error.return_to},
            language=language,
            status_code=403,
        )

    app.add_exception_handler(SignInNeeded, needs_sign_in)
    router = APIRouter()

    @router.get("/{lang}/sign-in", response_class=HTMLResponse, include_in_schema=False)
    async def sign_in(
        request: Request,
        lang: str,
        next: str = Query("", max_length=2000),
        level: str = Query("low", max_length=20),
        provider: str = Query("", max_length=64),
    ) -> Response:
        page_language(lang, languages)
        wanted = Level.named(level)
        return_to = next or f"/{lang}/account"
        choices = list(identity.providers.values())
        if provider or len(choices) == 1:
            chosen = provider or choices[0].id
            address = await identity.start(chosen, wanted, return_to, lang)
            return RedirectResponse(address, 303)
        return renderer.page(
            request,
            "identity/sign_in.html",
            {"providers": choices, "next": return_to, "level": wanted},
        )

    @router.get(CALLBACK_PATH, response_class=HTMLResponse, include_in_schema=False)
    async def callback(
        request: Request,
        code: str = Query("", max_length=2000),
        state: str = Query("", max_length=200),
        iss: str | None = Query(None, max_length=2000),
        error: str = Query("", max_length=200),
    ) -> Response:
        if error:
            identity.pending.take(state)  # that sign-in is over
            cancelled = error == "access_denied"
            raise CivitasError(
                N_("You cancelled the sign-in.")
                if cancelled
                else N_("The sign-in service did not sign you in."),
                hint=N_("You can start again from the sign-in page whenever you are ready."),
                status=400,
            )
        signed_in = await identity.finish(state, code, iss)
        return _after_sign_in(request, signed_in)

    def _after_sign_in(request: Request, signed_in: SignedIn) -> Response:
        if signed_in.reached_enough:
            response: Response = RedirectResponse(signed_in.return_to, 303)
        else:
            response = renderer.page(
                request,
                "identity/step_up.html",
                {
                    "needed": signed_in.asked,
                    "current": signed_in.session.level,
                    "return_to": signed_in.return_to,
                },
                language=signed_in.language,
                status_code=403,
            )
        _set_cookie(response, COOKIE, signed_in.token, lifetime, secure, same_site="lax")
        # a new session gets a new form token: one planted before sign-in is worthless
        response.headers.append("set-cookie", token_cookie(new_token(), secure))
        return response

    @router.post("/{lang}/sign-out", include_in_schema=False)
    async def sign_out(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = session_of(request)
        address = None
        if session is not None:
            address = await identity.sign_out(session, f"{portal_url}/")
        response = RedirectResponse(address or f"/{lang}/", 303)
        response.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
        return response

    @router.post("/{lang}/sign-out-everywhere", include_in_schema=False)
    async def sign_out_everywhere(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request)
        identity.sign_out_everywhere(session)
        response = RedirectResponse(f"/{lang}/", 303)
        response.delete_cookie(COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
        return response

    @router.get("/{lang}/account", response_class=HTMLResponse, include_in_schema=False)
    async def account(request: Request, lang: str) -> Response:
        page_language(lang, languages)
        session = require_session(request)
        provider = identity.providers.get(session.provider)
        return renderer.page(
            request,
            "identity/account.html",
            {
                "session": session,
                "provider_name": provider.name if provider else session.provider,
                "sessions": identity.sessions_of(session),
            },
        )

    app.include_router(router)


def _sign_in_address(language: str, return_to: str, level: Level) -> str:
    query = urlencode({"next": return_to, "level": level.name.lower()})
    return f"/{language}/sign-in?{query}"


def _set_cookie(
    response: Response, name: str, value: str, max_age: int, secure: bool, same_site: str
) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite=same_site,  # type: ignore[arg-type]
    )
