"""How people live: work, income, pensions, disability, homes, schooling, vaccination.

Each aspect is drawn from the person's age, sex and region with the rates in the
shape; incomes are log-normal (a long tail of high earners: mean above median).
Every aspect has its own random stream, so changing one leaves the others as they
were.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from civitas.synthetic.population import Population
from civitas.synthetic.shape import Shape

I8 = npt.NDArray[np.int8]
I16 = npt.NDArray[np.int16]
I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]

NO_SCHOOL = -1
ADULT_AGE = 14  # the OECD scale counts people from 14 as adults
DAYS_A_MONTH = 30.44


class Status(enum.IntEnum):
    CHILD = 0
    STUDENT = 1
    EMPLOYED = 2
    UNEMPLOYED = 3
    INACTIVE = 4
    RETIRED = 5


STATUS_NAMES = ("child", "student", "employed", "unemployed", "inactive", "retired")


class School(enum.IntEnum):
    CHILDCARE = 0
    PRIMARY = 1
    SECONDARY = 2


SCHOOL_NAMES = ("childcare", "primary", "secondary")


class Tenure(enum.IntEnum):
    OWNER = 0
    RENTER = 1
    SOCIAL_RENTER = 2


TENURE_NAMES = ("owner", "renter", "social_renter")


@dataclass
class Livelihoods:
    # per person
    status: I8
    income: I64  # cents a month: earnings, or pension for the retired
    contribution_months: I16
    job_end: I32  # days since 1970-01-01; meaningful where job_end_known
    job_end_known: Bools
    disability: Bools
    school: I8  # School or NO_SCHOOL
    vaccinated: Bools
    # per household
    tenure: I8
    rent: I64  # cents a month
    household_income: F64  # euros a month: members' earnings and pensions
    income_per_adult: F64  # the same per adult-equivalent (OECD modified scale)


def generate_livelihoods(
    shape: Shape,
    population: Population,
    region: I8,
    as_of: int,
    seed: np.random.SeedSequence,
) -> Livelihoods:
    """``region`` is per person; ``as_of`` is the start date in days since 1970-01-01."""
    work_seed, money_seed, home_seed, school_seed, health_seed = seed.spawn(5)
    age = population.age
    disability = _disability(shape, age, np.random.Generator(np.random.PCG64(health_seed)))
    status = _status(
        shape, age, region, disability, np.random.Generator(np.random.PCG64(work_seed))
    )
    money = np.random.Generator(np.random.PCG64(money_seed))
    income = _income(shape, age, population.female, region, status, money)
    months, job_end, known = _contracts(shape, status, as_of, money)
    school, vaccinated = _schooling(
        shape, age, region, np.random.Generator(np.random.PCG64(school_seed))
    )
    total, per_adult = _household_income(population, income)
    tenure, rent = _homes(
        shape, population, region, total, per_adult, np.random.Generator(np.random.PCG64(home_seed))
    )
    return Livelihoods(
        status=status,
        income=income,
        contribution_months=months,
        job_end=job_end,
        job_end_known=known,
        disability=disability,
        school=school,
        vaccinated=vaccinated,
        tenure=tenure,
        rent=rent,
        household_income=total,
        income_per_adult=per_adult,
    )


def _by_band(bands: list[tuple[int, int, float]], age: I16) -> F64:
    table = np.zeros(max(upper for _, upper, _ in bands) + 2)
    for lower, upper, share in bands:
        table[lower : upper + 1] = share
    return table[np.minimum(age, len(table) - 1)]


def _disability(shape: Shape, age: I16, rng: np.random.Generator) -> Bools:
    chance = _by_band([(d.min_age, d.max_age, d.share) for d in shape.disability], age)
    return rng.random(len(age)) < chance


def _status(shape: Shape, age: I16, region: I8, disability: Bools, rng: np.random.Generator) -> I8:
    e = shape.economy
    n = len(age)
    draw = rng.random(n)
    status = np.full(n, Status.INACTIVE, dtype=np.int8)
    studying = np.clip(e.students_at_18 * (25 - age) / 7, 0, 1)
    participation = np.where(disability, e.participation * 0.5, e.participation)
    early = (age >= 60) & (age < e.retirement_age)
    participation = np.where(early, participation * 0.8, participation)
    # One uniform draw, split into bands: student | labour force | inactive.
    young_adult = (age >= 18) & (age < 25)
    student = young_adult & (draw < studying)
    retired = (age >= e.retirement_age) | (early & (draw < e.early_retirement))
    working_age = (age >= 18) & ~student & ~retired
    room = np.where(young_adult, 1 - studying, np.where(early, 1 - e.early_retirement, 1))
    offset = np.where(young_adult, studying, np.where(early, e.early_retirement, 0))
    labour = working_age & (draw - offset < participation * room)
    rates = np.array([r.unemployment_rate for r in shape.regions])[region]
    rates = np.where(age < 25, np.minimum(rates * e.youth_unemployment_factor, 0.6), rates)
    unemployed = labour & (rng.random(n) < rates)
    status[labour] = Status.EMPLOYED
    status[unemployed] = Status.UNEMPLOYED
    status[retired] = Status.RETIRED
    status[student | ((age >= 16) & (age < 18))] = Status.STUDENT
    status[age < 16] = Status.CHILD
    return status


def _income(
    shape: Shape, age: I16, female: Bools, region: I8, status: I8, rng: np.random.Generator
) -> I64:
    e = shape.economy
    factor = np.array([r.income_factor for r in shape.regions])[region]
    # Earnings rise with experience until the fifties, then level off.
    experience = 0.62 + 0.5 * (1 - np.exp(-np.clip(age - 18, 0, None) / 10.0))
    gap = np.where(female, 0.9, 1.0)
    earned = e.median_earnings * factor * experience * gap
    earned = earned * np.exp(rng.normal(0, e.earnings_spread, len(age)))
    pension = e.median_pension * np.sqrt(factor) * np.exp(rng.normal(0, e.pension_spread, len(age)))
    euros = np.where(status == Status.EMPLOYED, earned, 0.0)
    euros = np.where(status == Status.RETIRED, pension, euros)
    cents: I64 = np.rint(euros * 100).astype(np.int64)
    return cents


def _contracts(
    shape: Shape, status: I8, as_of: int, rng: np.random.Generator
) -> tuple[I16, I32, Bools]:
    """Months contributed in the last 24, and when the job ends or ended."""
    n = len(status)
    employed = status == Status.EMPLOYED
    unemployed = status == Status.UNEMPLOYED
    # Most employed people have worked the whole two years; some started lately.
    months = np.where(rng.random(n) < 0.82, 24, rng.integers(1, 24, n))
    months = np.where(employed, months, 0)
    # Unemployed people lost their job a while ago (most recently); a few never worked.
    days_ago = np.clip(rng.exponential(300, n), 1, 1500).astype(np.int32)
    worked = unemployed & (rng.random(n) > 0.1)
    before = np.clip(24 - np.ceil(days_ago / DAYS_A_MONTH), 0, 24)
    months = np.where(worked, np.rint(before * rng.uniform(0.5, 1.0, n)), months)
    fixed_term = employed & (rng.random(n) < shape.economy.fixed_term)
    ends_in = rng.integers(30, 731, n, dtype=np.int32)
    job_end = np.where(fixed_term, as_of + ends_in, as_of - days_ago).astype(np.int32)
    return months.astype(np.int16), job_end, fixed_term | worked


def _schooling(shape: Shape, age: I16, region: I8, rng: np.random.Generator) -> tuple[I8, Bools]:
    s = shape.schooling
    n = len(age)
    level = np.full(n, NO_SCHOOL, dtype=np.int8)
    draw = rng.random(n)
    level[(age <= 2) & (draw < s.childcare)] = School.CHILDCARE
    level[(age >= 3) & (age <= 5) & (draw < s.preschool)] = School.CHILDCARE
    level[(age >= 6) & (age <= 11) & (draw < s.school)] = School.PRIMARY
    level[(age >= 12) & (age <= 17) & (draw < s.school)] = School.SECONDARY
    # Where benefits are claimed less, vaccination schedules are finished less too.
    low = np.array([r.low_take_up for r in shape.regions])[region]
    vaccinated = rng.random(n) < np.where(low, s.vaccinated - 0.04, s.vaccinated)
    return level, vaccinated


def _household_income(population: Population, income: I64) -> tuple[F64, F64]:
    """Household earnings and pensions, in all and per adult-equivalent, euros a month."""
    home = population.household
    households = len(population.size)
    total = np.bincount(home, weights=income, minlength=households) / 100
    adults = np.bincount(home, weights=population.age >= ADULT_AGE, minlength=households)
    minors = population.size - adults
    scale = 1 + 0.5 * np.maximum(adults - 1, 0) + 0.3 * minors
    per_adult: F64 = total / scale
    return total, per_adult


def _homes(
    shape: Shape,
    population: Population,
    region: I8,
    household_income: F64,
    per_adult: F64,
    rng: np.random.Generator,
) -> tuple[I8, I64]:
    """Tenure follows income and age; rents follow the region and the home's size."""
    e = shape.economy
    households = len(population.size)
    home_region = region[population.start]
    head_age = population.age[population.start].astype(np.float64)
    # Income rank in 0..1, to a thousandth: searching a short table stays in cache.
    cuts = np.quantile(per_adult, np.linspace(0, 1, 1001)[1:-1]) if households else np.zeros(1)
    rank = np.searchsorted(cuts, per_adult, side="right") / 1000
    logit = np.log(e.owner_share / (1 - e.owner_share)) + 2.4 * (rank - 0.5)
    logit += 0.04 * (head_age - 50)
    owner = rng.random(households) < 1 / (1 + np.exp(-logit))
    social = (rank < 0.2) & (rng.random(households) < e.social_renter_share)
    tenure = np.where(owner, Tenure.OWNER, Tenure.RENTER).astype(np.int8)
    tenure[social] = Tenure.SOCIAL_RENTER
    median = np.array([r.median_rent for r in shape.regions], dtype=np.float64)[home_region]
    size = population.size.astype(np.float64)
    private = median * (0.8 + 0.1 * size) * np.exp(rng.normal(0, 0.3, households))
    subsidised = np.clip(0.2 * household_income, 25, median * 0.6)
    euros = np.where(tenure == Tenure.RENTER, private, 0.0)
    euros = np.where(tenure == Tenure.SOCIAL_RENTER, subsidised, euros)
    rent: I64 = np.rint(euros).astype(np.int64) * 100
    return tenure, rent
