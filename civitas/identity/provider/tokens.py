"""ID tokens and access tokens, signed with the provider's key, and reading them back.

Access tokens are JWTs too (RFC 9068, ``typ: at+jwt``), so the provider keeps no token
store and a restart does not sign anyone out. The ``typ`` header keeps the two apart:
an ID token never passes as an access token at ``/userinfo``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey

from civitas.core.clock import Clock
from civitas.identity.provider.codes import Grant
from civitas.identity.provider.identities import Identity
from civitas.identity.provider.keys import ALGORITHM
from civitas.identity.provider.levels import level_of
from civitas.identity.provider.protocol import OAuthError

ID_TOKEN_LIFETIME = dt.timedelta(minutes=10)
ACCESS_TOKEN_LIFETIME = dt.timedelta(minutes=10)
ACCESS_TOKEN_TYPE = "at+jwt"


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    id_token: str
    expires_in: int  # seconds the access token is valid


class TokenIssuer:
    """Signs tokens as ``issuer``; ``clock`` says when "now" is, so tests can move it."""

    def __init__(self, issuer: str, key: RSAKey, clock: Clock) -> None:
        self.issuer = issuer
        self.userinfo_endpoint = f"{issuer}/userinfo"
        self.key = key
        self.clock = clock

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    def issue(self, grant: Grant, identity: Identity) -> IssuedTokens:
        now = self._now()
        level = level_of(grant.acr)
        access_token = self._sign(
            {
                "iss": self.issuer,
                "sub": identity.subject,
                "aud": self.userinfo_endpoint,
                "client_id": grant.client_id,
                "scope": " ".join(grant.scope),
                "iat": now,
                "exp": now + int(ACCESS_TOKEN_LIFETIME.total_seconds()),
                "jti": secrets.token_urlsafe(16),
                "grant_id": grant.id,
                "acr": grant.acr,
                "auth_time": int(grant.auth_time.timestamp()),
            },
            ACCESS_TOKEN_TYPE,
        )
        id_token = self._sign(
            {
                "iss": self.issuer,
                "sub": identity.subject,
                "aud": grant.client_id,
                "iat": now,
                "exp": now + int(ID_TOKEN_LIFETIME.total_seconds()),
                "auth_time": int(grant.auth_time.timestamp()),
                "nonce": grant.nonce,
                "acr": grant.acr,
                "amr": list(level.amr) if level else [],
                "at_hash": _left_half_hash(access_token),
                **identity.claims(),
            },
            "JWT",
        )
        return IssuedTokens(access_token, id_token, int(ACCESS_TOKEN_LIFETIME.total_seconds()))

    def _sign(self, claims: dict[str, Any], token_type: str) -> str:
        header = {"alg": ALGORITHM, "kid": self.key.kid, "typ": token_type}
        return jwt.encode(header, claims, self.key, algorithms=[ALGORITHM])

    def read_access_token(self, token: str) -> dict[str, Any]:
        """The claims of a valid, unexpired access token of ours; ``invalid_token`` if not."""
        try:
            decoded = jwt.decode(token, self.key, algorithms=[ALGORITHM])
            if decoded.header.get("typ") != ACCESS_TOKEN_TYPE:
                raise OAuthError("invalid_token", "This is not an access token.", 401)
            jwt.JWTClaimsRegistry(
                now=self._now,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.userinfo_endpoint},
                sub={"essential": True},
                exp={"essential": True},
                grant_id={"essential": True},
            ).validate(decoded.claims)
        except (JoseError, ValueError, TypeError):
            raise OAuthError(
                "invalid_token", "The access token is invalid or expired.", 401
            ) from None
        return decoded.claims

    def read_id_token_hint(self, token: str) -> dict[str, Any] | None:
        """The claims of an ID token we signed, expired or not (RP-Initiated Logout 1.0 2);
        None when it is not one."""
        try:
            decoded = jwt.decode(token, self.key, algorithms=[ALGORITHM])
        except (JoseError, ValueError, TypeError):
            return None
        claims = decoded.claims
        if decoded.header.get("typ") == ACCESS_TOKEN_TYPE or claims.get("iss") != self.issuer:
            return None
        return claims if isinstance(claims.get("aud"), str) else None


def _left_half_hash(value: str) -> str:
    """``at_hash``: the left half of the SHA-256 of the token (OpenID Connect Core 3.1.3.6)."""
    digest = hashlib.sha256(value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")
