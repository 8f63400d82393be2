"""Ed25519 compact JWS: only a listed member's valid signature is accepted."""

from __future__ import annotations

import base64
import json
import string
from typing import Any

import pytest
from joserfc import jws
from joserfc.jwk import OctKey

from civitas.exchange import Signer, TrustList
from civitas.exchange.signing import (
    SignatureError,
    b64url,
    digest,
    generate_key,
    key_from_jwk,
    public_jwk,
)

TAX = Signer("tax-authority", generate_key("tax-authority"))
PORTAL = Signer("civil-registry", generate_key("civil-registry"))
TRUST = TrustList({"tax-authority": TAX.key, "civil-registry": PORTAL.key})


def signed_with_header(header: dict[str, Any], payload: bytes = b"{}") -> str:
    """A token validly signed by the tax authority's key, whatever its header says."""
    signing_input = b64url(json.dumps(header).encode()) + b"." + b64url(payload)
    signature = TAX.key.private_key.sign(signing_input)
    return (signing_input + b"." + b64url(signature)).decode()


def reason(token: str, expected: str | None = None) -> str:
    with pytest.raises(SignatureError) as refused:
        TRUST.verify(token, expected)
    return refused.value.reason


def test_a_signed_claim_set_verifies_and_names_its_signer() -> None:
    token = TAX.sign({"status": 200, "body": digest(b"{}")})
    assert json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "==")) == {
        "alg": "Ed25519",
        "kid": "tax-authority",
    }
    assert TRUST.verify(token, "tax-authority") == (
        "tax-authority",
        {"status": 200, "body": digest(b"{}")},
    )


def test_a_changed_payload_breaks_the_signature() -> None:
    header, _payload, signature = TAX.sign({"status": 200}).split(".")
    forged = base64.urlsafe_b64encode(b'{"status":403}').rstrip(b"=").decode()
    assert reason(f"{header}.{forged}.{signature}") == SignatureError.BAD_SIGNATURE


def test_a_signature_by_another_members_key_does_not_pass_for_theirs() -> None:
    impostor = Signer("tax-authority", PORTAL.key)  # the portal's key, claiming to be tax
    assert reason(impostor.sign({"status": 200})) == SignatureError.BAD_SIGNATURE


def test_a_key_missing_from_the_trust_list_or_another_signer_is_refused() -> None:
    stranger = Signer("stranger", generate_key("stranger"))
    assert reason(stranger.sign({})) == SignatureError.UNKNOWN_KEY
    assert reason(PORTAL.sign({}), expected="tax-authority") == SignatureError.UNKNOWN_KEY


def test_tokens_with_other_algorithms_or_garbage_are_refused() -> None:
    secret = OctKey.import_key("a-shared-secret-of-some-length!!")
    hmac = jws.serialize_compact({"alg": "HS256", "kid": "tax-authority"}, b"{}", secret)
    assert reason(hmac) == SignatureError.MALFORMED
    assert reason("a.b.c") == SignatureError.MALFORMED
    assert reason("not a token") == SignatureError.MALFORMED


def test_key_files_must_hold_the_right_kind_of_key_for_the_right_member() -> None:
    private = TAX.key.as_dict(private=True)
    assert public_jwk(key_from_jwk(private, "tax-authority", private=True)) == public_jwk(TAX.key)
    problems = {
        "kid": (private, "civil-registry", True),
        "private part": (public_jwk(TAX.key), "tax-authority", True),
        "publish only public": (private, "tax-authority", False),
        "Ed25519": ({**private, "crv": "X25519"}, "tax-authority", True),
        "JSON object": ([], "tax-authority", True),
    }
    for expected, (data, member, want_private) in problems.items():
        with pytest.raises(ValueError, match=expected):
            key_from_jwk(data, member, private=want_private)


def test_tokens_are_standard_compact_jws_that_a_jose_library_reads_and_writes() -> None:
    token = TAX.sign({"status": 200})
    read = jws.deserialize_compact(token, TAX.key, algorithms=["Ed25519"])
    assert read.headers() == {"alg": "Ed25519", "kid": "tax-authority"}
    assert read.payload == b'{"status":200}'
    header = {"alg": "Ed25519", "kid": "tax-authority"}
    written = jws.serialize_compact(header, b'{"status":200}', TAX.key, algorithms=["Ed25519"])
    assert written == token  # Ed25519 signatures are deterministic: the very same bytes
    assert TRUST.verify(written) == ("tax-authority", {"status": 200})


def test_a_header_saying_more_than_ed25519_and_the_signer_is_refused() -> None:
    refused: list[dict[str, Any]] = [
        {"alg": "EdDSA", "kid": "tax-authority"},
        {"alg": "none", "kid": "tax-authority"},
        {"alg": "Ed25519", "kid": "tax-authority", "crit": ["exp"], "exp": 1},
        {"alg": "Ed25519", "kid": "tax-authority", "b64": False, "crit": ["b64"]},
        {"alg": "Ed25519", "kid": "tax-authority", "jwk": public_jwk(PORTAL.key)},
        {"alg": "Ed25519", "kid": ["tax-authority"]},
        {"alg": "Ed25519"},
    ]
    for header in refused:
        assert reason(signed_with_header(header)) == SignatureError.MALFORMED, header
    reordered = signed_with_header({"kid": "tax-authority", "alg": "Ed25519"})
    assert TRUST.verify(reordered) == ("tax-authority", {})


def test_parts_not_written_the_one_canonical_base64url_way_are_refused() -> None:
    header, payload, signature = TAX.sign({"status": 200}).split(".")
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    last = alphabet.index(signature[-1])
    twin = signature[:-1] + alphabet[(last & 0b110000) | 0b1]  # same bytes, stray low bits
    raw = base64.urlsafe_b64decode(signature + "==")
    assert base64.urlsafe_b64decode(twin + "==") == raw
    short = b64url(raw[:-1]).decode()  # canonical, but 63 bytes: no Ed25519 signature
    for token in (
        f"{header}.{payload}.{twin}",
        f"{header}.{payload}.{signature}==",
        f"{header}.{payload}+.{signature}",
        f"{header}.{payload}.{short}",
        f"{header}.{payload}.{signature}.{signature}",
        f"{header}.{payload}.{signature}\u00e9",
        f"{header}.{payload}.{'A' * 20_000}",
    ):
        assert reason(token) == SignatureError.MALFORMED, token[-40:]
