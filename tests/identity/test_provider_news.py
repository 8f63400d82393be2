"""Once the country has moved on, the development provider offers first a few people with
news from its latest period that the proactive services act on, labelled by what
happened; it finds them without a restart."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from civitas.config import DEMO_PACK
from civitas.identity.provider.app import FollowedBook, load_identity_book
from civitas.identity.provider.news import load_news
from civitas.registries import CHANGE_SCHEMA, CountryDataInvalid, load_registry_definitions
from civitas.synthetic import generate_country
from civitas.synthetic.next_period import advance_country
from civitas.synthetic.shape import load_shape
from tests.identity.provider_support import NUMBERS, PEOPLE, number, write_population
from tests.registries.fixtures import national_ids, publish_period
from tests.support.signed_portal import population_table

BABY = ("Xavier", "Matos", dt.date(2025, 1, 20), None, 9, 10)  # Joana Dias and Luís Matos
WITH_BABY = [*PEOPLE, BABY]
NUMBERS_WITH_BABY = national_ids(len(WITH_BABY))
assert list(NUMBERS_WITH_BABY[:-1]) == list(NUMBERS)


def events(*rows: tuple[int, str, dict[str, Any]]) -> pa.Table:
    """Change events (national id, kind, changes), numbered from 1, all on one day."""
    return pa.table(
        {
            "seq": pa.array(range(1, len(rows) + 1), pa.int64()),
            "occurred_on": pa.array([dt.date(2025, 1, 20)] * len(rows), pa.date32()),
            "kind": [kind for _n, kind, _c in rows],
            "record_id": [f"{n:09d}" for n, _k, _c in rows],
            "national_id": pa.array([n for n, _k, _c in rows], pa.int64()),
            "changes": [json.dumps(changes) for _n, _k, changes in rows],
        },
        schema=CHANGE_SCHEMA,
    )


def publish_news(country: Path) -> None:
    """Period 1: a baby born, two jobs lost (one by someone who has died), a retirement,
    a child starting primary school and one starting secondary, and changes that are
    no news (an income change)."""
    baby = int(NUMBERS_WITH_BABY[-1])
    population = population_table(WITH_BABY, NUMBERS_WITH_BABY)
    unemployed = {"employment_status": "unemployed", "job_end_date": "2025-01-20"}
    publish_period(
        country,
        {"population": population},
        {
            "population": events((baby, "birth", {"national_id": baby})),
            "social-security": events(
                (int(NUMBERS[15]), "job_loss", unemployed),  # Rui Antunes died in 2020
                (int(NUMBERS[7]), "job_loss", unemployed),  # Helena Reis
                (int(NUMBERS[13]), "income_change", {"monthly_earnings_cents": 100}),
                (int(NUMBERS[12]), "age_milestone", {"employment_status": "retired"}),
            ),
            "education": events(
                (int(NUMBERS[19]), "age_milestone", {"school_level": "secondary"}),
                (int(NUMBERS[17]), "age_milestone", {"school_level": "primary"}),  # Tiago
            ),
        },
        period=1,
    )


@pytest.fixture
def country(tmp_path: Path) -> Path:
    return write_population(tmp_path)


def offered(book: Any) -> list[tuple[str, str]]:
    return [(f.identity.subject, f.why.format(**f.params)) for f in book.featured]


def test_people_with_news_come_first_labelled_by_what_happened(country: Path) -> None:
    publish_news(country)
    shown = offered(load_identity_book(country))
    assert shown[:5] == [
        (number(9), "Latest period: had a baby"),
        (number(10), "Latest period: had a baby with Joana Dias"),
        (number(7), "Latest period: lost their job"),
        (number(12), "Latest period: retired"),
        (number(16), "Latest period: their child Tiago Nunes started school"),
    ]
    # The usual situations follow, without anyone twice.
    assert (number(0), "Parent of a baby under 1") in shown
    assert len({subject for subject, _why in shown}) == len(shown)


def test_before_the_country_moves_on_there_is_no_news(country: Path) -> None:
    assert load_news(country).period == 0
    assert not any(
        why.startswith("Latest period") for _s, why in offered(load_identity_book(country))
    )


def test_the_news_are_read_from_the_latest_periods_change_files(country: Path) -> None:
    publish_news(country)
    news = load_news(country)
    assert news.period == 1
    assert news.births.tolist() == [int(NUMBERS_WITH_BABY[-1])]
    assert news.job_losses.tolist() == [int(NUMBERS[15]), int(NUMBERS[7])]
    assert news.retirements.tolist() == [int(NUMBERS[12])]
    assert news.school_starts.tolist() == [int(NUMBERS[17])]


def test_a_damaged_change_file_is_refused_like_any_other(country: Path) -> None:
    publish_news(country)
    damaged = country / "changes" / "education" / "00001.parquet"
    damaged.write_bytes(damaged.read_bytes()[:-30])
    with pytest.raises(CountryDataInvalid, match="does not match its manifest"):
        load_news(country)


def test_the_provider_offers_the_new_periods_people_without_a_restart(country: Path) -> None:
    books = FollowedBook(country, seconds=0)
    assert offered(books())[0] == (number(0), "Parent of a baby under 1")
    publish_news(country)
    assert offered(books())[0] == (number(9), "Latest period: had a baby")
    assert books().find(int(NUMBERS_WITH_BABY[-1])) is not None  # the baby is in the register


def test_a_new_period_that_cannot_be_loaded_keeps_the_people_offered(
    country: Path, caplog: pytest.LogCaptureFixture
) -> None:
    books = FollowedBook(country, seconds=0)
    before = offered(books())
    publish_news(country)
    damaged = country / "registries" / "population.parquet"
    damaged.write_bytes(damaged.read_bytes()[:-30])
    assert offered(books()) == before
    assert "The people of the new period cannot be loaded" in caplog.text


def test_a_generated_country_offers_the_parents_of_a_baby_born_in_its_latest_period(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "country"
    generate_country(DEMO_PACK, 2000, 4, folder)
    definitions = load_registry_definitions(DEMO_PACK)
    advance_country(folder, days=60, shape=load_shape(DEMO_PACK), definitions=definitions)
    news = load_news(folder)
    book = load_identity_book(folder)
    labels = [f.why for f in book.featured]
    assert "Latest period: had a baby" in labels
    parent = book.featured[labels.index("Latest period: had a baby")].identity.national_id
    population = book.population
    babies = population.positions(news.births)
    parents = {int(n) for b in babies for n in (population.mothers[b], population.fathers[b])}
    assert parent in parents
    assert "Latest period: lost their job" in labels
