"""What the consent use cases need: the registers' consent services, and a person's family."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from civitas.consents.domain import About
from civitas.identity import Person


class ConsentServices(Protocol):
    """The ``consent`` services of the registers, asked through the once-only exchange.

    Both raise the house errors: ``ExternalServiceUnavailable`` when the register does
    not answer (or its answer cannot be trusted), another ``CivitasError`` when it refuses.
    """

    async def consents(
        self, service: str, national_id: str, *, user: str, case: str, represented: str | None
    ) -> Sequence[Mapping[str, Any]]:
        """Every consent about ``national_id`` that ``service`` keeps, as it sends them."""
        ...

    async def change(
        self,
        service: str,
        national_id: str,
        document: Mapping[str, object],
        *,
        user: str,
        case: str,
        represented: str | None,
    ) -> Mapping[str, Any]:
        """Send an answer (grant, deny, withdraw); the consent as it now stands."""
        ...


class Family(Protocol):
    """Whom a parent acts for, as the population register says, and what they did for them."""

    async def children(self, parent: Person) -> Sequence[About]:
        """The children under 18 of ``parent``; raises when the register cannot say."""
        ...

    def record(self, parent: Person, child: About, action: str) -> None:
        """Write down what ``parent`` did for ``child``, so that the child sees it."""
        ...
