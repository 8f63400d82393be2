"""Signing in and out in a real Chromium: the portal and the provider as their own processes.

The portal (``civitas serve``) and the development provider (``python -m
civitas.identity.provider``) talk over loopback exactly as in production: discovery,
keys and the token request go over HTTP, the browser carries the redirects.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.identity.provider_support import SECRET, number, running_provider, write_population
from tests.support.browser import (
    DESKTOP,
    SCREENSHOTS,
    KeyboardUser,
    axe_violations,
    describe_violations,
)
from tests.support.live_server import free_port, live_server

pytestmark = pytest.mark.browser
ANA, BRUNO = 0, 1


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The portal's base URL, with the provider it trusts running beside it."""
    folder = tmp_path_factory.mktemp("sign-in")
    write_population(folder)
    port = free_port()
    portal_url = f"http://127.0.0.1:{port}"
    with running_provider(
        folder,
        "--redirect-uri",
        f"{portal_url}/sign-in/callback",
        "--post-logout-redirect-uri",
        f"{portal_url}/",
    ) as (issuer, _process):
        provider = {
            "id": "valdoria-id",
            "name": "Valdoria ID",
            "issuer": issuer,
            "client_id": "civitas-portal",
            "client_secret": SECRET,
        }
        settings = {
            "CIVITAS_PUBLIC_URL": portal_url,
            "CIVITAS_IDENTITY_PROVIDERS": json.dumps([provider]),
        }
        with live_server(folder / "portal", port, settings) as base_url:
            yield base_url


@pytest.fixture
def tab(browser: Browser, portal: str) -> Iterator[Page]:
    context = browser.new_context(base_url=portal, viewport=DESKTOP)
    yield context.new_page()
    context.close()


LABELS = {
    "en": ("Someone else in the population register", "National number of someone else", "Sign in"),
    "pt": (
        "Outra pessoa do registo da população",
        "Número nacional de outra pessoa",
        "Iniciar sessão",
    ),
}


def sign_in_at_the_provider(tab: Page, level: str, lang: str = "en", row: int = ANA) -> None:
    someone, number_field, button = LABELS[lang]
    tab.get_by_label(someone).check()
    tab.get_by_label(number_field).fill(number(row))
    tab.get_by_label(level, exact=True).check()
    tab.get_by_role("button", name=button, exact=True).click()


def test_a_person_signs_in_from_the_header_and_out_again(tab: Page, portal: str) -> None:
    tab.goto("/en/services")
    tab.get_by_role("link", name="Sign in").click()
    sign_in_at_the_provider(tab, "Substantial")
    tab.wait_for_url(f"{portal}/en/services")
    assert tab.get_by_role("link", name="Ana Costa").is_visible()
    tab.get_by_role("link", name="Ana Costa").click()
    assert tab.get_by_role("heading", level=1).inner_text() == "Your account"
    violations = axe_violations(tab)
    assert not violations, describe_violations(tab.url, violations)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=SCREENSHOTS / "account-en.png", full_page=True)
    tab.get_by_role("button", name="Sign out", exact=True).click()
    tab.wait_for_url(f"{portal}/en/")  # back from the provider's sign-out, to the home page
    assert tab.get_by_role("link", name="Sign in").is_visible()
    assert tab.request.get(f"{portal}/api/v1/me").status == 401


def test_a_weaker_sign_in_is_asked_to_step_up_in_portuguese(tab: Page, portal: str) -> None:
    tab.goto("/pt/mandates")
    sign_in_at_the_provider(tab, "Baixo", "pt")
    tab.wait_for_url(f"{portal}/sign-in/callback**")
    assert (
        tab.get_by_role("heading", level=1).inner_text() == "Inicie sessão de novo para continuar"
    )
    violations = axe_violations(tab)
    assert not violations, describe_violations(tab.url, violations)
    tab.get_by_role("link", name="Iniciar sessão com o nível").click()
    sign_in_at_the_provider(tab, "Substancial", "pt")
    tab.wait_for_url(f"{portal}/pt/mandates")


@pytest.mark.parametrize("lang", ["en", "pt"])
def test_every_page_of_a_signed_in_person_meets_wcag_2_2_aa(
    tab: Page, portal: str, lang: str
) -> None:
    tab.goto(f"/{lang}/account")
    sign_in_at_the_provider(tab, "Substantial" if lang == "en" else "Substancial", lang)
    tab.wait_for_url(f"{portal}/{lang}/account")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for page in ("account", "mandates", "who-used-my-data", "account/consent-codes"):
        tab.goto(f"/{lang}/{page}")
        assert tab.get_by_role("heading", level=1).count() == 1
        violations = axe_violations(tab)
        assert not violations, describe_violations(tab.url, violations)
        name = page.replace("/", "-")
        tab.screenshot(path=SCREENSHOTS / f"identity-{name}-{lang}.png", full_page=True)


def test_the_banner_of_acting_for_someone_meets_wcag_2_2_aa_and_stops_from_the_keyboard(
    browser: Browser, portal: str
) -> None:
    bruno = browser.new_context(base_url=portal, viewport=DESKTOP).new_page()
    bruno.goto("/en/mandates")
    sign_in_at_the_provider(bruno, "Substantial", row=BRUNO)
    bruno.wait_for_url(f"{portal}/en/mandates")
    bruno.get_by_label("Their national number").fill(number(ANA))
    bruno.get_by_label("Housing allowance").check()
    bruno.get_by_label("Last day of the mandate").fill("2030-12-31")
    bruno.get_by_role("button", name="Give the mandate").click()
    bruno.context.close()

    ana = browser.new_context(base_url=portal, viewport=DESKTOP).new_page()
    ana.goto("/en/mandates")
    sign_in_at_the_provider(ana, "Substantial")
    ana.wait_for_url(f"{portal}/en/mandates")
    ana.get_by_role("button", name="Accept").click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ana.screenshot(path=SCREENSHOTS / "identity-act-for-en.png", full_page=True)
    ana.get_by_role("button", name="Act for Bruno Costa").click()
    banner = ana.get_by_role("region", name="Acting for someone else")
    assert "You are acting for Bruno Costa (under a mandate until 2030-12-31)" in (
        banner.inner_text()
    )
    named = {"en": "Acting for someone else", "pt": "A agir em nome de outra pessoa"}
    for lang, name in named.items():
        ana.goto(f"/{lang}/mandates")
        assert ana.get_by_role("region", name=name).is_visible()
        violations = axe_violations(ana)
        assert not violations, describe_violations(ana.url, violations)
        ana.screenshot(path=SCREENSHOTS / f"identity-acting-{lang}.png", full_page=True)

    ana.goto("/en/services")
    keyboard = KeyboardUser(ana)
    keyboard.arrive()
    keyboard.tab_until(".acting button")  # before the page's own content, focus visible
    keyboard.follow()
    assert "You stopped acting for someone else" in ana.content()
    assert ana.get_by_role("region", name="Acting for someone else").count() == 0
    ana.context.close()
