"""Proactive services: from a registry event to benefits given, and the take-up scan."""

from __future__ import annotations

from civitas.proactive.domain import Action, ChangeEvent, Decision, OfferState, Trigger, Who
from civitas.proactive.offers import Offers
from civitas.proactive.pack import PROACTIVE_FILE, ProactiveInvalid, load_proactive
from civitas.proactive.services import EventHandler, Plan
from civitas.proactive.store import SqlDecisionStore
from civitas.proactive.worker import Worker

__all__ = [
    "PROACTIVE_FILE",
    "Action",
    "ChangeEvent",
    "Decision",
    "EventHandler",
    "OfferState",
    "Offers",
    "Plan",
    "ProactiveInvalid",
    "SqlDecisionStore",
    "Trigger",
    "Who",
    "Worker",
    "load_proactive",
]
