"""What the proactive services need from the outside: registers, a queue, a store."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from civitas.notifications import Notice, PostalAddress
from civitas.proactive.domain import ChangeEvent, DataUsed, Decision, Who
from civitas.rules import Period


class UnknownPerson(Exception):
    """A register event names a person the population register does not know."""

    def __init__(self, national_id: str) -> None:
        super().__init__(national_id)
        self.national_id = national_id


@dataclass(frozen=True)
class Household:
    """A person's household as the registers know it, ready for the rules."""

    claimant: str  # the person whose household it is (a member of the situation)
    payee: str  # the member a household's benefit goes to (the same whoever was checked)
    situation: Mapping[str, Any]  # persons and households, as read_situation reads them
    adults: frozenset[str]  # members who are adults (told themselves)
    national_ids: Mapping[str, str]  # member -> national id
    enrolled: frozenset[tuple[str, str]]  # (service, national id) the benefits register lists
    data_used: tuple[DataUsed, ...]
    names: Mapping[str, str]  # national id -> name, of everyone in the household
    address: PostalAddress | None = None  # the home's, for a letter


@dataclass(frozen=True)
class Concerned:
    """Whose household to check for an event, and who to tell."""

    subject: str  # national id of the person whose household is checked
    told: str  # national id of the person told (a next of kin for a death)
    # a person told who lives elsewhere (a next of kin): their name and home, for a letter
    told_name: str = ""
    told_address: PostalAddress | None = None


class Registers(Protocol):
    """The registers, asked through the once-only exchange for one event (``case``)."""

    async def concerned(self, who: Who, event: ChangeEvent, case: str) -> list[Concerned]:
        """Who an event concerns (UnknownPerson when its person is not on the register)."""
        ...

    async def household(self, national_id: str, period: Period, case: str) -> Household:
        """The household of a person in a month (UnknownPerson when not on the register)."""
        ...


@dataclass(frozen=True)
class FeedPage:
    """A page of a register's change feed: its events, and the cursor after them."""

    events: Sequence[ChangeEvent]
    next: str
    more: bool


class Feeds(Protocol):
    """The registers' change feeds."""

    @property
    def registries(self) -> Sequence[str]:
        """The registries whose feeds are read, in order."""
        ...

    async def page(self, registry: str, after: str | None, limit: int) -> FeedPage: ...


@dataclass(frozen=True)
class Settled:
    """What handling one event came to, kept in one transaction with the event."""

    event: ChangeEvent
    decisions: tuple[Decision, ...] = ()
    notices: tuple[Notice, ...] = ()
    outcome: str = ""  # in words, for staff: "ignored", "2 decisions", ...
    problem: str = ""  # in words, for staff: what could not be done and why


@dataclass(frozen=True)
class Received:
    """An event taken from the queue, with what the queue needs to acknowledge it."""

    event: ChangeEvent
    token: object = field(default=None, compare=False)


class EventQueue(Protocol):
    """Where change events wait between the feeds and the worker (database or broker).

    Delivery is at least once; the store remembers which events were handled, in the
    same transaction as their effects, so an event handled twice changes nothing.
    """

    async def publish(self, registry: str, events: Sequence[ChangeEvent], cursor: str) -> None:
        """Queue a feed page's events, then remember ``cursor`` as read (after them)."""
        ...

    def cursor(self, registry: str) -> str | None:
        """Where the registry's feed was read up to."""
        ...

    async def take(self, limit: int) -> list[Received]:
        """Up to ``limit`` events not yet handled, oldest first (may be fewer, or none)."""
        ...

    async def done(self, received: Sequence[Received]) -> None:
        """Acknowledge events whose handling was committed."""
        ...


class DecisionStore(Protocol):
    def settle(self, settled: Sequence[Settled]) -> list[Decision]:
        """Keep decisions and notices and mark the events handled, in one transaction.

        Decisions whose key is already kept, and events already handled, change
        nothing; returns the decisions newly kept.
        """
        ...

    def handled(self, keys: Sequence[str]) -> set[str]:
        """Which of these event keys were handled already."""
        ...

    def history(self, national_ids: Sequence[str]) -> list[Decision]:
        """Every decision about these people (as beneficiaries)."""
        ...

    def of_person(self, national_id: str) -> list[Decision]:
        """The decisions told to a person, newest first."""
        ...

    def open_services(self, national_id: str) -> list[str]:
        """The service of each offer or question still waiting for the person (cheap)."""
        ...

    def get(self, decision_id: str) -> Decision | None: ...

    def answer(self, decision: Decision) -> None:
        """Keep the person's answer to an offer (its state, when, the application)."""
        ...
