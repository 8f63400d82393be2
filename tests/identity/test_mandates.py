"""Mandates: offered, accepted, declined, revoked, expired; scoped to services; acts recorded.

The registries' answers about families and companies come from a fake here; the
stores are the real ones (the exchange-backed relations are tested with the exchange).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from civitas.core.clock import FixedClock
from civitas.core.errors import InvalidInput, NotAllowed, NotFound, RuleBroken
from civitas.db import create_engine_for, migrate
from civitas.identity import Person
from civitas.identity.mandates import Ground, MandateState
from civitas.identity.ports import Relative
from civitas.identity.representation import Mandates
from civitas.identity.store import SqlMandateStore

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ANA = Person("100000019", "Ana Costa")
RUI = Person("100000027", "Rui Sousa")
EVA = Person("100000035", "Eva Lima")
SERVICES = frozenset({"housing-allowance", "child-benefit", "register-a-business"})


class Registers:
    """What a tiny population and business register would say."""

    def __init__(self) -> None:
        self.children: dict[str, list[Relative]] = {ANA.national_id: [Relative("2", "Leo Costa")]}
        self.companies: dict[str, list[Relative]] = {
            RUI.national_id: [Relative("C-1", "Sousa Ltd")]
        }

    async def minors_of(self, parent: str, today: dt.date) -> Sequence[Relative]:
        return self.children.get(parent, [])

    async def companies_of(self, owner: str) -> Sequence[Relative]:
        return self.companies.get(owner, [])


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def mandates(tmp_path: Path, clock: FixedClock) -> Mandates:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'civitas.db'}")
    migrate(engine)
    return Mandates(SqlMandateStore(engine), Registers(), clock, SERVICES)


def until(days: int) -> dt.date:
    return NOW.date() + dt.timedelta(days=days)


@pytest.mark.anyio
async def test_an_accepted_mandate_lets_the_delegate_act_for_the_chosen_services_only(
    mandates: Mandates,
) -> None:
    offered = mandates.grant(ANA, RUI.national_id, ["housing-allowance"], until(30))
    assert offered.state is MandateState.OFFERED
    assert [r.ground for r in await mandates.representations(RUI)] == [Ground.COMPANY]
    mandates.accept(RUI, offered.id)
    found = await mandates.representation(RUI, ANA.national_id)
    assert found.ground is Ground.GRANTED
    assert found.covers("housing-allowance")
    assert not found.covers("child-benefit")
    with pytest.raises(NotAllowed, match="does not cover this service"):
        mandates.record(RUI, found, "Applied", service="child-benefit")


@pytest.mark.anyio
async def test_either_side_may_revoke_and_a_revoked_mandate_lets_no_one_act(
    mandates: Mandates,
) -> None:
    for revoker in (ANA, RUI):
        mandate = mandates.grant(ANA, RUI.national_id, ["child-benefit"], until(30))
        mandates.accept(RUI, mandate.id)
        assert mandates.revoke(revoker, mandate.id).changed_by == revoker.national_id
        with pytest.raises(NotAllowed):
            await mandates.representation(RUI, ANA.national_id)


@pytest.mark.anyio
async def test_a_mandate_ends_after_its_last_day(mandates: Mandates, clock: FixedClock) -> None:
    mandate = mandates.grant(ANA, RUI.national_id, ["child-benefit"], until(1))
    mandates.accept(RUI, mandate.id)
    clock.advance(dt.timedelta(days=1))
    assert await mandates.representation(RUI, ANA.national_id)
    clock.advance(dt.timedelta(days=1))
    with pytest.raises(NotAllowed):
        await mandates.representation(RUI, ANA.national_id)
    assert mandates.given(ANA)[0].state_on(clock.now().date()) is MandateState.EXPIRED


def test_only_the_delegate_answers_an_offer_and_only_once(mandates: Mandates) -> None:
    mandate = mandates.grant(ANA, RUI.national_id, ["child-benefit"], until(30))
    with pytest.raises(NotAllowed, match="Only the people named"):
        mandates.accept(EVA, mandate.id)
    with pytest.raises(NotAllowed):
        mandates.accept(ANA, mandate.id)  # the grantor cannot accept for the delegate
    mandates.decline(RUI, mandate.id)
    with pytest.raises(RuleBroken, match="can no longer be changed"):
        mandates.accept(RUI, mandate.id)
    with pytest.raises(NotFound):
        mandates.accept(RUI, "nope")


def test_a_bad_mandate_is_refused_field_by_field(mandates: Mandates) -> None:
    with pytest.raises(InvalidInput) as refused:
        mandates.grant(ANA, ANA.national_id, [], until(-1))
    paths = {problem.dotted_path: problem.message for problem in refused.value.errors}
    assert paths == {
        "delegate": "You cannot give a mandate to yourself.",
        "services": "Choose at least one service.",
        "valid_until": "The last day cannot be in the past.",
    }
    with pytest.raises(InvalidInput) as too_long:
        mandates.grant(ANA, RUI.national_id, ["passport"], until(6 * 366))
    assert [p.message for p in too_long.value.errors] == [
        "Choose services from the list.",
        "A mandate can last five years at most.",
    ]
    assert mandates.given(ANA) == []


@pytest.mark.anyio
async def test_parents_act_for_their_minor_children_and_owners_for_their_companies(
    mandates: Mandates,
) -> None:
    [child] = await mandates.representations(ANA)
    assert (child.name, child.ground, child.services) == ("Leo Costa", Ground.PARENT, None)
    [company] = await mandates.representations(RUI)
    assert (company.name, company.ground) == ("Sousa Ltd", Ground.COMPANY)
    with pytest.raises(NotAllowed):
        await mandates.representation(EVA, "2")


@pytest.mark.anyio
async def test_every_act_is_recorded_and_shown_to_the_person_represented(
    mandates: Mandates,
) -> None:
    mandate = mandates.grant(ANA, RUI.national_id, ["housing-allowance"], until(30))
    mandates.accept(RUI, mandate.id)
    found = await mandates.representation(RUI, ANA.national_id)
    mandates.record(RUI, found, "Applied for housing allowance", "housing-allowance", "desk")
    [act] = mandates.acts_for(ANA)
    assert (act.actor_name, act.action, act.channel, act.mandate_id) == (
        "Rui Sousa",
        "Applied for housing allowance",
        "desk",
        mandate.id,
    )
    assert mandates.acts_for(RUI) == []
