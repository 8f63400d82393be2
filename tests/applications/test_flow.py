"""Applying with a form the registers fill in: preview, stop or continue, check, correct,
send; the provenance kept, the correction reported, the burden counted.

Real registry nodes run as processes behind their exchange gates; the portal signs
people in through the development provider and asks the nodes over loopback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from civitas.applications.cli import applications_app
from civitas.applications.store import fields_table, reported_errors_table
from tests.applications.support import Nodes, World, portal
from tests.identity.provider_support import NUMBERS, number
from tests.support.forms import post_form
from tests.support.inboxes import eventually, notices

ANA, DIANA = 0, 3  # rows of tests.identity.provider_support.PEOPLE
PREFILL_PURPOSE = "Fill in your application with data the state already holds"
HOUSING = "/en/apply/housing-allowance"


@pytest.fixture
def world(data_dir: Path, nodes: Nodes, tmp_path: Path) -> Iterator[World]:
    with portal(data_dir, nodes, tmp_path / "portal.db") as signed:
        yield signed


def started(world: World, path: str = HOUSING) -> str:
    """Continue from the preview; the address of the filled-in form."""
    answer = post_form(world.portal, path, {}, follow=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_the_whole_application_from_preview_to_burden(
    world: World, tmp_path: Path, data_dir: Path
) -> None:
    world.sign_in(ANA, "substantial")

    preview = world.portal.get(HOUSING)
    assert preview.status_code == 200, preview.text
    assert "From the Population register" in preview.text
    assert "From the Address register" in preview.text
    assert PREFILL_PURPOSE in preview.text
    assert "Once-Only Data Sharing Act 2022, article 5" in preview.text

    stopped = world.portal.get(HOUSING + "/stopped")
    assert "Nothing was asked for" in stopped.text
    assert PREFILL_PURPOSE not in world.portal.get("/en/who-used-my-data").text

    form_at = started(world)
    assert re.fullmatch(r"/en/apply/housing-allowance/APP-[0-9A-F]{5}-[0-9A-F]{5}", form_at)
    form = world.portal.get(form_at)
    assert form.status_code == 200, form.text
    assert "Ana" in form.text
    assert "Costa" in form.text
    assert number(ANA) in form.text
    assert "1994-05-10" in form.text
    assert "street-0" in form.text
    assert "From the Address register" in form.text
    assert PREFILL_PURPOSE in world.portal.get("/en/who-used-my-data").text

    corrected = {"check-street": "change", "value-street": "Rua Nova"}
    empty = post_form(world.portal, form_at, corrected)
    assert empty.status_code == 400
    assert "There is a problem" in empty.text
    assert 'href="#household_size"' in empty.text
    assert 'value="Rua Nova"' in empty.text  # what was typed stays

    sent = post_form(world.portal, form_at, {**corrected, "value-household_size": "3"})
    assert sent.status_code == 200, sent.text
    assert "Application sent" in sent.text
    assert form_at.rsplit("/", 1)[1] in sent.text
    assert "Reported to the Address register: street-0 should be Rua Nova" in sent.text

    reference = form_at.rsplit("/", 1)[1]
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    with engine.connect() as connection:
        rows = {
            row.field_id: row
            for row in connection.execute(
                select(fields_table).where(fields_table.c.application_id == reference)
            )
        }
        reported = connection.execute(select(reported_errors_table)).all()
    engine.dispose()
    assert rows["street"].origin == "corrected"
    assert rows["street"].registry_value == "street-0"
    assert rows["street"].party == "civil-registry/addresses"
    assert rows["street"].record_id.startswith("AR-")
    assert rows["first_name"].origin == "prefilled"
    assert rows["first_name"].party == "civil-registry/population"
    assert rows["first_name"].message_id
    assert rows["household_size"].origin == "typed"
    assert rows["household_size"].party is None
    assert rows["monthly_rent"].value == "5"  # cents, as the register keeps it
    assert [(r.party, r.item, r.registry_value, r.person_value) for r in reported] == [
        ("civil-registry/addresses", "street", "street-0", "Rua Nova")
    ]
    assert reported[0].national_id == number(ANA)
    assert reported[0].delivery_id.startswith("dlv-")  # in the outbox, sent in the background
    eventually(lambda: bool(notices(data_dir, "addresses")))
    (kept,) = [n for n in notices(data_dir, "addresses") if n["national_id"] == number(ANA)]
    assert kept["details"] == {
        "record": rows["street"].record_id,
        "item": "street",
        "registered": "street-0",
        "reported": "Rua Nova",
    }

    burden = world.portal.get("/api/v1/applications/burden").json()
    assert burden == {
        "services": [
            {
                "service_id": "housing-allowance",
                "applications": 1,
                "prefilled": 8,
                "corrected": 1,
                "typed": 1,
                "share_prefilled": 0.8,
            }
        ]
    }
    mine = world.portal.get("/en/applications")
    assert reference in mine.text
    assert "Housing allowance" in mine.text

    database = {"CIVITAS_DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}"}
    printed = CliRunner().invoke(applications_app, ["burden"], env=database)
    assert printed.exit_code == 0, printed.output
    [line] = [line for line in printed.output.splitlines() if "housing-allowance" in line]
    assert [cell.strip() for cell in line.strip("│ ").split("│")] == [
        *("housing-allowance", "1", "8", "1", "1", "80%")
    ]


def test_a_child_benefit_form_offers_only_your_children_under_18(world: World) -> None:
    world.sign_in(DIANA, "substantial")
    form = world.portal.get(started(world, "/en/apply/child-benefit"))
    assert form.status_code == 200, form.text
    for child in ("Eva Lopes", "Filipe Lopes", "Gil Lopes"):
        assert child in form.text
    assert "Ana Costa" not in form.text
    stranger = f"{NUMBERS[2]:09d}"  # Carla is Ana's child, not Diana's
    wrong = post_form(
        world.portal, form.url.path, {"value-child": stranger, "value-bank_account": "x"}
    )
    assert wrong.status_code == 400
    assert "Choose one of your children." in wrong.text
    assert "Enter an IBAN like" in wrong.text


def test_someone_else_cannot_see_or_send_your_application(world: World) -> None:
    world.sign_in(ANA, "substantial")
    form_at = started(world)
    world.portal.cookies.clear()
    world.sign_in(DIANA, "substantial")
    assert world.portal.get(form_at).status_code == 404
    sent = post_form(world.portal, form_at, {"value-household_size": "2"})
    assert sent.status_code == 404
    assert "There is no such application." in sent.text


def test_a_service_people_do_not_apply_for_has_no_form(world: World) -> None:
    world.sign_in(ANA, "substantial")
    page = world.portal.get("/en/apply/sickness-benefit")
    assert page.status_code == 404
    assert "You cannot apply online for this service." in page.text


def test_the_preview_needs_the_services_level_of_assurance(world: World) -> None:
    world.sign_in(ANA, "low")
    page = world.portal.get(HOUSING, follow_redirects=False)
    assert page.status_code == 403
    assert "level=substantial" in page.text
