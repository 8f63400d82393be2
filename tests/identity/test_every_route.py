"""No one reads another person's data or acts for them, on any route of the portal.

Every route the portal has is listed here as public (no personal data) or personal;
a route nobody classified fails the first test, so a new page cannot slip through.
Each personal route is then tried without a session, and by Bruno against Ana's
things: he gets a sign-in, a refusal or his own data, never hers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount

from civitas.core.clock import FixedClock
from civitas.notifications import Notice, notify
from tests.identity.portal_support import ISSUER, portal_and_provider, sign_in
from tests.identity.provider_support import number
from tests.proactive.inbox_support import decision, settle
from tests.support.forms import post_form

ANA, BRUNO = 0, 1  # rows of tests.identity.provider_support.PEOPLE

PUBLIC = {
    ("GET", "/"),
    ("GET", "/{lang}/"),
    ("GET", "/{lang}/life-events/{event_id}"),
    ("GET", "/{lang}/services"),
    ("GET", "/{lang}/services/{service_id}"),
    ("GET", "/{lang}/organisations"),
    ("GET", "/{lang}/organisations/{organisation_id}"),
    ("GET", "/{lang}/search"),
    ("GET", "/{lang}/check-what-you-may-get"),
    ("POST", "/{lang}/check-what-you-may-get"),  # anonymous: answers travel in the form
    ("GET", "/theme/logo"),
    ("GET", "/{lang}/sign-in"),
    ("GET", "/sign-in/callback"),
    ("POST", "/{lang}/sign-out"),  # ends only the caller's own session
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/country"),
    ("GET", "/api/v1/life-events"),
    ("GET", "/api/v1/life-events/{event_id}"),
    ("GET", "/api/v1/services"),
    ("GET", "/api/v1/services/{service_id}"),
    ("GET", "/api/v1/organisations"),
    ("GET", "/api/v1/organisations/{organisation_id}"),
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/api/v1/applications/burden"),  # counts per service, no person's data
}
PUBLIC_PREFIXES = ("/api/v1/rules/", "/static")  # the law, and the design files

PERSONAL = {
    ("GET", "/{lang}/account"),
    ("POST", "/{lang}/sign-out-everywhere"),
    ("GET", "/{lang}/mandates"),
    ("POST", "/{lang}/mandates"),
    ("POST", "/{lang}/mandates/{mandate_id}/{answer}"),
    ("GET", "/{lang}/who-used-my-data"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/me/data-use"),
    ("GET", "/{lang}/account/consent-codes"),
    ("POST", "/{lang}/account/consent-codes"),  # makes the caller's own code (200: shown once)
    ("POST", "/{lang}/account/consent-codes/{code_id}/cancel"),
    ("GET", "/{lang}/apply/{service_id}"),
    ("POST", "/{lang}/apply/{service_id}"),  # starts the caller's own application
    ("GET", "/{lang}/apply/{service_id}/stopped"),
    ("GET", "/{lang}/apply/{service_id}/{reference}"),  # someone else's: 404
    ("POST", "/{lang}/apply/{service_id}/{reference}"),
    ("GET", "/{lang}/applications"),
    ("POST", "/{lang}/act-for"),  # only for someone the caller may act for (403 otherwise)
    ("POST", "/{lang}/act-for/stop"),  # ends only the caller's own acting
    ("GET", "/{lang}/account/consents"),  # the caller's and their children's only
    ("POST", "/{lang}/account/consents/{consent_id}/{action}"),  # 403/404 for anyone else's
    ("GET", "/api/v1/me/consents"),
    ("POST", "/api/v1/me/consents/{consent_id}"),
    ("GET", "/{lang}/change-of-address"),  # the caller's own address and moves
    ("POST", "/{lang}/change-of-address"),  # tells the caller's own move
    ("GET", "/{lang}/change-of-address/{reference}"),  # someone else's: 404
    ("GET", "/api/v1/me/address-changes"),
    ("POST", "/api/v1/me/address-changes"),
    ("GET", "/{lang}/messages"),  # the caller's messages (or those of whom they act for)
    ("GET", "/{lang}/messages/{message_id}"),  # someone else's: 404
    ("GET", "/{lang}/account/notifications"),
    ("POST", "/{lang}/account/notifications"),  # the caller's own choices
    ("GET", "/api/v1/me/messages"),
    ("GET", "/api/v1/me/messages/{message_id}"),
    ("GET", "/api/v1/me/notification-preferences"),
    ("PUT", "/api/v1/me/notification-preferences"),
    ("GET", "/{lang}/inbox"),  # the decisions told to the caller (or whom they act for)
    ("GET", "/{lang}/inbox/{decision_id}"),  # someone else's: 404
    ("POST", "/{lang}/inbox/{decision_id}/accept"),
    ("POST", "/{lang}/inbox/{decision_id}/decline"),
    ("GET", "/api/v1/me/decisions"),
    ("GET", "/api/v1/me/decisions/{decision_id}"),
    ("POST", "/api/v1/me/decisions/{decision_id}/accept"),
    ("POST", "/api/v1/me/decisions/{decision_id}/decline"),
}

# Desk and phone staff only (civitas.identity.console_pages): anyone else is refused.
STAFF = {
    ("GET", "/{lang}/console"),
    ("GET", "/{lang}/console/find"),
    ("POST", "/{lang}/console/serve"),
    ("POST", "/{lang}/console/look-up"),
    ("POST", "/{lang}/console/close"),
}


def routes_of(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route, those of included routers too."""
    found: set[tuple[str, str]] = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, Mount):
            found.add(("GET", str(route.path)))
            continue
        for method in (route.methods or set()) - {"HEAD"}:
            found.add((method, str(route.path)))
    return found


@dataclasses.dataclass
class Portal:
    app: FastAPI
    provider: TestClient
    ana_mandate: str = ""
    ana_application: str = ""
    ana_message: str = ""
    ana_decision: str = ""

    def browser(self) -> TestClient:
        """A new browser: its own cookies, the same running portal."""
        return TestClient(self.app, raise_server_exceptions=False)

    def signed_in(self, row: int) -> TestClient:
        browser = self.browser()
        sign_in(browser, self.provider, row, "substantial")
        assert browser.get("/api/v1/me").json()["national_id"] == number(row)
        return browser


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    clock = FixedClock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC))
    app, provider_app = portal_and_provider(tmp_path_factory.mktemp("every-route"), clock)
    with (
        TestClient(app),  # runs the portal's start and stop
        TestClient(provider_app, base_url=ISSUER) as provider,
    ):
        world = Portal(app, provider)
        ana = world.signed_in(ANA)
        given = post_form(
            ana,
            "/en/mandates",
            {"delegate": number(2), "services": ["child-benefit"], "valid_until": "2026-12-31"},
        )
        assert given.status_code == 200, given.text
        world.ana_mandate = ana.get("/en/mandates").text.split("/mandates/")[1].split("/")[0]
        started = post_form(ana, "/en/apply/housing-allowance", {}, follow=False)
        world.ana_application = started.headers["location"].rsplit("/", 1)[1]
        with app.state.platform.engine.begin() as connection:
            params = {"name": "Ana Costa", "service": "Child benefit", "reason": "A baby."}
            told = Notice("every-route", number(ANA), "service-suggested", params)
            (world.ana_message,) = notify(connection, [told], clock.now())
        (offer,) = settle(app.state.platform.engine, decision(number(ANA)))
        world.ana_decision = offer.id
        yield world


def test_every_route_of_the_portal_is_classified_as_public_or_personal(portal: Portal) -> None:
    unclassified = {
        route
        for route in routes_of(portal.app)
        if route not in PUBLIC | PERSONAL | STAFF and not route[1].startswith(PUBLIC_PREFIXES)
    }
    assert not unclassified, f"classify these routes in {__file__}: {sorted(unclassified)}"
    assert routes_of(portal.app) >= PERSONAL | STAFF


def concrete(path: str, portal: Portal, answer: str = "revoke") -> str:
    return (
        path.replace("{lang}", "en")
        .replace("{mandate_id}", portal.ana_mandate)
        .replace("{answer}", answer)
        .replace("{service_id}", "housing-allowance")
        .replace("{reference}", portal.ana_application)
        .replace("{consent_id}", "cns-0000000000000000")
        .replace("{action}", "withdraw")
        .replace("{message_id}", portal.ana_message)
        .replace("{decision_id}", portal.ana_decision)
    )


@pytest.mark.parametrize(("method", "path"), sorted(PERSONAL))
def test_without_a_session_a_personal_route_asks_for_sign_in_and_shows_nothing(
    portal: Portal, method: str, path: str
) -> None:
    browser = portal.browser()
    url = concrete(path, portal)
    if method == "POST":
        answer = post_form(browser, url, {}, follow=False)
    elif method == "PUT":  # the JSON API only
        answer = browser.put(url, content=b"{}", follow_redirects=False)
    else:
        answer = browser.get(url, follow_redirects=False)
    if path.startswith("/api/"):
        assert answer.status_code == 401, answer.text
    else:
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/en/sign-in?")
    assert "Ana" not in answer.text


@pytest.mark.parametrize(("method", "path"), sorted(PERSONAL))
def test_someone_else_signed_in_gets_only_their_own_data_never_anas(
    portal: Portal, method: str, path: str
) -> None:
    bruno = portal.signed_in(BRUNO)
    for answer_word in ("accept", "decline", "revoke") if "{answer}" in path else ("revoke",):
        url = concrete(path, portal, answer_word)
        if method == "POST":
            answer = post_form(bruno, url, {}, follow=False)
            assert answer.status_code in (200, 303, 400, 403, 404), answer.text
        elif method == "PUT":
            answer = bruno.put(url, content=b"{}")
            assert answer.status_code in (200, 400), answer.text
        else:
            answer = bruno.get(url)
            ids = ("{reference}", "{decision_id}", "{message_id}")
            mine = not any(name in path for name in ids)
            assert answer.status_code == (200 if mine else 404), answer.text
        assert "Ana Costa" not in answer.text
        assert number(ANA) not in answer.text
    ana = portal.signed_in(ANA)
    assert "waiting for an answer" in ana.get("/en/mandates").text  # as she left it
    offer = ana.get(f"/api/v1/me/decisions/{portal.ana_decision}").json()
    assert offer["state"] == "open"  # her offer too


@pytest.mark.parametrize(("method", "path"), sorted(STAFF))
def test_a_staff_route_asks_for_sign_in_and_refuses_anyone_not_desk_staff(
    portal: Portal, method: str, path: str
) -> None:
    url = concrete(path, portal)
    for browser, status in ((portal.browser(), 303), (portal.signed_in(BRUNO), 403)):
        if method == "POST":
            answer = post_form(browser, url, {"national_id": number(ANA)}, follow=False)
        else:
            answer = browser.get(url, params={"national_id": number(ANA)}, follow_redirects=False)
        assert answer.status_code == status, answer.text
        assert "Ana Costa" not in answer.text
