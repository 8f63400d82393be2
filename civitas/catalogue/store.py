"""The catalogue's full-text index on the operational database.

SQLite uses FTS5 with BM25 ranking; PostgreSQL uses a tsvector column with a GIN
index and the text-search configuration of each language. Text is stored folded
(lowercase, no accents) so that both backends match what the person typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Engine, text

from civitas.catalogue.ports import SearchDocument, SearchHit
from civitas.catalogue.search_terms import fold

# PostgreSQL text-search configurations by language; others use 'simple'.
_PG_CONFIG = {"en": "english", "pt": "portuguese", "es": "spanish", "fr": "french"}


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

    def search(self, language: str, terms: Sequence[str], limit: int) -> list[SearchHit]:
        match = " OR ".join(f'"{term}"*' for term in terms)
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT kind, id, bm25(catalogue_search, 0, 0, 0, 4.0, 1.0) AS score "
                    "FROM catalogue_search WHERE catalogue_search MATCH :match "
                    "AND language = :language ORDER BY score LIMIT :limit"
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

    def search(self, language: str, terms: Sequence[str], limit: int) -> list[SearchHit]:
        config = _PG_CONFIG.get(language, "simple")
        query = " | ".join(f"{term}:*" for term in terms)
        with self.engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT kind, id, ts_rank(document, q) AS score FROM catalogue_search, "
                    "to_tsquery(CAST(:config AS regconfig), :query) AS q "
                    "WHERE language = :language AND document @@ q "
                    "ORDER BY score DESC, title LIMIT :limit"
                ),
                {"config": config, "query": query, "language": language, "limit": limit},
            )
            return [SearchHit(kind, id_, float(score)) for kind, id_, score in rows]


def _row(document: SearchDocument) -> dict[str, str]:
    return {
        "kind": document.kind,
        "id": document.id,
        "language": document.language,
        "title": fold(document.title),
        "body": fold(document.body),
    }
