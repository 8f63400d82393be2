"""The hidden ground truth of benefits: who is entitled, and who is enrolled.

Rules (amounts from ``benefits.rules`` in synthetic.yaml, euros a month; "income
per adult" is the household's earnings and pensions on the OECD modified scale):

child-benefit          the mother (else the father) of a child under 18 at home,
                       household income per adult below child_benefit_income_limit
unemployment-benefit   unemployed, at least unemployment_min_contribution_months
                       contributed in the last 24, job ended at most
                       unemployment_max_days ago
minimum-income         the household's reference person, income per adult below
                       minimum_income_limit
pension-supplement     retired, own pension below pension_supplement_limit
housing-allowance      the reference person of a household renting privately,
                       income per adult below housing_income_limit and rent above
                       housing_rent_share of the household's income
social-energy-tariff   the reference person, income per adult below energy_income_limit
free-school-meals      a child at primary or secondary school, income per adult
                       below school_meals_income_limit

Take-up: an entitled person is enrolled with the benefit's configured rate,
multiplied by each low-take-up group the claimant is in (under 30; a
low-take-up region; 75 or older, as a proxy for low digital access). Automatic
benefits ignore the groups. People just outside a rule (income up to 30 % above
the limit, or unemployed without enough contributions) are sometimes still
enrolled: records not yet updated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civitas.synthetic.economy import Livelihoods, School, Status, Tenure
from civitas.synthetic.population import Population
from civitas.synthetic.shape import BENEFITS, Shape

I8 = npt.NDArray[np.int8]
I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

NEAR_MISS = 1.3  # incomes up to this multiple of a limit count as "just outside"
YOUNG_BELOW = 30
LOW_DIGITAL_FROM = 75
BENEFIT_NAMES = tuple(sorted(BENEFITS))  # rows are ordered by benefit name, then person


@dataclass
class Entitlements:
    person: I64  # 0-based person index
    benefit: I8  # index into BENEFIT_NAMES
    entitled: Bools
    enrolled: Bools


@dataclass
class _Candidates:
    person: I64
    entitled: Bools
    near_miss: Bools
    claimant_age: npt.NDArray[np.int16]


def assess(
    shape: Shape,
    population: Population,
    livelihoods: Livelihoods,
    region: I8,
    as_of: int,
    seed: np.random.SeedSequence,
) -> Entitlements:
    """Every person entitled to or enrolled in each benefit."""
    rules = shape.benefits.rules
    per_adult = livelihoods.income_per_adult
    home = population.household
    age = population.age
    heads = population.start
    head_age = age[heads]

    def below(people: I64, limit: float) -> tuple[Bools, Bools]:
        income = per_adult[home[people]]
        return income < limit, (income >= limit) & (income < limit * NEAR_MISS)

    found: dict[str, _Candidates] = {}

    minors = population.is_child & (age < 18)
    claimant = np.where(population.mother >= 0, population.mother, population.father)
    parents = np.unique(claimant[minors]).astype(np.int64)
    yes, near = below(parents, rules.child_benefit_income_limit)
    found["child-benefit"] = _Candidates(parents, yes, near, age[parents])

    jobless = np.flatnonzero(livelihoods.status == Status.UNEMPLOYED)
    yes = (
        livelihoods.job_end_known[jobless]
        & (livelihoods.contribution_months[jobless] >= rules.unemployment_min_contribution_months)
        & (as_of - livelihoods.job_end[jobless] <= rules.unemployment_max_days)
    )
    found["unemployment-benefit"] = _Candidates(jobless, yes, ~yes, age[jobless])

    adult_heads = heads[head_age >= 18]
    yes, near = below(adult_heads, rules.minimum_income_limit)
    found["minimum-income"] = _Candidates(adult_heads, yes, near, age[adult_heads])

    retired = np.flatnonzero(livelihoods.status == Status.RETIRED)
    pension = livelihoods.income[retired] / 100
    limit = rules.pension_supplement_limit
    yes = pension < limit
    near = ~yes & (pension < limit * NEAR_MISS)
    found["pension-supplement"] = _Candidates(retired, yes, near, age[retired])

    renting = livelihoods.tenure == Tenure.RENTER
    renters = heads[renting]
    rent = livelihoods.rent[renting] / 100
    burden = rent > rules.housing_rent_share * livelihoods.household_income[renting]
    poor, near = below(renters, rules.housing_income_limit)
    yes = poor & burden
    near = (
        ~yes
        & (near | poor)
        & (rent > 0.8 * rules.housing_rent_share * livelihoods.household_income[renting])
    )
    found["housing-allowance"] = _Candidates(renters, yes, near, age[renters])

    yes, near = below(heads, rules.energy_income_limit)
    found["social-energy-tariff"] = _Candidates(heads, yes, near, head_age)

    school = livelihoods.school
    pupils = np.flatnonzero((school == School.PRIMARY) | (school == School.SECONDARY))
    yes, near = below(pupils, rules.school_meals_income_limit)
    found["free-school-meals"] = _Candidates(pupils, yes, near, head_age[home[pupils]])

    low_region = np.array([r.low_take_up for r in shape.regions])[region]
    streams = seed.spawn(len(BENEFIT_NAMES))
    people, codes, entitled, enrolled = [], [], [], []
    for code, (benefit, stream) in enumerate(zip(BENEFIT_NAMES, streams, strict=True)):
        c = found[benefit]
        rate = _take_up(shape, benefit, c.claimant_age, low_region[c.person])
        draw = np.random.Generator(np.random.PCG64(stream)).random(len(c.person))
        joined = (c.entitled & (draw < rate)) | (
            c.near_miss & (draw < shape.benefits.groups.wrongly_enrolled)
        )
        keep = c.entitled | joined
        people.append(c.person[keep])
        codes.append(np.full(int(keep.sum()), code, dtype=np.int8))
        entitled.append(c.entitled[keep])
        enrolled.append(joined[keep])
    return Entitlements(
        person=np.concatenate(people),
        benefit=np.concatenate(codes),
        entitled=np.concatenate(entitled),
        enrolled=np.concatenate(enrolled),
    )


def _take_up(
    shape: Shape, benefit: str, claimant_age: npt.NDArray[np.int16], low_region: Bools
) -> npt.NDArray[np.float64]:
    rule = shape.benefits.take_up[benefit]
    rate = np.full(len(claimant_age), rule.rate)
    if rule.automatic:
        return rate
    groups = shape.benefits.groups
    rate = np.where(claimant_age < YOUNG_BELOW, rate * groups.young, rate)
    rate = np.where(low_region, rate * groups.low_take_up_region, rate)
    return np.where(claimant_age >= LOW_DIGITAL_FROM, rate * groups.low_digital_access, rate)
