"""Refuse old, future-dated and replayed requests.

A signed request is accepted only within a time window around its signed issue
time (``iat``), and only once: its message id (``X-Road-Id``, per client member)
is remembered for as long as the window could still accept it, then forgotten.
Memory is thus bounded by the window: at most the ids seen in the last
``max_age + max_skew`` seconds, kept in arrival order so forgetting is O(1).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import timedelta

from civitas.core.i18n import N_
from civitas.exchange.errors import CallRefused, Code


@dataclass(frozen=True)
class Window:
    """How old a request may be, and how far ahead of our clock its issue time may lie."""

    max_age: timedelta = timedelta(seconds=120)
    max_skew: timedelta = timedelta(seconds=10)


class ReplayGuard:
    """The message ids seen within the window; thread-safe."""

    def __init__(self, window: Window | None = None) -> None:
        self.window = window or Window()
        self._age = self.window.max_age.total_seconds()
        self._skew = self.window.max_skew.total_seconds()
        self._seen: set[tuple[str, str]] = set()
        self._order: deque[tuple[float, tuple[str, str]]] = deque()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._seen)

    def remember(self, sender: str, message_id: str, seen_at: float) -> None:
        """Remember an id accepted at ``seen_at`` (from the message log, after a restart)."""
        with self._lock:
            key = (sender, message_id)
            if key not in self._seen:
                self._seen.add(key)
                self._order.append((seen_at + self._skew + self._age, key))

    def check(self, sender: str, message_id: str, issued_at: float, now: float) -> None:
        """Accept (and remember) the message, or raise :class:`CallRefused`."""
        if issued_at < now - self._age:
            raise CallRefused(
                N_("The request was signed {seconds} seconds ago; requests expire after {limit}."),
                hint=N_("Sign every request just before sending it, with a correct clock."),
                params={"seconds": int(now - issued_at), "limit": int(self._age)},
                code=Code.EXPIRED,
            )
        if issued_at > now + self._skew:
            raise CallRefused(
                N_("The request is dated {seconds} seconds in the future."),
                hint=N_("Set the sending server's clock right (use NTP), then send again."),
                params={"seconds": int(issued_at - now)},
                code=Code.EXPIRED,
            )
        key = (sender, message_id)
        with self._lock:
            while self._order and self._order[0][0] < now:
                self._seen.discard(self._order.popleft()[1])
            if key in self._seen:
                raise CallRefused(
                    N_("The message id {id} was already used: requests are accepted only once."),
                    hint=N_("Give every request a new X-Road-Id."),
                    params={"id": message_id},
                    code=Code.REPLAYED,
                )
            self._seen.add(key)
            # The id could be replayed while issued_at + max_age has not passed; issued_at is at
            # most now + skew, so keeping it until now + skew + max_age covers it.
            self._order.append((now + self._skew + self._age, key))
