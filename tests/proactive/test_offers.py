"""The person's answers to what was decided for them: only their own, only when it can
be answered, once; and a "no thank you" the worker respects afterwards."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Engine

from civitas.catalogue import load_catalogue
from civitas.config import DEMO_PACK
from civitas.core.clock import FixedClock
from civitas.core.errors import InvalidInput, NotFound
from civitas.db import create_engine_for, migrate
from civitas.proactive.domain import Action, Decision, OfferState
from civitas.proactive.offers import Offers
from civitas.proactive.plan import plan_of
from civitas.proactive.ports import Settled
from civitas.proactive.services import EventHandler
from civitas.proactive.store import SqlDecisionStore
from civitas.registries import load_registry_definitions
from civitas.rules import load_rules
from tests.proactive.fakes import BABY, FATHER, MOTHER, FakeRegisters, event, household, person
from tests.proactive.inbox_support import decision

ANA, BRUNO = "111111118", "222222226"
NOW = dt.datetime(2026, 3, 14, 10, 0, tzinfo=dt.UTC)


@dataclass
class MemoryStore:
    """Decisions in a dict, answered in place (the parts of DecisionStore Offers uses)."""

    decisions: dict[str, Decision] = field(default_factory=dict)
    answers: list[Decision] = field(default_factory=list)

    def settle(self, settled: Sequence[Settled]) -> list[Decision]:
        made = [d for s in settled for d in s.decisions]
        self.decisions |= {d.id: d for d in made}
        return made

    def handled(self, keys: Sequence[str]) -> set[str]:
        return set()

    def history(self, national_ids: Sequence[str]) -> list[Decision]:
        return [d for d in self.decisions.values() if d.beneficiary in national_ids]

    def of_person(self, national_id: str) -> list[Decision]:
        return [d for d in self.decisions.values() if d.national_id == national_id]

    def get(self, decision_id: str) -> Decision | None:
        return self.decisions.get(decision_id)

    def answer(self, decision: Decision) -> None:
        self.answers.append(decision)
        self.decisions[decision.id] = decision


@dataclass(frozen=True)
class Started:
    id: str


@dataclass
class FakeApplications:
    """Starts applications for the services with an online form, and remembers each."""

    services: Collection[str] = frozenset({"child-benefit", "parental-allowance"})
    started: list[tuple[str, str, str | None, str | None]] = field(default_factory=list)

    async def start(
        self,
        national_id: str,
        service_id: str,
        *,
        user: str | None = None,
        represented_party: str | None = None,
    ) -> Started:
        self.started.append((national_id, service_id, user, represented_party))
        return Started(f"APP-{len(self.started):05d}-00000")


def offers_with(*decisions: Decision) -> tuple[Offers, MemoryStore]:
    store = MemoryStore({d.id: d for d in decisions})
    return Offers(store, FixedClock(NOW)), store


def test_a_person_sees_the_decisions_told_to_them_newest_first() -> None:
    older = decision(ANA, "housing-allowance", decided_at=NOW - dt.timedelta(days=30))
    newer = decision(ANA)
    offers, _store = offers_with(older, newer, decision(BRUNO))
    assert offers.of_person(ANA) == [newer, older]
    assert offers.waiting(ANA) == [newer, older]
    assert offers.of_person("999999990") == []


def test_someone_elses_decision_or_an_unknown_one_is_not_found() -> None:
    brunos = decision(BRUNO)
    offers, store = offers_with(brunos)
    for asked in (brunos.id, "no-such-decision", "x" * 500):
        with pytest.raises(NotFound):
            offers.get(ANA, asked)
        with pytest.raises(NotFound):
            offers.accept(ANA, asked, "APP-1")
        with pytest.raises(NotFound):
            offers.decline(ANA, asked)
    assert store.answers == []
    assert offers.get(BRUNO, brunos.id) == brunos


def test_accepting_an_open_offer_keeps_when_and_the_application_and_twice_is_once() -> None:
    offer = decision(ANA)
    offers, store = offers_with(offer)
    accepted = offers.accept(ANA, offer.id, "APP-12345-67890")
    assert accepted.state is OfferState.ACCEPTED
    assert accepted.answered_at == NOW
    assert accepted.application == "APP-12345-67890"
    assert store.decisions[offer.id] == accepted
    again = offers.accept(ANA, offer.id, "APP-99999-99999")
    assert again == accepted
    assert len(store.answers) == 1


def test_an_open_question_is_accepted_too() -> None:
    question = decision(ANA, "parental-allowance", Action.NEEDS_INFORMATION)
    offers, _store = offers_with(question)
    assert offers.accept(ANA, question.id, "APP-1").state is OfferState.ACCEPTED


@pytest.mark.parametrize("action", [Action.GRANTED, Action.SUGGESTED])
def test_a_grant_or_a_suggestion_has_nothing_to_accept_or_decline(action: Action) -> None:
    done = decision(ANA, "birth-grant", action)
    offers, store = offers_with(done)
    with pytest.raises(InvalidInput) as accepting:
        offers.accept(ANA, done.id, "APP-1")
    assert accepting.value.hint
    with pytest.raises(InvalidInput):
        offers.decline(ANA, done.id)
    assert store.answers == []


def test_declining_an_open_offer_is_kept_and_twice_is_once() -> None:
    offer = decision(ANA)
    offers, store = offers_with(offer)
    declined = offers.decline(ANA, offer.id)
    assert declined.state is OfferState.DECLINED
    assert declined.answered_at == NOW
    assert offers.decline(ANA, offer.id) == declined
    assert len(store.answers) == 1
    assert offers.waiting(ANA) == []


def test_a_declined_offer_cannot_be_accepted_and_nothing_changes() -> None:
    offer = decision(ANA)
    offers, store = offers_with(offer)
    declined = offers.decline(ANA, offer.id)
    with pytest.raises(InvalidInput) as refused:
        offers.accept(ANA, offer.id, "APP-1")
    assert "no thank you" in refused.value.message
    assert "apply for the service from its page" in refused.value.hint
    assert store.decisions[offer.id] == declined


def test_an_accepted_offer_or_a_question_cannot_be_declined() -> None:
    offer = decision(ANA)
    question = decision(ANA, "parental-allowance", Action.NEEDS_INFORMATION)
    offers, store = offers_with(offer, question)
    accepted = offers.accept(ANA, offer.id, "APP-1")
    for decided in (offer, question):
        with pytest.raises(InvalidInput):
            offers.decline(ANA, decided.id)
    assert store.decisions[offer.id] == accepted
    assert store.decisions[question.id].state is OfferState.OPEN


def test_taking_up_an_offer_starts_the_application_once_for_whom_it_is_for() -> None:
    offer = decision(ANA)
    offers, _store = offers_with(offer)
    applications = FakeApplications()
    taken = asyncio.run(
        offers.take_up(ANA, offer.id, applications, user=BRUNO, represented_party=f"person/{ANA}")
    )
    assert taken.application == "APP-00001-00000"
    assert applications.started == [(ANA, "child-benefit", BRUNO, f"person/{ANA}")]
    again = asyncio.run(offers.take_up(ANA, offer.id, applications))
    assert again == taken
    assert len(applications.started) == 1


def test_taking_up_without_an_online_form_keeps_the_answer_only() -> None:
    offer = decision(ANA, "birth-grant")
    offers, _store = offers_with(offer)
    applications = FakeApplications()
    taken = asyncio.run(offers.take_up(ANA, offer.id, applications))
    assert taken.state is OfferState.ACCEPTED
    assert taken.application == ""
    assert applications.started == []


def test_a_question_without_an_online_form_is_not_taken_up() -> None:
    question = decision(ANA, "birth-grant", Action.NEEDS_INFORMATION)
    offers, store = offers_with(question)
    with pytest.raises(InvalidInput):
        asyncio.run(offers.take_up(ANA, question.id, None))
    assert store.answers == []


def test_nothing_is_started_for_a_declined_offer() -> None:
    offer = decision(ANA)
    offers, _store = offers_with(offer)
    offers.decline(ANA, offer.id)
    applications = FakeApplications()
    with pytest.raises(InvalidInput):
        asyncio.run(offers.take_up(ANA, offer.id, applications))
    assert applications.started == []


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'civitas.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def test_the_worker_does_not_offer_again_what_was_declined(engine: Engine) -> None:
    catalogue = load_catalogue(DEMO_PACK)
    plan = plan_of(DEMO_PACK, catalogue, load_registry_definitions(DEMO_PACK))
    home = household(
        MOTHER,
        {MOTHER: person("1990-05-01", 60_000), FATHER: person("1988-02-03", 0)},
        {BABY: person("2026-03-10")},
    )
    registers = FakeRegisters({MOTHER: home, FATHER: home}, {BABY: (MOTHER, FATHER)})
    store = SqlDecisionStore(engine, lambda: NOW)
    handler = EventHandler(plan, load_rules(DEMO_PACK), registers, store, FixedClock(NOW))
    first = store.settle(asyncio.run(handler.handle([event("birth", BABY)])))
    (offer,) = [d for d in first if d.service == "child-benefit"]
    offers = Offers(store, FixedClock(NOW))
    offers.decline(MOTHER, offer.id)

    later = event("birth", BABY, seq=2, on=dt.date(2026, 4, 2))  # a new month, a new event
    fresh = EventHandler(plan, handler.rules, registers, MemoryStore(), FixedClock(NOW))
    unanswered = asyncio.run(fresh.handle([later]))[0].decisions
    assert "child-benefit" in {d.service for d in unanswered}  # offered to someone new
    again = store.settle(asyncio.run(handler.handle([later])))
    assert "child-benefit" not in {d.service for d in again}
    assert offers.get(MOTHER, offer.id).state is OfferState.DECLINED
