"""Cross-site request forgery: every form a page sends back must carry this browser's token.

Each browser gets a random token in a cookie (SameSite=Strict, HttpOnly); pages put the
same token in a hidden field of every form (``{{ csrf_field() }}``). A POST whose field
does not match the cookie did not come from one of our pages and is refused before any
route sees it, so no form can forget the check. The JSON API under ``/api/`` takes no
cookie credentials, so it needs no token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "civitas_csrf"
FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger("civitas.web.csrf")

Refusal = Callable[[Request], Response]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_cookie(token: str, secure: bool) -> str:
    """The Set-Cookie value holding a browser's token."""
    cookie: SimpleCookie = SimpleCookie()
    cookie[COOKIE] = token
    morsel = cookie[COOKIE]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = "Strict"
    if secure:
        morsel["secure"] = True
    return morsel.OutputString()


class CsrfProtection:
    """ASGI middleware: sets the token cookie, and refuses forms without the matching token."""

    def __init__(
        self, app: ASGIApp, refuse: Refusal, secure: bool, exempt: tuple[str, ...] = ("/api/",)
    ) -> None:
        self.app = app
        self.refuse = refuse
        self.secure = secure
        self.exempt = exempt

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        cookie = request.cookies.get(COOKIE, "")
        token = cookie or new_token()
        scope.setdefault("state", {})[FIELD] = token
        if request.method not in SAFE_METHODS and not scope["path"].startswith(self.exempt):
            body = await _read_body(receive)
            sent = await _sent_token(scope, body, receive)
            if not cookie or not hmac.compare_digest(sent, cookie):
                log.warning("form refused: missing or wrong token on %s", scope["path"])
                await self.refuse(request)(scope, receive, send)
                return
            receive = _replay(body, receive)
        if cookie:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "set-cookie" not in headers or COOKIE not in headers["set-cookie"]:
                    headers.append("set-cookie", token_cookie(token, self.secure))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _sent_token(scope: Scope, body: bytes, receive: Receive) -> str:
    """The token field of a form body, read by Starlette's own form parser ("" when there
    is none, or the body is not a form it can read)."""
    request = Request(scope, _replay(body, receive))
    try:
        async with request.form() as form:
            value = form.get(FIELD, "")
    except (HTTPException, ValueError):  # malformed multipart or too many fields
        return ""
    return value if isinstance(value, str) else ""


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the already read body to the application, then listens on."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # waits for the client to leave, as the original would
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
