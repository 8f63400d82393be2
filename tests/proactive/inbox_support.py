"""Decisions written straight into a portal's database, as the worker would settle them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from civitas.proactive.domain import (
    Action,
    ChangeEvent,
    DataUsed,
    Decision,
    Reason,
    decision_id,
    decision_key,
    initial_state,
)
from civitas.proactive.ports import Settled
from civitas.proactive.store import SqlDecisionStore
from tests.applications.support import World

FAMILY_LAW = "https://legislacao.gov.vd.example/family-benefits-act-2018"
DECIDED = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)

CHILD_UNDER_18 = Reason(
    {
        "en": "There is a child under 18 in the household",
        "pt": "Há uma criança com menos de 18 anos no agregado",
    },
    True,
    f"{FAMILY_LAW}#article-4",
)
INCOME_BELOW = Reason(
    {
        "en": "The household's yearly income is below the child benefit limit",
        "pt": "O rendimento anual do agregado está abaixo do limite do abono de família",
    },
    False,
    f"{FAMILY_LAW}#article-7",
)
TRACE: dict[str, Any] = {
    "variable": "child_benefit",
    "label": {"en": "Child benefit", "pt": "Abono de família"},
    "member": "home",
    "period": "2026-03",
    "value": "165.00",
    "source": "formula",
    "reference": f"{FAMILY_LAW}#article-7",
    "parameters": [],
    "children": [
        {
            "variable": "child_count",
            "label": {"en": "Number of children under 18", "pt": "Número de crianças"},
            "member": "home",
            "period": "2026-03",
            "value": "1",
            "source": "formula",
            "reference": f"{FAMILY_LAW}#article-4",
            "parameters": [
                {
                    "path": "benefits.child_benefit.age_limit",
                    "value": "18",
                    "since": "2018-01-01",
                    "reference": f"{FAMILY_LAW} (Article 4)",
                }
            ],
            "children": [],
        }
    ],
}
MISSING = (
    {
        "en": "Months of social security contributions in the last 24 months",
        "pt": "Meses de descontos para a segurança social nos últimos 24 meses",
    },
)


def decision(
    national_id: str,
    service: str = "child-benefit",
    action: Action = Action.OFFERED,
    *,
    amount_cents: int | None = 16_500,
    decided_at: dt.datetime = DECIDED,
    life_event: str = "having-a-child",
    beneficiary: str | None = None,
    cause: str = "population:1:baby",
) -> Decision:
    """A decision told to ``national_id``, as the worker makes it."""
    key = decision_key(service, beneficiary or national_id, f"{decided_at:%Y-%m}")
    return Decision(
        id=decision_id(key),
        key=key,
        national_id=national_id,
        beneficiary=beneficiary or national_id,
        service=service,
        life_event=life_event,
        action=action,
        period=f"{decided_at:%Y-%m}",
        cause=cause,
        amount_cents=amount_cents,
        reasons=(CHILD_UNDER_18, INCOME_BELOW),
        missing=MISSING if action is Action.NEEDS_INFORMATION else (),
        data_used=(
            DataUsed("civil-registry/population", "person", national_id, "msg-population"),
            DataUsed("civil-registry/addresses", "person", national_id, "msg-addresses"),
        ),
        trace=TRACE,
        decided_at=decided_at,
        state=initial_state(action),
    )


def settle(engine: Engine, *decisions: Decision, seq: int = 1) -> list[Decision]:
    """Keep ``decisions`` as the worker does, with the change event that caused them."""
    event = ChangeEvent("population", seq, dt.date(2026, 3, 10), "birth", "", f"rec-{seq}", {})
    store = SqlDecisionStore(engine, lambda: DECIDED)
    return store.settle([Settled(event, tuple(decisions), outcome="test")])


def engine_of(world: World) -> Engine:
    """The portal's operational database, where the worker would settle decisions."""
    engine: Engine = world.portal.app.state.platform.engine  # type: ignore[attr-defined]
    return engine
