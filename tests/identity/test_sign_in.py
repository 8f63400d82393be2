"""Signing in to the portal through the development provider, as a browser would.

The portal and the provider are both real apps; the test plays the browser, following
each redirect from one to the other. The portal's calls to the provider (discovery,
keys, token) go to the provider app in-process; over loopback between processes in
test_sign_in_browser.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx2
import pytest
from fastapi.testclient import TestClient

from civitas.core.clock import FixedClock
from civitas.web.csrf import COOKIE as FORM_COOKIE
from tests.identity.portal_support import ISSUER, PORTAL, portal_and_provider, sign_in
from tests.identity.provider_support import number, request_id_in
from tests.support.forms import post_form

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANA = 0  # rows of tests.identity.provider_support.PEOPLE


@dataclasses.dataclass
class World:
    portal: TestClient
    provider: TestClient
    clock: FixedClock

    def sign_in(self, row: int, level: str, path: str = "/en/sign-in") -> httpx2.Response:
        return sign_in(self.portal, self.provider, row, level, path)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = FixedClock(NOW)
    portal_app, provider_app = portal_and_provider(tmp_path, clock)
    with (
        TestClient(portal_app, raise_server_exceptions=False) as portal,
        TestClient(provider_app, base_url=ISSUER, raise_server_exceptions=False) as provider,
    ):
        yield World(portal, provider, clock)


def test_a_person_signs_in_and_comes_back_to_their_account_page(world: World) -> None:
    back = world.sign_in(ANA, "substantial")
    assert back.status_code == 303
    assert back.headers["location"] == "/en/account"
    account = world.portal.get("/en/account")
    assert account.status_code == 200
    assert "Ana Costa" in account.text
    assert number(ANA) in account.text
    assert "substantial" in account.text


def test_the_session_cookie_is_http_only_and_same_site(world: World) -> None:
    cookie = world.sign_in(ANA, "low").headers.get_list("set-cookie")
    session = next(c for c in cookie if c.startswith("civitas_session="))
    assert "HttpOnly" in session
    assert "SameSite=lax" in session
    assert "Max-Age=43200" in session


def test_signing_in_gives_a_new_form_token(world: World) -> None:
    world.portal.get("/en/")
    before = world.portal.cookies[FORM_COOKIE]
    world.sign_in(ANA, "low")
    assert world.portal.cookies[FORM_COOKIE] != before


def test_the_provider_is_asked_for_pkce_state_nonce_and_the_level_needed(world: World) -> None:
    started = world.portal.get("/en/sign-in?level=high", follow_redirects=False)
    query = {k: v[0] for k, v in parse_qs(urlsplit(started.headers["location"]).query).items()}
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32
    assert len(query["nonce"]) >= 32
    assert query["acr_values"] == "http://eidas.europa.eu/LoA/high"
    assert query["redirect_uri"] == f"{PORTAL}/sign-in/callback"


def test_a_page_that_needs_sign_in_sends_the_browser_to_sign_in_and_back(world: World) -> None:
    asked = world.portal.get("/en/account", follow_redirects=False)
    assert asked.status_code == 303
    assert asked.headers["location"] == "/en/sign-in?next=%2Fen%2Faccount&level=low"
    back = world.sign_in(ANA, "low", asked.headers["location"])
    assert back.headers["location"] == "/en/account"


def test_a_weaker_sign_in_than_a_page_needs_is_stepped_up_not_refused_silently(
    world: World,
) -> None:
    world.sign_in(ANA, "low")
    page = world.portal.get("/en/mandates", follow_redirects=False)
    assert page.status_code == 403
    assert "Sign in again to continue" in page.text
    assert "level=substantial" in page.text
    assert "next=%2Fen%2Fmandates" in page.text
    stepped = world.sign_in(ANA, "substantial", "/en/sign-in?next=/en/mandates&level=substantial")
    assert stepped.headers["location"] == "/en/mandates"
    assert world.portal.get("/en/mandates").status_code == 200


def test_a_sign_in_that_reached_less_than_asked_says_so_at_once(world: World) -> None:
    back = world.sign_in(ANA, "low", "/en/sign-in?next=/en/mandates&level=substantial")
    assert back.status_code == 403
    assert "Sign in again to continue" in back.text


def test_the_api_says_who_is_signed_in_or_answers_401_in_the_one_error_shape(
    world: World,
) -> None:
    refused = world.portal.get("/api/v1/me")
    assert refused.status_code == 401
    assert refused.json()["ok"] is False
    world.sign_in(ANA, "high")
    me = world.portal.get("/api/v1/me").json()
    assert (me["national_id"], me["name"], me["level"]) == (number(ANA), "Ana Costa", "high")


def test_signing_out_ends_the_session_here_and_at_the_provider(world: World) -> None:
    world.sign_in(ANA, "low")
    out = post_form(world.portal, "/en/sign-out", {}, follow=False)
    assert out.status_code == 303
    assert out.headers["location"].startswith(f"{ISSUER}/logout?id_token_hint=")
    assert world.portal.get("/api/v1/me").status_code == 401


def test_signing_out_everywhere_ends_the_sessions_on_other_devices(world: World) -> None:
    world.sign_in(ANA, "low")
    other_device = world.portal.cookies["civitas_session"]
    world.portal.cookies.clear()
    world.sign_in(ANA, "low")
    post_form(world.portal, "/en/sign-out-everywhere", {})
    world.portal.cookies.set("civitas_session", other_device)
    assert world.portal.get("/api/v1/me").status_code == 401


def test_a_callback_with_an_unknown_state_is_refused_and_opens_no_session(world: World) -> None:
    answer = world.portal.get("/sign-in/callback?code=abc&state=forged")
    assert answer.status_code == 400
    assert "This sign-in has expired or was not started here." in answer.text
    assert "civitas_session" not in world.portal.cookies


def test_a_callback_replayed_after_use_is_refused(world: World) -> None:
    started = world.portal.get("/en/sign-in", follow_redirects=False)
    page = world.provider.get(started.headers["location"].removeprefix(ISSUER))
    form = {"request_id": request_id_in(page.text), "identity": number(ANA), "level": "low"}
    back = (
        world.provider.post("/authorize", data=form, follow_redirects=False)
        .headers["location"]
        .removeprefix(PORTAL)
    )
    assert world.portal.get(back, follow_redirects=False).status_code == 303
    world.portal.cookies.clear()
    assert world.portal.get(back).status_code == 400


def test_an_answer_naming_another_issuer_is_refused(world: World) -> None:
    started = world.portal.get("/en/sign-in", follow_redirects=False)
    page = world.provider.get(started.headers["location"].removeprefix(ISSUER))
    form = {"request_id": request_id_in(page.text), "identity": number(ANA), "level": "low"}
    back = (
        world.provider.post("/authorize", data=form, follow_redirects=False)
        .headers["location"]
        .removeprefix(PORTAL)
    )
    mixed_up = back.replace("iss=http", "iss=https%3A%2F%2Fevil.example%2F")
    answer = world.portal.get(mixed_up)
    assert answer.status_code == 403
    assert "We could not confirm your sign-in." in answer.text


def test_a_cancelled_sign_in_is_said_plainly(world: World) -> None:
    started = world.portal.get("/pt/sign-in", follow_redirects=False)
    state = parse_qs(urlsplit(started.headers["location"]).query)["state"][0]
    answer = world.portal.get(f"/sign-in/callback?error=access_denied&state={state}")
    assert answer.status_code == 400
    assert "You cancelled the sign-in." in answer.text


def test_an_idle_session_ends(world: World) -> None:
    world.sign_in(ANA, "low")
    world.clock.advance(dt.timedelta(minutes=31))
    assert world.portal.get("/api/v1/me").status_code == 401
