"""Identity: one-time consent codes (by their hash) and the desk sessions that serve a person.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identity_consent_codes",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False, index=True),
        sa.Column("holder_name", sa.Text, nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("services", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by", sa.String(64), nullable=False),
        sa.Column("used_by_name", sa.Text, nullable=False),
    )
    op.create_table(
        "identity_serving",
        sa.Column("staff_session", sa.String(64), primary_key=True),
        sa.Column("staff", sa.String(64), nullable=False),
        sa.Column("staff_name", sa.Text, nullable=False),
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("person_name", sa.Text, nullable=False),
        sa.Column("ground", sa.String(16), nullable=False),
        sa.Column("services", sa.Text, nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mandate_id", sa.String(32), nullable=False),
        sa.Column("code_id", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("identity_serving")
    op.drop_table("identity_consent_codes")
