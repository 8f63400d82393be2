"""What sign-in needs from the outside: somewhere to keep sessions, and the providers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from civitas.identity.assurance import Level
from civitas.identity.consent_codes import ConsentCode, Serving
from civitas.identity.domain import PendingSignIn, Session, VerifiedSignIn
from civitas.identity.mandates import Act, ActingFor, Mandate
from civitas.identity.staff import Role, StaffMember, StaffRole


class SessionStore(Protocol):
    def add(self, session: Session) -> None: ...

    def get(self, session_id: str) -> Session | None: ...

    def touch(self, session_id: str, when: dt.datetime) -> None: ...

    def act_for(self, session_id: str, acting: ActingFor | None) -> None:
        """Keep whom the session acts for (None: the person's own affairs again)."""
        ...

    def remove(self, session_id: str) -> None: ...

    def remove_all_of(self, national_id: str) -> int:
        """End every session of one person; how many there were."""
        ...

    def of_person(self, national_id: str) -> Sequence[Session]: ...


class PendingStore(Protocol):
    def add(self, pending: PendingSignIn) -> None: ...

    def take(self, state: str) -> PendingSignIn | None:
        """The sign-in started with ``state``, removed so it cannot be finished twice."""
        ...

    def forget_older_than(self, when: dt.datetime) -> None: ...


class StaffStore(Protocol):
    def grant(self, held: StaffRole) -> bool: ...

    def revoke(self, national_id: str, role: Role, organisation: str) -> bool: ...

    def member(self, national_id: str) -> StaffMember: ...


class MandateStore(Protocol):
    def add(self, mandate: Mandate) -> None: ...

    def get(self, mandate_id: str) -> Mandate | None: ...

    def change(self, mandate: Mandate) -> None: ...

    def given_by(self, national_id: str) -> list[Mandate]: ...

    def given_to(self, national_id: str) -> list[Mandate]: ...

    def record(self, act: Act) -> None: ...

    def acts_for(self, national_id: str) -> list[Act]: ...


class ConsentCodeStore(Protocol):
    def add(self, code: ConsentCode) -> None: ...

    def find(self, holder: str, code_hash: str) -> ConsentCode | None:
        """The holder's code with this hash (codes are unique per person, not across all)."""
        ...

    def of_holder(self, national_id: str) -> list[ConsentCode]: ...

    def use(self, code_id: str, when: dt.datetime, by: str, by_name: str) -> bool:
        """Mark an active code used; False when it no longer was (used or cancelled meanwhile)."""
        ...

    def cancel(self, code_id: str, holder: str, when: dt.datetime) -> bool: ...

    def wrong_code(self, holder: str, by: str, when: dt.datetime) -> None:
        """Write down that a code tried for ``holder`` by staff ``by`` was refused."""
        ...

    def wrong_codes_since(self, holder: str, since: dt.datetime) -> int:
        """How many codes tried for ``holder`` were refused after ``since``."""
        ...


class ServingStore(Protocol):
    def open(self, serving: Serving) -> None:
        """Keep ``serving``, replacing any other of the same staff session."""
        ...

    def of_session(self, staff_session: str) -> Serving | None: ...

    def close(self, staff_session: str) -> None: ...


class PersonNames(Protocol):
    """The population register's name for a person, asked for by a member of staff."""

    async def name_of(self, national_id: str, staff: str) -> str | None:
        """Their name; None when the register holds no one with this number."""
        ...


@dataclass(frozen=True)
class Relative:
    """A person or company someone is related to in a base registry."""

    national_id: str  # a company's number for a company
    name: str


class Relations(Protocol):
    """What the base registries say about families and companies."""

    async def minors_of(self, parent: str, today: dt.date) -> Sequence[Relative]:
        """The parent's children under 18 on ``today`` (the population register)."""
        ...

    async def companies_of(self, owner: str) -> Sequence[Relative]:
        """The companies the person owns (the business register)."""
        ...


class IdentityProvider(Protocol):
    """One OpenID Connect provider, as the relying party talks to it."""

    id: str
    name: str

    async def authorization_url(
        self,
        *,
        state: str,
        nonce: str,
        code_verifier: str,
        acr_values: Sequence[str],
        language: str,
    ) -> str: ...

    async def redeem(
        self, *, code: str, code_verifier: str, nonce: str, issuer: str | None
    ) -> VerifiedSignIn:
        """Exchange the code for tokens and check the ID token; raise when anything is off."""
        ...

    def level_of(self, acr: str) -> Level: ...

    def acr_values_for(self, level: Level) -> list[str]: ...

    async def logout_url(self, *, id_token: str, return_to: str) -> str | None:
        """Where to send the browser to end the provider's own session (None: nowhere)."""
        ...
