"""The assisted console's use cases, with the real stores; the register's answers are faked.

A desk agent opens a serving only with the person's code or mandate, sees only what it
covers, and every act is recorded for the person; refusals open nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from civitas.core.clock import FixedClock
from civitas.core.errors import (
    ExternalServiceUnavailable,
    InvalidInput,
    NotAllowed,
    NotFound,
    RuleBroken,
)
from civitas.db import create_engine_for, migrate
from civitas.identity import Level, Person, Session
from civitas.identity.consent_codes import CodeState, ServingGround
from civitas.identity.console import ConsentCodes, Console, ExchangeNames
from civitas.identity.mandates import Ground
from civitas.identity.ports import Relative
from civitas.identity.representation import Mandates
from civitas.identity.staff import Role, StaffRole
from civitas.identity.store import (
    SqlConsentCodeStore,
    SqlMandateStore,
    SqlServingStore,
    SqlStaffStore,
)

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANA = Person("100000010", "Ana Costa")
RUI = Person("100000029", "Rui Sousa")
AGENT = Person("999999010", "Desk agent (test)")
OTHER_AGENT = Person("999999044", "Administrator (test)")
SERVICES = frozenset({"housing-allowance", "child-benefit"})


class NoRelations:
    async def minors_of(self, parent: str, today: dt.date) -> Sequence[Relative]:
        return []

    async def companies_of(self, owner: str) -> Sequence[Relative]:
        return []


class Register:
    """The population register's names; ``down`` when it does not answer."""

    def __init__(self) -> None:
        self.names = {ANA.national_id: "Ana Costa", RUI.national_id: "Rui Sousa"}
        self.down = False
        self.asked_by: list[str] = []

    async def name_of(self, national_id: str, staff: str) -> str | None:
        self.asked_by.append(staff)
        if self.down:
            raise ExternalServiceUnavailable("The register is down.")
        return self.names.get(national_id)


@dataclass
class Desk:
    console: Console
    codes: ConsentCodes
    mandates: Mandates
    register: Register
    clock: FixedClock
    staff: SqlStaffStore


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'civitas.db'}")
    migrate(engine)
    clock = FixedClock(NOW)
    staff = SqlStaffStore(engine)
    staff.grant(StaffRole(AGENT.national_id, Role.DESK_AGENT, "civil-registry", "setup", NOW))
    codes = SqlConsentCodeStore(engine)
    mandates = Mandates(SqlMandateStore(engine), NoRelations(), clock, SERVICES)
    register = Register()
    console = Console(staff, codes, SqlServingStore(engine), mandates, register, clock)
    return Desk(console, ConsentCodes(codes, clock, SERVICES), mandates, register, clock, staff)


def session_of(person: Person, name: str = "s1") -> Session:
    return Session(name, person, "valdoria-id", Level.SUBSTANTIAL, "", "", NOW, NOW, NOW)


def test_a_code_opens_a_serving_for_its_holder_covering_only_what_they_chose(desk: Desk) -> None:
    made = desk.codes.make(ANA, ["child-benefit"])
    serving = desk.console.open(session_of(AGENT), ANA.national_id, made.text.lower())
    assert (serving.person_name, serving.ground, serving.services) == (
        "Ana Costa",
        ServingGround.CODE,
        ("child-benefit",),
    )
    assert serving.expires_at == made.code.expires_at
    assert desk.console.current(session_of(AGENT)) == serving
    assert desk.console.current(session_of(AGENT, "another-session")) is None
    [code] = desk.codes.of(ANA)
    assert (code.state, code.used_by_name) == (CodeState.USED, "Desk agent (test)")
    [act] = desk.mandates.acts_for(ANA)
    assert (act.actor, act.ground, act.channel) == (AGENT.national_id, Ground.CONSENT, "desk")


def test_a_code_works_once(desk: Desk) -> None:
    made = desk.codes.make(ANA, [])
    desk.console.open(session_of(AGENT), ANA.national_id, made.text)
    with pytest.raises(InvalidInput) as refused:
        desk.console.open(session_of(AGENT, "s2"), ANA.national_id, made.text)
    assert "already been used" in refused.value.errors[0].message
    assert desk.console.current(session_of(AGENT, "s2")) is None


def test_an_expired_cancelled_wrong_or_someone_elses_code_opens_nothing(desk: Desk) -> None:
    expired = desk.codes.make(ANA, [])
    desk.clock.advance(dt.timedelta(minutes=30))
    cancelled = desk.codes.make(ANA, [])
    desk.codes.cancel(ANA, cancelled.code.id)
    ruis = desk.codes.make(RUI, [])
    for text, why in [
        (expired.text, "expired"),
        (cancelled.text, "cancelled"),
        ("AAAA-AAAA", "does not match"),
        (ruis.text, "does not match"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            desk.console.open(session_of(AGENT), ANA.national_id, text)
        assert why in refused.value.errors[0].message
    assert desk.console.current(session_of(AGENT)) is None
    assert desk.mandates.acts_for(ANA) == []
    assert desk.codes.of(RUI)[0].state is CodeState.ACTIVE  # Rui's code is still his


def test_a_person_cancels_only_their_own_active_codes(desk: Desk) -> None:
    made = desk.codes.make(ANA, [])
    with pytest.raises(NotFound):
        desk.codes.cancel(RUI, made.code.id)
    desk.codes.cancel(ANA, made.code.id)
    with pytest.raises(NotFound):
        desk.codes.cancel(ANA, made.code.id)


def test_an_accepted_mandate_to_the_agent_opens_a_serving_without_a_code(desk: Desk) -> None:
    with pytest.raises(NotAllowed, match="no mandate from this person"):
        desk.console.open(session_of(AGENT), ANA.national_id)
    mandate = desk.mandates.grant(ANA, AGENT.national_id, ["housing-allowance"], NOW.date())
    with pytest.raises(NotAllowed):  # offered, not yet accepted
        desk.console.open(session_of(AGENT), ANA.national_id)
    desk.mandates.accept(AGENT, mandate.id)
    serving = desk.console.open(session_of(AGENT), ANA.national_id)
    assert (serving.ground, serving.services, serving.mandate_id) == (
        ServingGround.MANDATE,
        ("housing-allowance",),
        mandate.id,
    )
    assert serving.expires_at == NOW + dt.timedelta(minutes=30)


@pytest.mark.anyio
async def test_look_ups_and_closing_are_recorded_for_the_person(desk: Desk) -> None:
    made = desk.codes.make(ANA, [])
    agent = session_of(AGENT)
    desk.console.open(agent, ANA.national_id, made.text)
    assert (await desk.console.look_up(agent)).name == "Ana Costa"
    desk.console.close(agent)
    assert desk.console.current(agent) is None
    actions = [act.action for act in reversed(desk.mandates.acts_for(ANA))]
    assert actions == [
        "Started serving you at a desk",
        "Looked up your name in the population register",
        "Stopped serving you at a desk",
    ]
    with pytest.raises(NotFound, match="not serving anyone"):
        await desk.console.look_up(agent)


def test_a_serving_ends_when_the_code_would_have_ended(desk: Desk) -> None:
    made = desk.codes.make(ANA, [])
    desk.clock.advance(dt.timedelta(minutes=20))
    serving = desk.console.open(session_of(AGENT), ANA.national_id, made.text)
    assert serving.expires_at == NOW + dt.timedelta(minutes=30)
    desk.clock.advance(dt.timedelta(minutes=10))
    assert desk.console.current(session_of(AGENT)) is None


@pytest.mark.anyio
async def test_staff_without_the_desk_role_find_and_open_nothing(desk: Desk) -> None:
    desk.staff.grant(
        StaffRole(OTHER_AGENT.national_id, Role.ADMINISTRATOR, "civil-registry", "setup", NOW)
    )
    made = desk.codes.make(ANA, [])
    for someone in (OTHER_AGENT, RUI):
        with pytest.raises(NotAllowed, match="staff role does not allow"):
            await desk.console.find(someone, ANA.national_id)
        with pytest.raises(NotAllowed):
            desk.console.open(session_of(someone), ANA.national_id, made.text)
    assert desk.codes.of(ANA)[0].state is CodeState.ACTIVE
    assert desk.register.asked_by == []


@pytest.mark.anyio
async def test_finding_checks_the_number_and_says_when_the_register_is_silent(
    desk: Desk,
) -> None:
    found = await desk.console.find(AGENT, " 100000010 ")
    assert (found.national_id, found.name) == (ANA.national_id, "Ana Costa")
    assert desk.register.asked_by == [AGENT.national_id]  # the agent asks, as themselves
    for wrong, why in [("", "Enter"), ("12345", "9 digits"), ("100000011", "check digit")]:
        with pytest.raises(InvalidInput) as refused:
            await desk.console.find(AGENT, wrong)
        [error] = refused.value.errors
        assert error.path == ("national_id",)
        assert why in error.message
    with pytest.raises(NotFound, match="No one has"):
        await desk.console.find(AGENT, "100000037")
    desk.register.down = True
    assert (await desk.console.find(AGENT, ANA.national_id)).name is None


class Answer:
    """Like the exchange client's verified answer (civitas.exchange.Received)."""

    message_id = "message-1"

    def __init__(self, body: Any) -> None:
        self.body = body

    def json(self) -> Any:
        return self.body


class Exchange:
    """Stands in for the exchange client: records what was asked, answers as told."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.asked: list[tuple[str, str, dict[str, str]]] = []

    async def get(self, service: str, rest: str = "", **how: str) -> Answer:
        self.asked.append((service, rest, how))
        if isinstance(self.answer, Exception):
            raise self.answer
        return Answer(self.answer)


@pytest.mark.anyio
async def test_names_are_asked_from_the_population_register_for_the_desk_service() -> None:
    exchange = Exchange({"records": [{"first_name": "Ana", "family_name": "Costa"}]})
    names = ExchangeNames(lambda: exchange)  # type: ignore[arg-type,return-value]
    assert await names.name_of(ANA.national_id, AGENT.national_id) == "Ana Costa"
    [(service, rest, how)] = exchange.asked
    assert (service, rest) == ("civil-registry/population/person", ANA.national_id)
    assert (how["purpose"], how["user"]) == ("desk-service", AGENT.national_id)
    missing = ExchangeNames(lambda: Exchange(NotFound("none")))  # type: ignore[arg-type,return-value]
    assert await missing.name_of(ANA.national_id, AGENT.national_id) is None


def test_after_five_wrong_codes_for_a_person_the_desk_waits_fifteen_minutes(desk: Desk) -> None:
    good = desk.codes.make(ANA, [])
    for _ in range(5):
        with pytest.raises(InvalidInput):
            desk.console.open(session_of(AGENT), ANA.national_id, "AAAA-AAAA")
    with pytest.raises(RuleBroken) as locked:
        desk.console.open(session_of(AGENT), ANA.national_id, good.text)
    assert "Too many wrong codes" in locked.value.render()[0]
    assert desk.codes.of(ANA)[0].state is CodeState.ACTIVE  # the good code is not spent
    rui = desk.codes.make(RUI, [])
    assert desk.console.open(session_of(AGENT, "s2"), RUI.national_id, rui.text)  # others: fine
    desk.clock.advance(dt.timedelta(minutes=15))
    later = desk.codes.make(ANA, [])
    assert desk.console.open(session_of(AGENT), ANA.national_id, later.text).person == "100000010"
