"""Time moves: the truth of a country evolved by D days, with a log of what happened.

``advance_truth`` applies one period's life events to every person at once:
deaths, births, marriages, separations, moves, job losses and new jobs, income
changes, and the birthdays that matter (3, 6, 12, 18, retirement). The order is
fixed so each event sees the people the earlier ones left: the dead do not
marry, a newborn moves with its household. Entitlements are then recomputed
from the new situation, so benefits follow the people.

Deterministic: the same truth, seed and period number give the same result.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from civitas.synthetic.life_events import EVENT_KINDS, EVENT_SCHEMA, Period, Rates
from civitas.synthetic.people import (
    households_table,
    load_households,
    load_people,
    load_places,
    people_table,
)
from civitas.synthetic.reassess import reassess
from civitas.synthetic.shape import Shape
from civitas.synthetic.truth import Truth

__all__ = ["EVENT_KINDS", "EVENT_SCHEMA", "Advanced", "Rates", "advance_truth", "rates_for"]


@dataclass(frozen=True)
class Advanced:
    """The truth at the end of a period and the life events that led there."""

    truth: Truth
    events: pa.Table  # EVENT_SCHEMA, ordered by (occurred_on, person_id, kind)
    as_of: dt.date  # the last day of the period


def advance_truth(
    truth: Truth,
    *,
    days: int,
    seed: int,
    period: int,
    as_of: dt.date,
    shape: Shape | None = None,
    rates: Rates | None = None,
) -> Advanced:
    """The truth ``days`` after ``as_of``; ``period`` numbers this step (1 for the first).

    With the country's ``shape``, entitlements are reassessed with its benefit rules
    and its retirement age and study rates drive the birthdays; without it, default
    rates apply and the dead simply lose their entitlements.
    """
    if rates is None:
        rates = rates_for(shape) if shape else Rates()
    places = load_places(truth.persons, truth.households, truth.addresses)
    people = load_people(truth.persons, places)
    homes = load_households(truth.households, places)
    step = Period(
        people,
        homes,
        truth.addresses,
        places,
        start=np.datetime64(as_of, "D"),
        days=days,
        seed=seed,
        number=period,
        rates=rates,
    )
    step.deaths()
    step.births()
    step.marriages()
    step.separations()
    step.moves()
    step.jobs()
    step.milestones()
    step.contributions()
    step.settle()
    persons = people_table(people, places, truth.persons.schema)
    households = households_table(homes, places, truth.households.schema)
    addresses = pa.concat_tables([truth.addresses, *step.new_addresses])
    end = as_of + dt.timedelta(days=days)
    if shape is None:
        dead = persons.filter(pc.is_valid(persons.column("death_date"))).column("person_id")
        entitlements = truth.entitlements.filter(
            pc.invert(pc.is_in(truth.entitlements.column("person_id"), dead))
        )
    else:
        entitlements = reassess(
            shape, persons, households, truth.entitlements, as_of=end, seed=seed, period=period
        )
    after = dataclasses.replace(
        truth,
        persons=persons,
        households=households,
        addresses=addresses,
        entitlements=entitlements,
    )
    return Advanced(truth=after, events=step.log.table(), as_of=end)


def rates_for(shape: Shape) -> Rates:
    """Default rates, with the country's retirement age and share of students at 18."""
    economy = shape.economy
    rest = 1.0 - economy.students_at_18
    return Rates(
        retirement_age=economy.retirement_age,
        first_job_student=economy.students_at_18,
        first_job_share=rest * 0.6,
        first_job_unemployed=rest * 0.25,
        minimum_pension_cents=economy.median_pension * 100 // 2,
    )
