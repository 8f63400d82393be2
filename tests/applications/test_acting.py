"""A parent acts online for their child: applies for them with a form the registers fill in
about the child, reads who used the child's data, and the child sees every act.

Real registry nodes run as processes behind their exchange gates (tests/applications/
support.py); the population register says who is whose child, at each request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.applications.support import Nodes, World, portal
from tests.identity.portal_support import sign_in
from tests.identity.provider_support import number
from tests.support.forms import post_form

CARLA, DIANA, EVA = 2, 3, 4  # rows of tests.identity.provider_support.PEOPLE
PREFILL_PURPOSE = "Fill in your application with data the state already holds"
HOUSING = "/en/apply/housing-allowance"


@pytest.fixture
def world(data_dir: Path, nodes: Nodes, tmp_path: Path) -> Iterator[World]:
    with portal(data_dir, nodes, tmp_path / "portal.db") as signed:
        yield signed


def signed_in(world: World, row: int) -> TestClient:
    """The world's browser, signed in afresh as ``PEOPLE[row]`` (typed in at the provider)."""
    world.portal.cookies.clear()
    back = sign_in(world.portal, world.provider, row, "substantial", typed=True)
    assert back.status_code == 303, back.text
    return world.portal


def test_a_parent_applies_for_their_child_and_the_child_sees_what_was_done(
    world: World, data_dir: Path
) -> None:
    diana = signed_in(world, DIANA)
    mandates = diana.get("/en/mandates").text
    for child in ("Eva Lopes", "Filipe Lopes", "Gil Lopes"):
        assert f"Act for {child}" in mandates
    acting = post_form(diana, "/en/act-for", {"national_id": number(EVA), "ground": "parent"})
    assert acting.status_code == 200, acting.text
    assert "You are acting for Eva Lopes (as parent)" in acting.text

    preview = diana.get(HOUSING)
    assert "Before we fill in the application for Eva Lopes" in preview.text
    started = post_form(diana, HOUSING, {}, follow=False)
    assert started.status_code == 303, started.text
    form_at = str(started.headers["location"])
    reference = form_at.rsplit("/", 1)[1]
    form = diana.get(form_at)
    assert "Application for Eva Lopes" in form.text
    assert number(EVA) in form.text  # prefilled with the child's data, not the parent's
    assert "2021-07-07" in form.text
    assert number(DIANA) not in form.text
    typed = {
        "value-household_size": "3",
        "value-postcode": "1000-100",
        "value-monthly_rent": "450.00",
    }
    sent = post_form(diana, form_at, typed)
    assert "Application sent" in sent.text, sent.text
    assert "We sent the application of Eva Lopes" in sent.text
    assert reference in diana.get("/en/applications").text

    uses = diana.get("/en/who-used-my-data")
    assert "Who used the data of Eva Lopes" in uses.text
    assert PREFILL_PURPOSE in uses.text  # the child's record: the prefill asked about her
    api = diana.get("/api/v1/me/data-use").json()
    assert api["acting_for"]["national_id"] == number(EVA)
    assert api["acting_for"]["actor"]["national_id"] == number(DIANA)
    assert any(use["case"] == reference for use in api["uses"])

    # the registers were asked by the parent, for the child: X-Road-Represented-Party
    log = data_dir / "exchange" / "logs" / "civil-registry" / "population.jsonl"
    entries = [json.loads(line) for line in log.read_text().splitlines()]
    for_eva = [e for e in entries if e.get("represented_party") == f"PERSON/{number(EVA)}"]
    assert for_eva
    assert {e["user"] for e in for_eva} == {number(DIANA)}

    post_form(diana, "/en/act-for/stop", {})
    assert reference not in diana.get("/en/applications").text  # not the parent's own

    eva = signed_in(world, EVA)
    assert reference in eva.get("/en/applications").text
    done = eva.get("/en/mandates").text.split("What others did for you", 1)[1]
    for act in (
        "Began acting for you online",
        "Started an application (Housing allowance)",
        "Sent an application (Housing allowance)",
        "Read who used your data",
        "Stopped acting for you online",
    ):
        assert act in done
    assert "Diana Lopes" in done


def test_acting_for_a_child_who_is_someone_elses_is_refused_and_nothing_is_kept(
    world: World,
) -> None:
    diana = signed_in(world, DIANA)
    forged = post_form(diana, "/en/act-for", {"national_id": number(CARLA), "ground": "parent"})
    assert forged.status_code == 403, forged.text
    assert "You cannot act for this person or company." in forged.text
    assert diana.get("/api/v1/me").json()["acting_for"] is None
    assert 'class="acting"' not in diana.get("/en/applications").text
