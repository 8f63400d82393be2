"""The scan's offers kept as decisions: each one once, with a message, never over an earlier
"no thank you"; the same scan sent twice adds nothing."""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rich.console import Console
from sqlalchemy import func, select

from civitas.config import DEMO_PACK, Settings
from civitas.notifications.tables import deliveries_table, messages_table
from civitas.proactive.domain import Action, OfferState
from civitas.proactive.places import municipality_names
from civitas.proactive.scan import send_offers
from civitas.proactive.scan.country import open_country
from civitas.proactive.scan.recipients import with_recipients
from civitas.proactive.scan_offers import ScanOffers
from civitas.proactive.store import SqlDecisionStore
from civitas.proactive_worker import scan_offers
from tests.proactive.conftest import SCAN_MONTH, ScanWorld


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[ScanOffers]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'c.db'}"
    )
    made = scan_offers(settings)
    yield made
    assert isinstance(made.store, SqlDecisionStore)
    made.store.engine.dispose()


def quiet() -> Console:
    return Console(file=io.StringIO(), width=100)


def messages(store: SqlDecisionStore) -> int:
    with store.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(messages_table)).scalar())


def test_every_gap_row_becomes_one_open_offer_with_its_message(
    scan_world: ScanWorld, sink: ScanOffers
) -> None:
    gap = pq.read_table(scan_world.out / "gap.parquet")
    assert send_offers(sink, SCAN_MONTH, gap, console=quiet()) == gap.num_rows > 0
    store = sink.store
    assert isinstance(store, SqlDecisionStore)
    row = gap.slice(0, 1).to_pylist()[0]
    (offer,) = [d for d in store.history([row["national_id"]]) if d.service == row["service"]]
    assert offer.action is Action.OFFERED
    assert offer.state is OfferState.OPEN
    assert offer.national_id == row["claimant_national_id"]
    assert offer.reasons[0].reference.startswith("https://")
    assert messages(store) == gap.num_rows
    assert send_offers(sink, SCAN_MONTH, gap, console=quiet()) == 0  # sent twice: nothing new
    assert send_offers(sink, "2026-02", gap, console=quiet()) == 0  # next month: still open
    assert messages(store) == gap.num_rows


def test_a_declined_offer_is_not_made_again_by_a_later_scan(
    scan_world: ScanWorld, sink: ScanOffers
) -> None:
    gap = pq.read_table(scan_world.out / "gap.parquet").slice(0, 1)
    send_offers(sink, SCAN_MONTH, gap, console=quiet())
    store = sink.store
    assert isinstance(store, SqlDecisionStore)
    (offer,) = store.history([gap.column("national_id")[0].as_py()])
    store.answer(replace(offer, state=OfferState.DECLINED))
    assert send_offers(sink, "2026-02", gap, console=quiet()) == 0


def test_an_offer_is_written_to_the_claimant_at_their_address_with_the_municipality_named(
    scan_world: ScanWorld, sink: ScanOffers
) -> None:
    gap = pq.read_table(scan_world.out / "gap.parquet").slice(0, 200)
    addressed = with_recipients(
        open_country(scan_world.country), gap, municipality_names(DEMO_PACK)
    )
    send_offers(sink, SCAN_MONTH, addressed, console=quiet())
    store = sink.store
    assert isinstance(store, SqlDecisionStore)
    registers = scan_world.country / "registries"
    people = {
        str(p["national_id"]): p
        for p in pq.read_table(registers / "population.parquet").to_pylist()
    }
    homes = {
        str(a["national_id"]): a for a in pq.read_table(registers / "addresses.parquet").to_pylist()
    }
    with store.engine.connect() as connection:
        kept = connection.execute(
            select(messages_table.c.national_id, messages_table.c.address, messages_table.c.params)
        ).all()
        letters = connection.execute(
            select(deliveries_table.c.state).where(deliveries_table.c.channel == "letter")
        ).scalars()
        states = Counter(letters)
    assert len(kept) == gap.num_rows
    places = set(municipality_names(DEMO_PACK).values())
    addressed_count = 0
    for national_id, address, params in kept:
        person, home = people[national_id], homes.get(national_id)
        name = f"{person['first_name']} {person['family_name']}"
        assert json.loads(params)["name"] == name
        if home is None:
            assert address == ""
            continue
        addressed_count += 1
        written = json.loads(address)
        assert written["name"] == name
        assert written["street"] == home["street"]
        assert written["postcode"] == (home["postcode"] or "")
        assert written["municipality"] in places  # "Praia Longa", not "VLD-PL"
    assert addressed_count > 0
    # a letter is made for everyone with an address; none fails for the lack of one
    assert states["failed"] == gap.num_rows - addressed_count
    assert states["pending"] == addressed_count
