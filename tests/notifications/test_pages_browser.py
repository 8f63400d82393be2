"""The messages pages and the notification settings, checked by axe in a real Chromium
(WCAG 2.2 A and AA) at desktop and mobile sizes: the list, one message, the settings, the
settings with errors and once saved, in both languages.

The portal renders them before the browser starts (Playwright's event loop must not
overlap with the portal's); the browser then loads them, styled as served, and a
screenshot of each is kept in test-artifacts/screenshots.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.identity.provider_support import number
from tests.notifications.portal import ANA, running_portal
from tests.notifications.support import offer
from tests.support.browser import (
    DESKTOP,
    MOBILE,
    Served,
    check_served_page,
    describe_violations,
    keep_assets,
)
from tests.support.forms import post_form
from tests.support.signed_portal import PORTAL

pytestmark = pytest.mark.browser
NAMES = ("messages", "message", "settings", "settings-errors", "settings-saved")
PAGES = [f"/{lang}/{name}" for lang in ("en", "pt") for name in NAMES]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Served:
    """Path -> (status, content type, body) of the pages under test and what they load."""
    pages: Served = {}
    folder = tmp_path_factory.mktemp("notifications-browser")
    with running_portal(folder, notification_seconds=3600) as portal:
        ana = portal.signed_in(ANA)
        (offered,) = portal.tell(offer("browser:1", number(ANA)))
        portal.tell(offer("browser:2", number(ANA), template="service-suggested", address=None))
        assert portal.dispatch() == 1
        for lang in ("en", "pt"):
            answers = {
                "messages": ana.get(f"/{lang}/messages"),
                "message": ana.get(f"/{lang}/messages/{offered}"),
                "settings": ana.get(f"/{lang}/account/notifications"),
                "settings-errors": post_form(
                    ana,
                    f"/{lang}/account/notifications",
                    {"channels": ["email", "letter"], "email": "ana at home", "language": ""},
                ),
                "settings-saved": post_form(
                    ana,
                    f"/{lang}/account/notifications",
                    {"channels": ["letter"], "email": "", "language": lang},
                ),
            }
            for name, answer in answers.items():
                assert answer.status_code == (400 if name.endswith("errors") else 200), name
                pages[f"/{lang}/{name}"] = (answer.status_code, "text/html", answer.content)
        keep_assets(ana, pages)
    return pages


@pytest.mark.parametrize("path", PAGES)
def test_the_notification_pages_have_no_accessibility_violations(
    served: Served, browser: Browser, path: str
) -> None:
    for size, viewport in (("desktop", DESKTOP), ("mobile", MOBILE)):
        name = f"notifications{path.replace('/', '-')}-{size}"
        violations = check_served_page(browser, served, PORTAL, path, name, viewport)
        assert not violations, describe_violations(path, violations)
