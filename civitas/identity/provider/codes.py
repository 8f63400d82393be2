"""One-time values: authorization codes (RFC 6749 4.1.2) with PKCE (RFC 7636, S256).

A code lives :data:`CODE_LIFETIME` and is spent on its first presentation, whether or
not the rest of the token request is right. A code presented again is refused, and the
grant it gave is revoked: someone else may hold its tokens.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from typing import Generic, TypeVar

from civitas.identity.provider.protocol import AuthorizationRequest, Client, OAuthError

CODE_LIFETIME = dt.timedelta(seconds=60)
REMEMBER_USED_CODES = dt.timedelta(minutes=10)  # how long a replayed code is recognised
_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")  # RFC 7636 4.1

T = TypeVar("T")


class OneTimeStore(Generic[T]):
    """Values under random keys, each valid for ``lifetime`` and taken at most once."""

    def __init__(self, lifetime: dt.timedelta) -> None:
        self.lifetime = lifetime
        self._values: dict[str, tuple[dt.datetime, T]] = {}
        self._lock = threading.Lock()

    def put(self, value: T, now: dt.datetime) -> str:
        key = secrets.token_urlsafe(32)
        with self._lock:
            self._forget_expired(now)
            self._values[key] = (now + self.lifetime, value)
        return key

    def peek(self, key: str, now: dt.datetime) -> T | None:
        with self._lock:
            found = self._values.get(key)
        return found[1] if found and now < found[0] else None

    def take(self, key: str, now: dt.datetime) -> T | None:
        with self._lock:
            found = self._values.pop(key, None)
        return found[1] if found and now < found[0] else None

    def _forget_expired(self, now: dt.datetime) -> None:
        for key in [key for key, (expires, _) in self._values.items() if expires <= now]:
            del self._values[key]


@dataclass(frozen=True)
class Grant:
    """What a person agreed to at the authorize step, bound to one client and request."""

    id: str  # names the grant inside access tokens, so a replayed code can revoke them
    client_id: str
    redirect_uri: str
    nonce: str
    code_challenge: str
    scope: tuple[str, ...]
    acr: str
    national_id: int
    auth_time: dt.datetime


def new_grant(
    request: AuthorizationRequest, acr: str, national_id: int, auth_time: dt.datetime
) -> Grant:
    return Grant(
        id=secrets.token_urlsafe(16),
        client_id=request.client_id,
        redirect_uri=request.redirect_uri,
        nonce=request.nonce,
        code_challenge=request.code_challenge,
        scope=request.scope,
        acr=acr,
        national_id=national_id,
        auth_time=auth_time,
    )


class CodeStore:
    """Authorization codes: valid :data:`CODE_LIFETIME`, redeemed once.

    A code presented a second time is refused, and the grant it gave is revoked
    (RFC 6749 4.1.2): someone else may hold its tokens.
    """

    def __init__(self, lifetime: dt.timedelta = CODE_LIFETIME) -> None:
        self._codes: OneTimeStore[Grant] = OneTimeStore(lifetime)
        self._spent: dict[str, tuple[dt.datetime, str]] = {}  # code -> (forget at, grant id)
        self._revoked: set[str] = set()
        self._lock = threading.Lock()

    def issue(self, grant: Grant, now: dt.datetime) -> str:
        return self._codes.put(grant, now)

    def redeem(
        self, code: str, client: Client, redirect_uri: str, verifier: str, now: dt.datetime
    ) -> Grant:
        """The code's grant, once every check passes; the code is spent either way."""
        with self._lock:
            for old in [c for c, (forget_at, _) in self._spent.items() if forget_at <= now]:
                del self._spent[old]
            spent = self._spent.get(code)
            if spent is not None:
                self._revoked.add(spent[1])
                raise OAuthError("invalid_grant", "The code was already used.")
            grant = self._codes.take(code, now)
            if grant is None:
                raise OAuthError("invalid_grant", "The code is unknown or has expired.")
            self._spent[code] = (now + REMEMBER_USED_CODES, grant.id)
        if grant.client_id != client.client_id:
            raise OAuthError("invalid_grant", "The code was issued to another client.")
        if not hmac.compare_digest(grant.redirect_uri.encode(), redirect_uri.encode()):
            raise OAuthError("invalid_grant", "redirect_uri differs from the authorization.")
        if not verify_pkce(verifier, grant.code_challenge):
            raise OAuthError("invalid_grant", "code_verifier does not match code_challenge.")
        return grant

    def revoked(self, grant_id: str) -> bool:
        with self._lock:
            return grant_id in self._revoked


def s256(verifier: str) -> str:
    """The S256 code challenge of a verifier (RFC 7636 4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def verify_pkce(verifier: str, challenge: str) -> bool:
    if not _VERIFIER.fullmatch(verifier):
        return False
    return hmac.compare_digest(s256(verifier), challenge)
