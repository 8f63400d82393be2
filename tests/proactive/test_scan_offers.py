"""The scan's offers kept as decisions: each one once, with a message, never over an earlier
"no thank you"; the same scan sent twice adds nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rich.console import Console
from sqlalchemy import func, select

from civitas.config import Settings
from civitas.notifications.tables import messages_table
from civitas.proactive.domain import Action, OfferState
from civitas.proactive.scan import send_offers
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
