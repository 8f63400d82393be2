"""Sign-in, sessions and sign-out: the use cases, over the stores and the providers."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from civitas.core.clock import Clock
from civitas.core.errors import InvalidInput, NotFound
from civitas.core.i18n import N_
from civitas.identity.assurance import Level
from civitas.identity.domain import PendingSignIn, Session, safe_return_path, session_id
from civitas.identity.ports import IdentityProvider, PendingStore, SessionStore

PENDING_FOR = dt.timedelta(minutes=10)  # time to finish a sign-in at the provider
TOUCH_EVERY = dt.timedelta(minutes=1)  # a session's last use is written at most this often


@dataclass(frozen=True)
class SignedIn:
    """A finished sign-in: the cookie token (given once), the session and where to go."""

    token: str
    session: Session
    return_to: str
    language: str
    asked: Level  # the level the sign-in was started for

    @property
    def reached_enough(self) -> bool:
        return self.session.level >= self.asked


@dataclass(frozen=True)
class SessionRules:
    idle: dt.timedelta
    lifetime: dt.timedelta


class Identity:
    """Signs people in through OpenID Connect providers and keeps their sessions."""

    def __init__(
        self,
        providers: Sequence[IdentityProvider],
        sessions: SessionStore,
        pending: PendingStore,
        clock: Clock,
        rules: SessionRules,
    ) -> None:
        self.providers: Mapping[str, IdentityProvider] = {p.id: p for p in providers}
        self.sessions = sessions
        self.pending = pending
        self.clock = clock
        self.rules = rules

    def provider(self, provider_id: str) -> IdentityProvider:
        try:
            return self.providers[provider_id]
        except KeyError:
            raise NotFound(
                N_("There is no way to sign in called '{name}'."),
                hint=N_("Go back to the sign-in page and choose one of the ways listed."),
                params={"name": provider_id},
            ) from None

    async def start(self, provider_id: str, level: Level, return_to: str, language: str) -> str:
        """Remember a new sign-in and give the provider address to send the browser to."""
        provider = self.provider(provider_id)
        now = self.clock.now()
        self.pending.forget_older_than(now - PENDING_FOR)
        pending = PendingSignIn(
            state=secrets.token_urlsafe(32),
            nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(48),
            provider=provider.id,
            level=max(level, Level.LOW),
            return_to=safe_return_path(return_to),
            language=language,
            started_at=now,
        )
        self.pending.add(pending)
        return await provider.authorization_url(
            state=pending.state,
            nonce=pending.nonce,
            code_verifier=pending.code_verifier,
            acr_values=provider.acr_values_for(pending.level),
            language=language,
        )

    async def finish(self, state: str, code: str, issuer: str | None) -> SignedIn:
        """Check the provider's answer and open a session (at whatever level it reached)."""
        pending = self.pending.take(state) if state else None
        now = self.clock.now()
        if pending is None or now - pending.started_at > PENDING_FOR:
            raise InvalidInput(
                N_("This sign-in has expired or was not started here."),
                hint=N_("Start again from the sign-in page; it takes a few seconds."),
            )
        if not code:
            raise InvalidInput(
                N_("The sign-in service sent you back without signing you in."),
                hint=N_("Start again from the sign-in page."),
            )
        provider = self.provider(pending.provider)
        verified = await provider.redeem(
            code=code, code_verifier=pending.code_verifier, nonce=pending.nonce, issuer=issuer
        )
        token = secrets.token_urlsafe(32)
        session = Session(
            id=session_id(token),
            person=verified.person,
            provider=provider.id,
            level=provider.level_of(verified.acr),
            acr=verified.acr,
            id_token=verified.id_token,
            started_at=now,
            last_seen_at=now,
            expires_at=now + self.rules.lifetime,
        )
        self.sessions.add(session)
        return SignedIn(token, session, pending.return_to, pending.language, pending.level)

    def current(self, token: str | None) -> Session | None:
        """The live session of a cookie's token; an ended one is removed."""
        if not token:
            return None
        found = self.sessions.get(session_id(token))
        if found is None:
            return None
        now = self.clock.now()
        if found.is_over(now, self.rules.idle):
            self.sessions.remove(found.id)
            return None
        if now - found.last_seen_at >= TOUCH_EVERY:
            self.sessions.touch(found.id, now)
        return found

    def sessions_of(self, session: Session) -> Sequence[Session]:
        return self.sessions.of_person(session.person.national_id)

    async def sign_out(self, session: Session, return_to: str) -> str | None:
        """End this session; the provider's address to end its own, if it has one."""
        self.sessions.remove(session.id)
        provider = self.providers.get(session.provider)
        if provider is None:
            return None
        return await provider.logout_url(id_token=session.id_token, return_to=return_to)

    def sign_out_everywhere(self, session: Session) -> int:
        """End every session of the person, on every device; how many ended."""
        return self.sessions.remove_all_of(session.person.national_id)
