"""Tell us once: a new address, given once in the portal, delivered to every agency that
legally needs it, each delivery logged at both ends and shown to the person."""

from __future__ import annotations

from civitas.tell_us_once.domain import SERVICE_ID, AddressChange, NewAddress
from civitas.tell_us_once.services import TellUsOnce, recipients

__all__ = ["SERVICE_ID", "AddressChange", "NewAddress", "TellUsOnce", "recipients"]
