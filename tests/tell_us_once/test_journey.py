"""Tell us once, end to end: a person gives a new address once in the portal, and each
agency the law names receives it through the exchange, from the portal's outbox, as its
own process; an agency that is down gets it when it is back. Each delivery is kept by the
agency and shown to the person."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from civitas.deliveries.store import deliveries_table
from civitas.registries.cli import registry_app
from tests.applications.support import Nodes, World, portal, registry_nodes
from tests.identity.provider_support import number
from tests.support.forms import post_form
from tests.support.inboxes import eventually, notices
from tests.tell_us_once.conftest import DOWN, UP

ANA = 0  # a row of tests.identity.provider_support.PEOPLE
NEW = {
    "street": "Rua das Flores",
    "house_number": "12A",
    "postcode": "1200-001",
    "municipality": "Aurélia",
    "moved_on": (dt.date.today() - dt.timedelta(days=20)).isoformat(),
}


@pytest.fixture
def world(data_dir: Path, nodes: Nodes, tmp_path: Path) -> Iterator[World]:
    with portal(data_dir, nodes, tmp_path / "portal.db") as signed:
        yield signed


def told_here(data_dir: Path, registry: str) -> list[dict[str, object]]:
    """The notices of this module's first test (the others tell other streets)."""
    return [n for n in notices(data_dir, registry) if n["details"] == NEW]


def test_a_new_address_told_once_reaches_every_agency_that_needs_it(
    world: World, data_dir: Path, down_port: int
) -> None:
    world.sign_in(ANA, "substantial")
    service = world.portal.get("/en/services/change-of-address")
    assert 'href="/en/change-of-address"' in service.text
    assert "/en/apply/change-of-address" not in service.text  # no generic form for it

    start = world.portal.get("/en/change-of-address")
    assert start.status_code == 200, start.text
    assert "street-0" in start.text  # the address the register holds now
    for agency in ("Tax and Customs Authority", "Social Security Institute", "Ministry of Educ"):
        assert agency in start.text

    wrong = post_form(world.portal, "/en/change-of-address", {**NEW, "postcode": "1200"})
    assert wrong.status_code == 400
    assert 'href="#postcode"' in wrong.text
    assert 'value="Rua das Flores"' in wrong.text  # what was typed stays
    assert told_here(data_dir, "tax") == []  # nothing was told

    told = post_form(world.portal, "/en/change-of-address", NEW, follow=False)
    assert told.status_code == 303, told.text
    status_page = str(told.headers["location"])
    assert status_page.startswith("/en/change-of-address/move-")

    eventually(lambda: all(told_here(data_dir, r) for r in UP))
    for registry in UP:
        (kept,) = told_here(data_dir, registry)
        assert kept["national_id"] == number(ANA)
        assert kept["details"] == NEW
    page = world.portal.get(status_page)
    assert page.text.count("Delivered") == len(UP)
    assert "It did not answer; we keep trying." in page.text  # the benefits agency is down
    for registry in UP:
        assert str(told_here(data_dir, registry)[0]["id"]) in page.text  # the exchange message

    with registry_nodes(data_dir, (DOWN,), ports={DOWN: down_port}):
        platform = world.portal.app.state.platform  # type: ignore[attr-defined]
        with platform.engine.begin() as connection:  # its next try is due now, not in 30 s
            connection.execute(
                update(deliveries_table)
                .where(deliveries_table.c.state == "pending")
                .values(next_attempt_at=deliveries_table.c.created_at)
            )
        platform.courier.wake()
        eventually(lambda: bool(told_here(data_dir, DOWN)))
    eventually(lambda: world.portal.get(status_page).text.count("Delivered") == len(UP) + 1)
    assert len(told_here(data_dir, "tax")) == 1  # delivered once, not again

    clerks = CliRunner().invoke(
        registry_app, ["inbox", "tax"], env={"CIVITAS_DATA_DIR": str(data_dir)}
    )
    assert clerks.exit_code == 0, clerks.output
    assert f"address-change  {number(ANA)} from civil-registry/portal" in clerks.output

    mine = world.portal.get("/en/change-of-address")
    assert "Rua das Flores 12A" in mine.text
    assert "6 of 6 organisations have it" in mine.text


def test_another_persons_change_is_not_shown(world: World) -> None:
    world.sign_in(ANA, "substantial")
    elsewhere = {**NEW, "street": "Rua da Paz"}
    told = post_form(world.portal, "/en/change-of-address", elsewhere, follow=False)
    reference = str(told.headers["location"])
    world.sign_in(3, "substantial")
    assert world.portal.get(reference).status_code == 404


def test_the_mobile_app_tells_and_follows_a_move_in_json(world: World) -> None:
    assert world.portal.get("/api/v1/me/address-changes").status_code == 401
    world.sign_in(ANA, "substantial")
    wrong = world.portal.post("/api/v1/me/address-changes", json={**NEW, "moved_on": "soon"})
    assert wrong.status_code == 400
    assert [e["path"] for e in wrong.json()["errors"]] == ["moved_on"]
    assert world.portal.get("/api/v1/me/address-changes").json() == {"changes": []}

    told = world.portal.post("/api/v1/me/address-changes", json={**NEW, "street": "Rua do Sol"})
    assert told.status_code == 201, told.text
    change = told.json()
    assert change["street"] == "Rua do Sol"
    assert len(change["deliveries"]) == 6
    eventually(
        lambda: (
            sum(
                d["state"] == "delivered"
                for d in world.portal.get("/api/v1/me/address-changes").json()["changes"][0][
                    "deliveries"
                ]
            )
            == len(UP)
        )
    )
