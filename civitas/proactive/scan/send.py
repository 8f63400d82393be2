"""Hand the scan's gap to whoever makes offers, in batches, idempotently.

The sink is a port: the proactive decisions store implements it (an offer there is a
decision with its own key), tests use a fake. Sending asks the sink first which of a
batch's people were already offered the service, and hands over only the others;
the sink itself keeps an offer once per (service, person) however often it is handed
over, so a scan sent twice, or a send interrupted and run again, offers nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pyarrow as pa
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from civitas.proactive.scan.gap import gap_rows
from civitas.proactive.scan.model import GapRow

BATCH = 5_000


class OfferSink(Protocol):
    """Where offers for the people entitled but not enrolled go."""

    def already_offered(self, service: str, national_ids: Sequence[str]) -> set[str]:
        """Which of these people were already offered ``service`` (by any scan or event)."""
        ...

    def offer(self, month: str, gap_rows: Sequence[GapRow]) -> int:
        """Offer each row's service to its person; how many new offers were kept."""
        ...


def send_offers(
    sink: OfferSink,
    month: str,
    gap: pa.Table,
    *,
    batch: int = BATCH,
    console: Console | None = None,
) -> int:
    """Offer every row of ``gap`` not offered before, ``batch`` rows at a time, with a
    progress bar on ``console``; the number of new offers kept."""
    new = 0
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console or Console(stderr=True), transient=False) as bar:
        task = bar.add_task("Offers", total=gap.num_rows)
        for rows in gap_rows(gap, batch):
            fresh = _not_offered(sink, rows)
            if fresh:
                new += sink.offer(month, fresh)
            bar.advance(task, len(rows))
    return new


def _not_offered(sink: OfferSink, rows: Sequence[GapRow]) -> list[GapRow]:
    """The rows whose person was not offered their service yet (asked once per service)."""
    by_service: dict[str, list[str]] = {}
    for row in rows:
        by_service.setdefault(row.service, []).append(row.national_id)
    offered = {
        service: sink.already_offered(service, national_ids)
        for service, national_ids in by_service.items()
    }
    return [row for row in rows if row.national_id not in offered[row.service]]
