"""Who the development provider offers, where it finds them, and the key it signs with."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from civitas.core.errors import CivitasError, ExternalServiceUnavailable, InvalidInput
from civitas.identity.provider.app import load_identity_book
from civitas.identity.provider.featured import ages_on, featured_people
from civitas.identity.provider.identities import STAFF, Identity, IdentityBook
from civitas.identity.provider.keys import load_signing_key
from civitas.identity.provider.population import EPOCH, Population, load_population
from civitas.registries.identifiers import is_valid
from tests.identity.provider_support import NUMBERS, number, write_population


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_population(tmp_path_factory.mktemp("idp-people"))


def test_featured_people_are_chosen_for_their_situations(country: Path) -> None:
    book = load_identity_book(country)
    offered = [(f.identity.subject, f.why.format(**f.params)) for f in book.featured]
    assert offered == [
        (number(0), "Parent of a baby under 1"),
        (number(1), "Other parent of Ana Costa's baby"),
        (number(3), "Parent of a child under 6"),
        (number(16), "Parent of 3 or more children under 18"),
        (number(7), "Parent of a child aged 16 or 17"),
        (number(8), "A minor, child of Helena Reis"),
        (number(9), "Young adult aged 18 to 21"),
        (number(10), "Adult with no children under 18"),
        (number(11), "Grandparent of a child under 6"),
        (number(12), "Aged 60 to 66"),
        (number(13), "Aged 67 to 79"),
        (number(14), "Aged 80 or over"),
    ]
    assert book.as_of == dt.date(2025, 1, 1)


def test_staff_have_valid_national_numbers_outside_the_population() -> None:
    for staff in STAFF:
        assert is_valid(staff.national_id)
        assert staff.national_id not in NUMBERS
    assert [s.name for s in STAFF] == [
        "Desk agent (test)",
        "Case worker (test)",
        "Service owner (test)",
        "Administrator (test)",
    ]


def test_a_staff_number_in_the_population_signs_in_the_staff_identity() -> None:
    clash = STAFF[0].national_id
    table = pa.table(
        {
            "national_id": pa.array([clash], pa.int64()),
            "first_name": ["Someone"],
            "family_name": ["Else"],
            "birth_date": pa.array([dt.date(1970, 1, 1)], pa.date32()),
            "death_date": pa.array([None], pa.date32()),
            "mother_national_id": pa.array([None], pa.int64()),
            "father_national_id": pa.array([None], pa.int64()),
        }
    )
    population = Population.from_table(table, dt.date(2025, 1, 1))
    book = IdentityBook(population, featured_people(population, exclude={clash}))
    assert book.featured == ()
    assert book.find(clash) == (STAFF[0], True)


def test_ages_in_bulk_agree_with_each_persons_age() -> None:
    born = [dt.date(2000, 2, 29), dt.date(1999, 12, 31), dt.date(2024, 1, 1), dt.date(1950, 6, 15)]
    days = np.array([(b - EPOCH).days for b in born], np.int64)
    for day in (dt.date(2025, 2, 28), dt.date(2025, 3, 1), dt.date(2024, 12, 31)):
        expected = [Identity(1, "", "", b).age_on(day) for b in born]
        assert ages_on(days, day).tolist() == expected


def test_a_country_not_generated_yet_is_refused_with_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ExternalServiceUnavailable) as refused:
        load_population(tmp_path / "country")
    assert "has not been generated yet" in refused.value.render()[0]
    assert refused.value.render()[1] == "Generate it first: civitas country generate"


def test_a_damaged_population_file_is_refused(tmp_path: Path) -> None:
    folder = write_population(tmp_path)
    path = folder / "registries" / "population.parquet"
    path.write_bytes(path.read_bytes()[:-50])
    with pytest.raises(InvalidInput):
        load_population(folder)


def test_the_signing_key_is_made_once_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "idp" / "signing-key.json"
    made = load_signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_signing_key(path).kid == made.kid  # a restart keeps tokens valid
    assert json.loads(path.read_text())["alg"] == "RS256"
    path.chmod(0o644)
    load_signing_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_unreadable_signing_key_says_how_to_recover(tmp_path: Path) -> None:
    path = tmp_path / "signing-key.json"
    path.write_text('{"kty": "RSA"}')
    with pytest.raises(CivitasError) as refused:
        load_signing_key(path)
    assert "Delete the file to make a new key" in refused.value.render()[1]
