"""Agencies reached through the once-only exchange: a delivery is a signed POST."""

from __future__ import annotations

from collections.abc import Callable

from civitas.deliveries.domain import Delivery
from civitas.exchange import ExchangeClient


class ExchangeAgencies:
    def __init__(self, exchange: Callable[[], ExchangeClient]) -> None:
        self.exchange = exchange  # looked up at each call: the client opens with the app

    async def deliver(self, delivery: Delivery) -> str:
        parcel = delivery.parcel
        answer = await self.exchange().post(
            parcel.service,
            parcel.document,
            parcel.national_id,
            purpose=parcel.purpose,
            user=parcel.user,
            case=delivery.id,
        )
        return answer.message_id
