"""The full-text index, on SQLite (FTS5) and on PostgreSQL (tsvector), with the same tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from civitas.catalogue.ports import SearchDocument, SearchHit, SearchIndex
from civitas.catalogue.store import search_index_for
from civitas.db import create_engine_for, migrate


def doc(
    id_: str, title: str, body: str, language: str = "en", kind: str = "service"
) -> SearchDocument:
    return SearchDocument(kind, id_, language, title, body)


DOCUMENTS = [
    doc("get-a-passport", "Get a passport", "Apply for a new passport to travel abroad."),
    doc("change-address", "Change your address", "Tell every office at once. Bring your passport."),
    doc("register-a-birth", "Register a birth", "Tell us about your new baby."),
    doc("having-a-child", "Having a child", "What to do when your baby is born.", kind="event"),
    doc("get-a-passport", "Pedir o passaporte", "Para viajar para o estrangeiro.", "pt"),
    doc("register-a-birth", "Registar um nascimento", "Informe-nos sobre o seu bebé.", "pt"),
    doc("having-a-child", "Ter um filho", "O que fazer quando o bebé nasce.", "pt", "event"),
]


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def index(engine: Engine) -> SearchIndex:
    index = search_index_for(engine)
    index.replace_all(DOCUMENTS)
    return index


def ids(hits: list[SearchHit]) -> list[str]:
    return [hit.id for hit in hits]


def test_a_title_match_ranks_above_a_body_match(index: SearchIndex) -> None:
    assert ids(index.search("en", ["passport"], 10)) == ["get-a-passport", "change-address"]


def test_a_word_start_finds_the_whole_word(index: SearchIndex) -> None:
    assert ids(index.search("en", ["pass"], 10))[0] == "get-a-passport"


def test_accents_do_not_matter_in_the_query_or_the_text(index: SearchIndex) -> None:
    without = ids(index.search("pt", ["bebe"], 10))
    with_accent = ids(index.search("pt", ["bebé"], 10))
    assert set(without) == set(with_accent) == {"register-a-birth", "having-a-child"}


def test_any_of_the_words_is_enough(index: SearchIndex) -> None:
    found = ids(index.search("en", ["passport", "baby"], 10))
    assert set(found) == {"get-a-passport", "change-address", "register-a-birth", "having-a-child"}


def test_search_stays_within_one_language(index: SearchIndex) -> None:
    assert index.search("en", ["passaporte"], 10) == []
    hits = index.search("pt", ["passaporte"], 10)
    assert [(hit.kind, hit.id) for hit in hits] == [("service", "get-a-passport")]


def test_hits_say_whether_they_are_a_service_or_an_event(index: SearchIndex) -> None:
    kinds = {hit.id: hit.kind for hit in index.search("en", ["baby"], 10)}
    assert kinds == {"register-a-birth": "service", "having-a-child": "event"}


def test_the_limit_caps_the_number_of_hits(index: SearchIndex) -> None:
    assert len(index.search("en", ["passport", "baby"], 2)) == 2


def test_better_hits_have_higher_scores(index: SearchIndex) -> None:
    scores = [hit.score for hit in index.search("en", ["passport"], 10)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1]


def test_replace_all_drops_what_was_indexed_before(index: SearchIndex) -> None:
    index.replace_all([doc("marry", "Get married", "Book a ceremony.")])
    assert index.search("en", ["passport"], 10) == []
    assert ids(index.search("en", ["married"], 10)) == ["marry"]
    index.replace_all([])
    assert index.search("en", ["married"], 10) == []


def test_no_terms_find_nothing(index: SearchIndex) -> None:
    assert index.search("en", [], 10) == []
    assert index.search("en", ["", "  "], 10) == []


@pytest.mark.parametrize(
    "term",
    ["NEAR", "AND", "OR", "NOT", "*", "^", ":", '"', "'", "(", ")", "-", "+", "\\", "&", "|",
     "!", "<->", "pass*", '"passport"', "passport:*", "title:passport", "NEAR(passport baby)",
     "'; DROP TABLE catalogue_search; --", "\x00", "a\u0301"],
)  # fmt: skip
def test_query_syntax_in_a_term_is_taken_as_plain_text(index: SearchIndex, term: str) -> None:
    index.search("en", [term, "passport"], 10)
    assert ids(index.search("en", ["passport"], 10))[0] == "get-a-passport"


def test_two_rebuilds_at_the_same_time_both_succeed(engine: Engine, database_url: str) -> None:
    # Several workers starting together each rebuild the index.
    errors: list[BaseException] = []
    engines = [create_engine_for(database_url) for _ in range(3)]

    def rebuild(other: Engine) -> None:
        try:
            for _ in range(5):
                search_index_for(other).replace_all(DOCUMENTS)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=rebuild, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in engines:
        other.dispose()
    assert errors == []
    assert ids(search_index_for(engine).search("en", ["passport"], 10))[0] == "get-a-passport"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(terms=st.lists(st.text(max_size=20), max_size=6))
def test_any_terms_search_without_error(index: SearchIndex, terms: list[str]) -> None:
    for hit in index.search("en", terms, 5):
        assert hit.kind in ("service", "event")
