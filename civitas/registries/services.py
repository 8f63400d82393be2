"""Use cases of a registry node: look-ups, bulk extract, change feed, schema.

Look-ups find one record by its own id, the records *of* a person (by the
registry's national id column) and the records that *name* a person in another
role (by its ``related_by`` columns: a parent's children).

Every use case goes through the access guard: described before any data is
read, reported after with what was served. Values leave as JSON-ready plain
values: money as a decimal string of the currency unit ("12.50"), dates in ISO.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from civitas.core.errors import FieldError, InvalidInput, NotAllowed, NotFound
from civitas.core.i18n import N_
from civitas.registries.domain import ColumnType, IdentifierFormat, RegistryDefinition
from civitas.registries.identifiers import format_id, parse_id
from civitas.registries.ports import (
    AccessGuard,
    AccessRequest,
    ChangeEvent,
    Grant,
    Operation,
    RegistryData,
    Served,
)

MAX_CHANGES_PAGE = 1000


def money_text(cents: int) -> str:
    """Integer cents as an exact decimal string: 1250 -> "12.50", -5 -> "-0.05"."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units}.{rest:02d}"


def present(definition: RegistryDefinition, record: Mapping[str, Any]) -> dict[str, Any]:
    """A record with JSON-ready values."""
    shown: dict[str, Any] = {}
    for name, value in record.items():
        is_cents = isinstance(value, int) and not isinstance(value, bool)
        if is_cents and definition.column(name).type is ColumnType.MONEY:
            value = money_text(value)
        elif isinstance(value, date):
            value = value.isoformat()
        shown[name] = value
    return shown


# The change feed cursor: opaque to consumers, but it names its registry and its feed, so
# a cursor kept for one registry, or for data since generated again, is refused instead of
# silently skipping events.
def encode_cursor(registry: str, feed: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"{registry}:{feed}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(token: str, registry: str, feed: str) -> int:
    """The seq inside ``token``; :class:`InvalidInput` when malformed, foreign or outdated."""
    try:
        text = base64.b64decode(token + "=" * (-len(token) % 4), b"-_", validate=True).decode()
        owner, given_feed, seq_text = text.split(":")
        if not owner or not seq_text.isdigit() or not seq_text.isascii():
            raise ValueError(text)
        seq = int(seq_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(
            N_("The cursor '{cursor}' is not one this service gave out."),
            hint=N_("Use the 'next' value of an earlier answer, or leave 'after' out to start."),
            params={"cursor": token[:60]},
            errors=(FieldError(("query", "after"), N_("Malformed cursor.")),),
        ) from None
    if owner != registry:
        raise InvalidInput(
            N_("The cursor belongs to the '{owner}' registry, not to '{registry}'."),
            hint=N_("Keep one cursor per registry and send each to its own registry."),
            params={"owner": owner[:60], "registry": registry},
            errors=(FieldError(("query", "after"), N_("Cursor of another registry.")),),
        )
    if given_feed != feed:
        raise InvalidInput(
            N_("The change feed of the {registry} registry has started again since this cursor."),
            hint=N_("The data was generated again: read the feed from the start, without 'after'."),
            params={"registry": registry},
            errors=(FieldError(("query", "after"), N_("Cursor of an earlier feed.")),),
        )
    return seq


@dataclass(frozen=True)
class ChangePage:
    events: list[dict[str, Any]]
    next: str
    more: bool


class RegistryNode:
    """One registry, served through its guard.

    ``data`` is replaced whole by :meth:`swap` when the country moves on to a new period.
    Each use case reads it once, at its start, and uses only that: a request in flight
    finishes on the period it started with, never on rows of one and indexes of another.
    """

    def __init__(self, data: RegistryData, guard: AccessGuard) -> None:
        self.data = data
        self.guard = guard
        self.definition = data.definition
        self.prefix = (
            self.definition.id_prefix
            if self.definition.id_format is IdentifierFormat.PREFIXED
            else ""
        )

    def swap(self, data: RegistryData) -> RegistryData:
        """Serve ``data`` from the next request on; the data served until now."""
        if data.definition != self.definition:  # a programming error, never a request's
            raise ValueError(f"{data.definition.id} is not the {self.definition.id} registry")
        old, self.data = self.data, data  # one assignment: each request sees one or the other
        return old

    def _ask(
        self, operation: Operation, headers: Mapping[str, str], *identifiers: str
    ) -> tuple[AccessRequest, Grant]:
        request = AccessRequest(self.definition.id, operation, identifiers, dict(headers))
        return request, self.guard.before(request)

    def _granted(self, grant: Grant) -> tuple[str, ...]:
        names = self.definition.column_names
        return names if grant.columns is None else tuple(n for n in names if n in grant.columns)

    def info(self, headers: Mapping[str, str]) -> dict[str, Any]:
        request, _grant = self._ask(Operation.SCHEMA, headers)
        d, facts = self.definition, self.data.facts
        self.guard.after(request, Served())
        return {
            "id": d.id,
            "name": dict(d.name),
            "description": dict(d.description),
            "owner": d.organisation,
            "subject": d.subject,
            "rows": facts.rows,
            "changes": facts.changes,
            "period": facts.period,
            "as_of": facts.as_of,
        }

    def schema(self, headers: Mapping[str, str]) -> dict[str, Any]:
        request, grant = self._ask(Operation.SCHEMA, headers)
        d = self.definition
        granted = self._granted(grant)
        self.guard.after(request, Served(columns=granted))
        return {
            "id": d.id,
            "record_id": d.record_id,
            "national_id": d.national_id or None,
            "related_by": [c for c in d.related_by if c in granted],
            "id_format": d.id_format.value,
            "id_example": format_id(123456789, self.prefix),
            "columns": [
                {
                    "name": c.name,
                    "type": c.type.value,
                    "description": dict(c.description),
                    "nullable": c.nullable,
                    "codes": list(c.codes),
                }
                for c in d.columns
                if c.name in granted
            ],
        }

    def record(self, text: str, headers: Mapping[str, str]) -> dict[str, Any]:
        number = parse_id(text, self.prefix, field="record_id")
        request, grant = self._ask(Operation.LOOKUP, headers, format_id(number, self.prefix))
        data = self.data
        rows = data.rows_of_record(number)
        if not len(rows):
            self.guard.after(request, Served())
            raise NotFound(
                N_("No record of the {registry} registry has the id {id}."),
                hint=N_("Check the identifier; records can also be looked up by national id."),
                params={"registry": self.definition.id, "id": format_id(number, self.prefix)},
            )
        return self._serve(data, request, grant, rows)[0]

    def person(self, text: str, headers: Mapping[str, str]) -> list[dict[str, Any]]:
        national_id = parse_id(text, field="national_id")
        request, grant = self._ask(Operation.LOOKUP, headers, format_id(national_id))
        data = self.data
        rows = data.rows_of_person(national_id) if self.definition.national_id else ()
        if not len(rows):
            self.guard.after(request, Served())
            raise NotFound(
                N_("The {registry} registry holds no record of the person {id}."),
                hint=N_(
                    "Check the national identifier, or ask the person which office knows them."
                ),
                params={"registry": self.definition.id, "id": format_id(national_id)},
            )
        return self._serve(data, request, grant, rows)

    def related(self, text: str, headers: Mapping[str, str]) -> list[dict[str, Any]]:
        """Every record whose ``related_by`` columns name the person, in file order: in the
        population register, a parent's children. No such record is an empty list, not a
        404: having no children is an answer. The guard is told who the records are about,
        since their data left too, not only that of the person asked for."""
        national_id = parse_id(text, field="national_id")
        request, grant = self._ask(Operation.RELATED, headers, format_id(national_id))
        if not self.definition.related_by:
            self.guard.after(request, Served())
            raise NotFound(
                N_("The {registry} registry cannot look people up by relation."),
                hint=N_(
                    "Ask a registry whose /schema lists related_by columns, or find the "
                    "person's own records at /people/{id}."
                ),
                params={"registry": self.definition.id, "id": format_id(national_id)},
            )
        data = self.data
        rows = data.rows_related_to(national_id)
        return self._serve(data, request, grant, rows, self._people(data, rows))

    def _people(self, data: RegistryData, rows: Sequence[int]) -> tuple[str, ...]:
        """The national ids of the people ``rows`` are about (the unknown ones left out)."""
        column = self.definition.national_id
        if not column or not len(rows):
            return ()
        found = (r[column] for r in data.records(rows, (column,)))
        return tuple(dict.fromkeys(format_id(n) for n in found if n is not None))

    def _serve(
        self,
        data: RegistryData,
        request: AccessRequest,
        grant: Grant,
        rows: Sequence[int],
        people: tuple[str, ...] = (),
    ) -> list[dict[str, Any]]:
        granted = self._granted(grant)
        records = data.records(rows, granted) if len(rows) else []
        ids = tuple(str(r.get(self.definition.record_id, "")) for r in records)
        served = Served(record_ids=ids, rows=len(records), columns=granted, people=people)
        self.guard.after(request, served)
        return [present(self.definition, r) for r in records]

    def extract(
        self, columns: str | None, headers: Mapping[str, str]
    ) -> tuple[tuple[str, ...], Iterator[bytes]]:
        """The columns served and the Parquet bytes; the guard hears when the last byte left."""
        asked = self._columns(columns)
        request, grant = self._ask(Operation.EXTRACT, headers, *asked)
        granted = self._granted(grant)
        refused = [c for c in asked if c not in granted]
        if refused:
            self.guard.after(request, Served())
            raise NotAllowed(
                N_("You may not receive the columns {columns} of this registry."),
                hint=N_("Ask only for the columns your access allows."),
                params={"columns": ", ".join(refused)},
            )
        chosen = tuple(asked) or granted
        return chosen, self._streamed(self.data, request, chosen)

    def _streamed(
        self, data: RegistryData, request: AccessRequest, columns: tuple[str, ...]
    ) -> Iterator[bytes]:
        sent = False
        try:
            yield from data.extract(columns)
            sent = True
        finally:
            # Data may have left even when the client hangs up: the guard hears it either way.
            rows = data.facts.rows if sent else 0
            self.guard.after(request, Served(rows=rows, columns=columns, complete=sent))

    def _columns(self, text: str | None) -> list[str]:
        if text is None or not text.strip():
            return []
        asked = [c.strip() for c in text.split(",") if c.strip()]
        unknown = [c for c in asked if c not in self.definition.column_names]
        if unknown:
            raise InvalidInput(
                N_("The {registry} registry has no column {columns}."),
                hint=N_("Choose among: {known}."),
                params={
                    "registry": self.definition.id,
                    "columns": ", ".join(c[:40] for c in unknown[:5]),
                    "known": ", ".join(self.definition.column_names),
                },
                errors=(FieldError(("query", "columns"), N_("Unknown column.")),),
            )
        return list(dict.fromkeys(asked))  # each column once, in the order asked

    def changes(self, after: str | None, limit: int, headers: Mapping[str, str]) -> ChangePage:
        """A page of the change feed. The guard hears whose changes left (each event's
        person, once per page) and which columns, so one page is one logged data use."""
        data = self.data
        feed = data.facts.feed
        seq = decode_cursor(after, self.definition.id, feed) if after else 0
        request, grant = self._ask(Operation.CHANGES, headers, after or "")
        events, more = data.changes_after(seq, min(limit, MAX_CHANGES_PAGE))
        granted = set(self._granted(grant))
        shown = [self._event(e, granted) for e in events]
        served = Served(
            record_ids=tuple(e.record_id for e in events),
            rows=len(events),
            columns=self._columns_left(shown),
            people=tuple(dict.fromkeys(format_id(e.national_id) for e in events if e.national_id)),
        )
        self.guard.after(request, served)
        last = events[-1].seq if events else seq
        return ChangePage(shown, encode_cursor(self.definition.id, feed, last), more)

    def _event(self, event: ChangeEvent, granted: set[str]) -> dict[str, Any]:
        # Identifiers leave only where the access grants their columns, as in every answer.
        changes = {k: v for k, v in event.changes.items() if k in granted}
        national = self.definition.national_id
        return {
            "seq": event.seq,
            "occurred_on": event.occurred_on.isoformat(),
            "kind": event.kind,
            "record_id": event.record_id if self.definition.record_id in granted else None,
            "national_id": event.national_id if national and national in granted else None,
            "changes": present(self.definition, changes),
        }

    def _columns_left(self, shown: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
        """The columns whose values are in the events ``shown``, in the registry's order."""
        left: set[str] = set()
        for event in shown:
            left.update(event["changes"])
            if event["record_id"] is not None:
                left.add(self.definition.record_id)
            if event["national_id"] is not None:
                left.add(self.definition.national_id)
        return tuple(name for name in self.definition.column_names if name in left)
