"""Requests are accepted once, and only within the time window around their signing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from civitas.exchange import CallRefused, Code, Window
from civitas.exchange.replay import ReplayGuard

NOW = 1_750_000_000.0


def refusal(guard: ReplayGuard, message_id: str, issued_at: float, now: float = NOW) -> str:
    with pytest.raises(CallRefused) as refused:
        guard.check("tax-authority", message_id, issued_at, now)
    return refused.value.code


def test_a_message_id_is_accepted_once() -> None:
    guard = ReplayGuard()
    guard.check("tax-authority", "m-1", NOW, NOW)
    assert refusal(guard, "m-1", NOW) == Code.REPLAYED
    guard.check("civil-registry", "m-1", NOW, NOW)  # ids are per sending member


def test_old_and_future_dated_requests_are_refused() -> None:
    guard = ReplayGuard(Window(max_age=timedelta(seconds=60), max_skew=timedelta(seconds=5)))
    assert refusal(guard, "old", NOW - 61) == Code.EXPIRED
    assert refusal(guard, "ahead", NOW + 6) == Code.EXPIRED
    guard.check("tax-authority", "edge-old", NOW - 60, NOW)
    guard.check("tax-authority", "edge-ahead", NOW + 5, NOW)


def test_ids_are_forgotten_once_the_window_would_refuse_them_anyway() -> None:
    guard = ReplayGuard(Window(max_age=timedelta(seconds=60), max_skew=timedelta(seconds=5)))
    guard.check("tax-authority", "m-1", NOW + 5, NOW)
    guard.check("tax-authority", "m-2", NOW, NOW + 30)
    assert len(guard) == 2
    # Still remembered while a replay of m-1 would be in time ...
    assert refusal(guard, "m-1", NOW + 5, now=NOW + 65) == Code.REPLAYED
    # ... forgotten when the window alone refuses it.
    guard.check("tax-authority", "m-3", NOW + 71, NOW + 71)
    assert len(guard) == 2
    assert refusal(guard, "m-1", NOW + 5, now=NOW + 71) == Code.EXPIRED


def test_the_refusal_says_how_old_the_request_is() -> None:
    guard = ReplayGuard()
    with pytest.raises(CallRefused) as refused:
        guard.check("tax-authority", "m", NOW - 300, NOW)
    assert refused.value.render()[0] == (
        "The request was signed 300 seconds ago; requests expire after 120."
    )
    assert refused.value.status == 403
