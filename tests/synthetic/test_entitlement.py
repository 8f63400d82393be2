"""The hidden truth of benefits: simple rules, and realistic non-take-up."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pytest

from civitas.synthetic.shape import BENEFITS, Shape, load_shape
from civitas.synthetic.truth import ENTITLEMENTS_SCHEMA, Truth, generate_truth
from tests.synthetic.test_population import ages

DEMO_PACK = Path(__file__).resolve().parents[2] / "civitas" / "packs" / "demo"
PEOPLE = 50_000
SEED = 99


@pytest.fixture(scope="module")
def shape() -> Shape:
    return load_shape(DEMO_PACK)


@pytest.fixture(scope="module")
def truth(shape: Shape) -> Truth:
    return generate_truth(shape, PEOPLE, SEED)


def _ints(table: pa.Table, column: str) -> npt.NDArray[np.int64]:
    return np.asarray(table.column(column).fill_null(0).to_numpy(), dtype=np.int64)


def _texts(table: pa.Table, column: str) -> npt.NDArray[np.str_]:
    return np.asarray(table.column(column).fill_null("").to_pylist(), dtype=str)


def _bools(table: pa.Table, column: str) -> npt.NDArray[np.bool_]:
    return np.asarray(table.column(column).to_numpy(zero_copy_only=False), dtype=bool)


def _rows(truth: Truth, benefit: str) -> tuple[npt.NDArray[np.int64], ...]:
    e = truth.entitlements
    mine = _texts(e, "benefit") == benefit
    return _ints(e, "person_id")[mine] - 1, _bools(e, "entitled")[mine], _bools(e, "enrolled")[mine]


def _claimant_age(
    truth: Truth, shape: Shape, benefit: str, person: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The age of whoever claims: the person, or for school meals the household's first member."""
    age = ages(truth, shape)
    if benefit != "free-school-meals":
        mine: npt.NDArray[np.int64] = age[person]
        return mine
    home = _ints(truth.persons, "household_id")
    first = np.full(home.max() + 1, PEOPLE)
    np.minimum.at(first, home, np.arange(PEOPLE))
    heads: npt.NDArray[np.int64] = age[first[home[person]]]
    return heads


def test_entitlements_follow_the_contract_schema_one_row_per_person_and_benefit(
    truth: Truth,
) -> None:
    e = truth.entitlements
    assert e.schema.equals(ENTITLEMENTS_SCHEMA)
    assert set(_texts(e, "benefit")) == set(BENEFITS)
    pairs = np.char.add(_texts(e, "benefit"), _ints(e, "person_id").astype(str))
    assert len(np.unique(pairs)) == e.num_rows
    assert (_bools(e, "entitled") | _bools(e, "enrolled")).all()
    assert e.equals(e.sort_by([("benefit", "ascending"), ("person_id", "ascending")]))


def test_take_up_outside_the_low_groups_matches_the_configured_rate(
    truth: Truth, shape: Shape
) -> None:
    low_regions = [r.code for r in shape.regions if r.low_take_up]
    region = _texts(truth.persons, "region")
    for benefit in BENEFITS:
        person, entitled, enrolled = _rows(truth, benefit)
        rule = shape.benefits.take_up[benefit]
        claimant = _claimant_age(truth, shape, benefit, person)
        plain = ~np.isin(region[person], low_regions) & (claimant >= 30) & (claimant < 75)
        if rule.automatic:
            plain = np.ones(len(person), dtype=bool)
        group = entitled & plain
        assert group.sum() >= 150, benefit
        rate = enrolled[group].mean()
        assert abs(rate - rule.rate) <= 0.04, (benefit, rate, rule.rate)


def test_take_up_is_lower_in_the_low_take_up_region_except_for_automatic_benefits(
    truth: Truth, shape: Shape
) -> None:
    low_regions = [r.code for r in shape.regions if r.low_take_up]
    region = _texts(truth.persons, "region")
    for benefit in BENEFITS:
        person, entitled, enrolled = _rows(truth, benefit)
        low = np.isin(region[person], low_regions)
        inside, outside = enrolled[entitled & low].mean(), enrolled[entitled & ~low].mean()
        if shape.benefits.take_up[benefit].automatic:
            assert abs(inside - outside) <= 0.05, benefit
        else:
            assert inside < outside - 0.05, (benefit, inside, outside)


def test_take_up_is_lower_for_young_claimants(truth: Truth, shape: Shape) -> None:
    for benefit in ("unemployment-benefit", "child-benefit"):
        person, entitled, enrolled = _rows(truth, benefit)
        claimant = _claimant_age(truth, shape, benefit, person)
        young = claimant < 30
        middle = (claimant >= 30) & (claimant < 75)
        assert enrolled[entitled & young].mean() < enrolled[entitled & middle].mean(), benefit


def test_every_benefit_has_entitled_people_who_are_not_enrolled_and_a_few_stale_enrolments(
    truth: Truth,
) -> None:
    stale = 0
    for benefit in BENEFITS:
        _, entitled, enrolled = _rows(truth, benefit)
        assert (entitled & ~enrolled).sum() > 0, benefit
        stale += int((~entitled & enrolled).sum())
    assert stale > 0


def test_the_rules_pick_the_right_people(truth: Truth, shape: Shape) -> None:
    status = _texts(truth.persons, "employment_status")
    income = _ints(truth.persons, "monthly_income_cents")
    level = _texts(truth.persons, "school_level")
    rules = shape.benefits.rules
    person, entitled, _ = _rows(truth, "unemployment-benefit")
    assert (status[person] == "unemployed").all()
    months = _ints(truth.persons, "contribution_months")[person[entitled]]
    assert (months >= rules.unemployment_min_contribution_months).all()
    person, entitled, _ = _rows(truth, "pension-supplement")
    assert (status[person] == "retired").all()
    assert (income[person[entitled]] < rules.pension_supplement_limit * 100).all()
    person, _, _ = _rows(truth, "free-school-meals")
    assert np.isin(level[person], ["primary", "secondary"]).all()
    person, _, _ = _rows(truth, "child-benefit")
    age = ages(truth, shape)
    mother = _ints(truth.persons, "mother_id")
    father = _ints(truth.persons, "father_id")
    minors = age < 18
    parents = np.union1d(mother[minors & (mother > 0)], father[minors & (father > 0)]) - 1
    assert np.isin(person, parents).all()
    person, entitled, _ = _rows(truth, "housing-allowance")
    tenure = _texts(truth.households, "tenure")
    home = _ints(truth.persons, "household_id") - 1
    assert (tenure[home[person]] == "renter").all()
    # Entitled people are far poorer than the country as a whole.
    heads = _rows(truth, "minimum-income")[0]
    assert len(heads) < truth.households.num_rows * 0.2
