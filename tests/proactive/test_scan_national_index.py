"""The index of people's rows by national number: found, not found, listed twice."""

from __future__ import annotations

import numpy as np
import pytest

from civitas.proactive.scan.national_index import NOBODY, NationalIndex, Twice
from civitas.registries.identifiers import with_check_digits

PEOPLE = with_check_digits(np.array([12_345_678, 10_000_000, 99_999_999, 55_555_555]))


def test_each_number_finds_its_row_and_any_other_finds_nobody() -> None:
    index = NationalIndex(PEOPLE)
    wrong_check = PEOPLE[0] - PEOPLE[0] % 10 + (PEOPLE[0] % 10 + 1) % 10
    asked = np.array([PEOPLE[2], PEOPLE[0], 0, 7, wrong_check, 10**9 + 5, PEOPLE[3], -4])
    assert index.rows(asked).tolist() == [2, 0, NOBODY, NOBODY, NOBODY, NOBODY, 3, NOBODY]


def test_a_register_is_matched_to_the_rows_of_the_people_it_lists() -> None:
    index = NationalIndex(PEOPLE)
    where, rows = index.matched(np.array([PEOPLE[1], 123, PEOPLE[3]]))
    assert where.tolist() == [0, 2]
    assert rows.tolist() == [1, 3]


def test_a_register_listing_someone_twice_is_refused_with_the_number() -> None:
    index = NationalIndex(PEOPLE)
    with pytest.raises(Twice) as twice:
        index.matched(np.array([PEOPLE[1], PEOPLE[3], PEOPLE[1]]))
    assert twice.value.first == twice.value.second == PEOPLE[1]


def test_people_listed_twice_or_under_numbers_differing_in_the_check_digit_are_refused() -> None:
    with pytest.raises(Twice) as twice:
        NationalIndex(np.append(PEOPLE, PEOPLE[2]))
    assert twice.value.first == twice.value.second == PEOPLE[2]
    with pytest.raises(Twice) as mistyped:
        NationalIndex(np.append(PEOPLE, PEOPLE[2] - PEOPLE[2] % 10 + (PEOPLE[2] + 1) % 10))
    assert {mistyped.value.first, mistyped.value.second} - {PEOPLE[2]}


def test_nobody_is_found_among_no_one() -> None:
    assert NationalIndex(np.array([], dtype=np.int64)).rows(PEOPLE).tolist() == [NOBODY] * 4
