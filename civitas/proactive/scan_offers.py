"""The take-up scan's offers, kept as decisions: the people entitled but not enrolled.

An offer from a scan is a decision like one from an event: it has a key (the service,
the person, ``scan:<month>``), it is kept once, it tells the person through
``civitas.notifications``, and it shows in their inbox with Accept and Decline. Nobody
is offered a service they were offered, granted or declined before, by a scan or an
event. Its reason is the scan's finding, with the law of the service's rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from civitas.core.clock import Clock
from civitas.notifications import Notice
from civitas.proactive.domain import (
    Action,
    Decision,
    OfferState,
    Reason,
    decision_id,
    decision_key,
    stops_a_repeat,
)
from civitas.proactive.scan.model import GapRow
from civitas.proactive.services import notice_of

FINDING = {
    "en": "The monthly check of the registers found that you can get it, and do not get it yet",
    "pt": "A verificação mensal dos registos mostrou que tem direito e ainda não recebe",
}


class OffersStore(Protocol):
    def history(self, national_ids: Sequence[str]) -> list[Decision]: ...

    def keep(self, decisions: Sequence[Decision], notices: Sequence[Notice]) -> list[Decision]: ...


class ScanOffers:
    """The OfferSink of the scan, over the proactive decisions store."""

    def __init__(
        self,
        store: OffersStore,
        names: Mapping[str, Mapping[str, str]],
        laws: Mapping[str, str],
        clock: Clock,
    ) -> None:
        self.store = store
        self.names = names  # service id -> name per language
        self.laws = laws  # service id -> the law of its rule
        self.clock = clock

    def already_offered(self, service: str, national_ids: Sequence[str]) -> set[str]:
        return {
            d.beneficiary
            for d in self.store.history(national_ids)
            if d.service == service and stops_a_repeat(d)
        }

    def offer(self, month: str, gap_rows: Sequence[GapRow]) -> int:
        at = self.clock.now()
        decisions = [self._decision(month, row, at) for row in gap_rows]
        notices = [
            notice_of(d, self.names.get(d.service, {}), row.recipient_name, row.address)
            for d, row in zip(decisions, gap_rows, strict=True)
        ]
        return len(self.store.keep(decisions, notices))

    def _decision(self, month: str, row: GapRow, at: datetime) -> Decision:
        cause = f"scan:{month}"
        key = decision_key(row.service, row.national_id, cause)
        return Decision(
            id=decision_id(key),
            key=key,
            national_id=row.claimant_national_id or row.national_id,
            beneficiary=row.national_id,
            service=row.service,
            life_event="",
            action=Action.OFFERED,
            period=month,
            cause=cause,
            amount_cents=row.amount_cents,
            reasons=(Reason(FINDING, True, self.laws.get(row.service, "")),),
            missing=(),
            data_used=(),
            trace={},
            decided_at=at,
            state=OfferState.OPEN,
        )
