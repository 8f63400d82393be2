"""A registry's change feed, read through the once-only exchange: one page at a time.

A consumer (the proactive services' event worker) keeps one cursor per registry and
asks each node's ``changes`` service for the events after it:

    page = await read_changes(exchange, "civil-registry/population", cursor, 100,
                              "proactive-services")
    for event in page.events: ...      # seq, occurred_on, kind, record_id, national_id, changes
    cursor = page.next                 # stored only once the page is processed

Delivery is at least once and in seq order (see the registries README): a consumer that
stores ``next`` after processing a page gets, after a crash, at most that page again,
and skips events whose ``seq`` it has applied. The cursor stays valid when the node
moves on to a new period of the country. A 400 (``InvalidInput``) means the cursor is
not one of this feed: the country was generated again, so read it from the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from civitas.core.errors import ExternalServiceUnavailable
from civitas.core.i18n import N_
from civitas.exchange import ExchangeClient

CHANGES_SERVICE = "changes"


@dataclass(frozen=True)
class FeedPage:
    """One page of a registry's change feed, as it came through the exchange."""

    party: str  # the registry's subsystem, member/subsystem: civil-registry/population
    events: list[dict[str, Any]]  # in seq order; only the columns the access right grants
    next: str  # the cursor to send as ``after`` for the following page
    more: bool  # whether more events follow now
    message_id: str  # the exchange message (X-Road-Id) the page came in


async def read_changes(
    exchange: ExchangeClient,
    party: str,
    after: str | None,
    limit: int,
    purpose: str,
    *,
    user: str | None = None,
    case: str | None = None,
) -> FeedPage:
    """The events of ``party``'s feed after the cursor ``after`` (from the start when
    ``None``), at most ``limit`` (1 to 1000), asked for ``purpose``.

    ``user`` defaults to the calling subsystem itself (a worker acts for nobody) and
    ``case`` to ``changes:<party>``. Raises as :meth:`ExchangeClient.get`: ``NotAllowed``
    without an access right, ``InvalidInput`` for a cursor or limit the node refuses,
    ``ExternalServiceUnavailable`` when the node cannot be reached or its answer is not
    a page.
    """
    query = {"limit": str(limit)}
    if after:
        query["after"] = after
    answer = await exchange.get(
        f"{party}/{CHANGES_SERVICE}",
        purpose=purpose,
        user=user or str(exchange.consumer.me),
        case=case or f"{CHANGES_SERVICE}:{party}",
        query=query,
    )
    body = answer.json()
    page = body if isinstance(body, dict) else {}
    events, cursor, more = page.get("events"), page.get("next"), page.get("more")
    if (
        not isinstance(events, list)
        or not all(isinstance(e, dict) for e in events)
        or not isinstance(cursor, str)
        or not isinstance(more, bool)
    ):
        raise ExternalServiceUnavailable(
            N_("The change feed of {party} answered with something that is not a page."),
            hint=N_("Check that {party} runs the same version of Civitas, then try again."),
            params={"party": party},
        )
    return FeedPage(party, events, cursor, more, answer.message_id)
