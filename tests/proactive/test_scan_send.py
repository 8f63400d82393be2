"""Sending the scan's gap as offers: in batches, with a progress bar, never twice."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pyarrow.parquet as pq
from rich.console import Console

from civitas.proactive.scan import GapRow, OfferSink, send_offers
from tests.proactive.conftest import ScanWorld


class FakeSink:
    """Offers kept in memory, once per (service, person), as the decisions store keeps them."""

    def __init__(self) -> None:
        self.offers: dict[tuple[str, str], tuple[str, GapRow]] = {}
        self.batches: list[int] = []

    def already_offered(self, service: str, national_ids: Sequence[str]) -> set[str]:
        return {n for n in national_ids if (service, n) in self.offers}

    def offer(self, month: str, gap_rows: Sequence[GapRow]) -> int:
        self.batches.append(len(gap_rows))
        new = 0
        for row in gap_rows:
            if (row.service, row.national_id) not in self.offers:
                self.offers[(row.service, row.national_id)] = (month, row)
                new += 1
        return new


def _quiet() -> Console:
    return Console(file=io.StringIO(), width=100)


def test_sending_offers_everyone_entitled_but_not_enrolled(scan_world: ScanWorld) -> None:
    gap = pq.read_table(scan_world.out / "gap.parquet")
    sink: OfferSink = (fake := FakeSink())
    new = send_offers(sink, "2026-01", gap, batch=500, console=_quiet())
    assert new == gap.num_rows > 0
    assert max(fake.batches) <= 500
    assert len(fake.batches) >= gap.num_rows // 500
    month, row = next(iter(fake.offers.values()))
    assert month == "2026-01"
    assert len(row.claimant_national_id) == 9


def test_sending_the_same_scan_twice_sends_nothing_new(scan_world: ScanWorld) -> None:
    gap = pq.read_table(scan_world.out / "gap.parquet")
    fake = FakeSink()
    first = send_offers(fake, "2026-01", gap, console=_quiet())
    batches = len(fake.batches)
    again = send_offers(fake, "2026-01", gap, console=_quiet())
    assert first == gap.num_rows
    assert again == 0
    assert len(fake.offers) == gap.num_rows
    assert len(fake.batches) == batches  # nothing left to hand over the second time


def test_a_send_cut_short_is_finished_by_the_next_one(scan_world: ScanWorld) -> None:
    gap = pq.read_table(scan_world.out / "gap.parquet")
    fake = FakeSink()
    part = send_offers(fake, "2026-01", gap.slice(0, gap.num_rows // 3), console=_quiet())
    rest = send_offers(fake, "2026-01", gap, console=_quiet())
    assert part + rest == gap.num_rows == len(fake.offers)


def test_sending_shows_a_progress_bar(scan_world: ScanWorld) -> None:
    gap = pq.read_table(scan_world.out / "gap.parquet")
    shown = _quiet()
    send_offers(FakeSink(), "2026-01", gap, console=shown)
    text = shown.file.getvalue()  # type: ignore[attr-defined]
    assert "Offers" in text
    assert f"{gap.num_rows}/{gap.num_rows}" in text
