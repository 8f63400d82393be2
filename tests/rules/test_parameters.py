"""Dated parameters and scales: lookups at the edges of dates and thresholds, exact money."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from civitas.core.errors import InvalidInput, NotFound
from civitas.rules import (
    Bracket,
    Dated,
    LegalReference,
    Parameter,
    ParameterNode,
    Scale,
    ScaleKind,
    ValueType,
)

LAW = LegalReference("https://legislacao.gov.vd.example/family-benefits-act-2018", "Article 12")
REFORM = LegalReference("https://legislacao.gov.vd.example/state-budget-act-2026")
LABEL = {"en": "Birth grant", "pt": "Subsídio de nascimento"}

GRANT = Parameter(
    "benefits.birth_grant",
    LABEL,
    LAW,
    (
        Dated(date(2018, 1, 1), Decimal("500.00"), source="grant.yaml:3"),
        Dated(date(2026, 1, 1), Decimal("750.00"), REFORM, "grant.yaml:5"),
        Dated(date(2027, 1, 1), None),
    ),
    "EUR",
    type=ValueType.AMOUNT,
)
TAX = Scale(
    "tax.rates",
    LABEL,
    LAW,
    (
        Dated(
            date(2025, 1, 1),
            (
                Bracket(Decimal("0.00"), Decimal("0.10")),
                Bracket(Decimal("100.00"), Decimal("0.205")),
                Bracket(Decimal("300.00"), Decimal("0.45")),
            ),
        ),
    ),
    "EUR",
    kind=ScaleKind.MARGINAL_RATE,
)
TIERS = Scale(
    "benefits.child",
    LABEL,
    LAW,
    (
        Dated(
            date(2025, 1, 1),
            (
                Bracket(Decimal("0.00"), Decimal("150.00")),
                Bracket(Decimal("12000.00"), Decimal("110.00")),
                Bracket(Decimal("20000.00"), Decimal("0.00")),
            ),
        ),
    ),
    "EUR",
    kind=ScaleKind.SINGLE_AMOUNT,
)
TREE = ParameterNode(
    "", (ParameterNode("benefits", (GRANT, TIERS), {"en": "Benefits", "pt": "Prestações"}), TAX)
)
ON = date(2025, 6, 1)


def test_the_value_of_the_day_before_a_change_is_the_old_one() -> None:
    found = GRANT.at(date(2025, 12, 31))
    assert found.value == Decimal("500.00")
    assert found.provenance.until == date(2025, 12, 31)


def test_the_new_value_applies_from_the_day_of_the_change() -> None:
    assert GRANT.at(date(2026, 1, 1)).value == Decimal("750.00")


def test_provenance_names_the_entry_and_its_own_legal_reference() -> None:
    found = GRANT.at(date(2026, 6, 1)).provenance
    assert (found.path, found.entry, found.since, found.until) == (
        "benefits.birth_grant",
        1,
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert found.reference == REFORM
    assert found.source == "grant.yaml:5"


def test_an_entry_without_its_own_reference_cites_the_parameters_law() -> None:
    assert GRANT.at(date(2020, 1, 1)).provenance.reference == LAW


def test_a_date_before_the_first_value_is_not_found_and_names_the_path() -> None:
    with pytest.raises(NotFound) as raised:
        GRANT.at(date(2017, 12, 31))
    assert "benefits.birth_grant" in str(raised.value)
    assert "2018-01-01" in raised.value.render()[1]


def test_an_expired_parameter_has_no_value_from_the_day_it_ended() -> None:
    assert GRANT.at(date(2026, 12, 31)).value == Decimal("750.00")
    with pytest.raises(NotFound, match="ended on 2027-01-01"):
        GRANT.at(date(2027, 1, 1))


def test_the_tree_finds_values_by_dotted_path() -> None:
    assert TREE.at("benefits.birth_grant", ON).value == Decimal("500.00")
    assert TREE.find("benefits").label == {"en": "Benefits", "pt": "Prestações"}
    assert [leaf.path for leaf in TREE.leaves()] == [
        "benefits.birth_grant",
        "benefits.child",
        "tax.rates",
    ]


def test_an_unknown_path_is_not_found_and_names_the_path() -> None:
    with pytest.raises(NotFound, match=r"benefits\.birth_grnat"):
        TREE.at("benefits.birth_grnat", ON)


def test_a_group_has_no_value() -> None:
    with pytest.raises(InvalidInput, match="group"):
        TREE.at("benefits", ON)


def test_amounts_are_decimals_in_cents_and_never_floats() -> None:
    found = GRANT.at(ON)
    assert type(found.value) is Decimal
    assert found.cents == 50000
    assert type(found.cents) is int


# ---------------------------------------------------------------- marginal rate scale


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("0", "0.00"),
        ("-50", "0.00"),
        ("99.99", "10.00"),  # 9.999 rounds to 10.00
        ("100.00", "10.00"),  # the whole first bracket, nothing in the second
        ("100.01", "10.00"),  # 10 + 0.00205
        ("300.00", "51.00"),  # 10 + 41
        ("300.01", "51.00"),  # 51.0045 rounds down to the cent
        ("1000.00", "366.00"),
    ],
)
def test_marginal_scale_taxes_each_part_at_its_brackets_rate(base: str, expected: str) -> None:
    assert TAX.at(ON).calc(Decimal(base)) == Decimal(expected)


def test_marginal_scale_rounds_the_exact_total_once_half_to_even() -> None:
    brackets = TAX.at(ON)
    # 100 * 0.10 + 0.10 * 0.205 = 10.0205 -> 10.02; the half cents below tie to even.
    assert brackets.calc(Decimal("100.10")) == Decimal("10.02")
    half = Scale("x", LABEL, LAW, (Dated(ON, (Bracket(Decimal(0), Decimal("0.5")),)),))
    assert half.at(ON).calc(Decimal("0.01")) == Decimal("0.00")  # 0.005 -> 0.00 (even)
    assert half.at(ON).calc(Decimal("0.03")) == Decimal("0.02")  # 0.015 -> 0.02 (even)
    assert list(half.at(ON).calc_cents([1, 3, 5])) == [0, 2, 2]


def test_a_base_on_a_threshold_falls_in_the_bracket_that_starts_there() -> None:
    brackets = TAX.at(ON)
    assert brackets.bracket_for(Decimal("99.99")) == 0
    assert brackets.bracket_for(Decimal("100.00")) == 1
    assert brackets.bracket_for(Decimal("-1")) is None


# ---------------------------------------------------------------- single amount scale


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("-0.01", "0.00"),
        ("0", "150.00"),
        ("11999.99", "150.00"),
        ("12000.00", "110.00"),
        ("12000.01", "110.00"),
        ("19999.99", "110.00"),
        ("20000.00", "0.00"),
    ],
)
def test_single_amount_scale_gives_the_highest_bracket_reached(base: str, expected: str) -> None:
    assert TIERS.at(ON).calc(Decimal(base)) == Decimal(expected)


# ---------------------------------------------------------------- vectorised == scalar

_CENTS = st.integers(min_value=-(10**9), max_value=10**12)


@given(st.lists(_CENTS, min_size=1, max_size=40))
def test_a_column_gives_exactly_what_each_base_gives_alone(bases: list[int]) -> None:
    for scale in (TAX, TIERS):
        brackets = scale.at(ON)
        column = brackets.calc_cents(np.array(bases, dtype=np.int64))
        assert column.dtype == np.int64
        one_by_one = [int(brackets.calc(Decimal(b).scaleb(-2)).scaleb(2)) for b in bases]
        assert column.tolist() == one_by_one


def test_huge_bases_stay_exact_instead_of_overflowing() -> None:
    base = 9 * 10**17  # cents; int64 would overflow when multiplied by a rate numerator
    expected = TAX.at(ON).calc(Decimal(base).scaleb(-2))
    assert TAX.at(ON).calc_cents([base]).tolist() == [int(expected.scaleb(2))]


def test_floats_are_refused_for_one_base_and_for_a_column() -> None:
    with pytest.raises(InvalidInput):
        TAX.at(ON).calc(100.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="whole cents"):
        TAX.at(ON).calc_cents(np.array([100.5]))


def test_scale_results_are_decimals_and_brackets_carry_no_floats() -> None:
    brackets = TAX.at(ON)
    assert type(brackets.calc(Decimal(500))) is Decimal
    for bracket in (*brackets.brackets, *TIERS.at(ON).brackets):
        assert type(bracket.threshold) is Decimal
        assert type(bracket.value) is Decimal
