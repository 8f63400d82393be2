"""Acting online for someone else under a mandate: switching, the banner, the API, the acts
recorded, and the acting stopped at once when the mandate is revoked or ends.

The portal and the development provider are real apps, in-process (as in test_sign_in.py).
No registry node runs here: a granted mandate needs none; acting for a child through
real registers is tested in tests/applications/test_acting.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import create_engine, select, update

from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.core.errors import ExternalServiceUnavailable, NotAllowed
from civitas.db import create_engine_for, migrate
from civitas.identity import ActingOnline, Level, Person, Session, Subject
from civitas.identity.mandates import ActingFor, ActingStatus, Ground
from civitas.identity.ports import Relative
from civitas.identity.representation import Mandates
from civitas.identity.store import SqlMandateStore, SqlSessionStore, sessions_table
from civitas.registries import load_registry_definitions
from tests.identity.portal_support import ISSUER, portal_and_provider, sign_in
from tests.identity.provider_support import number
from tests.support.forms import post_form

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANA, BRUNO, CARLA, EVA = 0, 1, 2, 4  # rows of tests.identity.provider_support.PEOPLE
LAST_DAY = "2026-03-31"
NOBODY_LISTENS = "http://127.0.0.1:9"
MANDATE_ID = re.compile(r'name="mandate_id" value="([0-9a-f]{16})"')


@dataclasses.dataclass
class World:
    app: FastAPI
    provider: TestClient
    clock: FixedClock
    folder: Path

    def browser(self, row: int) -> TestClient:
        """A browser of its own, signed in as ``PEOPLE[row]`` at level substantial."""
        browser = TestClient(self.app, raise_server_exceptions=False)
        back = sign_in(browser, self.provider, row, "substantial", typed=True)
        assert back.status_code == 303, back.text
        return browser

    def stored_acting(self) -> list[str | None]:
        """What every session in the database says it acts for."""
        engine = create_engine(f"sqlite:///{self.folder / 'data' / 'civitas.db'}")
        with engine.connect() as connection:
            found = [row.acting_for for row in connection.execute(select(sessions_table))]
        engine.dispose()
        return found


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = FixedClock(NOW)
    silent = {d.id: NOBODY_LISTENS for d in load_registry_definitions(DEMO_PACK)}
    portal_app, provider_app = portal_and_provider(tmp_path, clock, registry_urls=silent)
    with (
        TestClient(portal_app),  # runs the portal's start and stop
        TestClient(provider_app, base_url=ISSUER) as provider,
    ):
        yield World(portal_app, provider, clock, tmp_path)


def mandate_from_bruno_to_ana(
    world: World, services: list[str], last_day: str = LAST_DAY
) -> tuple[TestClient, TestClient]:
    """Bruno gives Ana a mandate, Ana accepts it: their two browsers."""
    bruno = world.browser(BRUNO)
    given = post_form(
        bruno,
        "/en/mandates",
        {"delegate": number(ANA), "services": services, "valid_until": last_day},
    )
    assert given.status_code == 200, given.text
    mandate = bruno.get("/en/mandates").text.split("/mandates/")[1].split("/")[0]
    ana = world.browser(ANA)
    accepted = post_form(ana, f"/en/mandates/{mandate}/accept", {})
    assert accepted.status_code == 200, accepted.text
    return bruno, ana


def act_for_bruno(ana: TestClient) -> Response:
    """Press the "Act for Bruno Costa" button of the mandates page."""
    page = ana.get("/en/mandates").text
    assert "Act for Bruno Costa" in page
    found = MANDATE_ID.search(page)
    assert found, page
    form = {"national_id": number(BRUNO), "ground": "granted", "mandate_id": found[1]}
    return post_form(ana, "/en/act-for", form)


def test_a_delegate_acts_for_the_person_and_every_page_says_so_until_they_stop(
    world: World,
) -> None:
    bruno, ana = mandate_from_bruno_to_ana(world, ["housing-allowance"])
    acting = act_for_bruno(ana)
    assert acting.status_code == 200, acting.text
    assert "You are now acting for Bruno Costa" in acting.text
    assert "You are acting for them" in acting.text  # instead of the button, on his row

    banner = {
        "en": (
            "Acting for someone else",
            "You are acting for Bruno Costa (under a mandate until 2026-03-31)",
            "Stop acting for Bruno Costa",
        ),
        "pt": (
            "A agir em nome de outra pessoa",
            "Está a agir em nome de Bruno Costa (com um mandato até 2026-03-31)",
            "Deixar de agir em nome de Bruno Costa",
        ),
    }
    for page in ("/en/services", "/en/account", "/en/mandates", "/pt/services"):
        lang = page.split("/")[1]
        label, says, stop = banner[lang]
        shown = ana.get(page)
        assert shown.status_code == 200, shown.text
        assert f'<section class="acting" aria-label="{label}">' in shown.text
        assert says in shown.text
        assert f'action="/{lang}/act-for/stop"' in shown.text
        assert stop in shown.text

    me = ana.get("/api/v1/me").json()
    assert me["national_id"] == number(ANA)
    assert me["acting_for"] == {
        "national_id": number(BRUNO),
        "name": "Bruno Costa",
        "ground": "granted",
        "mandate_id": me["acting_for"]["mandate_id"],
        "valid_until": LAST_DAY,
        "services": ["housing-allowance"],
        "checked": True,
        "actor": {"national_id": number(ANA), "name": "Ana Costa"},
    }
    assert world.stored_acting().count(number(BRUNO)) == 1  # Ana's session only

    stopped = post_form(ana, "/en/act-for/stop", {})
    assert stopped.status_code == 200, stopped.text
    assert "You stopped acting for someone else" in stopped.text
    assert 'class="acting"' not in ana.get("/en/services").text
    assert ana.get("/api/v1/me").json()["acting_for"] is None
    assert world.stored_acting() == [None, None]

    acts = bruno.get("/en/mandates").text
    assert "Began acting for you online" in acts
    assert "Stopped acting for you online" in acts
    assert "Ana Costa" in acts


def test_acting_for_someone_one_may_not_act_for_is_refused_and_nothing_is_kept(
    world: World,
) -> None:
    _bruno, ana = mandate_from_bruno_to_ana(world, ["housing-allowance"])
    mandate = MANDATE_ID.search(ana.get("/en/mandates").text)
    assert mandate
    forged = [
        {"national_id": number(EVA), "ground": "granted", "mandate_id": mandate[1]},
        {"national_id": number(BRUNO), "ground": "granted", "mandate_id": "0123456789abcdef"},
        {"national_id": number(BRUNO), "ground": "consent", "mandate_id": mandate[1]},
        {"national_id": number(BRUNO), "ground": "king", "mandate_id": mandate[1]},
        {"national_id": number(BRUNO), "ground": "granted"},
    ]
    for form in forged:
        refused = post_form(ana, "/en/act-for", form)
        assert refused.status_code == 403, (form, refused.text)
        assert "You cannot act for this person or company." in refused.text
        assert 'class="acting"' not in refused.text
    # no register answers here: a claimed child or company cannot be checked, so no
    for ground in ("parent", "company"):
        form = {"national_id": number(CARLA), "ground": ground}
        unchecked = post_form(ana, "/en/act-for", form)
        assert unchecked.status_code == 503, unchecked.text
    assert world.stored_acting() == [None, None]
    assert ana.get("/api/v1/me").json()["acting_for"] is None

    stranger = world.browser(EVA)  # no mandate from Bruno at all
    refused = post_form(
        stranger,
        "/en/act-for",
        {"national_id": number(BRUNO), "ground": "granted", "mandate_id": mandate[1]},
    )
    assert refused.status_code == 403
    assert world.stored_acting() == [None, None, None]


def test_a_revoked_mandate_stops_the_acting_on_the_next_request(world: World) -> None:
    bruno, ana = mandate_from_bruno_to_ana(world, ["housing-allowance"])
    act_for_bruno(ana)
    mandate = bruno.get("/en/mandates").text.split("/mandates/")[1].split("/")[0]
    revoked = post_form(bruno, f"/en/mandates/{mandate}/revoke", {})
    assert revoked.status_code == 200, revoked.text

    refused = ana.get("/en/applications")  # one of Bruno's pages, the very next request
    assert refused.status_code == 403
    assert "You can no longer act for Bruno Costa, so nothing was done for them." in refused.text
    assert "You are no longer acting for Bruno Costa." in refused.text  # the banner says why
    assert "Their mandate to you was revoked or has ended." in refused.text
    assert "Stop acting for" not in refused.text
    assert world.stored_acting() == [None, None]

    own = ana.get("/en/applications")
    assert own.status_code == 200
    assert "Your applications" in own.text
    assert 'class="acting"' not in own.text
    assert ana.get("/api/v1/me").json()["acting_for"] is None


def test_the_acting_ends_with_the_last_day_of_the_mandate(world: World) -> None:
    world.clock.advance(dt.timedelta(hours=14))  # 23:00 on the mandate's last day
    _bruno, ana = mandate_from_bruno_to_ana(world, ["housing-allowance"], NOW.date().isoformat())
    act_for_bruno(ana)
    for _ in range(3):  # 23:57, the session kept alive
        world.clock.advance(dt.timedelta(minutes=19))
        assert "You are acting for Bruno Costa" in ana.get("/en/services").text
    world.clock.advance(dt.timedelta(minutes=4))  # the next day
    ended = ana.get("/en/services")
    assert "You are no longer acting for Bruno Costa." in ended.text
    assert "Their mandate to you was revoked or has ended." in ended.text
    assert world.stored_acting() == [None, None]


def test_a_service_the_mandate_does_not_cover_is_refused_naming_its_limits(
    world: World,
) -> None:
    bruno, ana = mandate_from_bruno_to_ana(world, ["housing-allowance"])
    act_for_bruno(ana)
    for refused in (
        ana.get("/en/apply/child-benefit"),
        post_form(ana, "/en/apply/child-benefit", {}, follow=False),
    ):
        assert refused.status_code == 403, refused.text
        assert "Your mandate from Bruno Costa does not cover Child benefit." in refused.text
        assert "It covers only Housing allowance, until 2026-03-31." in refused.text

    started = post_form(ana, "/en/apply/housing-allowance", {}, follow=False)
    assert started.status_code == 303, started.text
    reference = started.headers["location"].rsplit("/", 1)[1]
    form = ana.get(started.headers["location"])
    assert "Application for Bruno Costa" in form.text
    assert reference in ana.get("/en/applications").text

    post_form(ana, "/en/act-for/stop", {})
    assert reference not in ana.get("/en/applications").text  # not Ana's application
    assert reference in bruno.get("/en/applications").text  # Bruno's
    acts = bruno.get("/en/mandates").text
    assert "Started an application (Housing allowance)" in acts
    assert "Looked at your applications" in acts
    assert "Child benefit" not in acts.split("What others did for you", 1)[1].split("<h2")[0]


def test_a_granted_mandate_does_not_open_the_record_of_who_used_the_persons_data(
    world: World,
) -> None:
    bruno, ana = mandate_from_bruno_to_ana(world, ["housing-allowance"])
    act_for_bruno(ana)
    page = ana.get("/en/who-used-my-data")
    assert page.status_code == 403
    assert "Your mandate from Bruno Costa does not let you see who used their data." in page.text
    api = ana.get("/api/v1/me/data-use")
    assert api.status_code == 403
    assert api.json()["ok"] is False
    assert "Read who used your data" not in bruno.get("/en/mandates").text


def test_when_the_register_does_not_answer_nothing_is_done_for_them_but_they_can_stop(
    world: World,
) -> None:
    ana = world.browser(ANA)
    engine = create_engine(f"sqlite:///{world.folder / 'data' / 'civitas.db'}")
    with engine.begin() as connection:  # as if she had begun while the register answered
        connection.execute(
            update(sessions_table).values(
                acting_for=number(CARLA), acting_name="Carla Costa", acting_ground="parent"
            )
        )
    engine.dispose()

    page = ana.get("/en/services")
    assert "We could not check just now that you may still act for Carla Costa" in page.text
    assert "Stop acting for Carla Costa" in page.text
    for refused in (ana.get("/en/who-used-my-data"), ana.get("/en/applications")):
        assert refused.status_code == 503
        assert "We could not check just now that you may still act for Carla Costa." in (
            refused.text
        )
    assert ana.get("/api/v1/me").json()["acting_for"]["checked"] is False
    assert world.stored_acting() == [number(CARLA)]  # not a "no": kept until it answers

    post_form(ana, "/en/act-for/stop", {})
    assert world.stored_acting() == [None]
    assert ana.get("/en/applications").status_code == 200


# -- the checks themselves, with the registers' answers from a fake ---------------------

LEO = "100000043"
PARENT = Person("100000019", "Ana Costa")


class Family:
    """A population register with one parent and her son, who turns 18 on 2026-03-03."""

    def __init__(self) -> None:
        self.answering = True

    async def minors_of(self, parent: str, today: dt.date) -> Sequence[Relative]:
        if not self.answering:
            raise ExternalServiceUnavailable("The population register did not answer.")
        minor = today < dt.date(2026, 3, 3)
        return [Relative(LEO, "Leo Costa")] if parent == PARENT.national_id and minor else []

    async def companies_of(self, owner: str) -> Sequence[Relative]:
        return []


@dataclasses.dataclass
class Checks:
    acting: ActingOnline
    sessions: SqlSessionStore
    family: Family
    clock: FixedClock
    session: Session


@pytest.fixture
def checks(tmp_path: Path) -> Checks:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'civitas.db'}")
    migrate(engine)
    clock, family, sessions = FixedClock(NOW), Family(), SqlSessionStore(engine)
    mandates = Mandates(SqlMandateStore(engine), family, clock, frozenset({"child-benefit"}))
    later = NOW + dt.timedelta(hours=12)
    session = Session("s1", PARENT, "valdoria-id", Level.SUBSTANTIAL, "", "", NOW, NOW, later)
    sessions.add(session)
    return Checks(ActingOnline(sessions, mandates), sessions, family, clock, session)


def stored(checks: Checks) -> Session:
    found = checks.sessions.get(checks.session.id)
    assert found is not None
    return found


@pytest.mark.anyio
async def test_a_child_who_turns_18_is_no_longer_acted_for_from_that_day(checks: Checks) -> None:
    began = await checks.acting.begin(checks.session, LEO, "parent")
    assert began.representation is not None
    assert began.representation.party == f"PERSON/{LEO}"
    assert stored(checks).acting == ActingFor(LEO, "Leo Costa", Ground.PARENT)
    checked = await checks.acting.check(stored(checks))
    assert checked is not None
    assert checked.status is ActingStatus.ACTIVE

    checks.clock.advance(dt.timedelta(days=1))
    ended = await checks.acting.check(stored(checks))
    assert ended is not None
    assert ended.status is ActingStatus.ENDED
    assert (
        ended.ended_because
        == "The population register no longer lists them as your child under 18."
    )
    assert stored(checks).acting is None


@pytest.mark.anyio
async def test_a_register_that_does_not_answer_ends_nothing_and_confirms_nothing(
    checks: Checks,
) -> None:
    await checks.acting.begin(checks.session, LEO, "parent")
    checks.family.answering = False
    unchecked = await checks.acting.check(stored(checks))
    assert unchecked is not None
    assert (unchecked.status, unchecked.representation) == (ActingStatus.UNCHECKED, None)
    assert stored(checks).acting is not None
    with pytest.raises(ExternalServiceUnavailable):
        await checks.acting.begin(checks.session, LEO, "parent")


@pytest.mark.anyio
async def test_what_is_done_for_someone_is_recorded_for_them_and_nothing_for_oneself(
    checks: Checks,
) -> None:
    began = await checks.acting.begin(checks.session, LEO, "parent")
    checks.acting.record(
        Subject(PARENT, began.representation), "Sent an application", "child-benefit"
    )
    checks.acting.record(Subject(PARENT), "Sent an application", "child-benefit")
    checks.acting.stop(checks.session, began)
    acts = checks.acting.mandates.acts_for(Person(LEO, "Leo Costa"))
    assert [(a.action, a.service, a.channel) for a in reversed(acts)] == [
        ("Began acting for you online", "", "web"),
        ("Sent an application", "child-benefit", "web"),
        ("Stopped acting for you online", "", "web"),
    ]
    assert checks.acting.mandates.acts_for(PARENT) == []
    with pytest.raises(NotAllowed):
        await checks.acting.begin(checks.session, "100000051", "parent")  # not her child
    assert stored(checks).acting is None
