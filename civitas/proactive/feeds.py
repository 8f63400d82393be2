"""The registers' change feeds, read through the once-only exchange as ``civil-registry/proactive``.

Each page is a signed, logged exchange call for the purpose ``proactive-services``; the
events keep the message id they came in. A cursor a node no longer knows (the country
was generated again) is dropped and the feed read from its start: events already kept
are recognised by their keys.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from civitas.core.errors import InvalidInput
from civitas.exchange import ExchangeClient
from civitas.proactive.domain import ChangeEvent
from civitas.proactive.ports import FeedPage
from civitas.registries import read_changes

log = logging.getLogger("civitas.proactive")

PURPOSE = "proactive-services"


class ExchangeFeeds:
    def __init__(self, exchange: Callable[[], ExchangeClient], parties: Mapping[str, str]) -> None:
        self.exchange = exchange
        self.parties = dict(parties)  # registry id -> member/subsystem

    @property
    def registries(self) -> Sequence[str]:
        return tuple(self.parties)

    async def page(self, registry: str, after: str | None, limit: int) -> FeedPage:
        party = self.parties[registry]
        try:
            page = await read_changes(self.exchange(), party, after, limit, PURPOSE)
        except InvalidInput:
            if after is None:
                raise
            log.warning("the %s feed no longer knows cursor %s: reading it again", registry, after)
            page = await read_changes(self.exchange(), party, None, limit, PURPOSE)
        events = [_event(registry, e, page.message_id) for e in page.events]
        return FeedPage(events, page.next, page.more)


def _event(registry: str, raw: Mapping[str, Any], message_id: str) -> ChangeEvent:
    changes = raw.get("changes")
    return ChangeEvent(
        registry=registry,
        seq=int(raw["seq"]),
        occurred_on=dt.date.fromisoformat(str(raw["occurred_on"])),
        kind=str(raw["kind"]),
        national_id=str(raw.get("national_id") or ""),
        record_id=str(raw.get("record_id") or ""),
        changes=changes if isinstance(changes, dict) else {},
        message_id=message_id,
    )
