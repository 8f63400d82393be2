"""The tell-us-once pages, checked by axe in a real Chromium (WCAG 2.2 A and AA), in both
languages: the form, the form with errors, and where the new address went.

As for the application pages, the portal renders them with real registry nodes behind
it before the browser starts; the browser then loads them, styled as served.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from tests.applications.support import PORTAL, Nodes, portal
from tests.support.browser import DESKTOP, SCREENSHOTS, axe_violations, describe_violations
from tests.support.forms import post_form
from tests.support.inboxes import eventually
from tests.tell_us_once.test_journey import NEW

pytestmark = pytest.mark.browser
Served = dict[str, tuple[int, str, bytes]]
PAGES = [f"/{lang}/{page}" for lang in ("en", "pt") for page in ("form", "errors", "change")]


@pytest.fixture(scope="module")
def served(data_dir: Path, nodes: Nodes, tmp_path_factory: pytest.TempPathFactory) -> Served:
    """Path -> (status, content type, body) of the pages under test and what they load."""
    pages: Served = {}
    database = tmp_path_factory.mktemp("browser") / "portal.db"
    with portal(data_dir, nodes, database) as world:
        world.sign_in(0, "substantial")
        client = world.portal
        told = post_form(client, "/en/change-of-address", NEW, follow=False)
        change_at = told.headers["location"]
        delivered: Callable[[], bool] = lambda: "Delivered" in client.get(change_at).text  # noqa: E731
        eventually(delivered)
        for lang in ("en", "pt"):
            form = client.get(f"/{lang}/change-of-address")
            errors = post_form(client, f"/{lang}/change-of-address", {"street": "Rua"})
            change = client.get(change_at.replace("/en/", f"/{lang}/"))
            for name, answer in (("form", form), ("errors", errors), ("change", change)):
                pages[f"/{lang}/{name}"] = (answer.status_code, "text/html", answer.content)
                for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', answer.text):
                    loaded = client.get(asset)
                    pages[asset] = (200, loaded.headers["content-type"], loaded.content)
    return pages


@pytest.mark.parametrize("path", PAGES)
def test_the_tell_us_once_pages_have_no_accessibility_violations(
    served: Served, browser: Browser, path: str
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()

    def answer(route: Route) -> None:
        found = served.get(route.request.url.removeprefix(PORTAL).split("?")[0])
        if found is None:
            route.fulfill(status=404, body="")
        else:
            status, kind, body = found
            route.fulfill(status=status, content_type=kind, body=body)

    page.route(f"{PORTAL}/**", answer)
    page.goto(PORTAL + path)
    assert page.locator("h1").count() == 1  # the page itself, not an empty stand-in
    violations = axe_violations(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = f"tell-us-once{path.replace('/', '-')}.png"
    page.screenshot(path=SCREENSHOTS / name, full_page=True)
    context.close()
    assert not violations, describe_violations(path, violations)
