"""Identity: whom a session acts for online (a child, a company, a person under a mandate).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ("acting_for", "acting_name", "acting_ground", "acting_mandate")


def upgrade() -> None:
    with op.batch_alter_table("identity_sessions") as table:
        table.add_column(sa.Column("acting_for", sa.String(64), nullable=True))
        table.add_column(sa.Column("acting_name", sa.Text, nullable=True))
        table.add_column(sa.Column("acting_ground", sa.String(16), nullable=True))
        table.add_column(sa.Column("acting_mandate", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identity_sessions") as table:
        for name in reversed(COLUMNS):
            table.drop_column(name)
