"""The consents page, checked by axe in a real Chromium (WCAG 2.2 A and AA), in both
languages and with a field error.

The pages are rendered by the real portal with real registry nodes behind it, and kept,
with the portal's style sheets, before the browser starts: Playwright's event loop must
not overlap with the portal's. The browser then loads them from its own address, styled
exactly as served, and a screenshot of each is kept in test-artifacts/screenshots.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.applications.support import Nodes, portal
from tests.consents.support import answer, request_consent, signed_in
from tests.identity.provider_support import number
from tests.support.browser import (
    DESKTOP,
    MOBILE,
    Served,
    check_served_page,
    describe_violations,
    keep_assets,
)
from tests.support.signed_portal import PORTAL

pytestmark = pytest.mark.browser
ANA, CARLA = 0, 2  # a mother and her baby (tests.identity.provider_support.PEOPLE)
PAGES = [
    "/en/account/consents",
    "/pt/account/consents",
    "/en/consent-with-an-error",
    "/en/consent-given",
]


@pytest.fixture(scope="module")
def served(data_dir: Path, nodes: Nodes, tmp_path_factory: pytest.TempPathFactory) -> Served:
    """Path -> (status, content type, body) of the pages under test and what they load."""
    consent_id = request_consent(data_dir, nodes, CARLA)
    pages: Served = {}
    database = tmp_path_factory.mktemp("consents-browser") / "portal.db"
    with portal(data_dir, nodes, database) as world:
        ana = signed_in(world, ANA)
        for path in PAGES[:2]:
            shown = ana.get(path)
            assert shown.status_code == 200, shown.text
            pages[path] = (200, "text/html", shown.content)
        too_late = dt.date.today() + dt.timedelta(days=800)
        refused = answer(ana, consent_id, "grant", number(CARLA), too_late)
        assert refused.status_code == 400, refused.text
        pages[PAGES[2]] = (400, "text/html", refused.content)
        in_a_month = dt.date.today() + dt.timedelta(days=30)
        given = answer(ana, consent_id, "grant", number(CARLA), in_a_month)
        assert given.status_code == 303, given.text
        pages[PAGES[3]] = (200, "text/html", ana.get(given.headers["location"]).content)
        keep_assets(ana, pages)
    return pages


@pytest.mark.parametrize("path", PAGES)
def test_the_consents_page_has_no_accessibility_violations(
    served: Served, browser: Browser, path: str
) -> None:
    for size, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        name = f"consents{path.replace('/', '-')}-{size}"
        violations = check_served_page(browser, served, PORTAL, path, name, viewport)
        assert not violations, describe_violations(path, violations)
