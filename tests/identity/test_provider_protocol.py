"""The development provider speaks OpenID Connect as a relying party expects, refusals too."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from authlib.oidc.discovery import OpenIDProviderMetadata
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from civitas.core.clock import FixedClock
from civitas.identity.provider import Client, ProviderConfig
from civitas.identity.provider.app import load_identity_book
from civitas.identity.provider.identities import STAFF, IdentityBook
from civitas.identity.provider.keys import load_signing_key
from tests.identity.provider_support import (
    AFTER_LOGOUT,
    CLIENT,
    CLIENT_ID,
    HIGH,
    ISSUER,
    LOW,
    REDIRECT_URI,
    SECRET,
    SUBSTANTIAL,
    authorization_parameters,
    config,
    number,
    pkce,
    query_of,
    redeem,
    sign_in,
    start,
    write_population,
)

NOW = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("idp")
    write_population(folder)
    return folder


@pytest.fixture(scope="module")
def key(data_dir: Path) -> RSAKey:
    return load_signing_key(data_dir / "idp" / "signing-key.json")


@pytest.fixture(scope="module")
def book(data_dir: Path) -> IdentityBook:
    return load_identity_book(data_dir / "country")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def provider(
    data_dir: Path, clock: FixedClock, book: IdentityBook, key: RSAKey
) -> Iterator[TestClient]:
    with start(config(data_dir), clock, book, key) as client:
        yield client


def verified_id_token(provider: TestClient, id_token: str, clock: FixedClock) -> dict[str, object]:
    """The ID token's claims, checked the way a relying party checks them, with /jwks."""
    keys = KeySet.import_key_set(provider.get("/jwks").json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        now=int(clock.now().timestamp()),
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": "nonce-456"},
        exp={"essential": True},
        iat={"essential": True},
    ).validate(token.claims)
    return token.claims


def test_the_discovery_document_is_valid_provider_metadata(provider: TestClient) -> None:
    document = provider.get("/.well-known/openid-configuration").json()
    OpenIDProviderMetadata(document).validate()  # Authlib's check of OpenID Discovery 1.0
    assert document["issuer"] == ISSUER
    assert document["end_session_endpoint"] == f"{ISSUER}/logout"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["acr_values_supported"] == [LOW, SUBSTANTIAL, HIGH]
    assert document["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]
    assert "national_id" in document["claims_supported"]
    [published] = provider.get("/jwks").json()["keys"]
    assert published["alg"] == "RS256"
    assert published["kid"]
    assert "d" not in published  # the public half only


def test_a_full_sign_in_gives_tokens_a_relying_party_can_verify(
    provider: TestClient, clock: FixedClock
) -> None:
    verifier, challenge = pkce()
    answer = sign_in(provider, challenge, number(0), "high", acr_values=f"{HIGH} {SUBSTANTIAL}")
    assert answer["state"] == "state-123"
    assert answer["iss"] == ISSUER  # RFC 9207
    response = redeem(provider, answer["code"], verifier)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 600
    claims = verified_id_token(provider, tokens["id_token"], clock)
    assert claims["sub"] == claims["national_id"] == number(0)
    assert claims["acr"] == HIGH
    assert claims["amr"] == ["sc", "pin", "mfa"]
    assert claims["auth_time"] == claims["iat"] == int(NOW.timestamp())
    assert (claims["name"], claims["given_name"], claims["family_name"]) == (
        "Ana Costa",
        "Ana",
        "Costa",
    )
    assert claims["birthdate"] == "1994-05-10"
    digest = hashlib.sha256(tokens["access_token"].encode()).digest()[:16]
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    userinfo = provider.get(
        "/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert userinfo.json() == {key: claims[key] for key in userinfo.json()}
    assert userinfo.json()["sub"] == number(0)


def test_staff_test_identities_sign_in_like_anyone_else(
    provider: TestClient, clock: FixedClock
) -> None:
    verifier, challenge = pkce()
    desk_agent = STAFF[0]
    answer = sign_in(provider, challenge, desk_agent.subject, "low")
    claims = verified_id_token(
        provider, redeem(provider, answer["code"], verifier).json()["id_token"], clock
    )
    assert claims["sub"] == "999999010"
    assert claims["name"] == "Desk agent (test)"
    assert claims["acr"] == LOW


def test_an_id_token_is_not_an_access_token(provider: TestClient) -> None:
    verifier, challenge = pkce()
    answer = sign_in(provider, challenge, number(0))
    id_token = redeem(provider, answer["code"], verifier).json()["id_token"]
    response = provider.get("/userinfo", headers={"Authorization": f"Bearer {id_token}"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response.headers["www-authenticate"].startswith("Bearer ")
    assert provider.get("/userinfo").status_code == 401


def test_a_wrong_code_verifier_is_refused_and_spends_the_code(provider: TestClient) -> None:
    verifier, challenge = pkce()
    other_verifier, _ = pkce()
    code = sign_in(provider, challenge, number(0))["code"]
    refused = redeem(provider, code, other_verifier)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    assert "code_verifier" in refused.json()["error_description"]
    assert redeem(provider, code, verifier).json()["error"] == "invalid_grant"


def test_a_token_request_without_code_verifier_is_refused(provider: TestClient) -> None:
    verifier, challenge = pkce()
    code = sign_in(provider, challenge, number(0))["code"]
    refused = redeem(provider, code, "")
    assert refused.json() == {
        "error": "invalid_request",
        "error_description": "code_verifier is required.",
    }
    assert redeem(provider, code, verifier).status_code == 200  # nothing was spent


def test_a_reused_code_is_refused_and_revokes_what_it_gave(provider: TestClient) -> None:
    verifier, challenge = pkce()
    code = sign_in(provider, challenge, number(0))["code"]
    first = redeem(provider, code, verifier)
    assert first.status_code == 200
    bearer = {"Authorization": f"Bearer {first.json()['access_token']}"}
    assert provider.get("/userinfo", headers=bearer).status_code == 200
    again = redeem(provider, code, verifier)
    assert again.status_code == 400
    assert again.json() == {
        "error": "invalid_grant",
        "error_description": "The code was already used.",
    }
    assert provider.get("/userinfo", headers=bearer).json()["error"] == "invalid_token"


def test_a_code_is_valid_for_60_seconds(provider: TestClient, clock: FixedClock) -> None:
    verifier, challenge = pkce()
    code = sign_in(provider, challenge, number(0))["code"]
    clock.advance(dt.timedelta(seconds=59))
    assert redeem(provider, code, verifier).status_code == 200
    code = sign_in(provider, challenge, number(0))["code"]
    clock.advance(dt.timedelta(seconds=60))
    expired = redeem(provider, code, verifier)
    assert expired.json()["error"] == "invalid_grant"
    assert "expired" in expired.json()["error_description"]


def test_the_redirect_uri_must_be_the_one_of_the_authorization(provider: TestClient) -> None:
    verifier, challenge = pkce()
    code = sign_in(provider, challenge, number(0))["code"]
    refused = redeem(provider, code, verifier, redirect_uri=REDIRECT_URI + "/other")
    assert refused.json()["error"] == "invalid_grant"
    code = sign_in(provider, challenge, number(0))["code"]
    refused = redeem(provider, code, verifier, redirect_uri=REDIRECT_URI + "/é")
    assert refused.json()["error"] == "invalid_grant"


def test_a_code_is_bound_to_the_client_it_was_issued_to(
    data_dir: Path, clock: FixedClock, book: IdentityBook, key: RSAKey
) -> None:
    other = Client("other-service", "other-secret", (REDIRECT_URI,))
    settings = ProviderConfig(ISSUER, (CLIENT, other), data_dir / "country", data_dir / "k")
    with start(settings, clock, book, key) as provider:
        verifier, challenge = pkce()
        code = sign_in(provider, challenge, number(0))["code"]
        refused = redeem(provider, code, verifier, auth=("other-service", "other-secret"))
        assert refused.json()["error"] == "invalid_grant"


def test_client_authentication_is_required_and_checked(provider: TestClient) -> None:
    verifier, challenge = pkce()
    code = sign_in(provider, challenge, number(0))["code"]
    wrong = redeem(provider, code, verifier, auth=(CLIENT_ID, "wrong"))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic ")
    assert redeem(provider, code, verifier, auth=None).status_code == 401
    assert redeem(provider, code, verifier, auth=("unknown", SECRET)).status_code == 401
    both = redeem(provider, code, verifier, client_id=CLIENT_ID, client_secret=SECRET)
    assert both.json()["error"] == "invalid_request"
    # None of those spent the code: client_secret_post redeems it.
    posted = redeem(provider, code, verifier, auth=None, client_id=CLIENT_ID, client_secret=SECRET)
    assert posted.status_code == 200, posted.text


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": ""}, "invalid_request"),
        ({"code": ""}, "invalid_request"),
        ({"code": "no-such-code"}, "invalid_grant"),
    ],
)
def test_malformed_token_requests_get_oauth_errors(
    provider: TestClient, form: dict[str, str], error: str
) -> None:
    verifier, _ = pkce()
    response = redeem(provider, form.pop("code", "some-code"), verifier, **form)
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_a_token_request_must_be_a_form(provider: TestClient) -> None:
    response = provider.post("/token", json={"grant_type": "authorization_code"})
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"nonce": None}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"prompt": "none"}, "login_required"),
        ({"request": "eyJ..."}, "request_not_supported"),
    ],
)
def test_authorization_errors_go_back_to_the_client_with_state_and_issuer(
    provider: TestClient, changes: dict[str, str | None], error: str
) -> None:
    _verifier, challenge = pkce()
    response = provider.get("/authorize", params=authorization_parameters(challenge, **changes))
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith(REDIRECT_URI + "?")
    answer = query_of(location)
    assert answer["error"] == error
    assert answer["error_description"]
    assert answer["state"] == "state-123"
    assert answer["iss"] == ISSUER


def test_without_state_the_error_goes_back_without_one(provider: TestClient) -> None:
    _verifier, challenge = pkce()
    response = provider.get("/authorize", params=authorization_parameters(challenge, state=None))
    answer = query_of(response.headers["location"])
    assert answer["error"] == "invalid_request"
    assert "state" not in answer


def test_a_repeated_parameter_is_refused(provider: TestClient) -> None:
    _verifier, challenge = pkce()
    query = [*authorization_parameters(challenge).items(), ("nonce", "another")]
    response = provider.get("/authorize", params=query)
    assert query_of(response.headers["location"])["error"] == "invalid_request"


@pytest.mark.parametrize(
    "changes",
    [
        {"client_id": "unknown-service"},
        {"client_id": None},
        {"redirect_uri": "https://attacker.example/callback"},
        {"redirect_uri": REDIRECT_URI + "/more"},
        {"redirect_uri": None},
    ],
)
def test_an_unknown_client_or_address_gets_a_page_and_never_a_redirect(
    provider: TestClient, changes: dict[str, str | None]
) -> None:
    _verifier, challenge = pkce()
    params = authorization_parameters(challenge, **changes, nonce=None)
    response = provider.get("/authorize", params=params)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert response.headers["content-type"].startswith("text/html")
    assert "Go back to the service you came from" in response.text


def test_sign_out_returns_to_a_registered_address_with_the_state(provider: TestClient) -> None:
    verifier, challenge = pkce()
    code = sign_in(provider, challenge, number(0))["code"]
    id_token = redeem(provider, code, verifier).json()["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": AFTER_LOGOUT, "state": "s1"}
    response = provider.get("/logout", params=params)
    assert response.status_code == 303
    assert response.headers["location"] == AFTER_LOGOUT + "?state=s1"
    by_client = {"client_id": CLIENT_ID, "post_logout_redirect_uri": AFTER_LOGOUT}
    assert provider.post("/logout", data=by_client).status_code == 303


def test_sign_out_never_redirects_to_an_unregistered_address(provider: TestClient) -> None:
    unknown = provider.get(
        "/logout", params={"client_id": CLIENT_ID, "post_logout_redirect_uri": "https://x.example/"}
    )
    assert unknown.status_code == 400
    anonymous = provider.get("/logout", params={"post_logout_redirect_uri": AFTER_LOGOUT})
    assert anonymous.status_code == 400
    forged = provider.get("/logout", params={"id_token_hint": "not.a.token"})
    assert forged.status_code == 400
    assert "location" not in forged.headers | unknown.headers | anonymous.headers


def test_sign_out_without_a_return_address_shows_a_page(provider: TestClient) -> None:
    response = provider.get("/logout")
    assert response.status_code == 200
    assert "You are signed out" in response.text
