"""A registry node's answer, asked through the once-only exchange: the records it gave.

Every client of the nodes (relations for mandates, the desk console, application
forms) asks the same way and reads the same answer, ``{"records": [...]}``; a node
that holds nothing about the person answers 404, which is no records, not a failure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from civitas.core.errors import NotFound
from civitas.exchange import ExchangeClient


@dataclass(frozen=True)
class Answered:
    records: list[dict[str, Any]]
    message_id: str  # the exchange message the records came in ("" when there were none)


async def ask_registry(
    exchange: ExchangeClient,
    service: str,
    national_id: str,
    *,
    purpose: str,
    user: str,
    case: str,
    represented_party: str | None = None,
) -> Answered:
    """The records ``service`` (``member/subsystem/service``) gives about ``national_id``;
    ``represented_party`` (``CLASS/CODE``) when ``user`` acts for someone else."""
    try:
        answer = await exchange.get(
            service,
            national_id,
            purpose=purpose,
            user=user,
            case=case,
            represented_party=represented_party,
        )
    except NotFound:
        return Answered([], "")
    body = answer.json()
    found = body.get("records", []) if isinstance(body, dict) else []
    return Answered([r for r in found if isinstance(r, dict)], answer.message_id)
