"""Sessions: opened by a finished sign-in, ended by time, by sign-out, or everywhere at once.

The provider here is a fake standing in for the network side (the whole flow against
the real development provider is in test_sign_in.py); the stores are the real ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine

from civitas.core.clock import FixedClock
from civitas.core.errors import InvalidInput
from civitas.db import create_engine_for, migrate
from civitas.identity import Identity, Level, Person, SessionRules, assurance_map
from civitas.identity.domain import VerifiedSignIn, safe_return_path
from civitas.identity.store import SqlPendingStore, SqlSessionStore

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
ANA = Person("100000019", "Ana Costa", "Ana", "Costa", "1990-05-01")


class FakeProvider:
    """Says yes to every code, as the person and at the level it is set to."""

    id = "fake"
    name = "Fake ID"

    def __init__(self, person: Person = ANA, acr: str = SUBSTANTIAL) -> None:
        self.person = person
        self.acr = acr
        self.assurance = assurance_map("eidas")
        self.asked: list[Sequence[str]] = []

    async def authorization_url(
        self,
        *,
        state: str,
        nonce: str,
        code_verifier: str,
        acr_values: Sequence[str],
        language: str,
    ) -> str:
        self.asked.append(acr_values)
        return f"https://id.example/authorize?state={state}"

    async def redeem(
        self, *, code: str, code_verifier: str, nonce: str, issuer: str | None
    ) -> VerifiedSignIn:
        return VerifiedSignIn(self.person, self.acr, "id-token")

    def level_of(self, acr: str) -> Level:
        return self.assurance.level_of(acr)

    def acr_values_for(self, level: Level) -> list[str]:
        return self.assurance.asking_for(level)

    async def logout_url(self, *, id_token: str, return_to: str) -> str | None:
        return f"https://id.example/logout?post_logout_redirect_uri={return_to}"


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'civitas.db'}")
    migrate(engine)
    return engine


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def identity_with(engine: Engine, clock: FixedClock, provider: FakeProvider) -> Identity:
    rules = SessionRules(idle=dt.timedelta(minutes=30), lifetime=dt.timedelta(hours=12))
    return Identity([provider], SqlSessionStore(engine), SqlPendingStore(engine), clock, rules)


async def signed_in(identity: Identity, level: Level = Level.LOW) -> str:
    address = await identity.start("fake", level, "/en/account", "en")
    state = address.rsplit("state=", 1)[1]
    return (await identity.finish(state, "code", None)).token


@pytest.mark.anyio
async def test_a_finished_sign_in_opens_a_session_found_by_its_cookie_token(
    engine: Engine, clock: FixedClock
) -> None:
    identity = identity_with(engine, clock, FakeProvider())
    token = await signed_in(identity)
    session = identity.current(token)
    assert session is not None
    assert session.person == ANA
    assert session.level is Level.SUBSTANTIAL
    assert session.expires_at == START + dt.timedelta(hours=12)


@pytest.mark.anyio
async def test_only_a_hash_of_the_token_is_stored(engine: Engine, clock: FixedClock) -> None:
    identity = identity_with(engine, clock, FakeProvider())
    token = await signed_in(identity)
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT id FROM identity_sessions").scalar_one()
    assert stored != token
    assert len(stored) == 64


@pytest.mark.anyio
async def test_the_provider_is_asked_for_the_level_the_page_needs(
    engine: Engine, clock: FixedClock
) -> None:
    provider = FakeProvider()
    await identity_with(engine, clock, provider).start("fake", Level.HIGH, "/", "en")
    assert provider.asked == [["http://eidas.europa.eu/LoA/high"]]


@pytest.mark.anyio
async def test_a_sign_in_can_be_finished_once_only(engine: Engine, clock: FixedClock) -> None:
    identity = identity_with(engine, clock, FakeProvider())
    address = await identity.start("fake", Level.LOW, "/", "en")
    state = address.rsplit("state=", 1)[1]
    await identity.finish(state, "code", None)
    with pytest.raises(InvalidInput, match="expired or was not started here"):
        await identity.finish(state, "code", None)


@pytest.mark.anyio
async def test_a_sign_in_left_at_the_provider_too_long_expires(
    engine: Engine, clock: FixedClock
) -> None:
    identity = identity_with(engine, clock, FakeProvider())
    address = await identity.start("fake", Level.LOW, "/", "en")
    clock.advance(dt.timedelta(minutes=11))
    with pytest.raises(InvalidInput, match="expired"):
        await identity.finish(address.rsplit("state=", 1)[1], "code", None)


@pytest.mark.anyio
async def test_a_session_ends_after_thirty_idle_minutes(engine: Engine, clock: FixedClock) -> None:
    identity = identity_with(engine, clock, FakeProvider())
    token = await signed_in(identity)
    clock.advance(dt.timedelta(minutes=29))
    assert identity.current(token) is not None  # used: the idle time starts again
    clock.advance(dt.timedelta(minutes=29))
    assert identity.current(token) is not None
    clock.advance(dt.timedelta(minutes=30))
    assert identity.current(token) is None
    assert identity.current(token) is None  # and it is gone from the store


@pytest.mark.anyio
async def test_a_session_ends_twelve_hours_after_sign_in_however_used(
    engine: Engine, clock: FixedClock
) -> None:
    identity = identity_with(engine, clock, FakeProvider())
    token = await signed_in(identity)
    for _ in range(24):  # 11 hours 36 minutes, never idle
        clock.advance(dt.timedelta(minutes=29))
        assert identity.current(token) is not None
    clock.advance(dt.timedelta(minutes=25))
    assert identity.current(token) is None


@pytest.mark.anyio
async def test_signing_out_ends_this_session_and_gives_the_providers_logout(
    engine: Engine, clock: FixedClock
) -> None:
    identity = identity_with(engine, clock, FakeProvider())
    token = await signed_in(identity)
    session = identity.current(token)
    assert session is not None
    address = await identity.sign_out(session, "http://portal/")
    assert address == "https://id.example/logout?post_logout_redirect_uri=http://portal/"
    assert identity.current(token) is None


@pytest.mark.anyio
async def test_signing_out_everywhere_ends_every_session_of_the_person_only(
    engine: Engine, clock: FixedClock
) -> None:
    identity = identity_with(engine, clock, FakeProvider())
    phone, laptop = await signed_in(identity), await signed_in(identity)
    other = identity_with(engine, clock, FakeProvider(Person("100000027", "Rui Sousa")))
    rui = await signed_in(other)
    session = identity.current(phone)
    assert session is not None
    assert len(identity.sessions_of(session)) == 2
    assert identity.sign_out_everywhere(session) == 2
    assert identity.current(phone) is None
    assert identity.current(laptop) is None
    assert other.current(rui) is not None


@pytest.mark.parametrize(
    ("asked", "kept"),
    [
        ("/en/account", "/en/account"),
        ("/pt/services?q=x", "/pt/services?q=x"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/en/\r\nSet-Cookie:x", "/"),
        ("", "/"),
    ],
)
def test_only_a_path_on_this_site_is_returned_to(asked: str, kept: str) -> None:
    assert safe_return_path(asked) == kept
