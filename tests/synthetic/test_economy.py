"""Work, incomes, homes, schooling and health follow the configured economy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pytest

from civitas.synthetic.shape import Shape, load_shape
from civitas.synthetic.truth import Truth, generate_truth
from tests.synthetic.test_population import ages

DEMO_PACK = Path(__file__).resolve().parents[2] / "civitas" / "packs" / "demo"
PEOPLE = 50_000
SEED = 5


@pytest.fixture(scope="module")
def shape() -> Shape:
    return load_shape(DEMO_PACK)


@pytest.fixture(scope="module")
def truth(shape: Shape) -> Truth:
    return generate_truth(shape, PEOPLE, SEED)


@pytest.fixture(scope="module")
def age(truth: Truth, shape: Shape) -> npt.NDArray[np.int64]:
    return ages(truth, shape)


def _ints(table: pa.Table, column: str) -> npt.NDArray[np.int64]:
    return np.asarray(table.column(column).fill_null(0).to_numpy(), dtype=np.int64)


def _texts(table: pa.Table, column: str) -> npt.NDArray[np.str_]:
    return np.asarray(table.column(column).fill_null("").to_pylist(), dtype=str)


def test_unemployment_by_region_is_ordered_as_configured(truth: Truth, shape: Shape) -> None:
    status = _texts(truth.persons, "employment_status")
    region = _texts(truth.persons, "region")
    rates = []
    for r in sorted(shape.regions, key=lambda r: r.unemployment_rate):
        labour = (region == r.code) & np.isin(status, ["employed", "unemployed"])
        rates.append((status[labour] == "unemployed").mean())
        assert abs(rates[-1] - r.unemployment_rate) <= 0.04, r.code
    assert rates == sorted(rates)


def test_incomes_are_skewed_and_higher_in_the_richer_region(truth: Truth, shape: Shape) -> None:
    status = _texts(truth.persons, "employment_status")
    region = _texts(truth.persons, "region")
    income = _ints(truth.persons, "monthly_income_cents")
    employed = status == "employed"
    earnings = income[employed]
    assert earnings.mean() > np.median(earnings) * 1.05
    richest = max(shape.regions, key=lambda r: r.income_factor)
    poorest = min(shape.regions, key=lambda r: r.income_factor)
    rich = np.median(income[employed & (region == richest.code)])
    poor = np.median(income[employed & (region == poorest.code)])
    assert rich > poor * 1.2
    national = np.median(earnings) / 100
    assert 0.7 * shape.economy.median_earnings < national < 1.4 * shape.economy.median_earnings


def test_only_earners_and_pensioners_have_an_income(truth: Truth) -> None:
    status = _texts(truth.persons, "employment_status")
    income = _ints(truth.persons, "monthly_income_cents")
    assert (income[np.isin(status, ["employed", "retired"])] > 0).all()
    assert (income[~np.isin(status, ["employed", "retired"])] == 0).all()


def test_employment_status_follows_age(
    truth: Truth, shape: Shape, age: npt.NDArray[np.int64]
) -> None:
    status = _texts(truth.persons, "employment_status")
    assert set(status) == {"child", "student", "employed", "unemployed", "inactive", "retired"}
    assert (status[age < 16] == "child").all()
    assert (status[(age >= 16) & (age < 18)] == "student").all()
    assert (status[age >= shape.economy.retirement_age] == "retired").all()
    prime = (age >= 25) & (age < 60)
    assert 0.7 < np.isin(status[prime], ["employed", "unemployed"]).mean() < 0.95


def test_contributions_and_job_end_dates_fit_the_status(truth: Truth, shape: Shape) -> None:
    status = _texts(truth.persons, "employment_status")
    months = _ints(truth.persons, "contribution_months")
    assert ((months >= 0) & (months <= 24)).all()
    assert (months[~np.isin(status, ["employed", "unemployed"])] == 0).all()
    assert (months[status == "employed"] == 24).mean() > 0.7
    ended = truth.persons.column("job_end_date").to_numpy(zero_copy_only=False)
    start = np.datetime64(shape.start_date, "D")
    unemployed_ended = ended[(status == "unemployed") & ~np.isnat(ended)]
    assert len(unemployed_ended) > 0
    assert (unemployed_ended < start).all()
    employed_ends = ended[(status == "employed") & ~np.isnat(ended)]
    assert len(employed_ends) > 0
    assert (employed_ends > start).all()
    assert np.isnat(ended[np.isin(status, ["child", "retired", "inactive", "student"])]).all()


def test_almost_every_child_of_school_age_is_at_school(
    truth: Truth, shape: Shape, age: npt.NDArray[np.int64]
) -> None:
    level = _texts(truth.persons, "school_level")
    primary = (age >= 6) & (age <= 11)
    secondary = (age >= 12) & (age <= 17)
    assert (level[primary] == "primary").mean() >= 0.98
    assert (level[secondary] == "secondary").mean() >= 0.98
    assert (level[age >= 18] == "").all()
    toddlers = (level[age <= 2] == "childcare").mean()
    assert abs(toddlers - shape.schooling.childcare) <= 0.05
    assert (level[(age >= 3) & (age <= 5)] == "childcare").mean() > toddlers


def test_children_are_mostly_vaccinated_and_disability_grows_with_age(
    truth: Truth, shape: Shape, age: npt.NDArray[np.int64]
) -> None:
    vaccinated = np.asarray(truth.persons.column("vaccinated").to_numpy(zero_copy_only=False))
    assert abs(vaccinated[age < 18].mean() - shape.schooling.vaccinated) <= 0.03
    disabled = np.asarray(truth.persons.column("disability").to_numpy(zero_copy_only=False))
    assert disabled[age < 18].mean() < disabled[(age >= 45) & (age < 65)].mean()
    assert disabled[(age >= 45) & (age < 65)].mean() < disabled[age >= 80].mean()


def test_owners_pay_no_rent_and_renters_pay_more_in_dearer_regions(
    truth: Truth, shape: Shape
) -> None:
    tenure = _texts(truth.households, "tenure")
    rent = _ints(truth.households, "monthly_rent_cents")
    region = _texts(truth.households, "region")
    assert set(tenure) == {"owner", "renter", "social_renter"}
    assert (rent[tenure == "owner"] == 0).all()
    assert (rent[tenure != "owner"] > 0).all()
    assert abs((tenure == "owner").mean() - shape.economy.owner_share) <= 0.08
    dear = max(shape.regions, key=lambda r: r.median_rent).code
    cheap = min(shape.regions, key=lambda r: r.median_rent).code
    renting = tenure == "renter"
    assert np.median(rent[renting & (region == dear)]) > np.median(
        rent[renting & (region == cheap)]
    )
    assert np.median(rent[tenure == "social_renter"]) < np.median(rent[renting])
