"""Data use: what a provider records when a person's data leaves, and shows them later.

Every time a service hands out data about people through the exchange, the
provider appends a ``use`` entry to its message log: when, which organisation and
subsystem, for which purpose and legal basis, whose data (national ids), which
data items, the case and the user. The person sees these entries through the
provider's ``data-use`` service ("who used my data"), except entries hidden until
a date (an investigation may not be tipped off), which appear once the date comes.

The log is the only copy: :class:`DataUseIndex` remembers where each person's
entries are (file offsets), not the entries, so memory stays small and what people
are shown is exactly what the tamper-evident log holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from civitas.exchange.domain import Purpose, VerifiedCall

USE = "use"


def use_fields(
    call: VerifiedCall, people: Sequence[str], columns: Sequence[str], rows: int
) -> dict[str, Any]:
    """The fields of the ``use`` entry for data about ``people`` served to ``call``."""
    return {
        "message_id": call.message_id,
        "request_id": call.request_id,
        "client": str(call.client),
        "organisation": call.client.member,
        "service": call.address.short,
        "purpose": call.purpose.id,
        "basis_kind": call.purpose.legal_basis.kind.value,
        "legal_basis": call.legal_basis,
        "people": list(people),
        "columns": list(columns),
        "rows": rows,
        "case": call.case,
        "user": call.user,
        "represented_party": call.represented_party,
        "hide_until": call.hide_until.isoformat() if call.hide_until else None,
    }


class DataUseIndex:
    """Where in the log each person's ``use`` entries are."""

    def __init__(self) -> None:
        self._offsets: dict[str, list[int]] = {}

    def add(self, people: Iterable[str], offset: int) -> None:
        for person in people:
            self._offsets.setdefault(person, []).append(offset)

    def offsets(self, person: str) -> tuple[int, ...]:
        return tuple(self._offsets.get(person, ()))


def visible(entry: Mapping[str, Any], today: date) -> bool:
    """Whether the person may see the entry today: hidden while ``today < hide_until``."""
    hide_until = entry.get("hide_until")
    return not hide_until or date.fromisoformat(str(hide_until)) <= today


def shown_use(entry: Mapping[str, Any], purposes: Mapping[str, Purpose]) -> dict[str, Any]:
    """One ``use`` entry as the person sees it (the user id of staff is left out)."""
    purpose = purposes.get(str(entry.get("purpose")))
    basis = purpose.legal_basis if purpose else None
    return {
        "time": entry.get("time"),
        "organisation": entry.get("organisation"),
        "client": entry.get("client"),
        "service": entry.get("service"),
        "purpose": entry.get("purpose"),
        "purpose_label": dict(purpose.label) if purpose else {},
        "legal_basis": {
            "kind": entry.get("basis_kind"),
            "reference": entry.get("legal_basis"),
            "text": dict(basis.text) if basis else {},
            "url": basis.url if basis else "",
        },
        "columns": entry.get("columns", []),
        "case": entry.get("case"),
    }
