"""The provider's sign-in page in a real Chromium: accessible, and usable without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.identity.provider_support import (
    REDIRECT_URI,
    SUBSTANTIAL,
    authorization_parameters,
    number,
    pkce,
    query_of,
    running_provider,
    write_population,
)
from tests.support.browser import DESKTOP, SCREENSHOTS, axe_violations, describe_violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def issuer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("idp-browser")
    write_population(folder)
    with running_provider(folder) as (address, _process):
        yield address


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)  # the page has no scripts of its own
    yield context.new_page()
    context.close()


def sign_in_address(issuer: str, lang: str) -> str:
    _verifier, challenge = pkce()
    parameters = authorization_parameters(challenge, acr_values=SUBSTANTIAL)
    return f"{issuer}/authorize?{urlencode({**parameters, 'lang': lang})}"


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_the_sign_in_page_meets_wcag_2_2_aa(tab: Page, issuer: str, lang: str) -> None:
    tab.goto(sign_in_address(issuer, lang))
    violations = axe_violations(tab)
    assert not violations, describe_violations(tab.url, violations)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=SCREENSHOTS / f"idp-sign-in-{lang}.png", full_page=True)


def test_a_person_corrects_a_mistake_and_is_sent_back_signed_in(tab: Page, issuer: str) -> None:
    arrived: list[str] = []

    def service(route: Route) -> None:  # the relying party's callback, not running here
        arrived.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>back</title>")

    tab.route(f"{REDIRECT_URI}**", service)
    tab.goto(sign_in_address(issuer, "en"))
    tab.get_by_label("Someone else in the population register").check()
    tab.get_by_label("National number of someone else").fill("12345")
    tab.get_by_role("button", name="Sign in").click()
    assert (
        tab.get_by_role("alert")
        .inner_text()
        .endswith("Enter a national number of 9 digits, like 123456789.")
    )
    violations = axe_violations(tab)
    assert not violations, describe_violations(tab.url, violations)
    tab.get_by_label("National number of someone else").fill(number(5))
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{REDIRECT_URI}**")
    [back] = arrived
    assert query_of(back)["state"] == "state-123"
    assert query_of(back)["code"]
