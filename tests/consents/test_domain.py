"""The portal's side of a consent without I/O: reading a register's answer, the answers
each state allows, the last day typed in three boxes and its limits; and the use cases
over fakes of the registers and the family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from civitas.consents import About, Action, ConsentRegister, Consents, State
from civitas.consents.domain import check_last_day, day_from_parts, read_consent
from civitas.core.clock import FixedClock
from civitas.core.errors import ExternalServiceUnavailable, InvalidInput, NotAllowed
from civitas.identity import Person

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
HEALTH = ConsentRegister("health-service/health", {"en": "Health register"}, max_days=366)
SCHOOLS = ConsentRegister("education-ministry/schools", {"en": "School register"})
ANA = Person("100000037", "Ana Costa")
CARLA = About("100000134", "Carla Costa", yours=False)


def entry(consent_id: str, state: str = "requested", **more: Any) -> dict[str, Any]:
    return {
        "id": consent_id,
        "national_id": CARLA.national_id,
        "purpose": "school-health-check",
        "client": "education-ministry/education",
        "items": ["national_id", "vaccinated"],
        "state": state,
        "valid_until": None,
        "history": [{"at": NOW.isoformat(), "state": "requested", "by": "nurse-12"}],
        **more,
    }


def test_a_consent_is_read_from_the_registers_answer_with_the_answers_its_state_allows() -> None:
    consent = read_consent(entry("cns-1"), HEALTH, CARLA)
    assert (consent.organisation, consent.state, consent.actions) == (
        "education-ministry",
        State.REQUESTED,
        (Action.GRANT, Action.DENY),
    )
    assert consent.asked_at == NOW
    granted = read_consent(entry("cns-2", "granted", valid_until="2026-12-31"), HEALTH, CARLA)
    assert (granted.actions, granted.valid_until) == ((Action.WITHDRAW,), dt.date(2026, 12, 31))
    assert read_consent(entry("cns-3", "expired"), HEALTH, CARLA).actions == ()


@pytest.mark.parametrize("bad", ["<script>", "", "cns 1", "x" * 65])
def test_a_consent_reference_that_is_not_safe_in_a_page_is_not_read(bad: str) -> None:
    with pytest.raises(ValueError, match="not a consent reference"):
        read_consent(entry(bad), HEALTH, CARLA)


@pytest.mark.parametrize(
    ("parts", "day"),
    [
        (("31", "7", "2027"), dt.date(2027, 7, 31)),
        ((" 1 ", "02", "2027"), dt.date(2027, 2, 1)),
        (("31", "2", "2027"), None),
        (("1", "1", "27"), None),
        (("", "", ""), None),
        (("1", "one", "2027"), None),
    ],
)
def test_a_last_day_is_typed_as_day_month_and_four_digit_year(
    parts: tuple[str, str, str], day: dt.date | None
) -> None:
    assert day_from_parts(*parts) == day


def test_a_last_day_is_from_today_until_as_long_as_the_register_allows() -> None:
    assert check_last_day(TODAY, TODAY, HEALTH) == TODAY
    latest = TODAY + dt.timedelta(days=366)
    assert check_last_day(latest, TODAY, HEALTH) == latest
    assert HEALTH.usual_last_day(TODAY) == TODAY + dt.timedelta(days=365)
    for wrong, message in (
        (None, "Enter the last day as a real date, for example 31 7 2027."),
        (TODAY - dt.timedelta(days=1), "The last day cannot be in the past."),
        (latest + dt.timedelta(days=1), "Choose a last day no later than the latest day shown."),
    ):
        with pytest.raises(InvalidInput) as refused:
            check_last_day(wrong, TODAY, HEALTH)
        assert [(e.dotted_path, e.message) for e in refused.value.errors] == [
            ("valid_until", message)
        ]


class Registers:
    """Two registers; the school register is down."""

    def __init__(self) -> None:
        self.kept: dict[str, list[dict[str, Any]]] = {CARLA.national_id: [entry("cns-1")]}
        self.sent: list[Mapping[str, object]] = []

    async def consents(
        self, service: str, national_id: str, *, user: str, case: str, represented: str | None
    ) -> Sequence[Mapping[str, Any]]:
        if service.startswith(SCHOOLS.party):
            raise ExternalServiceUnavailable("down")
        assert user == ANA.national_id
        assert represented == (None if national_id == ANA.national_id else f"PERSON/{national_id}")
        return self.kept.get(national_id, [])

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
        self.sent.append(document)
        return {
            "consent": entry(str(document["id"]), "granted", valid_until=document["valid_until"])
        }


class Family:
    def __init__(self) -> None:
        self.acts: list[tuple[str, str, str]] = []

    async def children(self, parent: Person) -> Sequence[About]:
        return [CARLA] if parent == ANA else []

    def record(self, parent: Person, child: About, action: str) -> None:
        self.acts.append((parent.national_id, child.national_id, action))


@pytest.mark.anyio
async def test_the_overview_asks_every_register_about_everyone_and_names_the_silent_ones() -> None:
    consents = Consents([HEALTH, SCHOOLS], Registers(), Family(), FixedClock(NOW))
    overview = await consents.overview(ANA)
    assert [p.name for p in overview.people] == ["Ana Costa", "Carla Costa"]
    assert [(c.id, c.about.name) for c in overview.consents] == [("cns-1", "Carla Costa")]
    assert overview.unanswered == [SCHOOLS]
    assert overview.children_checked


@pytest.mark.anyio
async def test_an_answer_for_a_child_is_sent_checked_and_recorded_for_the_child() -> None:
    registers, family = Registers(), Family()
    consents = Consents([HEALTH], registers, family, FixedClock(NOW))
    with pytest.raises(NotAllowed):
        await consents.decide(ANA, HEALTH.party, "100000999", "cns-1", "grant", TODAY)
    with pytest.raises(InvalidInput):
        await consents.decide(ANA, HEALTH.party, CARLA.national_id, "cns-1", "grant", None)
    assert registers.sent == []
    until = TODAY + dt.timedelta(days=30)
    given = await consents.decide(ANA, HEALTH.party, CARLA.national_id, "cns-1", "grant", until)
    assert (given.state, given.valid_until) == (State.GRANTED, until)
    assert registers.sent == [{"action": "grant", "id": "cns-1", "valid_until": until.isoformat()}]
    assert family.acts == [(ANA.national_id, CARLA.national_id, "Gave consent to share your data")]
