"""Searching the catalogue in plain words: typos forgiven, odd input harmless, both databases."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from civitas.app import create_app
from civitas.catalogue import Catalogue, CatalogueSearch, load_catalogue, search_index_for
from civitas.catalogue.domain import (
    AssuranceLevel,
    CountryProfile,
    DeliveryMode,
    Event,
    EventKind,
    Organisation,
    OrganisationKind,
    Service,
    ServiceStandard,
    Step,
)
from civitas.catalogue.ports import SearchDocument
from civitas.catalogue.search_terms import Vocabulary
from civitas.catalogue.services import MAX_QUERY_LENGTH
from civitas.config import DEMO_PACK, Settings
from civitas.core.errors import InvalidInput, NotFound
from civitas.db import create_engine_for, migrate
from tests.support.postgres import PostgresServer


def _service(id_: str, en: tuple[str, str], pt: tuple[str, str]) -> Service:
    return Service(
        id=id_,
        name={"en": en[0], "pt": pt[0]},
        description={"en": en[1], "pt": pt[1]},
        authority="registry",
        processing_days=1,
        standard=ServiceStandard(2, Decimal("0.95")),
        delivery=DeliveryMode.ON_REQUEST,
        assurance=AssuranceLevel.LOW,
        legal_basis=(),
        channels=(),
    )


def _event(id_: str, en: tuple[str, str], pt: tuple[str, str], services: list[str]) -> Event:
    return Event(
        id=id_,
        kind=EventKind.LIFE,
        name={"en": en[0], "pt": pt[0]},
        description={"en": en[1], "pt": pt[1]},
        steps=tuple(Step(service) for service in services),
    )


SERVICES = [
    _service(
        "get-a-passport",
        ("Get a passport", "Apply for a passport to travel abroad."),
        ("Pedir o passaporte", "Peça o passaporte para viajar para o estrangeiro."),
    ),
    _service(
        "register-a-birth",
        ("Register a birth", "Tell us about your new baby."),
        ("Registar um nascimento", "Informe-nos sobre o seu bebé."),
    ),
    _service(
        "claim-unemployment-benefit",
        ("Claim unemployment benefit", "Money while you look for work."),
        ("Pedir o subsídio de desemprego", "Dinheiro enquanto procura trabalho."),
    ),
    _service(
        "change-your-address",
        ("Change your address", "Tell every office at once. Have your passport ready."),
        ("Mudar de morada", "Avise todos os serviços de uma vez. Tenha o passaporte à mão."),
    ),
]
EVENTS = [
    _event(
        "having-a-child",
        ("Having a child", "What to do when your baby is born."),
        ("Ter um filho", "O que fazer quando o seu bebé nasce."),
        ["register-a-birth"],
    ),
    _event(
        "losing-your-job",
        ("Losing your job", "Unemployment benefit and help to find work."),
        ("Perder o emprego", "Subsídio de desemprego e ajuda para encontrar trabalho."),
        ["claim-unemployment-benefit"],
    ),
]
SMALL_CATALOGUE = Catalogue(
    country=CountryProfile(
        id="testland",
        name={"en": "Testland", "pt": "Terra de Teste"},
        portal_name={"en": "Testland Services", "pt": "Serviços de Teste"},
        tagline={"en": "Services for you.", "pt": "Serviços para si."},
        languages=("en", "pt"),
        spatial="TST",
    ),
    organisations={
        "registry": Organisation(
            id="registry",
            name={"en": "Registry", "pt": "Conservatória"},
            kind=OrganisationKind.NATIONAL_AGENCY,
            spatial="TST",
            description={"en": "Keeps records.", "pt": "Guarda registos."},
        )
    },
    services={service.id: service for service in SERVICES},
    events={event.id: event for event in EVENTS},
    evidence={},
    legal_resources={},
)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


def _search_on(engine: Engine, catalogue: Catalogue) -> CatalogueSearch:
    search = CatalogueSearch(catalogue, search_index_for(engine))
    search.rebuild()
    return search


@pytest.fixture
def search(engine: Engine) -> CatalogueSearch:
    return _search_on(engine, SMALL_CATALOGUE)


def _found(search: CatalogueSearch, query: str, language: str = "en") -> list[str]:
    results = search.search(query, language)
    return [s.id for s in results.services] + [e.id for e in results.events]


@pytest.mark.parametrize(
    ("query", "language", "understood", "expected"),
    [
        ("birht", "en", "birth", "register-a-birth"),
        ("pasport", "en", "passport", "get-a-passport"),
        ("unemploymnet", "en", "unemployment", "claim-unemployment-benefit"),
        ("desempregp", "pt", "desemprego", "claim-unemployment-benefit"),
        ("passaprote", "pt", "passaporte", "get-a-passport"),
    ],
)
def test_a_misspelt_word_is_corrected_to_the_nearest_word_of_the_catalogue(
    search: CatalogueSearch, query: str, language: str, understood: str, expected: str
) -> None:
    results = search.search(query, language)
    assert results.corrected == understood
    assert _found(search, query, language)[0] == expected


def test_a_correctly_spelt_query_is_not_reported_as_corrected(search: CatalogueSearch) -> None:
    results = search.search("passport", "en")
    assert results.corrected is None
    assert results.services[0].id == "get-a-passport"


def test_the_start_of_a_word_is_kept_as_typed_and_finds_the_word(search: CatalogueSearch) -> None:
    results = search.search("pass", "en")
    assert results.corrected is None
    assert results.services[0].id == "get-a-passport"


def test_accents_are_optional(search: CatalogueSearch) -> None:
    assert set(_found(search, "bebe", "pt")) == set(_found(search, "bebé", "pt"))
    assert set(_found(search, "bebe", "pt")) == {"register-a-birth", "having-a-child"}


def test_results_hold_services_and_life_events(search: CatalogueSearch) -> None:
    results = search.search("unemployment", "en")
    assert [s.id for s in results.services] == ["claim-unemployment-benefit"]
    assert [e.id for e in results.events] == ["losing-your-job"]
    assert results.count == 2


def test_a_word_from_another_language_finds_nothing(search: CatalogueSearch) -> None:
    assert search.search("nascimento", "en").count == 0
    assert search.search("nascimento", "pt").count == 1


@pytest.mark.parametrize("query", ["", "   ", "?!", "...", "— ¿¡ «»", "'\"*^:()"])
def test_a_query_without_words_finds_nothing_and_is_not_an_error(
    search: CatalogueSearch, query: str
) -> None:
    results = search.search(query, "en")
    assert results.count == 0
    assert results.corrected is None


def test_a_query_over_200_characters_is_refused_with_a_field_error(
    search: CatalogueSearch,
) -> None:
    with pytest.raises(InvalidInput) as raised:
        search.search("passport " * 30, "en")
    assert raised.value.render() == (
        "The search is too long.",
        f"Use fewer words, at most {MAX_QUERY_LENGTH} characters.",
    )
    assert [error.path for error in raised.value.errors] == [("q",)]


def test_a_query_of_exactly_200_characters_is_accepted(search: CatalogueSearch) -> None:
    assert search.search("p" * MAX_QUERY_LENGTH, "en").count == 0


def test_a_language_the_catalogue_lacks_is_not_found(search: CatalogueSearch) -> None:
    with pytest.raises(NotFound):
        search.search("passport", "fr")


@pytest.mark.parametrize(
    "query",
    [
        'passport"',
        "passport' OR 1=1 --",
        "'; DROP TABLE catalogue_search; --",
        "passport NEAR baby",
        "NEAR(passport baby, 2)",
        "passport AND NOT baby",
        "pass* OR ^baby",
        "title:passport",
        "passport:*",
        "passport & baby | !work <-> x",
        '"unclosed phrase',
        "{title body}: passport",
        "passport\x00baby",
        "%_%",
    ],
)
def test_query_syntax_typed_by_a_person_is_read_as_words(
    search: CatalogueSearch, query: str
) -> None:
    results = search.search(query, "en")
    assert results.count >= 0  # no error is the point; the words still count:
    if "passport" in query:
        assert "get-a-passport" in _found(search, query)


def test_of_equally_near_words_the_one_with_the_same_first_letter_wins() -> None:
    # People rarely mistype the first letter.
    assert Vocabulary(("barts", "hards")).correct("harts") == "hards"


def test_of_equally_near_words_the_alphabetically_first_wins_whatever_the_hash_seed() -> None:
    # Hash order changes from one process to the next; corrections must not.
    document = SearchDocument("service", "x", "en", "warts tarts parts marts darts carts", "")
    assert Vocabulary.of([document]).correct("xarts") == "carts"


def test_words_shorter_than_five_letters_are_never_corrected() -> None:
    # One edit turns 'vote' into 'note': too eager for short words.
    assert Vocabulary(("note", "at")).correct("vote") == "vote"
    assert Vocabulary(("at", "on")).correct("xt") == "xt"


def test_a_page_holding_every_word_beats_pages_holding_only_some(search: CatalogueSearch) -> None:
    results = search.search("register a birth", "en")
    assert [s.id for s in results.services] == ["register-a-birth"]


def test_a_word_far_from_every_known_word_is_kept_as_typed() -> None:
    assert Vocabulary(("passport",)).correct("zebra") == "zebra"


QUERIES = st.one_of(
    st.text(max_size=MAX_QUERY_LENGTH),
    st.lists(
        st.sampled_from(
            ["NEAR", "AND", "OR", "NOT", "*", "^", ":", '"', "'", "(", ")", "-", "+", "\\",
             "&", "|", "!", "<->", "passport", "bebé", "unemploymnet", "\x00", "%", "_", ";"]
        ),
        max_size=12,
    ).map(" ".join),
)  # fmt: skip


@pytest.fixture(scope="module")
def sqlite_search(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CatalogueSearch]:
    """One indexed database for all the examples hypothesis tries."""
    folder = tmp_path_factory.mktemp("property")
    yield from _migrated_search(f"sqlite:///{folder / 'civitas.db'}")


@pytest.fixture(scope="module")
def postgres_search(postgres_server: PostgresServer) -> Iterator[CatalogueSearch]:
    url = postgres_server.create_database("civitas_property_tests")
    try:
        yield from _migrated_search(url.render_as_string(hide_password=False))
    finally:
        postgres_server.drop_database("civitas_property_tests")


def _migrated_search(url: str) -> Iterator[CatalogueSearch]:
    engine = create_engine_for(url)
    migrate(engine)
    yield _search_on(engine, SMALL_CATALOGUE)
    engine.dispose()


@settings(max_examples=150, deadline=None)
@given(query=QUERIES, language=st.sampled_from(["en", "pt"]))
def test_any_text_query_returns_without_error_on_sqlite(
    sqlite_search: CatalogueSearch, query: str, language: str
) -> None:
    if len(query.strip()) <= MAX_QUERY_LENGTH:
        assert sqlite_search.search(query, language).count <= 30


@pytest.mark.postgres
@settings(max_examples=40, deadline=None)
@given(query=QUERIES, language=st.sampled_from(["en", "pt"]))
def test_any_text_query_returns_without_error_on_postgresql(
    postgres_search: CatalogueSearch, query: str, language: str
) -> None:
    if len(query.strip()) <= MAX_QUERY_LENGTH:
        assert postgres_search.search(query, language).count <= 30


# The demo catalogue on both databases. Both match word starts and rank titles first, so
# they agree where the answer is clear; at the margins they differ for good reasons
# (PostgreSQL stems words, and ranks by cover density rather than BM25), so there the
# test asks only that most of the top three are shared.
CLEAR_QUERIES = [
    ("en", "passport", "passport"),
    ("en", "pasport", "passport"),
    ("en", "birth", "register-a-birth"),
    ("en", "death", "register-a-death"),
    ("en", "family doctor", "register-with-a-family-doctor"),
    ("en", "identity card", "identity-card-renewal"),
    ("pt", "desemprego", "unemployment-benefit"),
    ("pt", "desempregp", "unemployment-benefit"),
    ("pt", "óbito", "register-a-death"),
    ("pt", "cartão de cidadão", "identity-card-renewal"),
]
SHARED_QUERIES = [
    ("en", "baby"),
    ("en", "pension"),
    ("en", "tax"),
    ("en", "school"),
    ("en", "benefit"),
    ("en", "business"),
    ("en", "move house"),
    ("pt", "bebé"),
    ("pt", "nascimento"),
    ("pt", "pensão"),
    ("pt", "imposto"),
    ("pt", "escola"),
    ("pt", "médico"),
    ("pt", "morada"),
    ("pt", "empresa"),
]


@pytest.fixture(scope="module")
def demo_searches(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: PostgresServer
) -> Iterator[dict[str, CatalogueSearch]]:
    catalogue = load_catalogue(DEMO_PACK)
    postgres = postgres_server.create_database("civitas_demo_search")
    engines = [
        create_engine_for(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'civitas.db'}"),
        create_engine_for(postgres.render_as_string(hide_password=False)),
    ]
    for engine in engines:
        migrate(engine)
    yield {engine.dialect.name: _search_on(engine, catalogue) for engine in engines}
    for engine in engines:
        engine.dispose()
    postgres_server.drop_database("civitas_demo_search")


def _top3(searches: dict[str, CatalogueSearch], language: str, query: str) -> list[list[str]]:
    found = []
    for search in searches.values():
        results = search.search(query, language)
        found.append([s.id for s in results.services][:3])
    return found


@pytest.mark.postgres
@pytest.mark.parametrize(("language", "query", "expected"), CLEAR_QUERIES)
def test_both_databases_put_the_obvious_service_first(
    demo_searches: dict[str, CatalogueSearch], language: str, query: str, expected: str
) -> None:
    sqlite, postgresql = _top3(demo_searches, language, query)
    assert (sqlite[0], postgresql[0]) == (expected, expected)


@pytest.mark.postgres
@pytest.mark.parametrize(("language", "query"), SHARED_QUERIES)
def test_both_databases_share_most_of_the_top_three(
    demo_searches: dict[str, CatalogueSearch], language: str, query: str
) -> None:
    sqlite, postgresql = _top3(demo_searches, language, query)
    assert sqlite
    assert postgresql
    assert len(set(sqlite) & set(postgresql)) >= min(2, len(sqlite), len(postgresql))


@pytest.mark.postgres
def test_the_portal_and_the_api_search_on_postgresql(
    tmp_path: Path, postgres_database: str
) -> None:
    config = Settings(data_dir=tmp_path, database_url=postgres_database, _env_file=None)  # type: ignore[call-arg]
    app = create_app(config)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/pt/search", params={"q": "desempregp"})
        api = client.get("/api/v1/search", params={"lang": "en", "q": "pasport"})
    app.state.platform.engine.dispose()
    assert page.status_code == 200
    assert "/pt/services/unemployment-benefit" in page.text
    assert api.status_code == 200
    body = api.json()
    assert body["corrected"] == "passport"
    assert body["services"][0]["id"] == "passport"
    assert not (tmp_path / "civitas.db").exists()  # nothing went to SQLite
