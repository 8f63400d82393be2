"""The inbox pages in a real Chromium: axe (WCAG 2.2 A and AA) in both languages and at
both sizes, and the Accept button reached with the keyboard alone.

The pages are rendered by the real portal, with real registry nodes behind it, and kept
with the portal's style sheets before the browser starts: Playwright's event loop must
not overlap with the portal's. The browser then loads them from its own address, styled
exactly as served; a screenshot of each is kept in test-artifacts/screenshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route

from civitas.proactive.domain import Action
from tests.applications.support import Nodes, portal, registry_nodes, write_registers
from tests.identity.provider_support import number
from tests.proactive.inbox_support import decision, engine_of, settle
from tests.support.browser import (
    DESKTOP,
    MOBILE,
    KeyboardUser,
    Served,
    check_served_page,
    describe_violations,
    keep_assets,
    screenshot,
)
from tests.support.forms import post_form
from tests.support.signed_portal import PORTAL

pytestmark = pytest.mark.browser
ANA = 0
FEBRUARY = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC)
PAGES = [
    "/en/inbox",
    "/pt/inbox",
    "/en/offer",
    "/pt/offer",
    "/en/question",
    "/en/decline",
    "/en/declined",
    "/en/empty",
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("inbox-browser-country")
    write_registers(data)
    return data


@pytest.fixture(scope="module")
def nodes(data_dir: Path) -> Iterator[Nodes]:
    with registry_nodes(data_dir) as urls:
        yield urls


@pytest.fixture(scope="module")
def served(data_dir: Path, nodes: Nodes, tmp_path_factory: pytest.TempPathFactory) -> Served:
    """Path -> (status, content type, body) of the pages under test and what they load."""
    pages: Served = {}
    database = tmp_path_factory.mktemp("inbox-browser") / "portal.db"
    with portal(data_dir, nodes, database) as world:
        world.sign_in(ANA, "substantial")
        client = world.portal
        pages["/en/empty"] = (200, "text/html", client.get("/en/inbox").content)
        ana = number(ANA)
        offer, grant, question, _suggestion, other = settle(
            engine_of(world),
            decision(ana),
            decision(ana, "birth-grant", Action.GRANTED, amount_cents=75_000),
            decision(ana, "parental-allowance", Action.NEEDS_INFORMATION, amount_cents=None),
            decision(ana, "housing-allowance", Action.SUGGESTED, decided_at=FEBRUARY),
            decision(ana, "unemployment-benefit", decided_at=FEBRUARY, life_event="losing-a-job"),
        )
        declined = post_form(client, f"/en/inbox/{other.id}/decline", {"confirm": "yes"})
        assert declined.status_code == 200, declined.text
        shown = {
            "/en/inbox": "/en/inbox",
            "/pt/inbox": "/pt/inbox",
            "/en/offer": f"/en/inbox/{offer.id}",
            "/pt/offer": f"/pt/inbox/{offer.id}",
            "/en/question": f"/en/inbox/{question.id}",
            "/en/declined": f"/en/inbox/{other.id}?done=declined",
        }
        for path, url in shown.items():
            answer = client.get(url)
            assert answer.status_code == 200, answer.text
            pages[path] = (200, "text/html", answer.content)
        confirm = post_form(client, f"/en/inbox/{offer.id}/decline", {})
        assert confirm.status_code == 200, confirm.text
        pages["/en/decline"] = (200, "text/html", confirm.content)
        keep_assets(client, pages)
    assert grant.state.value == "done"
    return pages


@pytest.mark.parametrize("path", PAGES)
def test_the_inbox_pages_have_no_accessibility_violations(
    served: Served, browser: Browser, path: str
) -> None:
    for size, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        name = f"inbox{path.replace('/', '-')}-{size}"
        violations = check_served_page(browser, served, PORTAL, path, name, viewport)
        assert not violations, describe_violations(path, violations)


@contextmanager
def opened(browser: Browser, served: Served, path: str) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()

    def fulfil(route: Route) -> None:
        found = served.get(route.request.url.removeprefix(PORTAL).split("?")[0])
        if found is None:
            route.fulfill(status=404, body="")
        else:
            status, kind, body = found
            route.fulfill(status=status, content_type=kind, body=body)

    page.route(f"{PORTAL}/**", fulfil)
    page.goto(PORTAL + path)
    try:
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/en/inbox", "/en/offer"])
def test_the_accept_button_is_reached_with_tab_and_shows_its_focus(
    served: Served, browser: Browser, path: str
) -> None:
    with opened(browser, served, path) as page:
        keyboard = KeyboardUser(page)
        keyboard.arrive()
        offer = decision(number(ANA))
        focused = keyboard.tab_until(f'form[action="/en/inbox/{offer.id}/accept"] button')
        assert focused["text"] == "Accept (Child benefit)"
        screenshot(page, f"inbox{path.replace('/', '-')}-accept-focused")


def test_the_rules_trace_opens_from_the_keyboard(served: Served, browser: Browser) -> None:
    with opened(browser, served, "/en/offer") as page:
        keyboard = KeyboardUser(page)
        keyboard.arrive()
        keyboard.tab_until("summary")
        page.keyboard.press("Enter")
        trace = page.locator("details")
        assert trace.get_attribute("open") is not None
        assert "Number of children under 18" in trace.inner_text()
        screenshot(page, "inbox-en-offer-trace-open")
