"""Proactive services: registry changes, the life events they are, and what was decided.

A change event of a register's feed (a birth, a job lost) is a life event of the
catalogue when a trigger of the pack says so. The households it touches are checked
with the rules for each service of that life event, and every service found due is
acted on by its delivery mode: granted without asking, offered for one click, or
suggested. A decision keeps its reasons (the rules' conditions, with the law) and the
data used (the exchange messages that carried it), so the person can see why.

Every decision has a key: the same service, for the same person, for the same cause
is decided once, however often the event arrives.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field


class Who(enum.StrEnum):
    """Whose household a trigger checks, and who is told."""

    PERSON = "person"  # the person the record is about
    PARENTS = "parents"  # their mother and father: a birth
    GUARDIAN = "guardian"  # the parent a school records
    NEXT_OF_KIN = "next_of_kin"  # the person is checked; an adult child or a parent is told


class Action(enum.StrEnum):
    """What the platform did about a service found due."""

    GRANTED = "granted"  # automatic: given without asking
    OFFERED = "offered"  # proactive_offer: accepted or declined with one click
    SUGGESTED = "suggested"  # on_request: the person may apply, the form filled in
    NEEDS_INFORMATION = "needs_information"  # the rules cannot decide without the person


class OfferState(enum.StrEnum):
    OPEN = "open"  # waiting for the person (offers and questions)
    ACCEPTED = "accepted"  # the application was started, filled in from the registers
    DECLINED = "declined"  # respected: not offered again
    DONE = "done"  # nothing to answer (a grant, a suggestion)


@dataclass(frozen=True)
class Trigger:
    """A change event of a register that is a life event (``proactive.yaml``)."""

    registry: str
    kind: str
    life_event: str
    who: Who
    when: Mapping[str, str] = field(default_factory=dict)

    def matches(self, event: ChangeEvent) -> bool:
        if event.registry != self.registry or event.kind != self.kind:
            return False
        return all(str(event.changes.get(k)) == v for k, v in self.when.items())


@dataclass(frozen=True)
class ChangeEvent:
    """One event of a register's change feed, as it came through the exchange."""

    registry: str
    seq: int
    occurred_on: dt.date
    kind: str
    national_id: str  # "" when the register did not give one
    record_id: str
    changes: Mapping[str, object]
    message_id: str = ""  # the exchange message that carried it

    @property
    def key(self) -> str:
        """The idempotency key: the same event read twice is one event."""
        return f"{self.registry}:{self.seq}:{self.record_id}"


@dataclass(frozen=True)
class Reason:
    """One condition of a decision, in the words of the law, and whether it was met."""

    label: Mapping[str, str]  # language -> text
    met: bool | None  # None: not known
    reference: str  # the law (a URL)


@dataclass(frozen=True)
class DataUsed:
    """Data a decision used: which register's service gave it, in which exchange message."""

    party: str  # member/subsystem, e.g. civil-registry/population
    service: str
    national_id: str
    message_id: str


@dataclass(frozen=True)
class Assessment:
    """What the rules say about one service for one household or person in one month."""

    service: str
    variable: str
    member: str  # the member of the situation the value is for
    for_person: bool  # whether the member is a person (else a group: the household)
    status: str  # "yes", "no" or "unknown"
    amount_cents: int | None  # for money results, when known
    reasons: tuple[Reason, ...]
    missing: tuple[Mapping[str, str], ...] = ()  # labels of the inputs still needed
    trace: Mapping[str, object] = field(default_factory=dict)  # the rules' explanation tree


@dataclass(frozen=True)
class Decision:
    """What the platform did for a person about a service, and why."""

    id: str
    key: str  # one decision per key, ever
    national_id: str  # the person it is for (who is told)
    beneficiary: str  # whom the service is for: the person told, or their child, household
    service: str
    life_event: str
    action: Action
    period: str  # the month the rules were evaluated for, YYYY-MM
    cause: str  # the change event's key, or "scan:<YYYY-MM>"
    amount_cents: int | None
    reasons: tuple[Reason, ...]
    missing: tuple[Mapping[str, str], ...]
    data_used: tuple[DataUsed, ...]
    trace: Mapping[str, object]
    decided_at: dt.datetime
    state: OfferState
    answered_at: dt.datetime | None = None
    application: str = ""  # the application started when an offer was accepted


def decision_key(service: str, national_id: str, cause: str) -> str:
    return f"{service}|{national_id}|{cause}"


def decision_id(key: str) -> str:
    """A short id derived from the key: a decision made twice has the same id."""
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def action_for(delivery: str, status: str) -> Action | None:
    """What to do for a service with this delivery mode and this rules status."""
    if status == "unknown":
        return Action.NEEDS_INFORMATION
    if status != "yes":
        return None
    return {
        "automatic": Action.GRANTED,
        "proactive_offer": Action.OFFERED,
    }.get(delivery, Action.SUGGESTED)


def initial_state(action: Action) -> OfferState:
    asks = action in (Action.OFFERED, Action.NEEDS_INFORMATION)  # waits for the person's answer
    return OfferState.OPEN if asks else OfferState.DONE


def stops_a_repeat(earlier: Decision) -> bool:
    """Whether an earlier decision keeps an ongoing service from being decided again for
    its beneficiary: an open offer, an application, a "no thank you", or a grant."""
    waiting_or_answered = (OfferState.OPEN, OfferState.ACCEPTED, OfferState.DECLINED)
    return earlier.state in waiting_or_answered or earlier.action is Action.GRANTED
