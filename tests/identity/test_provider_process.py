"""The provider as its own process, used over loopback by Authlib as the portal will use it."""

from __future__ import annotations

import json
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.identity.provider_support import (
    AFTER_LOGOUT,
    CLIENT_ID,
    HIGH,
    REDIRECT_URI,
    SECRET,
    SUBSTANTIAL,
    Process,
    number,
    query_of,
    request_id_in,
    running_provider,
    write_population,
)
from tests.support.live_server import server_environment


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("idp-process")
    write_population(folder)
    return folder


@pytest.fixture(scope="module")
def provider(data_dir: Path) -> Iterator[tuple[str, Process]]:
    with running_provider(data_dir, "--redirect-uri", REDIRECT_URI) as running:
        yield running


def test_a_relying_party_signs_in_with_authlib_over_loopback(
    provider: tuple[str, Process], data_dir: Path
) -> None:
    issuer, _process = provider
    with OAuth2Client(
        CLIENT_ID,
        SECRET,
        scope="openid profile",
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    ) as relying_party:
        discovery = f"{issuer}/.well-known/openid-configuration"
        metadata = relying_party.request("GET", discovery, withhold_token=True).json()
        assert metadata["issuer"] == issuer
        verifier, nonce = generate_token(48), generate_token(20)
        url, state = relying_party.create_authorization_url(
            metadata["authorization_endpoint"],
            code_verifier=verifier,
            nonce=nonce,
            acr_values=f"{SUBSTANTIAL} {HIGH}",
        )

        with httpx.Client(timeout=10) as browser:  # the person, in their browser
            page = browser.get(url)
            assert page.status_code == 200
            assert 'value="substantial" aria-describedby="level-substantial-hint" checked' in (
                page.text
            )
            chosen = {"request_id": request_id_in(page.text), "identity": number(3)}
            answer = browser.post(f"{issuer}/authorize", data={**chosen, "level": "substantial"})
        assert answer.status_code == 303
        back = answer.headers["location"]
        assert back.startswith(REDIRECT_URI)
        assert query_of(back)["iss"] == issuer
        assert query_of(back)["state"] == state

        token = relying_party.fetch_token(
            metadata["token_endpoint"], authorization_response=back, code_verifier=verifier
        )
        published = relying_party.request("GET", metadata["jwks_uri"], withhold_token=True).json()
        keys = KeySet.import_key_set(published)
        id_token = jwt.decode(token["id_token"], keys, algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": CLIENT_ID},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
        ).validate(id_token.claims)
        assert id_token.claims["sub"] == number(3)
        assert id_token.claims["acr"] == SUBSTANTIAL
        assert id_token.claims["name"] == "Diana Lopes"

        userinfo = relying_party.get(metadata["userinfo_endpoint"]).json()
        assert userinfo["sub"] == number(3)
        assert userinfo["birthdate"] == "1988-03-03"

    with httpx.Client(timeout=10) as browser:
        signed_out = browser.get(
            metadata["end_session_endpoint"],
            params={
                "id_token_hint": token["id_token"],
                "post_logout_redirect_uri": AFTER_LOGOUT,
                "state": "bye",
            },
        )
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == f"{AFTER_LOGOUT}?state=bye"

    key_file = data_dir / "idp" / "signing-key.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert json.loads(key_file.read_text())["kid"] == id_token.header["kid"]


def test_the_process_stops_cleanly_on_sigterm(provider: tuple[str, Process]) -> None:
    _issuer, process = provider
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0


def test_without_a_country_the_provider_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "civitas.identity.provider", "serve", "--port", "1"],
        cwd=tmp_path,
        env=server_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Error: The country has not been generated yet" in result.stderr
    assert "Hint: Generate it first: civitas country generate" in result.stderr
