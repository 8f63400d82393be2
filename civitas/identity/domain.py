"""Who is signed in, whose affairs they deal with, and the sign-ins under way: plain values."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from civitas.core.errors import CivitasError
from civitas.core.i18n import N_
from civitas.identity.assurance import Level
from civitas.identity.mandates import ActingFor, Representation


@dataclass(frozen=True)
class Person:
    """A person as the identity provider vouched for them."""

    national_id: str  # the provider's subject: the national number as text
    name: str
    given_name: str = ""
    family_name: str = ""
    birthdate: str = ""


@dataclass(frozen=True)
class VerifiedSignIn:
    """What a provider said, once its ID token was checked."""

    person: Person
    acr: str
    id_token: str  # kept to name the session when signing out at the provider


@dataclass(frozen=True)
class Session:
    """One signed-in browser. Only the hash of its cookie's token is ever stored."""

    id: str
    person: Person
    provider: str
    level: Level
    acr: str
    id_token: str
    started_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime  # the hard end, whatever the use
    acting: ActingFor | None = None  # whom they act for online, if anyone

    def is_over(self, now: dt.datetime, idle: dt.timedelta) -> bool:
        return now >= self.expires_at or now - self.last_seen_at >= idle


@dataclass(frozen=True)
class Subject:
    """Whose affairs a page deals with: the signed-in person's own, or those of the
    person or company they act for (``representation``, checked for this request)."""

    actor: Person
    representation: Representation | None = None

    @property
    def national_id(self) -> str:
        return self.representation.national_id if self.representation else self.actor.national_id

    @property
    def name(self) -> str:
        return self.representation.name if self.representation else self.actor.name

    @property
    def party(self) -> str | None:
        """The represented party of exchange calls made for them; None for oneself."""
        return self.representation.party if self.representation else None

    def covers(self, service: str) -> bool:
        return self.representation is None or self.representation.covers(service)


@dataclass(frozen=True)
class PendingSignIn:
    """A sign-in sent to a provider and not yet back: what the callback must match."""

    state: str
    nonce: str
    code_verifier: str
    provider: str
    level: Level  # the level asked for
    return_to: str
    language: str
    started_at: dt.datetime


def session_id(token: str) -> str:
    """The stored name of a session: a hash, so a copy of the database opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


def safe_return_path(path: str | None, default: str = "/") -> str:
    """A path on this site to come back to; anything else (another site) becomes ``default``."""
    if not path or not path.startswith("/") or path.startswith(("//", "/\\")):
        return default
    if any(character in path for character in "\r\n\\"):
        return default
    return path


@dataclass
class SignInNeeded(CivitasError):
    """A page needs a signed-in person at ``level`` or higher; the edge offers the sign-in."""

    level: Level = Level.SUBSTANTIAL
    return_to: str = "/"
    current: Level = Level.NONE
    status: int = 401


def sign_in_needed(level: Level, return_to: str, current: Level) -> SignInNeeded:
    """The error for a page asking more than the session has: a first sign-in or a step-up."""
    if current is Level.NONE:
        message = N_("Sign in to continue.")
    else:
        message = N_("This needs a surer sign-in than the one you used.")
    return SignInNeeded(
        message,
        hint=N_("Sign in with level {level} or higher; you will come back here afterwards."),
        params={"level": level.name.lower()},
        level=level,
        return_to=safe_return_path(return_to),
        current=current,
    )
