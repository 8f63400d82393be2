"""The short list the chooser page offers: living people whose situations are worth testing.

First, once the country has moved on, people with news from its latest period that the
proactive services act on (``news.py``): a baby's parents, someone who lost their job,
someone who retired, a parent whose child started school. Then parents of a baby (both
of them, for mandates), a parent of a young child, a large family, a minor with their
parent, a young adult, an adult without children, a grandparent, and three ages around
retirement. Each situation is a vectorised mask over the population; within one the
person with the smallest national number is taken, so the list is the same on every
start for the same country, and nobody appears twice. A situation the population lacks
is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import numpy as np

from civitas.core.i18n import N_
from civitas.identity.provider.identities import Featured, Identity
from civitas.identity.provider.news import News
from civitas.identity.provider.population import EPOCH, Bools, Int64s, Population


def ages_on(birth_days: Int64s, day: dt.date) -> Int64s:
    """Age in whole years on ``day`` of everyone born on ``birth_days`` (days since 1970)."""
    dates = birth_days.astype("datetime64[D]")
    months = dates.astype("datetime64[M]")
    years = months.astype("datetime64[Y]").astype(np.int64) + EPOCH.year
    month = months.astype(np.int64) % 12 + 1
    day_of_month = (dates - months).astype(np.int64) + 1
    birthday_to_come = month * 100 + day_of_month > day.month * 100 + day.day
    return np.asarray(day.year - years - birthday_to_come, dtype=np.int64)


def featured_people(
    population: Population, exclude: Collection[int] = (), news: News | None = None
) -> tuple[Featured, ...]:
    """About a dozen people for the chooser page, after those with ``news``; ``exclude``:
    national numbers to skip."""
    p = population
    age = ages_on(p.birth_days, p.as_of)
    alive = p.alive & (age >= 0)
    taken = np.zeros(len(p), np.bool_)
    skipped = p.positions(np.array(sorted(exclude), np.int64))
    taken[skipped[skipped >= 0]] = True
    chosen: list[Featured] = []

    def take(position: int, why: str, **params: str) -> Identity:
        taken[position] = True
        identity = Identity.of(p.person(position))
        chosen.append(Featured(identity, why, params))
        return identity

    def first(mask: Bools) -> int | None:
        found = np.flatnonzero(mask & alive & ~taken)
        return int(found[0]) if len(found) else None

    # Children and their living parents, as positions (-1: unknown or dead).
    children = np.flatnonzero(alive & (age < 18))
    child_age = age[children]
    mothers = _living(p.positions(p.mothers[children]), alive)
    fathers = _living(p.positions(p.fathers[children]), alive)
    parent_of = np.bincount(
        np.concatenate([mothers[mothers >= 0], fathers[fathers >= 0]]), minlength=len(p)
    )

    def offer(mask: Bools, why: str) -> None:
        position = first(mask)
        if position is not None:
            take(position, why)

    def among(national_ids: Int64s) -> Bools:
        mask = np.zeros(len(p), np.bool_)
        found = p.positions(national_ids)
        mask[found[found >= 0]] = True
        return mask

    def parents(child: int) -> list[int]:
        """The child's living parents not offered yet, mother first."""
        both = _living(p.positions(np.array([p.mothers[child], p.fathers[child]])), alive)
        return [int(parent) for parent in both if parent >= 0 and not taken[parent]]

    # News of the latest period: one person (two for a birth) for each kind.
    if news is not None and news.period:
        for baby in np.flatnonzero(among(news.births)):
            found = parents(int(baby))
            if found:
                parent = take(found[0], N_("Latest period: had a baby"))
                if len(found) > 1:
                    take(found[1], N_("Latest period: had a baby with {name}"), name=parent.name)
                break
        offer(among(news.job_losses), N_("Latest period: lost their job"))
        offer(among(news.retirements), N_("Latest period: retired"))
        for child in np.flatnonzero(among(news.school_starts)):
            found = parents(int(child))
            if found:
                name = Identity.of(p.person(int(child))).name
                take(found[0], N_("Latest period: their child {name} started school"), name=name)
                break

    def parents_of(which: Bools) -> Bools:
        mask = np.zeros(len(p), np.bool_)
        mask[mothers[which & (mothers >= 0)]] = True
        mask[fathers[which & (fathers >= 0)]] = True
        return mask

    couple = np.flatnonzero(
        (child_age == 0)
        & (mothers >= 0)
        & (fathers >= 0)
        & ~taken[mothers.clip(0)]
        & ~taken[fathers.clip(0)]
    )
    if len(couple):
        baby = couple[0]
        parent = take(int(mothers[baby]), N_("Parent of a baby under 1"))
        take(int(fathers[baby]), N_("Other parent of {name}'s baby"), name=parent.name)
    offer(parents_of((child_age >= 1) & (child_age <= 5)), N_("Parent of a child under 6"))
    offer(parent_of >= 3, N_("Parent of 3 or more children under 18"))
    teens = np.flatnonzero((child_age >= 16) & (child_age <= 17) & (mothers >= 0))
    teens = teens[~taken[children[teens]] & ~taken[mothers[teens]]]
    if len(teens):
        teen = teens[0]
        parent = take(int(mothers[teen]), N_("Parent of a child aged 16 or 17"))
        take(int(children[teen]), N_("A minor, child of {name}"), name=parent.name)
    offer((age >= 18) & (age <= 21), N_("Young adult aged 18 to 21"))
    offer((age >= 30) & (age <= 45) & (parent_of == 0), N_("Adult with no children under 18"))
    young_parents = np.flatnonzero(parents_of(child_age < 6))
    grandparents = _living(
        p.positions(np.concatenate([p.mothers[young_parents], p.fathers[young_parents]])), alive
    )
    mask = np.zeros(len(p), np.bool_)
    mask[grandparents[grandparents >= 0]] = True
    offer(mask, N_("Grandparent of a child under 6"))
    offer((age >= 60) & (age <= 66), N_("Aged 60 to 66"))
    offer((age >= 67) & (age <= 79), N_("Aged 67 to 79"))
    offer(age >= 80, N_("Aged 80 or over"))
    return tuple(chosen)


def _living(positions: Int64s, alive: Bools) -> Int64s:
    """``positions`` with -1 where the person is unknown or not alive."""
    return np.where((positions >= 0) & alive[positions.clip(0)], positions, -1)
