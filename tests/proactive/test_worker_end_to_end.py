"""The worker over a real synthetic country: registry nodes in their own processes behind
their exchange gates, the feeds and every look-up signed and logged. A month of births,
retirements and lost jobs becomes decisions, each with its reasons and the data used."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from civitas.config import Settings
from civitas.db import create_engine_for
from civitas.notifications.tables import messages_table
from civitas.proactive.domain import Action
from civitas.proactive.store import decisions_table, events_table
from civitas.proactive_worker import Round, run_once
from tests.proactive.conftest import LiveCountry


@pytest.fixture(scope="module")
def settings(worker_country: LiveCountry) -> Settings:
    return worker_country.settings("end-to-end.db")


@pytest.fixture(scope="module")
def first_round(settings: Settings) -> Round:
    """The worker's first round over the month's events (the tests below read its work)."""
    return run_once(settings)


def births(country: Path) -> list[dict[str, object]]:
    table = pq.read_table(country / "changes" / "population" / "00001.parquet")
    return [row for row in table.to_pylist() if row["kind"] == "birth"]


def test_a_month_of_life_events_becomes_decisions_with_reasons_and_data_used(
    settings: Settings, first_round: Round
) -> None:
    country = settings.country_dir
    first = first_round
    assert first.read > 0
    assert first.handled == first.read
    assert first.decisions > 0
    engine = create_engine_for(settings.resolved_database_url)
    with engine.connect() as connection:
        decisions = connection.execute(select(decisions_table)).all()
        problems = connection.execute(
            select(events_table.c.problem).where(events_table.c.problem != "")
        ).all()
    engine.dispose()
    grants = [d for d in decisions if d.service == "birth-grant"]
    assert grants, "every month has births"
    assert all(d.action == Action.GRANTED for d in grants)
    mothers = {
        str(json.loads(str(b["changes"])).get("mother_national_id")) for b in births(country)
    }
    assert {d.national_id for d in grants} <= mothers | {
        str(json.loads(str(b["changes"])).get("father_national_id")) for b in births(country)
    }
    for decision in decisions:
        used = json.loads(decision.data_used)
        assert used, decision.key
        assert all(u["message_id"] for u in used)
        assert json.loads(decision.reasons) or decision.action == Action.NEEDS_INFORMATION
    assert len(problems) < first.handled  # a few events name people the registers lack


def test_a_second_round_reads_nothing_new_and_decides_nothing_twice(
    settings: Settings, first_round: Round
) -> None:
    again = run_once(settings)
    assert again.read == 0
    assert again.handled == 0
    assert again.decisions == 0


def test_a_death_is_told_to_the_next_of_kin_at_their_own_home(
    settings: Settings, first_round: Round
) -> None:
    engine = create_engine_for(settings.resolved_database_url)
    with engine.connect() as connection:
        funerals = connection.execute(
            select(decisions_table).where(decisions_table.c.service == "funeral-grant")
        ).all()
        letters = {
            row.key: row
            for row in connection.execute(select(messages_table)).all()
            if row.key in {f"decision:{d.id}" for d in funerals}
        }
    engine.dispose()
    assert funerals, "every month has deaths"
    homes = {
        str(row["national_id"]): row
        for row in pq.read_table(settings.country_dir / "registries" / "addresses.parquet")
        .select(["national_id", "street", "house_number"])
        .to_pylist()
    }
    names = {
        str(row["national_id"]): f"{row['first_name']} {row['family_name']}"
        for row in pq.read_table(settings.country_dir / "registries" / "population.parquet")
        .select(["national_id", "first_name", "family_name"])
        .to_pylist()
    }
    for funeral in funerals:
        assert funeral.national_id != funeral.beneficiary  # told: the next of kin
        letter = letters[f"decision:{funeral.id}"]
        address = json.loads(letter.address)
        assert address["name"] == json.loads(letter.params)["name"] == names[funeral.national_id]
        home = homes[funeral.national_id]
        assert (address["street"], address["house_number"]) == (
            home["street"],
            str(home["house_number"]),
        )
