"""People and households follow the configured shape, the contract's schema and the seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pytest

from civitas.core.errors import InvalidInput
from civitas.registries import with_check_digits
from civitas.synthetic.population import expected_household_size
from civitas.synthetic.shape import Shape, load_shape
from civitas.synthetic.truth import (
    ADDRESSES_SCHEMA,
    GENERATOR_VERSION,
    HOUSEHOLDS_SCHEMA,
    IDENTITIES_SCHEMA,
    PERSONS_SCHEMA,
    Truth,
    generate_truth,
)

DEMO_PACK = Path(__file__).resolve().parents[2] / "civitas" / "packs" / "demo"
PEOPLE = 50_000
SEED = 20260101
BANDS = ((0, 14), (15, 24), (25, 44), (45, 64), (65, 79), (80, 200))


@pytest.fixture(scope="module")
def shape() -> Shape:
    return load_shape(DEMO_PACK)


@pytest.fixture(scope="module")
def truth(shape: Shape) -> Truth:
    return generate_truth(shape, PEOPLE, SEED)


def _ints(table: pa.Table, column: str) -> npt.NDArray[np.int64]:
    return np.asarray(table.column(column).fill_null(0).to_numpy(), dtype=np.int64)


def _texts(table: pa.Table, column: str) -> npt.NDArray[np.str_]:
    return np.asarray(table.column(column).to_pylist(), dtype=str)


def ages(truth: Truth, shape: Shape) -> npt.NDArray[np.int64]:
    """Exact ages at the start date."""
    born = truth.persons.column("birth_date").to_numpy().astype("datetime64[D]")
    months = born.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (born - months).astype(np.int64) + 1
    start = shape.start_date
    later = (month > start.month) | ((month == start.month) & (day > start.day))
    result: npt.NDArray[np.int64] = start.year - year - later
    return result


def test_tables_have_exactly_the_contract_schemas(truth: Truth) -> None:
    assert truth.persons.schema.equals(PERSONS_SCHEMA)
    assert truth.households.schema.equals(HOUSEHOLDS_SCHEMA)
    assert truth.addresses.schema.equals(ADDRESSES_SCHEMA)
    assert truth.identities.schema.equals(IDENTITIES_SCHEMA)
    assert [f.name for f in PERSONS_SCHEMA][:6] == [
        "person_id", "national_id", "first_name", "family_name", "sex", "birth_date",
    ]  # fmt: skip
    assert str(PERSONS_SCHEMA.field("contribution_months").type) == "int16"
    assert GENERATOR_VERSION


def test_the_same_seed_gives_identical_tables_and_another_seed_does_not(shape: Shape) -> None:
    first = generate_truth(shape, 3_000, 11)
    again = generate_truth(shape, 3_000, 11)
    other = generate_truth(shape, 3_000, 12)
    for name in ("persons", "households", "addresses", "entitlements", "identities"):
        assert getattr(first, name).equals(getattr(again, name)), name
    for name in ("persons", "households", "addresses", "entitlements"):
        assert not getattr(first, name).equals(getattr(other, name)), name


@pytest.mark.parametrize("people", [1, 2, 7, 999])
def test_exactly_the_asked_number_of_people_is_generated(shape: Shape, people: int) -> None:
    truth = generate_truth(shape, people, 3)
    assert truth.persons.num_rows == people
    assert _ints(truth.households, "size").sum() == people


def test_a_country_without_people_is_refused(shape: Shape) -> None:
    with pytest.raises(InvalidInput):
        generate_truth(shape, 0, 1)


def test_identifiers_are_unique_and_national_ids_carry_a_valid_check_digit(truth: Truth) -> None:
    person_id = _ints(truth.persons, "person_id")
    assert (person_id == np.arange(1, PEOPLE + 1)).all()
    national = _ints(truth.persons, "national_id")
    assert len(np.unique(national)) == PEOPLE
    assert ((national >= 100_000_000) & (national <= 999_999_999)).all()
    assert (with_check_digits(national // 10) == national).all()
    assert not (np.diff(national) > 0).all()  # random order, not sorted


def test_the_age_pyramid_follows_the_configured_bands(truth: Truth, shape: Shape) -> None:
    age = ages(truth, shape)
    assert age.min() >= 0
    assert age.max() <= shape.max_age
    for low, high in BANDS:
        target = sum(
            b.share * (min(b.max_age, high) - max(b.min_age, low) + 1) / (b.max_age - b.min_age + 1)
            for b in shape.age_pyramid
            if b.max_age >= low and b.min_age <= high
        )
        share = ((age >= low) & (age <= high)).mean()
        assert abs(share - target) <= 0.03, (low, high, share, target)


def test_household_types_and_sizes_follow_the_configured_shares(truth: Truth, shape: Shape) -> None:
    kind = _texts(truth.households, "type")
    for name in ("single", "couple", "couple_with_children", "single_parent", "multi_generation"):
        assert abs((kind == name).mean() - getattr(shape.households.types, name)) <= 0.03, name
    size = _ints(truth.households, "size")
    assert abs(size.mean() - expected_household_size(shape)) <= 0.15
    assert 2.2 <= size.mean() <= 2.6
    members = np.bincount(_ints(truth.persons, "household_id"))[1:]
    assert (members == size).all()
    assert (size[kind == "single"] == 1).all()
    assert (size[kind == "couple"] == 2).all()
    assert (size[kind == "couple_with_children"] >= 3).all()
    assert (size[kind == "multi_generation"] >= 2).all()


def test_parents_are_between_15_and_55_years_older_than_their_children(
    truth: Truth, shape: Shape
) -> None:
    age = ages(truth, shape)
    for link in ("mother_id", "father_id"):
        parent = _ints(truth.persons, link)
        has = parent > 0
        gap = age[parent[has] - 1] - age[has]
        assert has.sum() > PEOPLE // 10
        assert gap.min() >= 15, link
        assert gap.max() <= 55, link
    mothers = _ints(truth.persons, "mother_id")
    sex = _texts(truth.persons, "sex")
    assert (sex[mothers[mothers > 0] - 1] == "F").all()
    fathers = _ints(truth.persons, "father_id")
    assert (sex[fathers[fathers > 0] - 1] == "M").all()


def test_every_child_under_18_lives_with_a_parent(truth: Truth, shape: Shape) -> None:
    age = ages(truth, shape)
    home = _ints(truth.persons, "household_id")
    mother = _ints(truth.persons, "mother_id")
    father = _ints(truth.persons, "father_id")
    minor = np.flatnonzero(age < 18)
    with_mother = (mother[minor] > 0) & (home[np.maximum(mother[minor] - 1, 0)] == home[minor])
    with_father = (father[minor] > 0) & (home[np.maximum(father[minor] - 1, 0)] == home[minor])
    assert (with_mother | with_father).all()
    kind = _texts(truth.households, "type")[home[minor] - 1]
    assert set(kind) <= {"couple_with_children", "single_parent", "multi_generation"}


def test_partner_links_are_symmetric_and_within_the_household(truth: Truth, shape: Shape) -> None:
    partner = _ints(truth.persons, "partner_id")
    has = np.flatnonzero(partner > 0)
    assert len(has) > PEOPLE // 4
    assert (partner[partner[has] - 1] == has + 1).all()
    home = _ints(truth.persons, "household_id")
    assert (home[partner[has] - 1] == home[has]).all()
    age = ages(truth, shape)
    assert np.median(np.abs(age[partner[has] - 1] - age[has])) <= 4
    assert (age[has] >= 18).all()


def test_people_live_at_their_household_address_in_its_municipality(truth: Truth) -> None:
    persons, homes, addresses = truth.persons, truth.households, truth.addresses
    home = _ints(persons, "household_id") - 1
    assert (_ints(persons, "address_id") == _ints(homes, "address_id")[home]).all()
    assert (_texts(persons, "municipality") == _texts(homes, "municipality")[home]).all()
    address = _ints(homes, "address_id") - 1
    assert len(np.unique(address)) == homes.num_rows
    assert (_ints(addresses, "address_id") == np.arange(1, addresses.num_rows + 1)).all()
    assert (_texts(addresses, "municipality")[address] == _texts(homes, "municipality")).all()
    assert (_texts(addresses, "region")[address] == _texts(homes, "region")).all()
    assert addresses.num_rows > homes.num_rows  # vacant homes exist
    postcode = _texts(addresses, "postcode")
    assert all(len(p) == 8 and p[4] == "-" for p in postcode[:500])


def test_municipalities_hold_their_configured_share_of_households(
    truth: Truth, shape: Shape
) -> None:
    municipality = _texts(truth.households, "municipality")
    region = _texts(truth.households, "region")
    for area, place in shape.municipalities:
        share = (municipality == place.code).mean()
        assert abs(share - area.share * place.share) <= 0.01, place.code
        assert set(region[municipality == place.code]) == {area.code}


def test_names_are_skewed_and_children_carry_a_parents_family_name(truth: Truth) -> None:
    first = _texts(truth.persons, "first_name")
    _, counts = np.unique(first, return_counts=True)
    counts.sort()
    assert counts[-1] > 10 * counts[0]  # a few names are common, many rare
    family = _texts(truth.persons, "family_name")
    father = _ints(truth.persons, "father_id")
    has = father > 0
    assert (family[has] == family[father[has] - 1]).mean() > 0.8
    assert truth.persons.column("death_date").null_count == PEOPLE
