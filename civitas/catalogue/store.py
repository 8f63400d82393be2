"""The catalogue's full-text index on the operational database.

SQLite uses FTS5 with BM25 ranking; PostgreSQL uses a tsvector column with a GIN
index and the text-search configuration of each language. Text is stored folded
(lowercase, no accents) so that both backends match what the person typed.

Both match each word as a word start and rank title words above body words, so they
agree on the clear cases. They differ on purpose at the margins: PostgreSQL also
stems words ('house' finds 'housing'), and its ranking is not BM25.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, text

from civitas.catalogue.ports import SearchDocument, SearchHit
from civitas.catalogue.search_terms import fold

# PostgreSQL text-search configurations by language; others use 'simple'.
_PG_CONFIG = {"en": "english", "pt": "portuguese", "es": "spanish", "fr": "french"}
# Any two rebuilds of the index (several workers starting) take turns on PostgreSQL.
_REBUILD_LOCK = 0x43495650
# Ranking close to SQLite's BM25 call: a title word (weight A) counts four times a body
# word (B), cover density rewards words close together, and length dampens long texts.
_PG_WEIGHTS = "{0.1, 0.2, 0.25, 1.0}"  # D, C, B, A
_NOT_WORD = re.compile(r"\W+")


def search_index_for(engine: Engine) -> SqliteSearchIndex | PostgresSearchIndex:
    if engine.dialect.name == "sqlite":
        return SqliteSearchIndex(engine)
    return PostgresSearchIndex(engine)


class SqliteSearchIndex:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace_all(self, documents: Iterable[SearchDocument]) -> None:
        rows = [_row(d) for d in documents]
        with self.engine.begin() as connection:
            connection.execute(text("DELETE FROM catalogue_search"))
            if rows:
                connection.execute(
                    text(
                        "INSERT INTO catalogue_search (kind, id, language, title, body) "
                        "VALUES (:kind, :id, :language, :title, :body)"
                    ),
                    rows,
                )

    def search(
        self, language: str, terms: Sequence[str], limit: int, *, match_all: bool = False
    ) -> list[SearchHit]:
        terms = _plain(terms)
        if not terms:
            return []
        # Each term is a quoted FTS5 string with a prefix star: never an operator.
        match = (" AND " if match_all else " OR ").join(f'"{term}"*' for term in terms)
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT kind, id, bm25(catalogue_search, 0, 0, 0, 4.0, 1.0) AS score "
                    "FROM catalogue_search WHERE catalogue_search MATCH :match "
                    "AND language = :language ORDER BY score, title, id LIMIT :limit"
                ),
                {"match": match, "language": language, "limit": limit},
            )
            return [SearchHit(kind, id_, -float(score)) for kind, id_, score in rows]


class PostgresSearchIndex:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def replace_all(self, documents: Iterable[SearchDocument]) -> None:
        rows = [{**_row(d), "config": _PG_CONFIG.get(d.language, "simple")} for d in documents]
        with self.engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _REBUILD_LOCK})
            connection.execute(text("DELETE FROM catalogue_search"))
            if rows:
                connection.execute(
                    text(
                        "INSERT INTO catalogue_search (kind, id, language, title, body, document) "
                        "VALUES (:kind, :id, :language, :title, :body, "
                        "setweight(to_tsvector(CAST(:config AS regconfig), :title), 'A') || "
                        "setweight(to_tsvector(CAST(:config AS regconfig), :body), 'B'))"
                    ),
                    rows,
                )

    def search(
        self, language: str, terms: Sequence[str], limit: int, *, match_all: bool = False
    ) -> list[SearchHit]:
        terms = _plain(terms)
        if not terms:
            return []
        config = _PG_CONFIG.get(language, "simple")
        # Quoted lexemes with a prefix marker: the text is never tsquery syntax.
        query = (" & " if match_all else " | ").join(f"'{term}':*" for term in terms)
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT kind, id, "
                    "ts_rank_cd(CAST(:weights AS float4[]), document, q, 1) AS score "
                    "FROM catalogue_search, "
                    "to_tsquery(CAST(:config AS regconfig), :query) AS q "
                    "WHERE language = :language AND document @@ q "
                    "ORDER BY score DESC, title, id LIMIT :limit"
                ),
                {
                    "config": config,
                    "query": query,
                    "language": language,
                    "limit": limit,
                    "weights": _PG_WEIGHTS,
                },
            )
            return [SearchHit(kind, id_, float(score)) for kind, id_, score in rows]


def _plain(terms: Sequence[str]) -> list[str]:
    """Folded words only: whatever reaches the query language cannot be an operator."""
    return [plain for plain in (_NOT_WORD.sub("", fold(term)) for term in terms) if plain]


def _row(document: SearchDocument) -> dict[str, str]:
    return {
        "kind": document.kind,
        "id": document.id,
        "language": document.language,
        "title": fold(document.title),
        "body": fold(document.body),
    }
