"""Signatures of the exchange: Ed25519 compact JWS made and checked with joserfc.

Every request, answer and log seal is a compact JWS whose payload is a small JSON
object of claims, signed by one member's key; the JWS header names the member as
``kid``. The algorithm is ``Ed25519`` as RFC 9864 names it (the older ``EdDSA``
name is deprecated there and makes joserfc warn); nothing else is accepted, so a
token cannot choose a weaker algorithm or ``none``.

The payload travels inside the token (not detached): a verifier checks the
signature first, then compares each claim with what it received, so a refusal can
say *which* part of a request differs from what was signed.

Keys are parsed once (:class:`Signer`, :class:`TrustList`) and kept: the hot path
never reads a file or re-imports a key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

ALGORITHM = "Ed25519"
CURVE: Literal["Ed25519"] = "Ed25519"
_REGISTRY = jws.JWSRegistry(algorithms=[ALGORITHM])


class SignatureError(Exception):
    """A token that cannot be trusted; ``reason`` says why in a few words."""

    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown key"
    BAD_SIGNATURE = "bad signature"

    def __init__(self, reason: str, kid: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kid = kid


def digest(data: bytes) -> str:
    """SHA-256 of ``data``, base64url without padding (43 characters)."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def generate_key(member: str) -> OKPKey:
    """A new Ed25519 private key for ``member``."""
    return OKPKey.generate_key(
        CURVE, parameters={"kid": member, "use": "sig", "alg": ALGORITHM}, private=True
    )


def key_from_jwk(data: Any, member: str, private: bool) -> OKPKey:
    """An Ed25519 key of ``member`` from a JWK; ``ValueError`` saying what is wrong."""
    if not isinstance(data, Mapping):
        raise ValueError("expected a JSON object (a JWK)")
    if data.get("kty") != "OKP" or data.get("crv") != CURVE:
        raise ValueError("expected an Ed25519 key (kty OKP, crv Ed25519)")
    if data.get("kid") != member:
        raise ValueError(f"its kid is {data.get('kid')!r}, expected {member!r}")
    if private and "d" not in data:
        raise ValueError("it holds no private part ('d')")
    if not private and "d" in data:
        raise ValueError("it holds a private part ('d'); publish only public keys")
    try:
        key = OKPKey.import_key(dict(data))
    except (JoseError, ValueError, TypeError) as exc:
        raise ValueError(f"it cannot be read as a key ({exc})") from None
    return key


def public_jwk(key: OKPKey) -> dict[str, Any]:
    public: dict[str, Any] = dict(key.as_dict(private=False))
    return public


@dataclass(frozen=True)
class Signer:
    """One member's private key, ready to sign."""

    member: str
    key: OKPKey

    def sign(self, claims: Mapping[str, Any]) -> str:
        payload = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode()
        header = {"alg": ALGORITHM, "kid": self.member}
        return jws.serialize_compact(header, payload, self.key, registry=_REGISTRY)


class TrustList:
    """The public keys of the exchange's members, by member id (the JWS ``kid``)."""

    def __init__(self, keys: Mapping[str, OKPKey]) -> None:
        self._keys = dict(keys)

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def key_of(self, member: str) -> OKPKey | None:
        return self._keys.get(member)

    def verify(self, token: str, expected_kid: str | None = None) -> tuple[str, dict[str, Any]]:
        """The signer and the claims of ``token``; :class:`SignatureError` unless it is a
        valid signature by a listed key (by ``expected_kid``'s key, when given)."""
        try:
            signed = jws.extract_compact(token.encode("ascii"))
            kid = signed.headers().get("kid")
        except (JoseError, ValueError, UnicodeError):
            raise SignatureError(SignatureError.MALFORMED) from None
        if not isinstance(kid, str):
            raise SignatureError(SignatureError.MALFORMED)
        if expected_kid is not None and kid != expected_kid:
            raise SignatureError(SignatureError.UNKNOWN_KEY, kid)
        key = self._keys.get(kid)
        if key is None:
            raise SignatureError(SignatureError.UNKNOWN_KEY, kid)
        try:
            valid = jws.validate_compact(signed, key, registry=_REGISTRY)
        except (JoseError, ValueError):
            raise SignatureError(SignatureError.MALFORMED, kid) from None
        if not valid:
            raise SignatureError(SignatureError.BAD_SIGNATURE, kid)
        try:
            claims = json.loads(signed.payload)
        except (ValueError, UnicodeError):
            raise SignatureError(SignatureError.MALFORMED, kid) from None
        if not isinstance(claims, dict):
            raise SignatureError(SignatureError.MALFORMED, kid)
        return kid, claims
