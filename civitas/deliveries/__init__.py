"""Deliveries: what the portal gives agencies (changes of address, reported errors), sent
through the once-only exchange from a transactional outbox, retried until delivered."""

from __future__ import annotations

from civitas.deliveries.courier import Courier
from civitas.deliveries.domain import Delivery, DeliveryState, Parcel
from civitas.deliveries.store import SqlDeliveryStore, enqueue

__all__ = ["Courier", "Delivery", "DeliveryState", "Parcel", "SqlDeliveryStore", "enqueue"]
