"""The assisted console in a browser's shoes: a person makes a code, a desk agent serves them.

The portal and the development identity provider are both real apps, in-process (as in
test_sign_in.py). No registry node runs here, so the population register does not
answer: the console says the name is not available and goes on (the answered look-up
is tested in test_console.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from civitas.core.clock import FixedClock
from civitas.identity.staff import Role, StaffRole
from civitas.identity.store import SqlStaffStore
from tests.identity.portal_support import ISSUER, PORTAL, portal_and_provider
from tests.identity.provider_support import number, request_id_in
from tests.support.forms import post_form

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
DESK_AGENT, CASE_WORKER = "999999010", "999999028"
ANA = number(0)
CODE = re.compile(r"<strong>([A-Z0-9]{4}-[A-Z0-9]{4})</strong>")


@dataclasses.dataclass
class World:
    portal: TestClient
    provider: TestClient
    clock: FixedClock

    def sign_in(self, identity: str, level: str = "substantial") -> None:
        """A fresh browser session for ``identity``, signed in at ``level``."""
        self.portal.cookies.clear()
        started = self.portal.get("/en/sign-in", follow_redirects=False)
        page = self.provider.get(started.headers["location"].removeprefix(ISSUER))
        form = {"request_id": request_id_in(page.text), "identity": identity, "level": level}
        answer = self.provider.post("/authorize", data=form, follow_redirects=False)
        back = self.portal.get(answer.headers["location"].removeprefix(PORTAL))
        assert back.status_code == 200, back.text

    def make_code(self, *services: str) -> str:
        made = post_form(self.portal, "/en/account/consent-codes", {"services": list(services)})
        assert made.status_code == 200, made.text
        assert made.headers["cache-control"] == "no-store"
        found = CODE.search(made.text)
        assert found, made.text
        return found[1]

    def serve(self, national_id: str, code: str) -> httpx2.Response:
        return post_form(
            self.portal, "/en/console/serve", {"national_id": national_id, "code": code}
        )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = FixedClock(NOW)
    portal_app, provider_app = portal_and_provider(
        tmp_path,
        clock,
        registry_urls={"population": "http://127.0.0.1:9"},  # no answer
    )
    SqlStaffStore(portal_app.state.platform.engine).grant(
        StaffRole(DESK_AGENT, Role.DESK_AGENT, "civil-registry", "setup", NOW)
    )
    with (
        TestClient(portal_app, raise_server_exceptions=False) as portal,
        TestClient(provider_app, base_url=ISSUER, raise_server_exceptions=False) as provider,
    ):
        yield World(portal, provider, clock)


def test_a_person_gives_a_code_and_the_desk_serves_them_within_it(world: World) -> None:
    world.sign_in(ANA)
    assert "/en/account/consent-codes" in world.portal.get("/en/account").text
    code = world.make_code("housing-allowance")

    world.sign_in(DESK_AGENT)
    found = world.portal.get("/en/console/find", params={"national_id": ANA})
    assert found.status_code == 200
    assert "Name not available" in found.text  # no registry node runs in this test
    opened = world.serve(ANA, code.lower())
    assert opened.status_code == 200, opened.text
    assert "You are serving Ana Costa" in opened.text
    assert "a one-time code they gave you" in opened.text
    looked_up = post_form(world.portal, "/en/console/look-up", {})
    assert "Name not available" in looked_up.text
    closed = post_form(world.portal, "/en/console/close", {})
    assert "You stopped serving the person." in closed.text
    assert "You are serving" not in closed.text

    world.sign_in(ANA)
    codes = world.portal.get("/en/account/consent-codes").text
    assert "used: by Desk agent" in codes
    acts = world.portal.get("/en/mandates").text
    for action in ("Started serving you at a desk", "Looked up your name", "Stopped serving you"):
        assert action in acts
    assert "at a desk" in acts


def test_a_reused_expired_or_cancelled_code_is_refused_and_opens_nothing(world: World) -> None:
    world.sign_in(ANA)
    cancelled = world.make_code()
    page = world.portal.get("/en/account/consent-codes").text
    [code_id] = re.findall(r"/en/account/consent-codes/([0-9a-f]+)/cancel", page)
    done = post_form(world.portal, f"/en/account/consent-codes/{code_id}/cancel", {})
    assert "The code was cancelled." in done.text
    used, late = world.make_code(), world.make_code()

    world.sign_in(DESK_AGENT)
    assert "You are serving" in world.serve(ANA, used).text
    post_form(world.portal, "/en/console/close", {})
    again = world.serve(ANA, used)
    assert again.status_code == 400
    assert "This code has already been used." in again.text
    refused = world.serve(ANA, cancelled)
    assert "The person cancelled this code." in refused.text
    world.clock.advance(dt.timedelta(minutes=31))
    world.sign_in(DESK_AGENT)
    expired = world.serve(ANA, late)
    assert "This code has expired." in expired.text
    wrong = world.serve(ANA, "AAAA-AAAA")
    assert "This code does not match this person." in wrong.text
    assert "You are serving" not in world.portal.get("/en/console").text


def test_without_a_code_or_mandate_the_desk_cannot_serve_the_person(world: World) -> None:
    world.sign_in(DESK_AGENT)
    refused = world.serve(ANA, "")
    assert refused.status_code == 403
    assert "You have no mandate from this person" in refused.text
    bad = world.portal.get("/en/console/find", params={"national_id": "12345"})
    assert bad.status_code == 400
    assert "A national number has 9 digits" in bad.text


def test_staff_without_the_desk_role_and_people_cannot_open_the_console(world: World) -> None:
    for someone in (CASE_WORKER, ANA):
        world.sign_in(someone)
        page = world.portal.get("/en/console")
        assert page.status_code == 403
        assert "Your staff role does not allow this." in page.text
        assert world.serve(ANA, "AAAA-AAAA").status_code == 403


def test_the_console_needs_a_substantial_sign_in(world: World) -> None:
    world.sign_in(DESK_AGENT, "low")
    page = world.portal.get("/en/console", follow_redirects=False)
    assert page.status_code == 403
    assert "level=substantial" in page.text
