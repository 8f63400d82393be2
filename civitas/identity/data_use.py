""" "Who used my data": every register's record of who asked for a person's data, and why.

Each register's exchange gate writes down every use of a person's data in its own
tamper-evident log and answers for it through its ``data-use`` service; this asks
them all at once, on the person's own behalf (or by someone acting for them, named as
the exchange ``user`` with the person as the represented party), and puts the answers
in time order. A register that does not answer is named, so a gap is never mistaken
for "no one".
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from civitas.core.errors import CivitasError
from civitas.core.i18n import N_
from civitas.exchange import ExchangeClient
from civitas.identity.acting import ActingOnline
from civitas.identity.domain import Subject
from civitas.identity.mandates import data_use_not_covered

PURPOSE = "data-use-report"
READ = N_("Read who used your data")  # an act done for someone, shown to them
LocalText = Mapping[str, str]


@dataclass(frozen=True)
class Register:
    """A register that can say who used a person's data."""

    party: str  # member/subsystem in the exchange
    name: LocalText
    items: Mapping[str, LocalText] = field(default_factory=dict)  # column -> what it holds


@dataclass(frozen=True)
class Use:
    """One use of a person's data, as the register that gave it recorded it."""

    at: dt.datetime
    register: Register
    organisation: str  # the member that asked
    purpose: LocalText
    legal_basis: LocalText
    legal_basis_url: str
    items: tuple[str, ...]
    case: str


@dataclass(frozen=True)
class DataUseReport:
    uses: list[Use]
    unanswered: list[Register]  # registers that could not say


class DataUse:
    def __init__(
        self, exchange: Callable[[], ExchangeClient], registers: Sequence[Register]
    ) -> None:
        self.exchange = exchange
        self.registers = registers

    async def of(
        self, national_id: str, *, user: str | None = None, represented_party: str | None = None
    ) -> DataUseReport:
        """Every use of ``national_id``'s data, asked by ``user`` (by default the person
        themselves) for ``represented_party`` (``CLASS/CODE``, when acting for them)."""
        answers = await asyncio.gather(
            *(
                self._uses_in(register, national_id, user or national_id, represented_party)
                for register in self.registers
            )
        )
        uses = [use for found in answers if found is not None for use in found]
        unanswered = [r for r, found in zip(self.registers, answers, strict=True) if found is None]
        uses.sort(key=lambda use: use.at, reverse=True)
        return DataUseReport(uses, unanswered)

    async def _uses_in(
        self, register: Register, national_id: str, user: str, represented_party: str | None
    ) -> list[Use] | None:
        try:
            answer = await self.exchange().get(
                f"{register.party}/data-use",
                national_id,
                purpose=PURPOSE,
                user=user,
                case=f"data-use-{national_id}",
                represented_party=represented_party,
            )
        except CivitasError:
            return None
        body = answer.json()
        entries = body.get("uses", []) if isinstance(body, dict) else []
        return [_use(register, entry) for entry in entries if isinstance(entry, dict)]


async def data_use_of(data_use: DataUse, acting: ActingOnline, subject: Subject) -> DataUseReport:
    """The subject's data use; when it is someone one acts for, the act is recorded first."""
    representation = subject.representation
    if representation is not None and not representation.whole:
        raise data_use_not_covered(representation)
    acting.record(subject, READ)
    return await data_use.of(
        subject.national_id, user=subject.actor.national_id, represented_party=subject.party
    )


def _use(register: Register, entry: Mapping[str, Any]) -> Use:
    basis = entry.get("legal_basis") or {}
    return Use(
        at=dt.datetime.fromisoformat(str(entry["time"])),
        register=register,
        organisation=str(entry.get("organisation", "")),
        purpose=dict(entry.get("purpose_label") or {}),
        legal_basis=dict(basis.get("text") or {}),
        legal_basis_url=str(basis.get("url") or ""),
        items=tuple(str(column) for column in entry.get("columns", [])),
        case=str(entry.get("case") or ""),
    )
