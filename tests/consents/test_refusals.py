"""What the consents page refuses, and how: no one sees or answers another person's
consents, a last day that cannot be used is a field error, a wrong answer is a page that
says so (never a 500), and a register that does not answer is named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.applications.support import Nodes, World, portal
from tests.consents.support import (
    HEALTH,
    PAGE,
    answer,
    request_consent,
    signed_in,
    state_kept,
)
from tests.identity.provider_support import number
from tests.support.live_server import free_port

LUIS, SARA, TIAGO, ULISSES, VERA = (
    10,
    16,
    17,
    18,
    19,
)  # rows of tests.identity.provider_support.PEOPLE
TODAY = dt.date.today()


@pytest.fixture
def world(data_dir: Path, nodes: Nodes, tmp_path: Path) -> Iterator[World]:
    with portal(data_dir, nodes, tmp_path / "portal.db") as running:
        yield running


def test_no_one_sees_or_answers_the_consents_of_someone_who_is_not_their_child(
    world: World, data_dir: Path, nodes: Nodes
) -> None:
    consent_id = request_consent(data_dir, nodes, TIAGO)
    luis = signed_in(world, LUIS)
    page = luis.get(PAGE)
    assert page.status_code == 200, page.text
    assert consent_id not in page.text
    assert "Tiago" not in page.text
    assert "No organisation is waiting for your answer." in page.text

    forged = answer(luis, consent_id, "grant", number(TIAGO), TODAY + dt.timedelta(days=30))
    assert forged.status_code == 403, forged.text
    assert "only your own consents and those of your children" in forged.text
    as_his_own = answer(luis, consent_id, "grant", number(LUIS), TODAY + dt.timedelta(days=30))
    assert as_his_own.status_code == 404, as_his_own.text
    assert "no such consent about this person" in as_his_own.text
    by_api = luis.post(
        f"/api/v1/me/consents/{consent_id}",
        json={"action": "deny", "source": HEALTH, "about": number(TIAGO)},
    )
    assert by_api.status_code == 403
    assert by_api.json()["ok"] is False
    assert state_kept(data_dir, consent_id) == "requested"  # nothing changed

    sara = signed_in(world, SARA)  # Tiago's mother sees it
    assert consent_id in sara.get(PAGE).text


def test_a_last_day_that_cannot_be_used_is_shown_on_its_field_and_nothing_changes(
    world: World, data_dir: Path, nodes: Nodes
) -> None:
    consent_id = request_consent(data_dir, nodes, ULISSES)
    sara = signed_in(world, SARA)
    for fields, message in (
        ({"day": "31", "month": "2", "year": str(TODAY.year + 1)}, "Enter the last day as a real"),
        ({"day": "", "month": "", "year": ""}, "Enter the last day as a real"),
        ({"day": "1", "month": "1", "year": "2020"}, "The last day cannot be in the past."),
        ({"day": "1", "month": "1", "year": str(TODAY.year + 3)}, "no later than the latest day"),
    ):
        refused = answer(sara, consent_id, "grant", number(ULISSES), **fields)
        assert refused.status_code == 400, refused.text
        assert "There is a problem" in refused.text
        assert f'href="#until-{consent_id}-day"' in refused.text
        assert f'id="until-{consent_id}-error"' in refused.text
        assert message in refused.text
        assert f'value="{fields["day"]}"' in refused.text  # what was typed stays
        assert state_kept(data_dir, consent_id) == "requested"

    unknown = answer(sara, consent_id, "approve", number(ULISSES))
    assert unknown.status_code == 400
    assert "give, refuse or withdraw" in unknown.text
    by_api = sara.post(
        f"/api/v1/me/consents/{consent_id}",
        json={"action": "grant", "source": HEALTH, "about": number(ULISSES), "valid_until": "soon"},
    )
    assert by_api.status_code == 400
    assert [e["path"] for e in by_api.json()["errors"]] == ["body.valid_until"]
    assert state_kept(data_dir, consent_id) == "requested"


def test_a_refusal_is_kept_and_cannot_then_be_withdrawn(
    world: World, data_dir: Path, nodes: Nodes
) -> None:
    consent_id = request_consent(data_dir, nodes, VERA)
    sara = signed_in(world, SARA)
    denied = sara.post(
        f"/api/v1/me/consents/{consent_id}",
        json={"action": "deny", "source": HEALTH, "about": number(VERA)},
    )
    assert denied.status_code == 200, denied.text
    assert denied.json()["consent"]["state"] == "denied"
    page = sara.get(PAGE).text
    assert "Refused, withdrawn and ended" in page
    assert f'action="/en/account/consents/{consent_id}/' not in page  # nothing left to answer
    again = answer(sara, consent_id, "withdraw", number(VERA))
    assert again.status_code == 409
    assert "cannot be withdrawn" in again.text
    assert state_kept(data_dir, consent_id) == "denied"
    assert request_consent(data_dir, nodes, VERA) == consent_id  # a "no" is respected


def test_a_register_that_does_not_answer_is_named_and_the_page_still_works(
    data_dir: Path, nodes: Nodes, tmp_path: Path
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"
    with portal(data_dir, {**nodes, "health": nowhere}, tmp_path / "a.db") as world:
        sara = signed_in(world, SARA)
        page = sara.get(PAGE)
        assert page.status_code == 200, page.text
        assert "These registers did not answer just now" in page.text
        assert "Health register" in page.text
        mine = sara.get("/api/v1/me/consents").json()
        assert mine["registers_not_answering"] == [HEALTH]
        assert sara.get("/pt/account/consents").status_code == 200
    with portal(data_dir, {**nodes, "population": nowhere}, tmp_path / "b.db") as world:
        sara = signed_in(world, SARA)
        page = sara.get(PAGE)
        assert page.status_code == 200, page.text
        assert "your children&#39;s consents are not shown" in page.text
        assert sara.get("/api/v1/me/consents").json()["children_checked"] is False
