"""Consents: what organisations ask to see of a person's data, and the person's answers.

The registers keep the consents (``civitas.registries``); this block is the person's
side in the portal: see them, give until a last day, refuse, withdraw, for oneself and
for one's children under 18.
"""

from __future__ import annotations

from civitas.consents.domain import (
    PURPOSE,
    About,
    Action,
    Consent,
    ConsentRegister,
    Overview,
    State,
    Step,
)
from civitas.consents.services import Consents

__all__ = [
    "PURPOSE",
    "About",
    "Action",
    "Consent",
    "ConsentRegister",
    "Consents",
    "Overview",
    "State",
    "Step",
]
