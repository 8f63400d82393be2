"""The shape of a synthetic country: its people and economy as a few dozen numbers.

A country pack describes its synthetic population in ``synthetic.yaml``: the age
pyramid, household types, regions and municipalities with their incomes and
unemployment, the economy, schooling and the benefit rules with their take-up.
The generator draws a population of any size from these numbers, so a pack can
change its country without touching code. Problems are reported with file and
line, like every other pack file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn

from civitas.core.content import YamlDocument, YamlProblem, read_yaml, validate
from civitas.core.errors import FieldError, InvalidInput
from civitas.core.i18n import N_

FILE_NAME = "synthetic.yaml"
SHARE_TOLERANCE = 0.001  # shares are written with three decimals


@dataclass(frozen=True)
class AgeBand:
    """Share of the population aged ``min_age`` to ``max_age`` (both included)."""

    min_age: int
    max_age: int
    share: float


@dataclass(frozen=True)
class Municipality:
    code: str  # e.g. VLD-PA
    name: str
    share: float  # of its region's population
    postcode: str  # four-digit postcode prefix, e.g. "2135"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    share: float  # of the country's population
    income_factor: float  # median earnings relative to the national median
    unemployment_rate: float  # share of the labour force without a job
    median_rent: int  # euros a month for a private rental
    low_take_up: bool  # newcomers and remote villages: benefits are claimed less
    municipalities: tuple[Municipality, ...]


@dataclass(frozen=True)
class HouseholdTypes:
    """Share of households of each type (sums to 1)."""

    single: float
    couple: float
    couple_with_children: float
    single_parent: float
    multi_generation: float


@dataclass(frozen=True)
class Households:
    types: HouseholdTypes
    children: tuple[float, ...]  # families with 1, 2, 3... children (sums to 1)
    multi_generation_children: tuple[float, ...]  # with 0, 1, 2... children (sums to 1)
    multi_generation_two_elders: float  # share with both grandparents at home
    multi_generation_couple: float  # share whose middle generation is a couple
    single_parent_mothers: float  # share of single parents who are mothers
    mother_age_at_first_birth: float  # mean, years
    partner_age_gap: float  # mean years the man is older


@dataclass(frozen=True)
class Economy:
    median_earnings: int  # euros a month, employed people, national median
    earnings_spread: float  # sigma of log earnings: larger means more unequal
    median_pension: int  # euros a month
    pension_spread: float
    retirement_age: int
    early_retirement: float  # share of people aged 60 to retirement who have retired
    participation: float  # share of people aged 25-59 in the labour force
    youth_unemployment_factor: float  # under-25s' unemployment relative to their region
    students_at_18: float  # share of 18-year-olds studying; falls to zero by 25
    fixed_term: float  # share of employed people whose contract has an end date
    owner_share: float  # households owning their home, on average
    social_renter_share: float  # among the lowest-income fifth of households


@dataclass(frozen=True)
class Schooling:
    childcare: float  # share of children aged 0-2 in childcare
    preschool: float  # share of children aged 3-5 in preschool (childcare level)
    school: float  # share of children aged 6-17 at school
    vaccinated: float  # share of children whose vaccination schedule is complete


@dataclass(frozen=True)
class Disability:
    """Share of people with a disability, by age band."""

    min_age: int
    max_age: int
    share: float


@dataclass(frozen=True)
class TakeUp:
    """Who claims a benefit they are entitled to.

    ``rate`` is the share of entitled people in no low-take-up group who claim it;
    each group a person belongs to multiplies it by its factor.
    """

    rate: float
    automatic: bool = False  # granted without a claim (then take-up is high)


@dataclass(frozen=True)
class Rules:
    """Simple entitlement rules (euros a month; incomes per adult-equivalent).

    Each rule is written out in civitas/synthetic/entitlement.py.
    """

    child_benefit_income_limit: int
    unemployment_min_contribution_months: int
    unemployment_max_days: int  # days after the job ended that the benefit lasts
    minimum_income_limit: int
    pension_supplement_limit: int
    housing_income_limit: int
    housing_rent_share: float  # rent above this share of income qualifies
    energy_income_limit: int
    school_meals_income_limit: int


@dataclass(frozen=True)
class TakeUpGroups:
    """Factors applied to take-up for groups that claim less."""

    young: float  # claimant under 30
    low_take_up_region: float
    low_digital_access: float  # claimant aged 75 or more
    wrongly_enrolled: float  # share of near-miss people still enrolled (stale records)


@dataclass(frozen=True)
class Benefits:
    rules: Rules
    groups: TakeUpGroups
    take_up: dict[str, TakeUp]


@dataclass(frozen=True)
class Shape:
    """Everything the generator needs to know about the country."""

    start_date: date  # the as-of date of the first period: ages are counted at it
    age_pyramid: tuple[AgeBand, ...]
    households: Households
    regions: tuple[Region, ...]
    economy: Economy
    schooling: Schooling
    disability: tuple[Disability, ...]
    benefits: Benefits

    @property
    def max_age(self) -> int:
        return self.age_pyramid[-1].max_age

    @property
    def municipalities(self) -> tuple[tuple[Region, Municipality], ...]:
        return tuple((r, m) for r in self.regions for m in r.municipalities)


BENEFITS = (
    "child-benefit",
    "unemployment-benefit",
    "minimum-income",
    "pension-supplement",
    "housing-allowance",
    "social-energy-tariff",
    "free-school-meals",
)


class ShapeInvalid(InvalidInput):
    """The pack's synthetic.yaml cannot be used; ``errors`` lists every problem."""


def load_shape(pack_dir: Path) -> Shape:
    """Read ``synthetic.yaml`` from a pack; raise :class:`ShapeInvalid` listing every problem."""
    path = pack_dir / FILE_NAME
    if not path.is_file():
        _fail([FieldError((), "The file is missing from the country pack.", FILE_NAME)], pack_dir)
    try:
        document = read_yaml(path, FILE_NAME)
    except YamlProblem as problem:
        _fail([problem.error], pack_dir)
    shape, errors = validate(document, document.data, Shape)
    if shape is None:
        _fail(errors, pack_dir)
    errors = check_shape(shape, document)
    if errors:
        _fail(errors, pack_dir)
    return shape


def check_shape(shape: Shape, document: YamlDocument) -> list[FieldError]:
    """Problems a valid-looking file can still have: shares, ranges, codes."""
    errors: list[FieldError] = []

    def need(ok: bool, path: tuple[str | int, ...], message: str) -> None:
        if not ok:
            errors.append(document.error(path, message))

    def sums_to_one(values: list[float], path: tuple[str | int, ...]) -> None:
        total = sum(values)
        need(
            abs(total - 1) <= SHARE_TOLERANCE,
            path,
            f"The shares add up to {total:.3f}; make them add up to 1.",
        )

    def fraction(value: float, path: tuple[str | int, ...]) -> None:
        need(0 <= value <= 1, path, "Expected a share between 0 and 1.")

    bands = shape.age_pyramid
    need(bool(bands), ("age_pyramid",), "List at least one age band.")
    expected_min = 0
    for i, band in enumerate(bands):
        need(
            band.min_age == expected_min,
            ("age_pyramid", i, "min_age"),
            f"Expected {expected_min}: bands must follow each other without gaps.",
        )
        need(
            band.min_age <= band.max_age <= 110,
            ("age_pyramid", i, "max_age"),
            "Expected an age no smaller than min_age and at most 110.",
        )
        fraction(band.share, ("age_pyramid", i, "share"))
        expected_min = band.max_age + 1
    sums_to_one([b.share for b in bands], ("age_pyramid",))

    households = shape.households
    types = households.types
    sums_to_one(
        [
            types.single,
            types.couple,
            types.couple_with_children,
            types.single_parent,
            types.multi_generation,
        ],
        ("households", "types"),
    )
    sums_to_one(list(households.children), ("households", "children"))
    sums_to_one(
        list(households.multi_generation_children), ("households", "multi_generation_children")
    )
    for name in ("multi_generation_two_elders", "multi_generation_couple", "single_parent_mothers"):
        fraction(getattr(households, name), ("households", name))
    need(
        18 <= households.mother_age_at_first_birth <= 40,
        ("households", "mother_age_at_first_birth"),
        "Expected an age between 18 and 40.",
    )

    need(bool(shape.regions), ("regions",), "List at least one region.")
    sums_to_one([r.share for r in shape.regions], ("regions",))
    codes: set[str] = set()
    for i, region in enumerate(shape.regions):
        fraction(region.unemployment_rate, ("regions", i, "unemployment_rate"))
        need(region.income_factor > 0, ("regions", i, "income_factor"), "Expected more than 0.")
        need(region.median_rent > 0, ("regions", i, "median_rent"), "Expected more than 0.")
        need(region.code not in codes, ("regions", i, "code"), "This code is used twice.")
        codes.add(region.code)
        need(bool(region.municipalities), ("regions", i), "List at least one municipality.")
        sums_to_one([m.share for m in region.municipalities], ("regions", i, "municipalities"))
        for j, municipality in enumerate(region.municipalities):
            path: tuple[str | int, ...] = ("regions", i, "municipalities", j)
            need(municipality.code not in codes, (*path, "code"), "This code is used twice.")
            codes.add(municipality.code)
            need(
                len(municipality.postcode) == 4 and municipality.postcode.isdigit(),
                (*path, "postcode"),
                "Expected four digits, e.g. 2135.",
            )

    economy = shape.economy
    for name in ("participation", "early_retirement", "students_at_18", "fixed_term"):
        fraction(getattr(economy, name), ("economy", name))
    for name in ("owner_share", "social_renter_share"):
        fraction(getattr(economy, name), ("economy", name))
    need(
        40 <= economy.retirement_age <= 80,
        ("economy", "retirement_age"),
        "Expected an age between 40 and 80.",
    )
    for name in ("childcare", "preschool", "school", "vaccinated"):
        fraction(getattr(shape.schooling, name), ("schooling", name))
    for i, disability in enumerate(shape.disability):
        fraction(disability.share, ("disability", i, "share"))

    take_up = shape.benefits.take_up
    for benefit in BENEFITS:
        need(
            benefit in take_up,
            ("benefits", "take_up"),
            f"Add the take-up of '{benefit}'.",
        )
    for benefit, rule in take_up.items():
        need(
            benefit in BENEFITS,
            ("benefits", "take_up", benefit),
            "Unknown benefit; expected one of " + ", ".join(BENEFITS) + ".",
        )
        fraction(rule.rate, ("benefits", "take_up", benefit, "rate"))
    return errors


def _fail(errors: list[FieldError], pack_dir: Path) -> NoReturn:
    raise ShapeInvalid(
        N_("The synthetic country in {folder} has {count} problem(s)."),
        hint=N_("Fix each problem listed in synthetic.yaml, then try again."),
        params={"folder": str(pack_dir), "count": len(errors)},
        errors=tuple(errors),
    )
