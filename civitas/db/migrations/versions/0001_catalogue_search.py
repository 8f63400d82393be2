"""Full-text index of the catalogue: SQLite FTS5, or PostgreSQL tsvector with GIN.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE catalogue_search USING fts5("
            "kind UNINDEXED, id UNINDEXED, language UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
        return
    op.execute(
        "CREATE TABLE catalogue_search ("
        " kind VARCHAR(16) NOT NULL, id VARCHAR(200) NOT NULL, language VARCHAR(8) NOT NULL,"
        " title TEXT NOT NULL, body TEXT NOT NULL, document TSVECTOR NOT NULL,"
        " PRIMARY KEY (language, kind, id))"
    )
    op.execute("CREATE INDEX ix_catalogue_search_document ON catalogue_search USING GIN (document)")


def downgrade() -> None:
    op.execute("DROP TABLE catalogue_search")
