"""Time moving in the synthetic country: life events and the invariants they keep."""

from __future__ import annotations

import datetime as dt
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civitas.synthetic.advance import EVENT_KINDS, Advanced, advance_truth
from civitas.synthetic.truth import Truth
from tests.synthetic.truth_fixture import AS_OF, sample_truth

SEED = 11


@cache
def country() -> Truth:
    return sample_truth(50_000, seed=SEED)


@cache
def month() -> Advanced:
    return advance_truth(country(), days=30, seed=SEED, period=1, as_of=AS_OF)


def column(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(table.column(name).to_numpy(zero_copy_only=False))


def ids(table: pa.Table, name: str) -> np.ndarray:
    return np.asarray(pc.fill_null(table.column(name), 0).to_numpy())


def test_every_kind_of_life_event_happens_in_a_month_of_fifty_thousand_people() -> None:
    kinds = set(month().events.column("kind").to_pylist())
    assert kinds == set(EVENT_KINDS)


def test_events_happen_inside_the_period_and_the_period_ends_days_later() -> None:
    days = month().events.column("occurred_on")
    assert pc.min(days).as_py() > AS_OF
    assert pc.max(days).as_py() <= AS_OF + dt.timedelta(days=30)
    assert month().as_of == dt.date(2026, 1, 31)


def test_person_ids_and_national_ids_stay_unique() -> None:
    persons = month().truth.persons
    assert len(np.unique(column(persons, "person_id"))) == persons.num_rows
    assert len(np.unique(column(persons, "national_id"))) == persons.num_rows
    assert persons.num_rows > country().persons.num_rows  # babies were born


def test_partner_links_stay_symmetric() -> None:
    persons = month().truth.persons
    person, partner = column(persons, "person_id"), ids(persons, "partner_id")
    row = {p: i for i, p in enumerate(person)}
    for someone, other in zip(person[partner > 0], partner[partner > 0], strict=True):
        assert partner[row[other]] == someone


def test_children_stay_linked_to_their_parents_and_newborns_get_theirs() -> None:
    before, after = country().persons, month().truth.persons
    count = before.num_rows
    for name in ("mother_id", "father_id"):
        assert ids(after, name)[:count].tolist() == ids(before, name).tolist()
    born = month().events.filter(pc.equal(month().events.column("kind"), "birth"))
    newborns = after.filter(pc.is_in(after.column("person_id"), born.column("person_id")))
    mothers = ids(newborns, "mother_id")
    assert (mothers > 0).all()
    mother_rows = after.take(pa.array(mothers - 1))
    assert column(mother_rows, "sex").tolist() == ["F"] * len(mothers)
    assert column(newborns, "household_id").tolist() == column(mother_rows, "household_id").tolist()
    assert column(newborns, "employment_status").tolist() == ["child"] * len(mothers)


def test_household_sizes_equal_their_living_members() -> None:
    truth = month().truth
    alive = truth.persons.filter(pc.is_null(truth.persons.column("death_date")))
    members = alive.group_by("household_id").aggregate([("person_id", "count")])
    counted = dict(
        zip(column(members, "household_id"), column(members, "person_id_count"), strict=True)
    )
    households = truth.households
    sizes = dict(zip(column(households, "household_id"), column(households, "size"), strict=True))
    assert sizes == counted


def test_members_live_at_their_household_address() -> None:
    truth = month().truth
    alive = truth.persons.filter(pc.is_null(truth.persons.column("death_date")))
    joined = alive.join(truth.households, "household_id", right_suffix="_home")
    assert column(joined, "address_id").tolist() == column(joined, "address_id_home").tolist()
    assert column(joined, "municipality").tolist() == column(joined, "municipality_home").tolist()
    addresses = set(column(truth.addresses, "address_id").tolist())
    assert set(column(truth.households, "address_id").tolist()) <= addresses


def test_the_dead_have_a_death_date_no_job_no_partner_and_no_income() -> None:
    persons = month().truth.persons
    died = month().events.filter(pc.equal(month().events.column("kind"), "death"))
    dead = persons.filter(pc.is_valid(persons.column("death_date")))
    assert sorted(column(dead, "person_id").tolist()) == sorted(column(died, "person_id").tolist())
    assert "employed" not in column(dead, "employment_status").tolist()
    assert (ids(dead, "partner_id") == 0).all()
    assert (column(dead, "monthly_income_cents") == 0).all()


def test_people_turning_eighteen_leave_childhood_on_their_birthday() -> None:
    events, persons = month().events, month().truth.persons
    milestones = events.filter(pc.equal(events.column("kind"), "age_milestone"))
    adults = milestones.filter(pc.equal(milestones.column("details"), '{"age":18}'))
    assert adults.num_rows > 0
    turned = persons.take(pa.array(column(adults, "person_id") - 1))
    assert "child" not in column(turned, "employment_status").tolist()
    assert pc.all(pc.is_null(turned.column("school_level"))).as_py()
    births = column(turned, "birth_date").astype("M8[D]")
    on = column(adults, "occurred_on").astype("M8[D]")
    assert ((on - births) // np.timedelta64(1, "D") // 365).tolist() == [18] * len(on)


def test_people_reaching_retirement_age_get_a_pension() -> None:
    events, persons = month().events, month().truth.persons
    milestones = events.filter(pc.equal(events.column("kind"), "age_milestone"))
    retiring = milestones.filter(pc.equal(milestones.column("details"), '{"age":66}'))
    assert retiring.num_rows > 0
    retired = persons.take(pa.array(column(retiring, "person_id") - 1))
    assert set(column(retired, "employment_status").tolist()) == {"retired"}
    assert (column(retired, "monthly_income_cents") >= 40_000).all()


def test_job_losses_end_the_job_and_new_jobs_pay_like_the_region() -> None:
    events, persons = month().events, month().truth.persons
    for kind, status in (("job_loss", "unemployed"), ("new_job", "employed")):
        chosen = events.filter(pc.equal(events.column("kind"), kind))
        people = persons.take(pa.array(column(chosen, "person_id") - 1))
        assert set(column(people, "employment_status").tolist()) <= {status, "retired", "inactive"}
    lost = events.filter(pc.equal(events.column("kind"), "job_loss"))
    people = persons.take(pa.array(column(lost, "person_id") - 1))
    ended = column(people, "job_end_date").astype("M8[D]")
    assert (ended <= np.datetime64(month().as_of)).all()
    hired = events.filter(pc.equal(events.column("kind"), "new_job"))
    assert (
        column(persons.take(pa.array(column(hired, "person_id") - 1)), "monthly_income_cents") > 0
    ).all()


def test_the_same_seed_and_period_give_the_same_month_and_another_period_another() -> None:
    again = advance_truth(country(), days=30, seed=SEED, period=1, as_of=AS_OF)
    assert again.events.equals(month().events)
    assert again.truth.persons.equals(month().truth.persons)
    assert again.truth.households.equals(month().truth.households)
    other = advance_truth(country(), days=30, seed=SEED, period=2, as_of=AS_OF)
    assert not other.events.equals(month().events)


def test_the_truth_keeps_the_contract_schemas() -> None:
    before, after = country(), month().truth
    for name in ("persons", "households", "addresses", "entitlements", "identities"):
        assert getattr(after, name).schema.equals(getattr(before, name).schema), name
