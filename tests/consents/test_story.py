"""A school asks for a parent's consent to see their child's vaccinations, and the parent
answers in the portal: the whole story across the school's command, the portal, the
health register and the child's own account.

Real registry nodes (population, health) run as processes behind their exchange gates;
the portal signs people in through the development provider and asks the nodes over
loopback; the school's command signs its calls with the education ministry's key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.applications.support import Nodes, World, portal
from tests.consents.support import (
    PAGE,
    answer,
    read_with,
    request_consent,
    school,
    signed_in,
    state_kept,
)
from tests.identity.provider_support import number

DIANA, FILIPE = 3, 5  # a mother and her 12-year-old (tests.identity.provider_support.PEOPLE)
PURPOSE = "Plan your child&#39;s school health check"
VACCINATED = "Whether all vaccines due for the age were given"


@pytest.fixture
def world(data_dir: Path, nodes: Nodes, tmp_path: Path) -> Iterator[World]:
    with portal(data_dir, nodes, tmp_path / "portal.db") as running:
        yield running


def test_a_parent_gives_then_withdraws_consent_and_the_school_is_let_in_then_refused(
    world: World, data_dir: Path, nodes: Nodes
) -> None:
    consent_id = request_consent(data_dir, nodes, FILIPE)
    asked_again = request_consent(data_dir, nodes, FILIPE)
    assert asked_again == consent_id  # asking twice is asking once

    code, output = read_with(data_dir, nodes, FILIPE, consent_id)
    assert code == 1
    assert "Refused:" in output
    assert "consent is requested" in output

    diana = signed_in(world, DIANA)
    account = diana.get("/en/account")
    assert 'href="/en/account/consents"' in account.text
    page = diana.get(PAGE)
    assert page.status_code == 200, page.text
    assert "Ministry of Education asks for the data of your child Filipe Lopes" in page.text
    assert "education-ministry" not in page.text  # the organisation by its name, not a code
    assert PURPOSE in page.text
    assert VACCINATED in page.text
    assert "From the Health register:" in page.text
    assert "Your child Filipe Lopes" in page.text
    assert "Waiting for your answer" in page.text
    assert "by Ministry of Education" in page.text
    assert "did not answer" not in page.text

    mine = diana.get("/api/v1/me/consents").json()
    [entry] = mine["consents"]
    assert (entry["id"], entry["state"], entry["actions"]) == (
        consent_id,
        "requested",
        ["grant", "deny"],
    )
    assert entry["about"] == {"national_id": number(FILIPE), "name": "Filipe Lopes", "yours": False}
    assert [i["item"] for i in entry["data_items"]] == ["national_id", "vaccinated"]
    assert entry["organisation"]["name"]["en"] == "Ministry of Education"
    assert mine["registers_not_answering"] == []

    last_day = dt.date.today() + dt.timedelta(days=90)
    given = answer(diana, consent_id, "grant", number(FILIPE), last_day)
    assert given.status_code == 303, given.text
    after = diana.get(given.headers["location"])
    assert "You gave your consent" in after.text
    assert "Consents in force" in after.text
    assert state_kept(data_dir, consent_id) == "granted"

    code, output = read_with(data_dir, nodes, FILIPE, consent_id)
    assert code == 0, output
    assert f"national_id: {int(number(FILIPE))}" in output
    assert "vaccinated: no" in output
    assert "first_name" not in output  # only what the right and the consent both allow

    withdrawn = answer(diana, consent_id, "withdraw", number(FILIPE))
    assert withdrawn.status_code == 303, withdrawn.text
    assert "You withdrew your consent" in diana.get(withdrawn.headers["location"]).text
    code, output = read_with(data_dir, nodes, FILIPE, consent_id)
    assert code == 1
    assert "consent is withdrawn" in output

    history = diana.get("/api/v1/me/consents").json()["consents"][0]["history"]
    assert [(h["state"], h["by"]) for h in history] == [
        ("requested", "civitas-cli"),
        ("granted", number(DIANA)),
        ("withdrawn", number(DIANA)),
    ]

    filipe = signed_in(world, FILIPE)
    acts = filipe.get("/en/mandates").text
    assert "Gave consent to share your data" in acts
    assert "Withdrew consent to share your data" in acts
    assert "Diana Lopes" in acts
    used = filipe.get("/en/who-used-my-data").text
    assert PURPOSE in used
    assert "Your consent, which you can withdraw at any time" in used
    assert "Ministry of Education" in used
    own = filipe.get(PAGE).text  # the child sees the consent about them, and who answered it
    assert "Ministry of Education asks for your data" in own
    assert f"by the person with national number {number(DIANA)}" in own


def test_the_school_may_not_ask_for_a_purpose_without_consent_or_a_right(
    data_dir: Path, nodes: Nodes
) -> None:
    code, output = school(
        data_dir,
        nodes,
        "request",
        "--client",
        "tax-authority/tax",
        "--purpose",
        "school-health-check",
        "123456789",
    )
    assert code == 1
    assert "may not ask for consent" in output
    code, output = school(
        data_dir,
        nodes,
        "request",
        "--client",
        "education-ministry/education",
        "--purpose",
        "own-data",
        "123456789",
    )
    assert code == 1
    assert "not a purpose that rests on a person's consent" in output
