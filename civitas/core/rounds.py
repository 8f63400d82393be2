"""Background senders (deliveries to agencies, notifications to people): rounds of due
work until stopped, and the pause before a failed send is tried again."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

FIRST_PAUSE = dt.timedelta(seconds=30)
LONGEST_PAUSE = dt.timedelta(hours=1)


def pause_after(attempts: int) -> dt.timedelta:
    """How long to wait after ``attempts`` failed tries: 30 s, 1 min, 2 min... at most 1 h."""
    doublings = min(max(attempts - 1, 0), 20)
    return min(FIRST_PAUSE * (1 << doublings), LONGEST_PAUSE)


async def run_rounds(
    send_due: Callable[[], Awaitable[int]],
    woken: asyncio.Event,
    stop: asyncio.Event,
    every: float,
    log: logging.Logger,
) -> None:
    """Call ``send_due`` every ``every`` seconds, and when ``woken``, until ``stop`` is set;
    again at once while it sends anything (more may wait)."""
    while not stop.is_set():
        woken.clear()
        try:
            while await send_due():
                pass
        except Exception:  # a sender must outlive one bad round (a database hiccup)
            log.exception("sending failed; trying again")
        waits = [asyncio.ensure_future(event.wait()) for event in (stop, woken)]
        _done, pending = await asyncio.wait(
            waits, timeout=every, return_when=asyncio.FIRST_COMPLETED
        )
        for waiting in pending:
            waiting.cancel()
