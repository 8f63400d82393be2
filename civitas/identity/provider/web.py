"""The provider's endpoints: parse the request, apply the protocol, answer. Nothing else.

The sign-in page keeps the validated authorization request on the server under a
random, single-use ``request_id`` bound to this browser's cookie: that id is the
form's CSRF token (a form posted from another site has neither the id nor the
cookie), and hidden fields cannot be edited to change the client, the redirect
address or the PKCE challenge.

The browser cookie is named apart from the portal's, because browsers share cookies
between ports: the portal on 127.0.0.1:8000 and this provider on 127.0.0.1:8090
see each other's cookies.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from fastapi import APIRouter, Request
from starlette.datastructures import FormData, ImmutableMultiDict
from starlette.responses import JSONResponse, RedirectResponse, Response

from civitas.core.clock import Clock
from civitas.core.errors import CivitasError, FieldError, InvalidInput, NotAllowed
from civitas.core.i18n import N_, locale_for
from civitas.identity.provider.choice import SOMEONE_ELSE, read_choice
from civitas.identity.provider.codes import CodeStore, OneTimeStore, new_grant
from civitas.identity.provider.discovery import discovery_document
from civitas.identity.provider.errors import NO_STORE
from civitas.identity.provider.identities import IdentityBook
from civitas.identity.provider.keys import public_key_set
from civitas.identity.provider.levels import LEVELS, asked_level
from civitas.identity.provider.pages import Pages
from civitas.identity.provider.protocol import (
    AuthorizationRequest,
    Client,
    OAuthError,
    RedirectedError,
    authenticate_client,
    parse_authorization_request,
    redirect_to,
)
from civitas.identity.provider.tokens import TokenIssuer

BROWSER_COOKIE = "civitas_idp_browser"
PENDING_LIFETIME = dt.timedelta(minutes=15)  # time to choose on the sign-in page
MAX_FORM_FIELDS = 20
FORM_FIELDS = ("request_id", "identity", "national_number", "level", "action")


@dataclass(frozen=True)
class PendingSignIn:
    """An authorization request waiting for the tester's choice."""

    request: AuthorizationRequest
    browser: str  # the browser cookie it was shown to
    query: tuple[tuple[str, str], ...]  # the original parameters, for the language links


def provider_router(
    issuer: str,
    clients: Sequence[Client],
    books: Callable[[], IdentityBook],
    tokens: TokenIssuer,
    pages: Pages,
    clock: Clock,
) -> APIRouter:
    router = APIRouter()
    registered = {client.client_id: client for client in clients}
    codes = CodeStore()
    pending: OneTimeStore[PendingSignIn] = OneTimeStore(PENDING_LIFETIME)
    secure = issuer.startswith("https://")
    key_set = public_key_set(tokens.key)

    @router.get("/")
    def home(request: Request) -> Response:
        return pages.page(request, "identity/provider_home.html", {}, pages.language(request))

    @router.get("/.well-known/openid-configuration")
    def configuration() -> JSONResponse:
        return JSONResponse(discovery_document(issuer))

    @router.get("/jwks")
    def jwks() -> JSONResponse:
        return JSONResponse(key_set, headers={"Cache-Control": "max-age=300"})

    def sign_in_page(
        request: Request,
        request_id: str,
        sign_in: PendingSignIn,
        fields: Mapping[str, str],
        problems: Sequence[FieldError] = (),
    ) -> Response:
        asked = asked_level(sign_in.request.acr_values)
        language = pages.language(request, sign_in.request.ui_locales)
        book = books()
        context = {
            "request_id": request_id,
            "client_id": sign_in.request.client_id,
            "book": book,
            "as_of": format_date(book.as_of, "long", locale=locale_for(language)),
            "levels": LEVELS,
            "asked": asked,
            "someone_else": SOMEONE_ELSE,
            "fields": {"level": (asked or LEVELS[0]).key, **fields},
            "problems": problems,
        }
        status = 400 if problems else 200
        page = "identity/provider_sign_in.html"
        return pages.page(request, page, context, language, status=status, query=sign_in.query)

    @router.get("/authorize")
    def authorize(request: Request) -> Response:
        parameters = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        authorization = parse_authorization_request(parameters, registered)
        browser = request.cookies.get(BROWSER_COOKIE) or secrets.token_urlsafe(32)
        sign_in = PendingSignIn(authorization, browser, tuple(parameters))
        request_id = pending.put(sign_in, clock.now())
        response = sign_in_page(request, request_id, sign_in, {})
        if request.cookies.get(BROWSER_COOKIE) != browser:
            response.set_cookie(
                BROWSER_COOKIE, browser, httponly=True, samesite="lax", secure=secure
            )
        return response

    @router.post("/authorize")
    async def choose(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        fields = {name: _text(form, name) for name in FORM_FIELDS}
        now = clock.now()
        sign_in = pending.peek(fields["request_id"], now)
        if sign_in is None:
            raise _expired()
        cookie = request.cookies.get(BROWSER_COOKIE, "").encode()
        if not hmac.compare_digest(cookie, sign_in.browser.encode()):
            raise NotAllowed(
                N_("This sign-in form was not sent by the browser it was shown in."),
                hint=N_(
                    "Make sure your browser accepts cookies from this site, then go back to "
                    "the service and start signing in again."
                ),
            )
        authorization = sign_in.request
        if fields["action"] == "cancel":
            pending.take(fields["request_id"], now)
            raise RedirectedError(
                "access_denied",
                "The person cancelled the sign-in.",
                authorization.redirect_uri,
                authorization.state,
            )
        try:
            choice = read_choice(
                books(), fields["identity"], fields["national_number"], fields["level"]
            )
        except InvalidInput as problem:
            return sign_in_page(request, fields["request_id"], sign_in, fields, problem.errors)
        if pending.take(fields["request_id"], now) is None:  # used by a second, quicker click
            raise _expired()
        grant = new_grant(authorization, choice.level.acr, choice.identity.national_id, now)
        answer = {"code": codes.issue(grant, now), "state": authorization.state, "iss": issuer}
        # 303, not 307: the browser must not repeat this POST at the client (RFC 9700 4.11)
        return RedirectResponse(redirect_to(authorization.redirect_uri, answer), 303)

    @router.post("/token")
    async def token(request: Request) -> JSONResponse:
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            raise OAuthError("invalid_request", "Send a form (application/x-www-form-urlencoded).")
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
        one = _single_values(form)
        client = authenticate_client(
            registered,
            _basic_credentials(request.headers.get("authorization")),
            one.get("client_id"),
            one.get("client_secret"),
        )
        grant_type = one.get("grant_type", "")
        if not grant_type:
            raise OAuthError("invalid_request", "grant_type is required.")
        if grant_type != "authorization_code":
            raise OAuthError("unsupported_grant_type", "Only authorization_code is supported.")
        for name in ("code", "redirect_uri", "code_verifier"):
            if not one.get(name):
                raise OAuthError("invalid_request", f"{name} is required.")
        grant = codes.redeem(
            one["code"], client, one["redirect_uri"], one["code_verifier"], clock.now()
        )
        found = books().find(grant.national_id)
        if found is None:
            raise OAuthError("invalid_grant", "The person is no longer in the register.")
        issued = tokens.issue(grant, found[0])
        answer = {
            "access_token": issued.access_token,
            "token_type": "Bearer",
            "expires_in": issued.expires_in,
            "id_token": issued.id_token,
            "scope": " ".join(grant.scope),
        }
        return JSONResponse(answer, headers=NO_STORE)

    @router.api_route("/userinfo", methods=["GET", "POST"])
    def userinfo(request: Request) -> JSONResponse:
        scheme, _, access_token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not access_token.strip():
            raise OAuthError("invalid_token", "Send the access token as a Bearer token.", 401)
        claims = tokens.read_access_token(access_token.strip())
        if codes.revoked(str(claims["grant_id"])):
            raise OAuthError("invalid_token", "The access token was revoked.", 401)
        found = books().find(int(str(claims["sub"])))
        if found is None:
            raise OAuthError("invalid_token", "The person is no longer in the register.", 401)
        identity = found[0]
        return JSONResponse({"sub": identity.subject, **identity.claims()}, headers=NO_STORE)

    @router.api_route("/logout", methods=["GET", "POST"])
    async def logout(request: Request) -> Response:
        if request.method == "POST":
            parameters = _single_values(await request.form(max_files=0, max_fields=10))
        else:
            parameters = _single_values(request.query_params)
        language = pages.language(request, parameters.get("ui_locales", "").split())
        client = _logout_client(parameters, registered, tokens)
        address = parameters.get("post_logout_redirect_uri", "")
        response: Response
        if address:
            if client is None or address not in client.post_logout_redirect_uris:
                raise InvalidInput(
                    N_("This sign-out asks to send you to an address we do not know."),
                    hint=N_("You are signed out. Go back to the service you came from."),
                    errors=(FieldError(("post_logout_redirect_uri",), N_("Not registered.")),),
                )
            state = parameters.get("state", "")
            response = RedirectResponse(
                redirect_to(address, {"state": state} if state else {}), 303
            )
        else:
            response = pages.page(request, "identity/provider_signed_out.html", {}, language)
        response.delete_cookie(BROWSER_COOKIE, httponly=True, samesite="lax", secure=secure)
        return response

    return router


def _expired() -> CivitasError:
    return CivitasError(
        N_("This sign-in page has expired or was already used."),
        hint=N_("Go back to the service you came from and start signing in again."),
        status=400,
    )


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _single_values(parameters: ImmutableMultiDict[str, Any]) -> dict[str, str]:
    """Each parameter's value; ``invalid_request`` when one is repeated (RFC 6749 3.1)."""
    values: dict[str, str] = {}
    for name, value in parameters.multi_items():
        if name in values:
            raise OAuthError("invalid_request", f"Parameter {name} is repeated.")
        values[name] = value if isinstance(value, str) else ""
    return values


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    """(client id, secret) of ``client_secret_basic`` (RFC 6749 2.3.1); None without it."""
    if not header:
        return None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        raise OAuthError("invalid_client", "Use HTTP Basic authentication.", 401)
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise OAuthError("invalid_client", "The Authorization header is malformed.", 401) from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise OAuthError("invalid_client", "The Authorization header is malformed.", 401)
    return client_id, secret


def _logout_client(
    parameters: Mapping[str, str], clients: Mapping[str, Client], tokens: TokenIssuer
) -> Client | None:
    """The client a sign-out comes from: the ``id_token_hint``'s audience, or ``client_id``."""
    client = None
    hint = parameters.get("id_token_hint", "")
    if hint:
        claims = tokens.read_id_token_hint(hint)
        if claims is None:
            raise InvalidInput(
                N_("This sign-out request cannot be checked."),
                hint=N_("Go back to the service you came from and sign out there again."),
                errors=(FieldError(("id_token_hint",), N_("Not an ID token of this service.")),),
            )
        client = clients.get(str(claims["aud"]))
    named = parameters.get("client_id", "")
    if named and (named not in clients or (client is not None and client.client_id != named)):
        raise InvalidInput(
            N_("This sign-out request names a service we do not know."),
            hint=N_("Go back to the service you came from and sign out there again."),
            errors=(FieldError(("client_id",), N_("Not registered.")),),
        )
    return clients.get(named) if named else client
