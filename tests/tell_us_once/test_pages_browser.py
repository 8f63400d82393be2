"""The tell-us-once pages, checked by axe in a real Chromium (WCAG 2.2 A and AA), in both
languages: the form, the form with errors, and where the new address went.

As for the application pages, the portal renders them with real registry nodes behind
it before the browser starts; the browser then loads them, styled as served.
"""

from __future__ import annotations

from collections.abc import Callable
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
from tests.support.inboxes import eventually
from tests.support.signed_portal import PORTAL
from tests.tell_us_once.test_journey import NEW

pytestmark = pytest.mark.browser
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
        keep_assets(client, pages)
    return pages


@pytest.mark.parametrize("path", PAGES)
def test_the_tell_us_once_pages_have_no_accessibility_violations(
    served: Served, browser: Browser, path: str
) -> None:
    name = f"tell-us-once{path.replace('/', '-')}"
    violations = check_served_page(browser, served, PORTAL, path, name, DESKTOP)
    assert not violations, describe_violations(path, violations)
