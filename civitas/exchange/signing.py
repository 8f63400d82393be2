"""Signatures of the exchange: Ed25519 compact JWS (RFC 7515), made and checked directly.

Every request, answer and log seal is a compact JWS whose payload is a small JSON
object of claims, signed by one member's key; the JWS header names the member as
``kid``. The algorithm is ``Ed25519`` as RFC 9864 names it; nothing else is
accepted, so a token cannot choose a weaker algorithm or ``none``.

The payload travels inside the token (not detached): a verifier checks the
signature first, then compares each claim with what it received, so a refusal can
say *which* part of a request differs from what was signed.

Tokens are made and checked with the ``cryptography`` Ed25519 primitives, not
through a JOSE library: the format is fixed (header ``{"alg":"Ed25519","kid":...}``,
base64url without padding, JSON claims), and a general JOSE path costs as much per
call as the signature itself. The check is strict: three canonical base64url
parts, a header holding exactly ``alg`` and ``kid``, a valid signature by the
listed key of that ``kid``. joserfc still reads and writes the key files (JWK).

Keys are parsed once (:class:`Signer`, :class:`TrustList`) and kept: the hot path
never reads a file or re-imports a key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

ALGORITHM = "Ed25519"
CURVE: Literal["Ed25519"] = "Ed25519"
MAX_TOKEN = 16 * 1024  # our tokens are under 2 KiB; the bound keeps a refusal cheap
SIGNATURE_BYTES = 64
_TOKEN = re.compile(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_CLAIMS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)  # built once, not per token


class SignatureError(Exception):
    """A token that cannot be trusted; ``reason`` says why in a few words."""

    MALFORMED = "malformed"
    UNKNOWN_KEY = "unknown key"
    BAD_SIGNATURE = "bad signature"

    def __init__(self, reason: str, kid: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.kid = kid


def b64url(data: bytes) -> bytes:
    """base64url without padding (RFC 7515, section 2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=")


def digest(data: bytes) -> str:
    """SHA-256 of ``data``, base64url without padding (43 characters)."""
    return b64url(hashlib.sha256(data).digest()).decode()


def _unb64url(part: bytes) -> bytes:
    """The bytes of one token part; ``ValueError`` unless written the one canonical way
    (the alphabet is checked by the caller; re-encoding refuses stray trailing bits)."""
    data = base64.urlsafe_b64decode(part + b"=" * (-len(part) % 4))
    if b64url(data) != part:
        raise ValueError("not canonical base64url")
    return data


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


def _header(member: str) -> bytes:
    """The encoded JWS header of ``member``'s tokens (the same for every token)."""
    header = {"alg": ALGORITHM, "kid": member}
    return b64url(json.dumps(header, separators=(",", ":")).encode())


@dataclass(frozen=True)
class Signer:
    """One member's private key, ready to sign."""

    member: str
    key: OKPKey
    _private: Ed25519PrivateKey = field(init=False, repr=False, compare=False)
    _header: bytes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        private = self.key.private_key
        if not isinstance(private, Ed25519PrivateKey):
            raise ValueError(f"the key of {self.member} is not a private Ed25519 key")
        object.__setattr__(self, "_private", private)
        object.__setattr__(self, "_header", _header(self.member))

    def sign(self, claims: Mapping[str, Any]) -> str:
        payload = _CLAIMS.encode(claims).encode()
        signing_input = self._header + b"." + b64url(payload)
        return (signing_input + b"." + b64url(self._private.sign(signing_input))).decode()


class TrustList:
    """The public keys of the exchange's members, by member id (the JWS ``kid``)."""

    def __init__(self, keys: Mapping[str, OKPKey]) -> None:
        self._keys = dict(keys)
        self._verifiers = {kid: _public(kid, key) for kid, key in self._keys.items()}

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(self._keys)

    def key_of(self, member: str) -> OKPKey | None:
        return self._keys.get(member)

    def verify(self, token: str, expected_kid: str | None = None) -> tuple[str, dict[str, Any]]:
        """The signer and the claims of ``token``; :class:`SignatureError` unless it is a
        valid signature by a listed key (by ``expected_kid``'s key, when given)."""
        header, payload, signature, signing_input = _parts(token)
        kid = _kid(header)
        if expected_kid is not None and kid != expected_kid:
            raise SignatureError(SignatureError.UNKNOWN_KEY, kid)
        key = self._verifiers.get(kid)
        if key is None:
            raise SignatureError(SignatureError.UNKNOWN_KEY, kid)
        if len(signature) != SIGNATURE_BYTES:
            raise SignatureError(SignatureError.MALFORMED, kid)
        try:
            key.verify(signature, signing_input)
        except InvalidSignature:
            raise SignatureError(SignatureError.BAD_SIGNATURE, kid) from None
        try:
            claims = json.loads(payload)
        except (ValueError, UnicodeError):
            raise SignatureError(SignatureError.MALFORMED, kid) from None
        if not isinstance(claims, dict):
            raise SignatureError(SignatureError.MALFORMED, kid)
        return kid, claims


def _public(kid: str, key: OKPKey) -> Ed25519PublicKey:
    public = key.public_key
    if not isinstance(public, Ed25519PublicKey):
        raise ValueError(f"the key of {kid} is not an Ed25519 key")
    return public


def _parts(token: str) -> tuple[bytes, bytes, bytes, bytes]:
    """Header, payload and signature of a compact JWS, decoded, and the signed input."""
    try:
        raw = token.encode("ascii")
    except UnicodeError:
        raise SignatureError(SignatureError.MALFORMED) from None
    if len(raw) > MAX_TOKEN or not _TOKEN.fullmatch(raw):
        raise SignatureError(SignatureError.MALFORMED)
    signing_input, _, signature = raw.rpartition(b".")
    header, _, payload = signing_input.partition(b".")
    try:
        return _unb64url(header), _unb64url(payload), _unb64url(signature), signing_input
    except (ValueError, binascii.Error):
        raise SignatureError(SignatureError.MALFORMED) from None


def _kid(header: bytes) -> str:
    """The ``kid`` of a header that says ``Ed25519`` and nothing else: no other algorithm,
    and no parameter (``crit``, ``b64``, ``jwk`` ...) that would change what is checked."""
    try:
        fields = json.loads(header)
    except (ValueError, UnicodeError):
        raise SignatureError(SignatureError.MALFORMED) from None
    if not isinstance(fields, dict) or fields.keys() != {"alg", "kid"}:
        raise SignatureError(SignatureError.MALFORMED)
    kid = fields["kid"]
    if fields["alg"] != ALGORITHM or not isinstance(kid, str):
        raise SignatureError(SignatureError.MALFORMED)
    return kid
