"""Every form must carry this browser's token: a forged form is refused before any route runs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from civitas.web.csrf import COOKIE, FIELD
from tests.support.forms import form_token, post_form

SCREENER = "/en/check-what-you-may-get"


def test_a_first_page_gives_the_browser_a_token_in_a_strict_http_only_cookie(
    client: TestClient,
) -> None:
    response = client.get("/en/")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # plain http on loopback; Secure behind https


def test_forms_carry_the_token_of_the_cookie(client: TestClient) -> None:
    page = client.get(SCREENER).text
    assert f'name="{FIELD}" value="{form_token(client)}"' in page


def test_the_token_stays_the_same_across_pages(client: TestClient) -> None:
    first = form_token(client)
    client.get("/en/services")
    assert client.cookies[COOKIE] == first


def test_a_form_with_its_token_is_accepted(client: TestClient) -> None:
    response = post_form(client, SCREENER, {"partner": "no", "children": "0"})
    assert response.status_code == 200


def test_a_form_without_a_token_is_refused_with_a_page_that_says_what_to_do(
    client: TestClient,
) -> None:
    form_token(client)
    response = client.post(SCREENER, data={"partner": "no", "children": "0"})
    assert response.status_code == 403
    assert "We could not accept this form." in response.text
    assert "reload the page and send it again" in response.text


def test_a_form_with_another_browsers_token_is_refused(client: TestClient) -> None:
    form_token(client)
    response = client.post(SCREENER, data={FIELD: "x" * 43, "partner": "no", "children": "0"})
    assert response.status_code == 403


def test_a_form_from_a_browser_without_the_cookie_is_refused(client: TestClient) -> None:
    token = form_token(client)
    client.cookies.clear()
    response = client.post(SCREENER, data={FIELD: token, "partner": "no", "children": "0"})
    assert response.status_code == 403


def test_a_multipart_form_is_checked_too(client: TestClient) -> None:
    token = form_token(client)
    fields = {FIELD: token, "partner": "no", "children": "0"}
    accepted = client.post(SCREENER, files={k: (None, v) for k, v in fields.items()})
    assert accepted.status_code == 200
    forged = {**fields, FIELD: "forged"}
    refused = client.post(SCREENER, files={k: (None, v) for k, v in forged.items()})
    assert refused.status_code == 403


def test_the_refusal_is_in_the_language_of_the_page(client: TestClient) -> None:
    form_token(client)
    response = client.post("/pt/check-what-you-may-get", data={"partner": "no"})
    assert response.status_code == 403
    assert 'lang="pt"' in response.text


def test_the_json_api_takes_no_cookie_credentials_and_needs_no_token(client: TestClient) -> None:
    response = client.post("/api/v1/rules/calculate", json={})
    assert response.status_code != 403
