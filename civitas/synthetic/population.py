"""People and their households, drawn vectorised from the country's shape.

Households come first: each gets a type and the roles it holds (adults, children,
grandparents). Ages then fill the roles so that the whole population follows the
configured age pyramid:

1. children's ages are the pyramid's under-18s exactly, topped up with grown-up
   children still at home; siblings get neighbouring ages;
2. parents are their eldest child's age plus the mother's age at first birth, and
   grandparents the middle generation's age plus the same gap;
3. singles and couples take what remains of the pyramid (the residual), singles
   preferring the young and the old, partners paired with similar ages.

Members of a household are contiguous, the reference person first. Every array
here is indexed by person (0-based) or by household; no loop runs per person.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civitas.synthetic.shape import Shape

I8 = npt.NDArray[np.int8]
I16 = npt.NDArray[np.int16]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

NO_ONE = -1  # a missing parent or partner
SIBLING_AGE_NOISE = 2.5  # years: how far apart siblings' ages spread
PARTNER_AGE_NOISE = 2.0  # years: how closely partners' ages match
AGE_AT_BIRTH_SD = 4.5  # years, spread of the mother's age at the first birth
GROWN_CHILD_DECAY = 6.0  # years: grown-up children leave home at this rate after 18
# Propensity to live alone, by age (lower bound of each band): the young and the old.
SINGLE_PROPENSITY = ((18, 1.6), (30, 0.55), (45, 0.55), (65, 1.0), (80, 2.4))


class HouseholdType(enum.IntEnum):
    SINGLE = 0
    COUPLE = 1
    COUPLE_WITH_CHILDREN = 2
    SINGLE_PARENT = 3
    MULTI_GENERATION = 4


HOUSEHOLD_TYPE_NAMES = (
    "single",
    "couple",
    "couple_with_children",
    "single_parent",
    "multi_generation",
)


@dataclass
class Population:
    """Households and their members, as parallel arrays."""

    # per household
    kind: I8  # HouseholdType
    size: I16
    start: I64  # index of the reference person
    adults: I8  # first-generation members: 1 or 2 (partners)
    children: I8
    elders: I8
    # per person
    household: I32
    age: I16
    female: Bools
    mother: I32  # person index or NO_ONE
    father: I32
    partner: I32
    is_child: Bools  # a child of the household's adults

    @property
    def people(self) -> int:
        return len(self.age)


def quota(shares: F64, total: int) -> I64:
    """Whole counts summing to ``total`` in proportion to ``shares`` (largest remainders).

    Exact counts, not random ones, keep the population on its configured shape at
    every size: a 100-person country has the same pyramid as a 10-million one.
    """
    weights = np.clip(np.asarray(shares, dtype=np.float64), 0, None)
    if total <= 0 or weights.sum() <= 0:
        return np.zeros(len(weights), dtype=np.int64)
    exact = weights / weights.sum() * total
    counts: I64 = np.floor(exact).astype(np.int64)
    missing = total - int(counts.sum())
    if missing:
        counts[np.argsort(counts - exact, kind="stable")[:missing]] += 1
    return counts


def order_by(keys: F64) -> I64:
    """The permutation sorting ``keys``, ties broken by position, identical on every CPU.

    Keys are packed with their positions into unique integers, so any sort
    algorithm (numpy picks SIMD sorts by CPU) gives the same order, and a plain
    sort of integers is faster than a stable argsort of floats.
    """
    n = len(keys)
    bits = max(int(n).bit_length(), 1)
    low = float(keys.min()) if n else 0.0
    quantised = np.rint((keys - low) * (1 << 16)).astype(np.int64)
    packed = np.sort((quantised << bits) | np.arange(n, dtype=np.int64))
    result: I64 = np.bitwise_and(packed, (1 << bits) - 1)
    return result


def pyramid_by_age(shape: Shape) -> F64:
    """Share of the population at each single year of age, 0..max_age."""
    shares = np.zeros(shape.max_age + 1)
    for band in shape.age_pyramid:
        shares[band.min_age : band.max_age + 1] = band.share / (band.max_age - band.min_age + 1)
    return shares


def expected_household_size(shape: Shape) -> float:
    """The mean household size the configured shares imply."""
    h = shape.households
    t = h.types
    children = float(np.dot(np.arange(1, len(h.children) + 1), h.children))
    mg_children = float(
        np.dot(np.arange(len(h.multi_generation_children)), h.multi_generation_children)
    )
    multi = (1 + h.multi_generation_couple) + (1 + h.multi_generation_two_elders) + mg_children
    return (
        t.single
        + 2 * t.couple
        + t.couple_with_children * (2 + children)
        + t.single_parent * (1 + children)
        + t.multi_generation * multi
    )


def generate_population(shape: Shape, people: int, rng: np.random.Generator) -> Population:
    homes = _households(shape, people, rng)
    return _members(shape, people, homes, rng)


@dataclass
class _Homes:
    kind: I8
    adults: I8
    children: I8
    elders: I8


def _households(shape: Shape, people: int, rng: np.random.Generator) -> _Homes:
    """Household types and compositions, exactly ``people`` members in all."""
    h = shape.households
    t = h.types
    shares = np.array(
        [t.single, t.couple, t.couple_with_children, t.single_parent, t.multi_generation]
    )
    count = int(people / expected_household_size(shape) * 1.02) + 8
    kind = np.repeat(np.arange(5, dtype=np.int8), quota(shares, count))
    kind = rng.permutation(kind)
    family = (kind == HouseholdType.COUPLE_WITH_CHILDREN) | (kind == HouseholdType.SINGLE_PARENT)
    multi = kind == HouseholdType.MULTI_GENERATION
    children = np.zeros(count, dtype=np.int8)
    children[family] = 1 + rng.choice(len(h.children), size=int(family.sum()), p=h.children)
    children[multi] = rng.choice(
        len(h.multi_generation_children), size=int(multi.sum()), p=h.multi_generation_children
    )
    adults = np.ones(count, dtype=np.int8)
    adults[(kind == HouseholdType.COUPLE) | (kind == HouseholdType.COUPLE_WITH_CHILDREN)] = 2
    adults[multi] += rng.random(int(multi.sum())) < h.multi_generation_couple
    elders = np.zeros(count, dtype=np.int8)
    elders[multi] = 1 + (rng.random(int(multi.sum())) < h.multi_generation_two_elders)

    # Keep whole households while they fit; people left over live alone.
    size = adults.astype(np.int64) + children + elders
    keep = int(np.searchsorted(np.cumsum(size), people, side="right"))
    left = people - int(size[:keep].sum())
    pad = np.full(left, HouseholdType.SINGLE, dtype=np.int8)
    return _Homes(
        kind=np.concatenate([kind[:keep], pad]),
        adults=np.concatenate([adults[:keep], np.ones(left, dtype=np.int8)]),
        children=np.concatenate([children[:keep], np.zeros(left, dtype=np.int8)]),
        elders=np.concatenate([elders[:keep], np.zeros(left, dtype=np.int8)]),
    )


def _within(counts: I64) -> I64:
    """For groups of the given sizes laid end to end: each item's index in its group."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total, dtype=np.int64) - starts


def _members(shape: Shape, people: int, homes: _Homes, rng: np.random.Generator) -> Population:
    kind, adults, kids, elders = homes.kind, homes.adults, homes.children, homes.elders
    households = len(kind)
    size = adults.astype(np.int64) + kids + elders
    start = np.cumsum(size) - size
    age = np.zeros(people, dtype=np.int16)
    female = np.zeros(people, dtype=np.bool_)
    mother = np.full(people, NO_ONE, dtype=np.int32)
    father = np.full(people, NO_ONE, dtype=np.int32)
    partner = np.full(people, NO_ONE, dtype=np.int32)
    is_child = np.zeros(people, dtype=np.bool_)
    household = np.repeat(np.arange(households, dtype=np.int32), size)
    target = pyramid_by_age(shape) * people
    max_age = shape.max_age
    h = shape.households

    # 1. Children: the pyramid's under-18s, then grown-up children still at home.
    kid_counts = kids.astype(np.int64)
    families = np.flatnonzero(kid_counts)
    n_kids = int(kid_counts.sum())
    young = target.copy()
    young[18:] *= np.exp(-(np.arange(18, max_age + 1) - 18) / GROWN_CHILD_DECAY)
    young[41:] = 0
    minors = min(n_kids, round(float(target[:18].sum())))
    kid_ages = np.concatenate(
        [
            np.repeat(np.arange(18), quota(target[:18], minors)),
            18 + np.repeat(np.arange(max_age + 1 - 18), quota(young[18:], n_kids - minors)),
        ]
    )
    # Siblings: sort ages with a little noise, give each family (in random order) a run.
    kid_ages = kid_ages[order_by(kid_ages + rng.normal(0, SIBLING_AGE_NOISE, n_kids))]
    order = rng.permutation(families)
    run = np.empty(households, dtype=np.int64)
    run[order] = np.cumsum(kid_counts[order]) - kid_counts[order]
    first_kid = start + adults
    within = _within(kid_counts[families])
    kid_pos = np.repeat(first_kid[families], kid_counts[families]) + within
    # Read each run backwards: roughly the eldest first.
    kid_run = np.repeat(run[families] + kid_counts[families] - 1, kid_counts[families]) - within
    age[kid_pos] = kid_ages[kid_run]
    is_child[kid_pos] = True
    female[kid_pos] = rng.random(n_kids) < 0.488  # a few more boys are born
    eldest = np.zeros(households, dtype=np.int64)
    youngest = np.zeros(households, dtype=np.int64)
    if n_kids:  # each family's run is contiguous, and runs follow each other in ``order``
        eldest[order] = np.maximum.reduceat(kid_ages, run[order])
        youngest[order] = np.minimum.reduceat(kid_ages, run[order])

    # 2. Parents (first generation of families) and the middle generation of
    # multi-generation homes: the elders' child is the reference person.
    multi = kind == HouseholdType.MULTI_GENERATION
    parents = (kind == HouseholdType.COUPLE_WITH_CHILDREN) | (kind == HouseholdType.SINGLE_PARENT)
    parents |= multi
    has_kids = kid_counts > 0
    span = eldest - youngest
    at_birth = rng.normal(h.mother_age_at_first_birth, AGE_AT_BIRTH_SD, households)
    at_birth = np.clip(at_birth, 18, np.maximum(18, np.minimum(42, 46 - span)))
    mother_age = np.where(has_kids, eldest + np.rint(at_birth), rng.integers(25, 56, households))
    gap = np.rint(rng.normal(h.partner_age_gap, 3.5, households))
    father_age = np.clip(mother_age + gap, np.maximum(eldest + 18, 18), youngest + 55)
    father_age = np.where(has_kids, father_age, np.maximum(mother_age + gap, 20))
    # The middle generation must leave room above it for the grandparents.
    mother_age = np.where(multi, np.minimum(mother_age, max_age - 20), mother_age)
    father_age = np.where(multi, np.minimum(father_age, max_age - 18), father_age)
    couple_parents = parents & (adults == 2)
    lone = parents & (adults == 1)
    lone_female = rng.random(households) < h.single_parent_mothers
    # Which partner is the reference person (the elders' child in multi-generation homes).
    head_female = np.where(couple_parents, rng.random(households) < 0.5, lone_female)
    a_pos = start
    b_pos = start + 1
    age[a_pos[parents]] = np.where(head_female, mother_age, father_age)[parents]
    female[a_pos[parents]] = head_female[parents]
    cp = couple_parents
    age[b_pos[cp]] = np.where(head_female, father_age, mother_age)[cp]
    female[b_pos[cp]] = ~head_female[cp]
    partner[a_pos[cp]] = b_pos[cp]
    partner[b_pos[cp]] = a_pos[cp]
    mother_pos = np.where(couple_parents & ~head_female, b_pos, a_pos)
    father_pos = np.where(couple_parents & head_female, b_pos, a_pos)
    has_mother = couple_parents | (lone & lone_female)
    has_father = couple_parents | (lone & ~lone_female)
    kid_home = household[kid_pos]
    mother[kid_pos] = np.where(has_mother[kid_home], mother_pos[kid_home], NO_ONE)
    father[kid_pos] = np.where(has_father[kid_home], father_pos[kid_home], NO_ONE)

    # 3. Grandparents: the reference person's mother and/or father.
    head_age = age[a_pos].astype(np.int64)
    gran_gap = np.rint(rng.normal(h.mother_age_at_first_birth, AGE_AT_BIRTH_SD, households))
    gran_mother = np.minimum(head_age + np.clip(gran_gap, 18, 42), max_age)
    gran_father = np.clip(gran_mother + gap, head_age + 18, max_age)
    two = multi & (elders == 2)
    one_female = rng.random(households) < 0.75  # widows outlive widowers
    e1 = start + adults + kid_counts
    e2 = e1 + 1
    female[e1[multi]] = np.where(two, True, one_female)[multi]
    age[e1[multi]] = np.where(two | one_female, gran_mother, gran_father)[multi]
    age[e2[two]] = gran_father[two]
    partner[e1[two]] = e2[two]
    partner[e2[two]] = e1[two]
    heads = a_pos[multi]
    mother[heads] = np.where((two | one_female)[multi], e1[multi], NO_ONE)
    father[heads] = np.where(two[multi], e2[multi], np.where(one_female[multi], NO_ONE, e1[multi]))

    # 4. Singles and couples take the rest of the pyramid.
    aged = ~np.repeat((kind == HouseholdType.SINGLE) | (kind == HouseholdType.COUPLE), size)
    assigned = np.bincount(age[aged], minlength=max_age + 1)
    del aged
    residual = np.clip(target - assigned, 0, None)
    residual[:18] = 0
    singles = kind == HouseholdType.SINGLE
    couples = kind == HouseholdType.COUPLE
    n_singles = int(singles.sum())
    n_couples = int(couples.sum())
    rest = np.repeat(np.arange(max_age + 1), quota(residual, n_singles + 2 * n_couples))
    propensity = np.zeros(max_age + 1)
    for lower, weight in SINGLE_PROPENSITY:
        propensity[lower:] = weight
    score = np.log(propensity[rest]) + rng.gumbel(size=len(rest))
    ranked = order_by(-score)
    alone = rng.permutation(rest[ranked[:n_singles]])
    age[start[singles]] = alone
    female[start[singles]] = rng.random(n_singles) < np.where(alone >= 65, 0.68, 0.46)
    paired = rest[ranked[n_singles:]]
    paired = paired[order_by(paired + rng.normal(0, PARTNER_AGE_NOISE, len(paired)))]
    older = np.maximum(paired[0::2], paired[1::2])
    younger = np.minimum(paired[0::2], paired[1::2])
    slots = rng.permutation(np.flatnonzero(couples))
    man_older = rng.random(n_couples) < 0.65
    a, b = start[slots], start[slots] + 1
    a_female = rng.random(n_couples) < 0.5
    a_older = man_older != a_female
    age[a] = np.where(a_older, older, younger)
    age[b] = np.where(a_older, younger, older)
    female[a] = a_female
    female[b] = ~a_female
    partner[a] = b
    partner[b] = a

    return Population(
        kind=kind,
        size=size.astype(np.int16),
        start=start,
        adults=adults,
        children=kids,
        elders=elders,
        household=household,
        age=age,
        female=female,
        mother=mother,
        father=father,
        partner=partner,
        is_child=is_child,
    )
