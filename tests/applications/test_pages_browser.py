"""The preview and the form, checked by axe in a real Chromium (WCAG 2.2 A and AA).

The pages are rendered by the real portal with real registry nodes behind it, and
kept, with the portal's style sheets, before the browser starts: Playwright's event
loop must not overlap with the portal's. The browser then loads them from its own
address, styled exactly as served.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.applications.support import Nodes, portal
from tests.support.browser import (
    DESKTOP,
    Served,
    check_served_page,
    describe_violations,
    keep_assets,
)
from tests.support.forms import post_form
from tests.support.signed_portal import PORTAL

pytestmark = pytest.mark.browser
ANA = 0


@pytest.fixture(scope="module")
def served(data_dir: Path, nodes: Nodes, tmp_path_factory: pytest.TempPathFactory) -> Served:
    """Path -> (status, content type, body) of the pages under test and what they load."""
    pages: Served = {}
    database = tmp_path_factory.mktemp("browser") / "portal.db"
    with portal(data_dir, nodes, database) as world:
        world.sign_in(ANA, "substantial")
        client = world.portal
        preview = client.get("/en/apply/housing-allowance")
        form_at = post_form(client, "/en/apply/housing-allowance", {}, follow=False)
        location = form_at.headers["location"]
        form = client.get(location)
        errors = post_form(client, location, {"check-street": "change"})
        for path, answer in (
            ("/preview", preview),
            ("/form", form),
            ("/form-with-errors", errors),
        ):
            pages[path] = (answer.status_code, "text/html", answer.content)
        keep_assets(client, pages)
    return pages


@pytest.mark.parametrize("path", ["/preview", "/form", "/form-with-errors"])
def test_the_application_pages_have_no_accessibility_violations(
    served: Served, browser: Browser, path: str
) -> None:
    name = f"application{path.replace('/', '-')}"
    violations = check_served_page(browser, served, PORTAL, path, name, DESKTOP)
    assert not violations, describe_violations(path, violations)
