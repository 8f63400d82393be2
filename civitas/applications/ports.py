"""What the application use cases need from the outside: a store and the registers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from civitas.applications.domain import Answer, Application, Burden, ReportedError


@dataclass(frozen=True)
class Records:
    """A register's answer about one person: their records and the exchange message id."""

    records: Sequence[dict[str, Any]]
    message_id: str


class Registers(Protocol):
    async def records(
        self,
        service: str,
        national_id: str,
        case: str,
        *,
        user: str | None = None,
        represented_party: str | None = None,
    ) -> Records | None:
        """The records ``service`` holds about the person; None when it could not answer.

        No records (the register holds nothing about them) is an empty answer, not None.
        Asked by ``user`` (by default the person) for ``represented_party`` (``CLASS/CODE``)
        when someone acts for them.
        """


class ApplicationStore(Protocol):
    def add(self, application: Application) -> None: ...

    def get(self, application_id: str) -> Application | None: ...

    def submit(
        self,
        application: Application,
        answers: Sequence[Answer],
        errors: Sequence[ReportedError],
        at: dt.datetime,
    ) -> None:
        """Keep the answers and the errors to report, and mark the application sent, at once."""

    def of_person(self, national_id: str) -> list[Application]: ...

    def reported_errors(self, application_id: str) -> list[ReportedError]: ...

    def burden(self) -> list[Burden]: ...
