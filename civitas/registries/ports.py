"""What a registry node needs from the outside: its data, and a guard at the door.

The guard is the provider-side hook of the once-only exchange. Every request is
described to it *before* any data leaves (it may refuse with ``NotAllowed``, or
narrow the columns granted) and it is told *after* what was served. The routes
never see it: the services call it, so the exchange replaces the default
``OpenAccessLog`` by passing another guard to the node, touching no route.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from civitas.registries.consents import Consent
from civitas.registries.domain import RegistryDefinition
from civitas.registries.notices import Notice

log = logging.getLogger("civitas.registries.access")


class Operation(enum.StrEnum):
    LOOKUP = "lookup"  # one record by its id, or all records of one person
    RELATED = "related"  # the records naming one person in another role (a parent's children)
    EXTRACT = "extract"  # the whole registry in bulk
    CHANGES = "changes"  # a page of the change feed
    SCHEMA = "schema"  # the description of the registry (no personal data)


@dataclass(frozen=True)
class AccessRequest:
    """One request to a node, as the guard sees it."""

    registry: str
    operation: Operation
    identifiers: tuple[str, ...] = ()  # record ids, national ids or a cursor, as asked
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names


@dataclass(frozen=True)
class Grant:
    """What the guard allows: ``columns=None`` means every column."""

    columns: frozenset[str] | None = None


@dataclass(frozen=True)
class Served:
    """What left the node for one request."""

    record_ids: tuple[str, ...] = ()  # ids of the records (or change events) served
    rows: int = 0
    columns: tuple[str, ...] = ()
    complete: bool = True  # False when the client left before everything was sent
    people: tuple[str, ...] = ()  # national ids the records are about, where not those asked


class AccessGuard(Protocol):
    def before(self, request: AccessRequest) -> Grant:
        """Allow the request (and say which columns) or raise ``NotAllowed``."""
        ...

    def after(self, request: AccessRequest, served: Served) -> None:
        """Record what was served for ``request``."""
        ...


@dataclass(frozen=True)
class AccessRecord:
    request: AccessRequest
    served: Served


class OpenAccessLog:
    """The default guard: allows everything, remembers and logs every access."""

    def __init__(self, keep: int = 10_000) -> None:
        self.keep = keep  # only the latest accesses stay in memory; the log line stays
        self.records: list[AccessRecord] = []

    def before(self, request: AccessRequest) -> Grant:
        return Grant()

    def after(self, request: AccessRequest, served: Served) -> None:
        self.records.append(AccessRecord(request, served))
        del self.records[: -self.keep]
        log.info(
            "registry=%s operation=%s asked=%s rows=%d records=%s",
            request.registry,
            request.operation.value,
            ",".join(request.identifiers[:10]),
            served.rows,
            ",".join(served.record_ids[:10]),
        )


@dataclass(frozen=True)
class ChangeEvent:
    seq: int
    occurred_on: date
    kind: str
    record_id: str
    national_id: int | None
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class RegistryFacts:
    """What the country's manifest says about the loaded registry."""

    rows: int
    period: int
    as_of: str
    changes: int  # number of change events
    feed: str = ""  # identity of the change feed: new when the data is generated again
    last_seq: int = 0  # seq of the feed's last event (0 when there is none)


class RegistryData(Protocol):
    """One registry loaded and verified, ready to answer look-ups."""

    definition: RegistryDefinition
    facts: RegistryFacts

    def rows_of_record(self, number: int) -> Sequence[int]:
        """Row positions holding the record with this id number (at most one)."""
        ...

    def rows_of_person(self, national_id: int) -> Sequence[int]:
        """Row positions of every record of the person with this national id."""
        ...

    def rows_related_to(self, national_id: int) -> Sequence[int]:
        """Row positions, in file order, of every record whose ``related_by`` columns name
        the person with this national id (each row once, even if it names them twice)."""
        ...

    def records(self, rows: Sequence[int], columns: Sequence[str]) -> list[dict[str, Any]]:
        """The given rows as plain values (money in cents, dates as dates)."""
        ...

    def extract(self, columns: Sequence[str]) -> Iterator[bytes]:
        """The whole registry (only ``columns``) as Parquet bytes, a piece at a time."""
        ...

    def changes_after(self, seq: int, limit: int) -> tuple[list[ChangeEvent], bool]:
        """Up to ``limit`` events with a larger seq, in seq order; and whether more follow."""
        ...


class InboxStore(Protocol):
    """Where a node keeps the notices and consents it received."""

    def add_notice(self, notice: Notice) -> None:
        """Keep ``notice``; one already kept (same message id) stays as it was."""
        ...

    def notices(self, limit: int) -> list[Notice]:
        """The latest notices, newest first."""
        ...

    def consent(self, consent_id: str) -> Consent | None: ...

    def consents_of(self, national_id: str) -> list[Consent]:
        """The person's consents, newest first."""
        ...

    def latest(self, national_id: str, client: str, purpose: str) -> Consent | None:
        """The newest consent about the person for ``client`` and ``purpose``."""
        ...

    def save_consent(self, consent: Consent) -> None: ...
