"""The inbox in the portal: what the government did for the person, why, and their answers.

Decisions are kept in the portal's database as the worker settles them; the portal signs
people in through the development provider, and accepting an offer starts an
application that real registry nodes (population and addresses, behind their exchange
gates) fill in, as in tests/applications.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from civitas.proactive.domain import Action
from tests.applications.support import Nodes, World, portal, registry_nodes, write_registers
from tests.identity.provider_support import number
from tests.proactive.inbox_support import FAMILY_LAW, decision, engine_of, settle
from tests.support.forms import post_form

ANA, BRUNO, CARLA = 0, 1, 2  # a mother, the father, their baby (provider_support.PEOPLE)
FEBRUARY = dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("inbox-country")
    write_registers(data)
    return data


@pytest.fixture(scope="module")
def nodes(data_dir: Path) -> Iterator[Nodes]:
    with registry_nodes(data_dir) as urls:
        yield urls


@pytest.fixture
def world(data_dir: Path, nodes: Nodes, tmp_path: Path) -> Iterator[World]:
    with portal(data_dir, nodes, tmp_path / "portal.db") as signed:
        yield signed


def ana_in(world: World) -> TestClient:
    world.sign_in(ANA, "substantial")
    return world.portal


def state_of(client: TestClient, decision_id: str) -> str:
    found = client.get(f"/api/v1/me/decisions/{decision_id}")
    assert found.status_code == 200, found.text
    return str(found.json()["state"])


def between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def test_the_inbox_lists_what_waits_for_an_answer_first_then_everything_month_by_month(
    world: World,
) -> None:
    ana = number(ANA)
    settle(
        engine_of(world),
        decision(ana),  # child benefit, offered
        decision(ana, "birth-grant", Action.GRANTED, amount_cents=75_000),
        decision(ana, "parental-allowance", Action.NEEDS_INFORMATION, amount_cents=None),
        decision(ana, "housing-allowance", Action.SUGGESTED, decided_at=FEBRUARY),
    )
    client = ana_in(world)
    page = client.get("/en/inbox")
    assert page.status_code == 200, page.text
    text = page.text
    assert "<h1>What the government did for you</h1>" in text
    waiting = between(text, "Waiting for your answer</h2>", "Everything, month by month")
    timeline = text.split("Everything, month by month", 1)[1]
    assert "Child benefit" in waiting
    assert "Parental allowance" in waiting
    assert "Birth grant" not in waiting
    assert "Housing allowance" not in waiting
    assert ">Accept<" in waiting
    assert "No, thank you" in waiting
    assert "Give the missing facts" in waiting
    assert "Months of social security contributions in the last 24 months" in waiting
    assert timeline.index("March 2026") < timeline.index("February 2026")
    march = between(timeline, "March 2026", "February 2026")
    for name in ("Child benefit", "Birth grant", "Parental allowance"):
        assert name in march
    assert "Housing allowance" in timeline.split("February 2026", 1)[1]
    for tag in ("Granted", "Offered", "Suggested", "Facts needed"):
        assert 'class="tag' in timeline
        assert f">{tag}</strong>" in timeline
    assert "€165.00 a month" in text
    assert "€750.00 once" in text
    assert "Because of: Having a child" in text
    assert "12 March 2026" in text
    assert 'href="/en/inbox/' in text
    assert re.search(r'href="/en/inbox">Inbox \(2<span class="visually-hidden">', text)

    portuguese = client.get("/pt/inbox").text
    assert "165,00\xa0€" in portuguese  # money as Portuguese write it


def test_an_empty_inbox_says_what_will_appear_in_it(world: World) -> None:
    page = ana_in(world).get("/en/inbox")
    assert page.status_code == 200, page.text
    assert "Nothing here yet" in page.text
    assert "will appear here" in page.text
    assert "Waiting for your answer" not in page.text


def test_the_details_say_why_with_the_law_and_which_registers_data_was_used(
    world: World,
) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    page = ana_in(world).get(f"/en/inbox/{offer.id}")
    assert page.status_code == 200, page.text
    text = page.text
    assert "<h1>Child benefit</h1>" in text
    assert "€165.00 a month" in text
    why = between(text, 'id="why"', 'id="data"')
    assert "There is a child under 18 in the household" in why
    assert "Met</strong>" in why
    assert "Not met</strong>" in why  # in words, not by colour or sign alone
    assert f'<a href="{FAMILY_LAW}#article-4">Family Benefits Act 2018, article 4</a>' in why
    data = between(text, 'id="data"', "<details")
    assert "Population register, kept by Civil Registry Office" in data
    assert "Address register, kept by Civil Registry Office" in data
    assert "Find and give you the benefits you are entitled to, without you asking" in data
    assert 'href="/en/who-used-my-data"' in data
    trace = between(text, "<details", "</details>")
    assert "How the rules worked it out" in trace
    assert "Number of children under 18</strong>: 1" in trace
    assert "benefits.child_benefit.age_limit: 18" in trace
    assert f'action="/en/inbox/{offer.id}/accept"' in text
    assert f'action="/en/inbox/{offer.id}/decline"' in text


def test_accepting_an_offer_starts_the_application_filled_in_and_opens_its_form(
    world: World,
) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    client = ana_in(world)
    accepted = post_form(client, f"/en/inbox/{offer.id}/accept", {}, follow=False)
    assert accepted.status_code == 303, accepted.text
    form_at = accepted.headers["location"]
    assert re.fullmatch(r"/en/apply/child-benefit/APP-[0-9A-F]{5}-[0-9A-F]{5}", form_at)
    form = client.get(form_at)
    assert form.status_code == 200, form.text
    assert number(ANA) in form.text  # filled in from the registers
    assert "1994-05-10" in form.text
    assert "street-0" in form.text
    assert "Carla" in form.text  # her child, to choose

    again = post_form(client, f"/en/inbox/{offer.id}/accept", {}, follow=False)
    assert again.headers["location"] == form_at  # the same application, not a second one
    assert client.get("/en/applications").text.count("/en/apply/child-benefit/") == 1
    assert state_of(client, offer.id) == "accepted"
    details = client.get(f"/en/inbox/{offer.id}").text
    assert f'href="{form_at}"' in details
    assert "Accepted</strong>" in details
    assert "Waiting for your answer" not in between(
        client.get("/en/inbox").text, "Waiting for your answer</h2>", "Everything"
    )


def test_an_offer_without_an_online_form_is_accepted_and_the_next_step_shown(
    world: World,
) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA), "birth-grant"))
    client = ana_in(world)
    accepted = post_form(client, f"/en/inbox/{offer.id}/accept", {})
    assert accepted.status_code == 200, accepted.text
    assert str(accepted.url).endswith(f"/en/inbox/{offer.id}?done=accepted")
    assert "You accepted" in accepted.text
    assert "There is no online form for this service" in accepted.text
    assert 'href="/en/services/birth-grant"' in accepted.text
    assert state_of(client, offer.id) == "accepted"


def test_declining_asks_to_confirm_then_is_kept_and_shown(world: World) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    client = ana_in(world)
    asked = post_form(client, f"/en/inbox/{offer.id}/decline", {})
    assert asked.status_code == 200, asked.text
    assert "Are you sure you do not want Child benefit?" in asked.text
    assert "we will not offer you Child benefit again" in asked.text
    assert state_of(client, offer.id) == "open"  # nothing changed yet

    declined = post_form(client, f"/en/inbox/{offer.id}/decline", {"confirm": "yes"}, False)
    assert declined.status_code == 303, declined.text
    assert declined.headers["location"] == f"/en/inbox/{offer.id}?done=declined"
    shown = client.get(declined.headers["location"]).text
    assert "You said no thank you" in shown
    assert "We will not offer you Child benefit again" in shown
    assert f'action="/en/inbox/{offer.id}/accept"' not in shown
    assert state_of(client, offer.id) == "declined"
    inbox = client.get("/en/inbox").text
    assert "Nothing is waiting for your answer" in inbox
    assert "Declined</strong>" in inbox


def test_accepting_a_declined_offer_is_refused_and_changes_nothing(world: World) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    client = ana_in(world)
    post_form(client, f"/en/inbox/{offer.id}/decline", {"confirm": "yes"})
    refused = post_form(client, f"/en/inbox/{offer.id}/accept", {}, follow=False)
    assert refused.status_code == 400, refused.text
    assert "You said no thank you to this offer, so it cannot be accepted now." in refused.text
    assert "apply for the service from its page" in refused.text
    assert state_of(client, offer.id) == "declined"
    assert "/en/apply/child-benefit/" not in client.get("/en/applications").text


def test_someone_elses_decision_is_not_found_and_stays_as_it_was(world: World) -> None:
    (offer,) = settle(engine_of(world), decision(number(ANA)))
    world.sign_in(BRUNO, "substantial")
    bruno = world.portal
    for answer in (
        bruno.get(f"/en/inbox/{offer.id}"),
        post_form(bruno, f"/en/inbox/{offer.id}/accept", {}, follow=False),
        post_form(bruno, f"/en/inbox/{offer.id}/decline", {"confirm": "yes"}, False),
    ):
        assert answer.status_code == 404, answer.text
        assert "We cannot find that decision." in answer.text
        assert "Child benefit" not in answer.text
    assert "Nothing here yet" in bruno.get("/en/inbox").text
    bruno.cookies.clear()
    assert state_of(ana_in(world), offer.id) == "open"


def test_a_parent_acting_for_their_child_sees_the_childs_decisions_only(world: World) -> None:
    mine = decision(number(ANA))
    childs = decision(number(CARLA), "childcare-place", Action.SUGGESTED, amount_cents=None)
    settle(engine_of(world), mine, childs)
    client = ana_in(world)
    acting = post_form(client, "/en/act-for", {"national_id": number(CARLA), "ground": "parent"})
    assert acting.status_code == 200, acting.text

    inbox = client.get("/en/inbox")
    assert inbox.status_code == 200, inbox.text
    assert "What the government did for Carla Costa" in inbox.text
    assert "Apply for a nursery place" in inbox.text
    assert "Child benefit" not in inbox.text
    assert client.get(f"/en/inbox/{mine.id}").status_code == 404
    assert client.get(f"/en/inbox/{childs.id}").status_code == 200
    listed = client.get("/api/v1/me/decisions").json()["decisions"]
    assert [d["id"] for d in listed] == [childs.id]
