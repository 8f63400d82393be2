"""A portal that trusts the development provider, both in-process, and signing in between them.

The portal's calls to the provider (discovery, keys, token) go to the provider app over
an in-process transport; the test plays the browser, carrying each redirect across.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from civitas.app import build_platform, create_app
from civitas.config import IdentityProviderSetting, Settings
from civitas.core.clock import FixedClock
from civitas.identity.provider import Client, ProviderConfig, create_provider_app
from civitas.identity.provider.choice import SOMEONE_ELSE
from tests.identity.provider_support import number, request_id_in, write_population

ISSUER = "http://127.0.0.1:8090"
PORTAL = "http://testserver"
SECRET = "portal-test-secret"


def portal_and_provider(
    folder: Path, clock: FixedClock, **settings: Any
) -> tuple[FastAPI, FastAPI]:
    """The portal app and the provider app it trusts; the provider's people in ``folder``."""
    write_population(folder)
    client = Client("civitas-portal", SECRET, (f"{PORTAL}/sign-in/callback",), (f"{PORTAL}/",))
    provider = create_provider_app(
        ProviderConfig(ISSUER, (client,), folder / "country", folder / "idp" / "key.json"),
        clock=clock,
    )
    portal_settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=folder / "data",
        public_url=PORTAL,
        identity_providers=[
            IdentityProviderSetting(
                id="valdoria-id",
                name="Valdoria ID",
                issuer=ISSUER,
                client_id="civitas-portal",
                client_secret=SecretStr(SECRET),
            )
        ],
        **settings,
    )
    transport = httpx2.ASGITransport(app=provider)
    platform = build_platform(portal_settings, clock=clock, identity_transport=transport)
    return create_app(portal_settings, platform), provider


def sign_in(
    portal: TestClient,
    provider: TestClient,
    row: int,
    level: str,
    path: str = "/en/sign-in",
    typed: bool = False,
) -> httpx2.Response:
    """Start at the portal, choose a person and a level at the provider, come back.

    ``typed``: the person's number is typed in ("someone else"), for those the provider
    does not offer on its page (children, for one).
    """
    started = portal.get(path, follow_redirects=False)
    assert started.status_code == 303, started.text
    authorize = started.headers["location"]
    assert authorize.startswith(f"{ISSUER}/authorize?")
    page = provider.get(authorize.removeprefix(ISSUER))
    assert page.status_code == 200, page.text
    form = {"request_id": request_id_in(page.text), "identity": number(row), "level": level}
    if typed:
        form.update(identity=SOMEONE_ELSE, national_number=number(row))
    answer = provider.post("/authorize", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    back = answer.headers["location"]
    assert back.startswith(f"{PORTAL}/sign-in/callback?")
    return portal.get(back.removeprefix(PORTAL), follow_redirects=False)
