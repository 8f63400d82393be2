"""From a register's change event to decisions: the rules decide, the delivery mode acts,
and each decision is kept once, with its reasons, however often the event arrives."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from civitas.catalogue import load_catalogue
from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.db import create_engine_for, migrate
from civitas.notifications import PostalAddress
from civitas.proactive.domain import Action, ChangeEvent, Decision, OfferState
from civitas.proactive.plan import plan_of
from civitas.proactive.ports import Concerned
from civitas.proactive.services import EventHandler, Plan
from civitas.proactive.store import SqlDecisionStore, decisions_table
from civitas.registries import load_registry_definitions
from civitas.rules import RuleBook, load_rules
from tests.proactive.fakes import (
    BABY,
    FATHER,
    MOTHER,
    RETIREE,
    FakeRegisters,
    event,
    household,
    person,
)

NOW = dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def rules() -> RuleBook:
    return load_rules(DEMO_PACK)


@pytest.fixture(scope="module")
def plan() -> Plan:
    catalogue = load_catalogue(DEMO_PACK)
    return plan_of(DEMO_PACK, catalogue, load_registry_definitions(DEMO_PACK))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'civitas.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def family(income_cents: int = 60_000) -> FakeRegisters:
    home = household(
        MOTHER,
        {MOTHER: person("1990-05-01", income_cents), FATHER: person("1988-02-03", 0)},
        {BABY: person("2026-03-10")},
    )
    return FakeRegisters({MOTHER: home, FATHER: home}, {BABY: (MOTHER, FATHER)})


def handler(plan: Plan, rules: RuleBook, registers: FakeRegisters, engine: Engine) -> EventHandler:
    store = SqlDecisionStore(engine, lambda: NOW)
    return EventHandler(plan, rules, registers, store, FixedClock(NOW))


def settle(handler: EventHandler, *events: ChangeEvent) -> list[Decision]:
    settled = asyncio.run(handler.handle(list(events)))
    return handler.store.settle(settled)


def test_a_birth_grants_the_birth_grant_and_offers_child_benefit_to_the_mother(
    plan: Plan, rules: RuleBook, engine: Engine
) -> None:
    made = settle(handler(plan, rules, family(), engine), event("birth", BABY))
    by_service = {d.service: d for d in made}
    grant = by_service["birth-grant"]
    assert grant.action is Action.GRANTED
    assert grant.state is OfferState.DONE
    assert grant.national_id == MOTHER
    assert grant.amount_cents == 75_000
    offer = by_service["child-benefit"]
    assert offer.national_id == offer.beneficiary == MOTHER  # the household's payee
    assert offer.action is Action.OFFERED
    assert offer.state is OfferState.OPEN
    assert offer.amount_cents
    assert offer.amount_cents > 0
    assert any(r.met for r in offer.reasons)
    assert all(r.reference.startswith("https://") for r in offer.reasons)
    assert offer.data_used
    assert offer.trace["variable"] == "child_benefit"


def test_the_same_event_twice_decides_once(plan: Plan, rules: RuleBook, engine: Engine) -> None:
    first = settle(handler(plan, rules, family(), engine), event("birth", BABY))
    again = settle(handler(plan, rules, family(), engine), event("birth", BABY))
    assert first
    assert again == []
    with engine.connect() as connection:
        kept = connection.execute(select(decisions_table.c.key)).scalars().all()
    assert len(kept) == len(first) == len(set(kept))


def test_an_event_for_a_person_the_register_does_not_know_is_kept_with_its_problem(
    plan: Plan, rules: RuleBook, engine: Engine
) -> None:
    store = SqlDecisionStore(engine, lambda: NOW)
    made = settle(handler(plan, rules, FakeRegisters(), engine), event("birth", "999999990"))
    assert made == []
    (problem,) = store.problems()
    assert "999999990 is not on the population register" in problem[1]
    assert store.counts() == {"received": 1, "handled": 1, "problems": 1}


def test_a_change_that_is_no_life_event_is_handled_without_asking_anyone(
    plan: Plan, rules: RuleBook, engine: Engine
) -> None:
    registers = family()
    settle(handler(plan, rules, registers, engine), event("move", MOTHER))
    assert registers.asked == []


def test_a_declined_offer_is_not_offered_again(plan: Plan, rules: RuleBook, engine: Engine) -> None:
    store = SqlDecisionStore(engine, lambda: NOW)
    made = settle(handler(plan, rules, family(), engine), event("birth", BABY))
    offer = next(d for d in made if d.service == "child-benefit")
    store.answer(replace(offer, state=OfferState.DECLINED, answered_at=NOW))
    later = event("birth", BABY, seq=2, on=dt.date(2026, 5, 2))
    again = settle(handler(plan, rules, family(), engine), later)
    assert "child-benefit" not in {d.service for d in again}


def test_rules_that_cannot_decide_ask_for_exactly_what_is_missing(
    plan: Plan, rules: RuleBook, engine: Engine
) -> None:
    home = household(RETIREE, {RETIREE: person("1960-01-05")})  # no income, no status
    registers = FakeRegisters({RETIREE: home})
    retired = event(
        "age_milestone",
        RETIREE,
        registry="social-security",
        changes={"employment_status": "retired"},
    )
    made = settle(handler(plan, rules, registers, engine), retired)
    asked = [d for d in made if d.action is Action.NEEDS_INFORMATION]
    assert asked, made
    assert all(d.missing for d in asked)
    assert all(d.state is OfferState.OPEN for d in asked)
    assert not any(d.action is Action.GRANTED for d in made)


def test_an_event_twice_in_one_batch_decides_once(
    plan: Plan, rules: RuleBook, engine: Engine
) -> None:
    made = settle(
        handler(plan, rules, family(), engine), event("birth", BABY), event("birth", BABY)
    )
    keys = [d.key for d in made]
    assert keys
    assert len(keys) == len(set(keys))


def test_an_event_without_a_national_number_decides_nothing_and_says_why(
    plan: Plan, rules: RuleBook, engine: Engine
) -> None:
    store = SqlDecisionStore(engine, lambda: NOW)
    assert settle(handler(plan, rules, family(), engine), event("birth", "")) == []
    (problem,) = store.problems()
    assert "no national number" in problem[1]


def test_an_old_event_is_judged_on_what_the_registers_say_now(
    plan: Plan, rules: RuleBook, engine: Engine
) -> None:
    working = household(
        RETIREE, {RETIREE: person("1980-01-05", 300_000, employment_status="employed")}
    )
    late = event("job_loss", RETIREE, registry="social-security", on=dt.date(2026, 1, 3), seq=9)
    made = settle(handler(plan, rules, FakeRegisters({RETIREE: working}), engine), late)
    assert "unemployment-benefit" not in {d.service for d in made}  # back at work: nothing owed


def test_a_death_tells_the_next_of_kin_by_letter_at_their_own_home(
    plan: Plan, rules: RuleBook, engine: Engine
) -> None:
    deceased, kin = "555555553", "666666661"
    their_home = PostalAddress("Rita Costa", "Rua do Sol", "7", "2000-002", "VLD-PA")
    alone = household(
        deceased, {deceased: person("1940-01-01", 0, has_died=True, death_date="2026-03-05")}
    )
    registers = FakeRegisters(
        {deceased: alone}, kin={deceased: Concerned(deceased, kin, "Rita Costa", their_home)}
    )
    (settled,) = asyncio.run(
        handler(plan, rules, registers, engine).handle([event("death", deceased)])
    )
    (grant,) = [d for d in settled.decisions if d.service == "funeral-grant"]
    assert (grant.beneficiary, grant.national_id) == (deceased, kin)
    (notice,) = [n for n in settled.notices if n.key == f"decision:{grant.id}"]
    assert notice.national_id == kin
    assert notice.params["name"] == "Rita Costa"
    assert notice.address == their_home  # not the home of the person who died
