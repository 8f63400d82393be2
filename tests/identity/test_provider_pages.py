"""The provider's pages: choosing a test person and a level, in English and Portuguese."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

from civitas.core.clock import FixedClock
from civitas.identity.provider.app import load_identity_book
from civitas.identity.provider.identities import IdentityBook
from civitas.identity.provider.keys import load_signing_key
from civitas.registries import with_check_digits
from tests.identity.provider_support import (
    HIGH,
    NUMBERS,
    PEOPLE,
    REDIRECT_URI,
    SUBSTANTIAL,
    authorization_parameters,
    config,
    number,
    pkce,
    query_of,
    request_id_in,
    start,
    write_population,
)

NOW = dt.datetime(2025, 1, 1, 9, 0, tzinfo=dt.UTC)
UNKNOWN = f"{with_check_digits(np.array([99_999_950]))[0]:09d}"  # well formed, nobody's


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("idp-pages")
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


def open_page(provider: TestClient, **changes: str | None) -> str:
    _verifier, challenge = pkce()
    response = provider.get("/authorize", params=authorization_parameters(challenge, **changes))
    assert response.status_code == 200, response.text
    return response.text


def checked(page: str, name: str) -> list[str]:
    """The values of the checked radio buttons called ``name``."""
    pattern = rf'<input[^>]*name="{name}" value="([^"]+)"[^>]*\bchecked\b'
    return re.findall(pattern, page)


def choose(provider: TestClient, page: str, **fields: str) -> TestClient:
    form = {"request_id": request_id_in(page), "level": "substantial", **fields}
    return provider.post("/authorize", data=form)  # type: ignore[return-value]


def test_the_page_offers_featured_people_staff_and_three_levels(provider: TestClient) -> None:
    page = open_page(provider)
    for row in (0, 1, 3, 7, 8, 9, 10, 11, 12, 13, 14, 16):
        given, family = PEOPLE[row][:2]
        assert f"<strong>{given} {family}</strong>" in page
        assert f'value="{number(row)}"' in page
    assert "Rui Antunes" not in page  # deceased
    assert "Ana Costa</strong>, 30 years old" in page
    assert (
        "Other parent of Ana Costa’s baby" in page or "Other parent of Ana Costa&#39;s baby" in page
    )
    assert "Desk agent (test)" in page
    assert 'value="999999044"' in page  # the administrator
    assert re.findall(r'name="level" value="(\w+)"', page) == ["low", "substantial", "high"]
    assert checked(page, "level") == ["low"]
    assert "The service did not ask for a level." in page
    assert checked(page, "identity") == []


def test_the_level_the_service_asked_for_is_preselected(provider: TestClient) -> None:
    page = open_page(provider, acr_values=f"{SUBSTANTIAL} {HIGH}")
    assert checked(page, "level") == ["substantial"]
    assert "The service asked for the level “Substantial”." in page


def test_a_lower_level_than_asked_can_be_chosen(provider: TestClient) -> None:
    page = open_page(provider, acr_values=HIGH)
    answer = choose(provider, page, identity=number(0), level="low")
    assert answer.status_code == 303
    assert "code" in query_of(answer.headers["location"])


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        ({"lang": "pt"}, {}),
        ({}, {"Accept-Language": "pt-PT,pt;q=0.9,en;q=0.5"}),
        ({"ui_locales": "pt-PT en"}, {"Accept-Language": "en"}),
    ],
)
def test_the_page_speaks_portuguese_when_asked(
    provider: TestClient, query: dict[str, str], headers: dict[str, str]
) -> None:
    _verifier, challenge = pkce()
    params = {**authorization_parameters(challenge), **query}
    response = provider.get("/authorize", params=params, headers=headers)
    assert response.headers["content-language"] == "pt"
    assert '<html lang="pt">' in response.text
    assert "Saltar para o conteúdo principal" in response.text
    assert 'action="/authorize?lang=pt"' in response.text
    english = re.search(r'<a href="([^"]+)" hreflang="en"', response.text)
    assert english, "no link to the English page"
    link = english.group(1).replace("&amp;", "&")
    assert query_of(link)["lang"] == "en"
    assert query_of(link)["code_challenge"] == challenge  # the same request, in English


def test_any_national_number_of_the_register_can_sign_in(provider: TestClient) -> None:
    page = open_page(provider)
    typed = f"{number(5)[:3]} {number(5)[3:6]} {number(5)[6:]}"  # a child not on the list
    answer = choose(provider, page, identity="other", national_number=typed)
    assert answer.status_code == 303
    assert query_of(answer.headers["location"])["state"] == "state-123"


def test_a_typed_number_alone_is_enough(provider: TestClient) -> None:
    answer = choose(provider, open_page(provider), national_number=number(5))
    assert answer.status_code == 303


def _wrong_check_digit(row: int) -> str:
    text = number(row)
    return text[:-1] + str((int(text[-1]) + 1) % 10)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a national number."),
        ("12345", "Enter a national number of 9 digits, like 123456789."),
        ("12345678X", "Enter a national number of 9 digits, like 123456789."),
        (_wrong_check_digit(5), "This national number has a wrong check digit. Check each digit."),
        (UNKNOWN, "No one in the population register has this national number."),
        (number(15), "The population register records this person as deceased."),
    ],
)
def test_a_typed_national_number_is_checked_next_to_its_field(
    provider: TestClient, typed: str, message: str
) -> None:
    assert int(UNKNOWN) not in NUMBERS
    page = open_page(provider)
    answer = choose(provider, page, identity="other", national_number=typed)
    assert answer.status_code == 400
    assert 'href="#national-number"' in answer.text  # the error summary links to the field
    assert f'id="national-number-error"><span class="visually-hidden">Error: </span>{message}' in (
        answer.text
    )
    assert "<title>Error: " in answer.text
    retry = choose(provider, answer.text, identity="other", national_number=number(5))
    assert retry.status_code == 303  # the same request goes on once corrected


def test_nothing_chosen_shows_both_problems(provider: TestClient) -> None:
    page = open_page(provider)
    answer = provider.post("/authorize", data={"request_id": request_id_in(page)})
    assert answer.status_code == 400
    assert "Choose who to sign in as." in answer.text
    assert "Choose a level of assurance." in answer.text


def test_a_form_from_another_browser_is_refused(provider: TestClient) -> None:
    page = open_page(provider)
    provider.cookies.clear()  # what a forged form, posted from another site's page, lacks
    answer = choose(provider, page, identity=number(0))
    assert answer.status_code == 403
    assert "location" not in answer.headers


def test_a_sign_in_form_works_once(provider: TestClient) -> None:
    page = open_page(provider)
    assert choose(provider, page, identity=number(0)).status_code == 303
    again = choose(provider, page, identity=number(0))
    assert again.status_code == 400
    assert "expired or was already used" in again.text
    forged = provider.post("/authorize", data={"request_id": "guessed", "identity": number(0)})
    assert forged.status_code == 400


def test_a_sign_in_page_expires_after_15_minutes(provider: TestClient, clock: FixedClock) -> None:
    page = open_page(provider)
    clock.advance(dt.timedelta(minutes=15))
    assert choose(provider, page, identity=number(0)).status_code == 400


def test_cancelling_tells_the_service_access_was_denied(provider: TestClient) -> None:
    page = open_page(provider)
    answer = choose(provider, page, action="cancel")
    assert answer.status_code == 303
    assert answer.headers["location"].startswith(REDIRECT_URI + "?")
    assert query_of(answer.headers["location"])["error"] == "access_denied"
    assert query_of(answer.headers["location"])["state"] == "state-123"


def test_sign_in_pages_are_neither_framed_nor_stored(provider: TestClient) -> None:
    _verifier, challenge = pkce()
    response = provider.get("/authorize", params=authorization_parameters(challenge))
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("civitas_idp_browser=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/authorize", None),
        ("GET", "/no-such-page", None),
        ("DELETE", "/token", None),
        ("POST", "/token", b"grant_type=authorization_code&grant_type=x"),
        ("POST", "/token", b"\xff\xfe not a form"),
        ("POST", "/authorize", b'{"json": true}'),
        ("POST", "/authorize", b"x" * 70_000),
        ("GET", "/userinfo", None),
        ("GET", "/logout?id_token_hint=a.b.c&client_id=nobody", None),
        ("POST", "/logout", b"state=1&state=2"),
        ("POST", "/token", "redirect_uri=é&code=c&code_verifier=v&grant_type=authorization_code"),
    ],
)
def test_bad_input_never_gets_a_server_error(
    provider: TestClient, method: str, path: str, body: bytes | str | None
) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    response = provider.request(method, path, content=body, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    assert "Traceback" not in response.text


def test_the_home_page_says_what_this_is(provider: TestClient) -> None:
    page = provider.get("/")
    assert page.status_code == 200
    assert "Never use it for real people." in page.text
    assert provider.get("/static/civitas.css").status_code == 200
